"""Attendee page: one-to-one conversations with matches and connections (seed 000 §4.1–4.2)."""
import streamlit as st

from core.accounts import Role
from core.networking.messages import (
    BODY_LIMIT,
    MessageError,
    open_thread,
    read_thread,
    send_message,
    threads_of,
)
from core.privacy.audit_trail import record_profile_view
from ui.auth import client_address, require_role
from ui.resources import clock, db_session, transaction
from ui.safety import block_report_menu, store_refusal
from ui.text import plain
from ui.widgets import empty_state, show_outcome

SELECTED = "messages_thread"
REPLY = "messages_reply"

user = require_role(Role.ATTENDEE)
if user.person_id is None:
    st.title("Messages")
    empty_state("This account has no attendee profile, so it has no conversations.")
    st.stop()


def open_with(raw: str) -> None:
    """`?with=<person id>` (from For you or My network): open, or start, the conversation with that person."""
    try:
        other_id = int(raw)
    except ValueError:
        st.session_state["messages_error"] = "That conversation link is incomplete. Open it again from For you."
        return
    try:
        with transaction() as session:
            thread = open_thread(session, person_id=user.person_id, other_id=other_id, now=clock().now())
    except MessageError as exc:
        st.session_state["messages_error"] = plain(exc)
    else:
        st.session_state[SELECTED] = thread.id


def choose_thread(thread_id: int) -> None:
    st.session_state[SELECTED] = thread_id


def send(recipient_id: int) -> None:
    body = st.session_state.get(REPLY, "")
    try:
        with transaction() as session:
            send_message(session, user.person_id, recipient_id, body, clock())
    except MessageError as exc:
        store_refusal("messages", exc)


if "with" in st.query_params:
    open_with(st.query_params["with"])
    del st.query_params["with"]  # handled once; the open conversation is kept in the session from here on

with db_session() as session:
    threads = threads_of(session, user.person_id)
by_id = {summary.thread_id: summary for summary in threads}
chosen = by_id.get(st.session_state.get(SELECTED))
total = sum(s.unread for s in threads if chosen is None or s.thread_id != chosen.thread_id)

st.title("Messages" + (f" :blue-badge[:material/mark_chat_unread: {total} unread]" if total else ""))
show_outcome("messages")
if not threads:
    empty_state("No conversations yet: ping or connect with someone from For you, then message them here.")
    st.page_link("pages/for_you.py", label="Go to For you", icon=":material/recommend:")
    st.stop()

left, right = st.columns([1, 2], gap="large")
with left:
    st.button("Check for new messages", icon=":material/refresh:", width="stretch")
    for summary in threads:
        is_open = chosen is not None and summary.thread_id == chosen.thread_id
        unread = 0 if is_open else summary.unread
        name = plain(summary.other_name, limit=60)
        st.button(f"{name} · {unread} new" if unread else name, key=f"thread-{summary.thread_id}",
                  type="primary" if is_open else "secondary", width="stretch", on_click=choose_thread,
                  args=(summary.thread_id,),
                  icon=":material/mark_chat_unread:" if unread else ":material/chat_bubble:")
        if summary.last_body is None:
            st.caption("No messages yet")
        else:
            who = "You: " if summary.last_sender_id == user.person_id else ""
            st.caption(who + plain(summary.last_body.replace("\n", " "), limit=70))

with right:
    if chosen is None:
        empty_state("Choose a conversation on the left.")
        st.stop()
    other = chosen.other
    heading, more = st.columns([3, 1], vertical_alignment="center")
    heading.subheader(plain(chosen.other_name))
    about = " · ".join(plain(part) for part in (other.role, other.company) if part) if chosen.other_live else ""
    if about:
        heading.caption(about)
    with more:
        if chosen.other_live:
            block_report_menu(viewer_id=user.person_id, other_id=other.id, other_name=other.full_name, context="thread",
                              key=f"thread-{chosen.thread_id}")
    try:
        with transaction() as session:  # reading the conversation marks their messages read
            messages = read_thread(session, chosen.thread_id, user.person_id, clock().now())
            if chosen.other_live:  # the header shows their profile: one aggregated view a day (seed 000 §11.3)
                record_profile_view(session, viewer_id=user.person_id, person_id=other.id, clock=clock(),
                                    actor_id=user.account_id, client=client_address())
    except MessageError as exc:
        st.error(plain(exc))
        st.stop()
    with st.container(height=440, autoscroll=True):
        if not messages:
            st.caption("No messages yet. Say hello, and mention what you have in common.")
        for message in messages:
            mine = message.sender_id == user.person_id
            with st.chat_message("user" if mine else "assistant",
                                 avatar=":material/account_circle:" if mine else ":material/person:"):
                st.markdown(plain(message.body).replace("\n", "  \n"))
                seen = " · read" if mine and message.read_at else ""
                sender = plain(other.first_name) if chosen.other_live else chosen.other_name
                st.caption(f"{'You' if mine else sender} · {message.created_at:%d %b, %H:%M}"
                           f"{seen}")
    if not chosen.other_live:
        st.info("This person deleted their account, so you can no longer message them.",
                icon=":material/person_off:")
        st.stop()
    with st.form("reply", clear_on_submit=True, border=False):
        st.text_area("Your message", key=REPLY, max_chars=BODY_LIMIT, height=100,
                     placeholder=f"Write to {other.first_name}…",
                     help=f"Plain text, up to {BODY_LIMIT:,} characters.")
        st.form_submit_button("Send", type="primary", icon=":material/send:", on_click=send, args=(other.id,))
