"""Block and report another person from a card or a thread header (seed 004 §6), and the friendly notice for a
double click that the server refused."""
from __future__ import annotations

import streamlit as st

from core.networking.moderation import (
    DETAILS_LIMIT,
    REASON_LABELS,
    ModerationError,
    ReportReason,
    block_person,
    report_person,
)
from core.platform.debounce import RapidRepeat
from ui.resources import clock, transaction
from ui.text import plain
from ui.widgets import lazy_popover


def store_refusal(prefix: str, exc: Exception) -> None:
    """Keep a refused action's message for the rerun: a double click as information, anything else as an error."""
    st.session_state[f"{prefix}_info" if isinstance(exc, RapidRepeat) else f"{prefix}_error"] = plain(exc)


def _block(viewer_id: int, other_id: int) -> None:
    try:
        with transaction() as session:
            outcome = block_person(session, blocker_id=viewer_id, blocked_id=other_id, clock=clock())
    except ModerationError as exc:
        st.toast(plain(exc), icon=":material/error:")
    else:
        st.toast(plain(outcome.message), icon=":material/block:")


def _report(viewer_id: int, other_id: int, other_name: str, context: str, key: str, event_id: int | None) -> None:
    reason = st.session_state.get(f"{key}-reason")
    also_block = bool(st.session_state.get(f"{key}-also-block"))
    if reason is None:
        st.toast("Pick a reason for your report.", icon=":material/error:")
        return
    try:
        with transaction() as session:
            report_person(session, reporter_id=viewer_id, reported_id=other_id, context=context, reason=reason,
                          details=st.session_state.get(f"{key}-details", ""), event_id=event_id,
                          also_block=also_block, clock=clock())
    except ModerationError as exc:
        st.toast(plain(exc), icon=":material/error:")
    else:
        st.toast(f"Thanks: the moderators will review your report about {plain(other_name)}."
                 + (" You blocked them too." if also_block else ""), icon=":material/flag:")


def block_report_menu(*, viewer_id: int, other_id: int, other_name: str, context: str, key: str,
                      event_id: int | None = None) -> None:
    """A "More" popover to block `other_id` (after a confirmation) or report them to the moderators (a reason,
    optional details, optionally also a block). The outcome shows as a toast; after a block the page's rerun no
    longer lists the person. `context` says where the viewer saw them: card, thread, request or meeting."""
    key = f"safety-{key}"
    # drawn only while open: a card list has one per card, each a whole form
    menu = lazy_popover("More", key=f"{key}-open", icon=":material/more_horiz:")
    if menu is None:
        return
    with menu:
        st.markdown(f"**Block {plain(other_name)}**")
        st.caption("You will not see each other anywhere, and they cannot contact you. They are not told. "
                   "You can undo it on your Account page.")
        sure = st.checkbox(f"Yes, block {plain(other_name)}", key=f"{key}-confirm")
        st.button("Block", key=f"{key}-block", icon=":material/block:", disabled=not sure, on_click=_block,
                  args=(viewer_id, other_id))
        st.divider()
        st.markdown(f"**Report {plain(other_name)}**")
        with st.form(f"{key}-report", border=False, clear_on_submit=True):
            st.selectbox("Reason", list(ReportReason), index=None, key=f"{key}-reason",
                         format_func=lambda reason: REASON_LABELS[reason], placeholder="Choose a reason")
            st.text_area("What happened? (optional)", key=f"{key}-details", max_chars=DETAILS_LIMIT, height=90,
                         help="Only the moderators read this.")
            st.checkbox("Also block them", key=f"{key}-also-block")
            st.form_submit_button("Send report", icon=":material/flag:", on_click=_report,
                                  args=(viewer_id, other_id, other_name, context, key, event_id))
