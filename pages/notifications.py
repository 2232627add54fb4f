"""Attendee page: the notification centre (newest first, read marks, a way to what each is about) and email choices."""
from pathlib import Path
from urllib.parse import parse_qsl

import streamlit as st
from streamlit.errors import StreamlitAPIException

from core.accounts import Role
from core.networking.notifications import (
    KIND_LABELS,
    PAGE_SIZE,
    POST_EVENT_FOLLOW_UP,
    NotificationItem,
    consent_of,
    email_preferences,
    mark_read,
    notification_feed,
    notification_total,
    set_email_preferences,
    time_ago,
    unread_count,
)
from ui.auth import require_role
from ui.navigation import menu_for
from ui.resources import clock, db_session, settings, transaction
from ui.text import plain
from ui.widgets import empty_state, show_outcome

KIND_ICONS = {
    "connection_request": ":material/person_add:",
    "request_accepted": ":material/handshake:",
    "ping": ":material/waving_hand:",
    "message": ":material/chat:",
    "meeting_answer": ":material/event_available:",
    "follow_up_reminder": ":material/forward_to_inbox:",
    "follow_up": ":material/reply:",
    "connection_attending": ":material/event:",
    "connection_here": ":material/groups:",
    "digest": ":material/summarize:",
    "feedback_request": ":material/rate_review:",
    "session_reminder": ":material/alarm:",
    "meeting_reminder": ":material/alarm:",
    "agenda_digest": ":material/today:",
    "moderation": ":material/shield:",
    "huddle_invitation": ":material/diversity_3:",
    "huddle_update": ":material/diversity_3:",
}
CONSENT_NAMES = {POST_EVENT_FOLLOW_UP: "Post-event follow-ups"}
PAGE_KEY, UNREAD_ONLY_KEY = "notifications_page", "notifications_unread_only"

user = require_role(Role.ATTENDEE)
st.title("Notifications")
if user.person_id is None:
    empty_state("Your account has no attendee profile, so there are no notifications for it.")
    st.stop()
show_outcome("notifications")

# Where a notification's link (an app address such as "my-agenda") leads: a page of this user's menu, else a page
# file of that name (a page other parts of the app register).
TARGETS = {spec.url_path: spec.path for specs in menu_for(user.roles).values() for spec in specs}


def target_of(link: str) -> tuple[str, dict[str, str]] | None:
    """The page file a link points to, and its query (e.g. "my-network?tab=activity")."""
    address, _, query = link.strip("/").partition("?")
    if not address:
        return None
    page = TARGETS.get(address)
    if page is None:
        guess = f"pages/{address.replace('-', '_')}.py"
        page = guess if (Path(__file__).resolve().parents[1] / guess).is_file() else None
    return (page, dict(parse_qsl(query))) if page else None


def read(ids: list[int] | None, notice: str) -> None:
    with transaction() as session:
        changed = mark_read(session, person_id=user.person_id, now=clock().now(), notification_ids=ids)
    if changed and notice:
        st.session_state["notifications_notice"] = notice


def turn(step: int) -> None:
    st.session_state[PAGE_KEY] = max(0, st.session_state.get(PAGE_KEY, 0) + step)


def first_page() -> None:
    st.session_state[PAGE_KEY] = 0


def open_item(item: NotificationItem, target: tuple[str, dict[str, str]]) -> None:
    """Mark the notification read and go where it points (outside a callback: switch_page must rerun the app)."""
    read([item.id], "")
    page, query = target
    try:
        st.switch_page(page, query_params=query or None)
    except StreamlitAPIException:
        st.session_state["notifications_error"] = "That page is not available to you."
        st.rerun()


def show(item: NotificationItem, now) -> None:
    with st.container(border=True):
        icon, main, actions = st.columns([0.05, 0.75, 0.2], vertical_alignment="center")
        icon.markdown(KIND_ICONS.get(item.kind, ":material/notifications:"))
        title = plain(item.title)
        main.markdown(f":blue-badge[New] **{title}**" if item.unread else title)
        meta = [item.label, *([f"from {plain(item.actor_name)}"] if item.actor_name else []),
                time_ago(item.created_at, now)]
        main.caption(" · ".join(meta))
        if item.body.strip():
            main.markdown(plain(item.body))
        target = target_of(item.link)
        if target and actions.button("Open", key=f"open_{item.id}", icon=":material/open_in_new:",
                                     type="primary" if item.unread else "secondary", width="stretch"):
            open_item(item, target)
        if item.unread:
            actions.button("Mark read", key=f"read_{item.id}", icon=":material/done:", width="stretch",
                           on_click=read, args=([item.id], ""))


inbox, email_tab = st.tabs(["Inbox", "Email settings"])
with inbox:
    with db_session() as session:
        unread = unread_count(session, user.person_id)
        total = notification_total(session, user.person_id)
    if total == 0:
        empty_state("No notifications yet. Connection requests, messages, meeting answers and follow-up reminders "
                    "will show up here.")
    else:
        left, right = st.columns([3, 1], vertical_alignment="center")
        unread_only = left.toggle("Unread only", key=UNREAD_ONLY_KEY, on_change=first_page)
        left.caption(f"{unread:,} unread of {total:,}." if unread else f"All {total:,} read.")
        right.button("Mark all read", icon=":material/done_all:", disabled=not unread, width="stretch",
                     on_click=read, args=(None, f"Marked {unread:,} notifications read."))
        shown_total = unread if unread_only else total
        pages = max(1, -(-shown_total // PAGE_SIZE))
        page = min(st.session_state.get(PAGE_KEY, 0), pages - 1)
        with db_session() as session:
            items = notification_feed(session, user.person_id, limit=PAGE_SIZE, offset=page * PAGE_SIZE,
                                      unread_only=unread_only)
        if not items:
            empty_state("Nothing unread. Turn off **Unread only** to see every notification.")
        now = clock().now()
        for item in items:
            show(item, now)
        if pages > 1:
            back, where, onward = st.columns([1, 2, 1], vertical_alignment="center")
            back.button("Newer", icon=":material/chevron_left:", disabled=page == 0, on_click=turn, args=(-1,),
                        width="stretch")
            first = page * PAGE_SIZE + 1
            where.caption(f"{first:,}–{first + len(items) - 1:,} of {shown_total:,}, newest first")
            onward.button("Older", icon=":material/chevron_right:", disabled=page >= pages - 1, on_click=turn,
                          args=(1,), width="stretch")

with email_tab:
    st.caption("Every notification always shows here in the app. Choose which ones also reach you by email.")
    if not settings().mail_enabled:
        st.info("This installation does not send email yet; your choices apply as soon as it does.",
                icon=":material/info:")
    with db_session() as session:
        current = email_preferences(session, user.person_id)
    with st.form("notification_email"):
        chosen = {}
        for kind, label in KIND_LABELS.items():
            consent = CONSENT_NAMES.get(consent_of(kind), "Recommendation notifications")
            chosen[kind.value] = st.toggle(
                f"Email me: {label.lower()}", value=current[kind.value], key=f"email_{kind.value}",
                help=f"Until you choose, this follows your sign-up consent \u201c{consent}\u201d.")
        saved = st.form_submit_button("Save email settings", type="primary")
    if saved:
        with transaction() as session:
            set_email_preferences(session, person_id=user.person_id, choices=chosen)
        st.success("Email settings saved.")
