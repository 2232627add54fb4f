"""Small reusable Streamlit widgets."""
from __future__ import annotations

import streamlit as st

from core.accounts import Role
from core.accounts.tokens import LinkError
from core.demo.seed import DEMO_ACCOUNTS
from core.events import Event
from core.events.events import events_visible_to
from core.events.profiles import person_events
from ui.auth import CurrentUser
from ui.resources import clock, db_session, settings


def show_demo_accounts() -> None:
    """The demo logins, shown on the login page in demo mode only."""
    with st.expander("Demo accounts", expanded=True):
        st.caption("This is a demo installation. Log in as any role:")
        st.table({
            "role": [", ".join(a.roles) for a in DEMO_ACCOUNTS],
            "username": [a.username for a in DEMO_ACCOUNTS],
            "password": [a.password for a in DEMO_ACCOUNTS],
        })


def event_picker(user: CurrentUser, label: str = "Event", key: str = "event_picker") -> Event | None:
    """A select box over the events this user may see (organizers: the events they organize; admins and staff:
    all); None, with an empty-state message, when there are none."""
    with db_session() as session:
        events = events_visible_to(session, account_id=user.account_id,
                                   is_admin=user.has(Role.ADMIN) or user.has(Role.STAFF))
    if not events:
        st.info("No events yet. An admin can create one by uploading attendees on the Uploads page."
                if user.has(Role.ADMIN) else
                "You do not organize any event yet. Ask an admin to add you as an organizer of your event.")
        return None
    return st.selectbox(label, events, format_func=lambda e: f"{e.name} ({e.slug})", key=key)


def registered_event(person_id: int | None, empty_message: str) -> Event:
    """The event an attendee is looking at: a select box when they are registered for several; stops the page with
    `empty_message` when they are registered for none."""
    with db_session() as session:
        events = [e for e, _ in person_events(session, person_id)] if person_id else []
    if not events:
        st.info(empty_message)
        st.stop()
    return st.selectbox("Event", events, format_func=lambda e: e.name) if len(events) > 1 else events[0]


def empty_state(message: str) -> None:
    """An informational empty-state message."""
    st.info(message, icon=":material/info:")


def multi_choice(label: str, options: list[str], default: list[str]) -> list[str]:
    """Pick several of a fixed list of options (goals, roles)."""
    return st.multiselect(label, options, default=default)


def show_outcome(prefix: str) -> None:
    """Show (once) the notice, information or error an action stored under `{prefix}_notice` / `{prefix}_info` /
    `{prefix}_error` before a rerun."""
    for key, show in ((f"{prefix}_notice", st.success), (f"{prefix}_info", st.info), (f"{prefix}_error", st.error)):
        if st.session_state.get(key):
            show(st.session_state.pop(key))


def open_link_or_stop(opener, *, fallback_page: str, fallback_label: str, icon: str):
    """The target of the `?token=` link this page was opened with, via `opener(session, token=, key=, clock=)`;
    a link that cannot be used shows why, a way on, and stops the page. Returns (target, token, key)."""
    token = st.query_params.get("token", "")
    key = settings().cookie_key.get_secret_value()
    try:
        with db_session() as session:
            return opener(session, token=token, key=key, clock=clock()), token, key
    except LinkError as exc:
        st.warning(str(exc))
        st.page_link(fallback_page, label=fallback_label, icon=icon)
        st.stop()


def lazy_popover(label: str, *, key: str, where=None, **options):
    """A popover whose content is drawn only while it is open (its open state is the widget `key`), else None.

    A closed popover is then one element on a rerun instead of its whole form; opening it reruns the page, which
    draws the content. Every card has several of these, and their forms were most of a card's widgets."""
    popover = (where or st).popover(label, key=key, on_change="rerun", **options)
    return popover if popover.open else None


def lazy_expander(label: str, *, key: str, **options):
    """An expander whose content is drawn only while it is expanded (like `lazy_popover`), else None."""
    expander = st.expander(label, key=key, on_change="rerun", **options)
    return expander if expander.open else None
