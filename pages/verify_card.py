"""Public page: verify a digital alumni card from its QR code (the code opens this page with its token) or from a
pasted code; it shows only whether the card is valid, and the holder's name, batch, department and expiry."""
from urllib.parse import parse_qs, urlparse

import streamlit as st

from core.community.cards import CHECK_LABELS, VerificationMethod, verify_token
from ui import community_cards
from ui.auth import public_page
from ui.resources import clock, transaction
from ui.text import plain

public_page()  # open to anyone: no login needed

RESULTS = "card_verifications"  # token -> result, so a rerun of the page does not log and count it again

st.title("Verify an alumni card")
cipher, off = community_cards.cipher()
if cipher is None:
    st.warning("Alumni cards cannot be verified on this installation right now. " + off)
    st.stop()


def token_of(text: str) -> str:
    """A pasted code: the token itself, or the whole address the QR code holds."""
    text = text.strip()
    if "token=" in text:
        return (parse_qs(urlparse(text).query).get("token") or [""])[0]
    return text


def verified(token: str, method: VerificationMethod):
    """The token's verification result, run and logged once per token in this browser session."""
    results = st.session_state.setdefault(RESULTS, {})
    if token not in results:
        with transaction() as session:
            results[token] = verify_token(session, token=token, method=method, cipher=cipher, clock=clock())
    return results[token]


scanned = st.query_params.get("token", "")
slot = st.container()  # the result shows above the form
manual = st.expander("Verify another card", expanded=False) if scanned else st.container()
with manual, st.form("manual_verification"):
    st.caption("Scan the QR code on the card with your phone's camera, or paste the code or the address it holds.")
    pasted = st.text_area("Card code", height=90, placeholder="gAAAAA… or https://…/verify-card?token=…")
    submitted = st.form_submit_button("Verify this code", icon=":material/verified:")

result = None
if submitted and pasted.strip():
    result = verified(token_of(pasted), VerificationMethod.MANUAL)
elif submitted:
    slot.warning("Paste the code from the card first.")
elif scanned:
    result = verified(scanned, VerificationMethod.QR_SCAN)

if result is not None:
    with slot.container(border=True):
        if result.valid:
            st.success("**Valid** — this is a genuine, active GlobalConnect alumni card.", icon=":material/verified:")
        else:
            st.error(f"**Not valid** — {plain(result.reason)}", icon=":material/gpp_bad:")
            st.caption(f"Failed check: {CHECK_LABELS[result.failed_check]}")
        if result.name is not None:
            st.markdown(f"### {plain(result.name)}")
            batch, department, expiry = st.columns(3)
            batch.markdown(f"**Batch**  \n{result.batch_year}")
            department.markdown(f"**Department**  \n{plain(result.department or '–')}")
            expiry.markdown(f"**Valid until**  \n{result.expires_at:%d %b %Y}")
        st.caption("Each verification is logged with its result.")
