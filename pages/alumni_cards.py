"""Admin page: digital alumni ID cards: the review queue of possible duplicates, verifying alumni records and issuing
cards for them, revoking and reissuing cards, and the verification log."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.community.cards import (
    METHOD_LABELS,
    STATUS_LABELS,
    CardActionError,
    CardsOff,
    CardStatus,
    RequestOutcome,
    approve_request,
    reissue_card,
    reject_request,
    request_card,
    revoke_card,
    verify_alumnus,
)
from ui import community_cards
from ui.auth import require_role
from ui.resources import clock, settings, transaction
from ui.tables import data_table
from ui.text import plain
from ui.widgets import empty_state, show_outcome

user = require_role(Role.ADMIN)
st.title("Alumni cards")
st.caption("Digital alumni ID cards: requests held for review as possible duplicates, alumni records to verify, "
           "the cards themselves and every verification. Each action is in the audit log.")

cipher, off = community_cards.cipher()
if cipher is None:
    st.warning(off, icon=":material/credit_card_off:")
show_outcome("alumni_cards")


def act(action, done: str) -> None:
    """Run an admin action in a transaction and keep its outcome (`done`, or the message it returns) for the next
    run."""
    try:
        with transaction() as session:
            message = action(session)
    except (CardActionError, CardsOff) as exc:
        st.session_state["alumni_cards_error"] = plain(exc)
    else:
        st.session_state["alumni_cards_notice"] = plain(message if isinstance(message, str) else done)


def act_if_confirmed(sure_key: str, what: str, action, done: str) -> None:
    """`act`, only when the confirmation box `sure_key` is ticked; else say to tick it."""
    if not st.session_state.get(sure_key):
        st.session_state["alumni_cards_error"] = f"Tick the confirmation box to {what}."
        return
    act(action, done)


# --- Review queue ---------------------------------------------------------------------------------------------------
st.subheader("Review queue")
queue = community_cards.review_queue()
if not queue:
    empty_state("No requests wait for review. A request waits here when another alumnus of the same batch has a "
                "very similar name (similarity above 85 %).")
for item in queue:
    with st.container(border=True):
        st.markdown(f"**{plain(item.name)}** · {plain(item.email)} · batch {item.batch_year} · "
                    f"{plain(item.department or 'no department')}")
        st.caption(f"Requested {item.requested_at:%d %b %Y %H:%M} UTC")
        if item.similar_name:
            st.markdown(f":orange-badge[{item.similarity:.0%} similar] to **{plain(item.similar_name)}** · "
                        f"{plain(item.similar_email)} · {plain(item.similar_department or 'no department')}")
        st.checkbox("To reject: I confirm rejecting this request, so no card is issued",
                    key=f"reject-sure-{item.request_id}")
        approve, reject = st.columns(2)
        approve.button("Approve and issue", key=f"approve-{item.request_id}", icon=":material/check:",
                       type="primary", width="stretch", on_click=act, args=(
                           lambda s, r=item.request_id: approve_request(s, request_id=r, actor_id=user.account_id,
                                                                        settings=settings(), clock=clock()),
                           f"Card issued for {item.name}."))
        reject.button("Reject", key=f"reject-{item.request_id}", icon=":material/close:", width="stretch",
                      on_click=act_if_confirmed, args=(
                          f"reject-sure-{item.request_id}", "reject the request",
                          lambda s, r=item.request_id: reject_request(s, request_id=r, actor_id=user.account_id,
                                                                      clock=clock()),
                          f"Request of {item.name} rejected."))

# --- Alumni records -------------------------------------------------------------------------------------------------
st.subheader("Verify an alumni record or issue a card for it")
search = st.text_input("Find an alumnus by name or email", key="alumni_search")
if search.strip():
    found = community_cards.find_alumni(search)
    if not found:
        empty_state("No alumni record matches.")
    else:
        data_table(pd.DataFrame([{
            "name": a.name, "email": a.email, "batch": a.batch_year, "department": a.department,
            "complete": f"{a.completeness:.0%}",
            "verified": f"{a.verified_at:%d %b %Y}" if a.verified_at else "not yet"} for a in found]))
        labels = {a.alumnus_id: f"{a.name} · {a.email}" for a in found}
        chosen = st.selectbox("Alumnus", list(labels), format_func=labels.get, key="alumnus_pick")
        record = next(a for a in found if a.alumnus_id == chosen)
        verify_col, issue_col = st.columns(2)
        verify_col.button("Verify this record", icon=":material/verified_user:", width="stretch",
                          disabled=record.verified_at is not None,
                          help=f"Verified on {record.verified_at:%d %b %Y}" if record.verified_at else
                          "Confirm that this is a genuine alumni record: a card needs it",
                          on_click=act, args=(
                              lambda s: verify_alumnus(s, alumnus_id=chosen, actor_id=user.account_id,
                                                       clock=clock()),
                              f"{record.name}'s alumni record is verified."))

        def issue(session) -> str:
            """Request a card on the alumnus's behalf (same rules and duplicate check); the outcome in words."""
            result = request_card(session, alumnus_id=chosen, actor_id=user.account_id, settings=settings(),
                                       clock=clock())
            if result.outcome == RequestOutcome.REFUSED:
                raise CardActionError(" ".join([result.message, *result.problems]))
            return {RequestOutcome.ISSUED: f"Card issued for {record.name}: see the cards below.",
                    RequestOutcome.REVIEW: f"The request for {record.name} waits in the review queue above: another "
                                           "alumnus of the batch has a very similar name.",
                    RequestOutcome.ALREADY: f"{record.name} already has an active card."}[result.outcome]

        issue_col.button("Request a card for them", icon=":material/badge:", width="stretch",
                         disabled=cipher is None, on_click=act, args=(issue, ""))

# --- Cards ----------------------------------------------------------------------------------------------------------
st.subheader("Cards")
filter_col, status_col = st.columns([3, 1])
card_search = filter_col.text_input("Find a card by name or number", key="card_search")
status = status_col.selectbox("Status", ["all", *CardStatus], key="card_status",
                              format_func=lambda s: "All" if s == "all" else STATUS_LABELS[s])
shown = community_cards.list_cards(card_search, None if status == "all" else status)
if not shown:
    empty_state("No cards yet. Alumni request theirs on My alumni card; you can also request one for an alumnus "
                "above.")
else:
    data_table(pd.DataFrame([{
        "card number": c.card_number, "name": c.name, "batch": c.batch_year, "department": c.department,
        "status": (f"Revoked: {c.revoke_reason}" if c.status == CardStatus.REVOKED and c.revoke_reason
                   else STATUS_LABELS[c.status]),
        "issued": f"{c.issued_at:%d %b %Y}", "valid until": f"{c.expires_at:%d %b %Y}",
        "verified": c.verification_count,
        "last verified": f"{c.last_verified_at:%d %b %Y}" if c.last_verified_at else "never"} for c in shown]),
        column_config={"card number": st.column_config.TextColumn(width=150),
                       "batch": st.column_config.NumberColumn(width=60, format="%d"),
                       "status": st.column_config.TextColumn(width=150, help="revoked cards show the reason"),
                       "issued": st.column_config.TextColumn(width=95),
                       "valid until": st.column_config.TextColumn(width=95),
                       "verified": st.column_config.NumberColumn(width=70, help="How often the card was verified"),
                       "last verified": st.column_config.TextColumn(width=100)})
    actionable = {c.card_id: c for c in shown if c.status != CardStatus.REPLACED}
    if actionable:
        picked = st.selectbox("Card", list(actionable), key="card_pick",
                              format_func=lambda i: f"{actionable[i].card_number} · {actionable[i].name} · "
                                                    f"{STATUS_LABELS[actionable[i].status]}")
        card = actionable[picked]
        st.checkbox(f"I confirm reissuing {card.card_number}: the holder gets a new number and QR code and the "
                    "old code stops verifying", key=f"reissue-sure-{picked}")
        st.button("Reissue this card", icon=":material/autorenew:", disabled=cipher is None,
                  help="A new card with a new number and QR code; an active old card stops verifying as replaced.",
                  on_click=act_if_confirmed, args=(
                      f"reissue-sure-{picked}", "reissue the card",
                      lambda s: reissue_card(s, card_id=picked, actor_id=user.account_id, settings=settings(),
                                             clock=clock()),
                      f"Card {card.card_number} reissued: the old code no longer verifies."))
        if card.status == CardStatus.ACTIVE:
            with st.form("revoke_card"):
                reason = st.text_input("Reason for revoking", max_chars=300)
                sure = st.checkbox(f"I confirm revoking {card.card_number}: every later scan of it fails")
                revoke = st.form_submit_button("Revoke this card", icon=":material/block:", type="primary")
            if revoke:
                if not sure:
                    st.warning("Tick the confirmation box to revoke the card.")
                elif not reason.strip():
                    st.warning("Give a reason for revoking the card.")
                else:
                    act(lambda s: revoke_card(s, card_id=picked, actor_id=user.account_id, reason=reason,
                                              clock=clock()), f"Card {card.card_number} revoked.")
                    st.rerun()

# --- Verification log -----------------------------------------------------------------------------------------------
st.subheader("Verification log")
log = community_cards.recent_verifications()
if not log:
    empty_state("No card was verified yet. Each scan or pasted code is logged here with every check's result.")
else:
    data_table(pd.DataFrame([{
        "when": f"{v.verified_at:%d %b %Y %H:%M:%S}", "card": v.card_number or "unreadable code",
        "name": v.name or "", "method": METHOD_LABELS.get(v.method, v.method),
        "result": "valid" if v.valid else "not valid",
        "failed check": community_cards.failed_check_in_words(v.checks)} for v in log]),
        column_config={"when": st.column_config.TextColumn(width=150),
                       "method": st.column_config.TextColumn(width=95),
                       "result": st.column_config.TextColumn(width=75),
                       "failed check": st.column_config.TextColumn(width=250)})
    st.caption("The newest 100 verifications. The checks run in order (signature and decryption, exists, not revoked, "
               "active i.e. not replaced, not expired) and stop at the first that fails.")
