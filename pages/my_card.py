"""Attendee page: an alumnus requests their digital alumni ID card, sees why it cannot be issued yet, and downloads
it as PNG or PDF with the QR code anyone can scan to verify it."""
import streamlit as st

from core.accounts import Role
from core.community.cards import CardStatus, RequestOutcome, request_card
from ui import community_cards
from ui.auth import require_role
from ui.resources import clock, settings, transaction
from ui.text import plain
from ui.widgets import empty_state, show_outcome

user = require_role(Role.ATTENDEE)
st.title("My alumni card")
st.caption("A digital alumni ID card: its QR code opens a public page where anyone can check that the card is "
           "genuine, active and not expired.")

cipher, off = community_cards.cipher()
if cipher is None:
    st.warning(off, icon=":material/credit_card_off:")
    st.stop()

state = community_cards.my_card(user.person_id)
if state is None:
    empty_state("We found no alumni record with your email address, so there is no alumni card to request. Cards "
                "are for alumni whose records the organizers uploaded; if you are an alumnus, ask an administrator "
                "to check the email on your record.")
    st.stop()

show_outcome("my_card")


def ask_for_card() -> None:
    """Request the card and keep the outcome for the next run."""
    with transaction() as session:
        result = request_card(session, alumnus_id=state.alumnus_id, actor_id=user.account_id, settings=settings(),
                              clock=clock())
    if result.outcome == RequestOutcome.ISSUED:
        st.session_state["my_card_notice"] = plain(result.message)
    elif result.outcome == RequestOutcome.REVIEW:
        st.session_state["my_card_info"] = plain(result.message)
    else:
        st.session_state["my_card_error"] = plain(" ".join([result.message, *result.problems]))


card = state.card
if card is not None and card.status == CardStatus.ACTIVE:
    expired = card.expires_at <= clock().now()
    st.subheader(f"Card {card.card_number}")
    url = community_cards.verify_url(card.token)
    png, pdf = community_cards.files(card, url)
    st.image(png, width=560)
    if expired:
        st.warning(f"This card expired on {card.expires_at:%d %b %Y}. Ask an administrator to reissue it.")
    else:
        st.caption(f"Valid until {card.expires_at:%d %b %Y} · verified {card.verification_count} time"
                   f"{'' if card.verification_count == 1 else 's'}"
                   + (f", last on {card.last_verified_at:%d %b %Y %H:%M} UTC" if card.last_verified_at else ""))
    png_col, pdf_col = st.columns(2)
    png_col.download_button("Download PNG", png, file_name=f"{card.card_number}.png", mime="image/png",
                            icon=":material/image:", width="stretch")
    pdf_col.download_button("Download PDF", pdf, file_name=f"{card.card_number}.pdf", mime="application/pdf",
                            icon=":material/picture_as_pdf:", width="stretch")
    st.page_link("pages/verify_card.py", label="Open the verification page of this card",
                 query_params={"token": card.token}, icon=":material/verified:")
    st.stop()

if card is not None and card.status == CardStatus.REVOKED:
    st.error("Your alumni card was revoked by an administrator"
             + (f": {plain(card.revoke_reason)}" if card.revoke_reason else ".")
             + " Ask an administrator if you think this is a mistake.")
    st.stop()

if state.waiting_for_review:
    st.info("Your request is waiting for a short review by an administrator. Your card is issued as soon as it is "
            "approved.", icon=":material/hourglass_top:")
    st.stop()

rules = state.eligibility
st.markdown(f"**{plain(state.name)}** · your alumni record is {rules.completeness:.0%} complete")
if rules.ok:
    st.success("Your alumni record meets the card rules.", icon=":material/check_circle:")
else:
    st.markdown("Before a card can be issued:")
    st.markdown("\n".join(f"- {plain(problem)}" for problem in rules.problems))
st.button("Request my alumni card", type="primary", icon=":material/badge:", disabled=not rules.ok,
          on_click=ask_for_card)
st.caption("A card needs an alumni record that is at least 80 % complete (name, email, batch year, department, "
           "company, role, industry, location, skills and LinkedIn profile count 10 % each), with name, email, "
           "batch year and department, and verified by an administrator.")
