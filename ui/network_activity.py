"""The Activity tab of My network: connection feedback asked for after an event, the connection feed, events your
network is attending, and the first-event welcome for someone with no connections yet."""
from __future__ import annotations

import streamlit as st

from core.networking.activity import ActivityItem, ActivityType, activity_feed, cold_start, events_with_connections
from core.networking.feedback import NEGATIVE_FACTORS, POSITIVE_FACTORS, FeedbackError, record_connection_feedback
from core.networking.retention import FeedbackDue, feedback_due
from ui.resources import clock, db_session, transaction
from ui.text import plain
from ui.widgets import empty_state

ICONS = {ActivityType.SHARED_EVENT: ":material/event_available:", ActivityType.MEETING: ":material/handshake:",
         ActivityType.ROLE_CHANGE: ":material/work:"}


def _save_feedback(person_id: int, connection_id: int, **feedback) -> None:
    try:
        with transaction() as session:
            record_connection_feedback(session, connection_id=connection_id, person_id=person_id, clock=clock(),
                                       **feedback)
    except FeedbackError as exc:
        st.session_state["network_error"] = plain(exc)
    else:
        st.session_state["network_notice"] = "Thanks: your feedback is saved."


def _feedback_forms(person_id: int, due: list[FeedbackDue]) -> None:
    st.subheader("How were your connections?")
    events = ", ".join(dict.fromkeys(plain(item.event_name) for item in due))
    st.caption(f"Tell us how the people you met at {events} were: a minute here teaches the matcher what works. "
               "They never see your answers.")
    for item in due:
        title = plain(item.other_name) + (f" — {plain(item.other_role)}" if item.other_role else "")
        with st.expander(title, icon=":material/rate_review:"), st.form(f"activity-feedback-{item.connection_id}"):
            key = f"activity-feedback-{item.connection_id}"
            rating = st.radio("How valuable was meeting them?", [1, 2, 3, 4, 5], horizontal=True, index=None,
                              format_func=lambda n: ":material/star:" * n, key=f"{key}-rating")
            left, right = st.columns(2)
            valuable = left.checkbox("It was valuable", key=f"{key}-valuable")
            follow_up = right.checkbox("I will follow up")
            positive = st.pills("What worked", POSITIVE_FACTORS, selection_mode="multi")
            negative = st.pills("What did not", NEGATIVE_FACTORS, selection_mode="multi")
            comment = st.text_area("Anything else?", max_chars=2000)
            if st.form_submit_button("Save feedback", type="primary", key=f"{key}-save"):
                if rating is None:
                    st.error("Choose a rating from 1 to 5 stars first.")
                else:
                    _save_feedback(person_id, item.connection_id, rating=rating, valuable=valuable,
                                   will_follow_up=follow_up, positive_factors=positive or [],
                                   negative_factors=negative or [], comment=comment)
                    st.rerun()


def _feed_item(item: ActivityItem) -> None:
    with st.container(border=True):
        icon, main, action = st.columns([0.06, 0.64, 0.3], vertical_alignment="center")
        icon.markdown(ICONS[item.type])
        main.markdown(f"**{plain(item.person_name)}**  \n{plain(item.description)}")
        action.page_link(item.action_page, label=item.action_label, icon=":material/arrow_forward:",
                         query_params=item.query or None)


def _events(events) -> None:
    st.subheader("Events your network is attending")
    if not events:
        empty_state("None of your connections is registered for an upcoming event yet.")
        return
    for event in events:
        with st.container(border=True):
            left, right = st.columns([0.7, 0.3], vertical_alignment="center")
            when = " · ".join(x for x in (f"{event.starts_on:%d %b %Y}" if event.starts_on else "",
                                          plain(event.city) if event.city else "") if x)
            left.markdown(f"**{plain(event.name)}**" + (f"  \n{when}" if when else ""))
            names = ", ".join(plain(n) for n in event.names)
            more = event.connections_attending - len(event.names)
            left.caption(names + (f" and {more} more" if more > 0 else ""))
            count = event.connections_attending
            right.markdown(f":blue-badge[{count} connection{'s' if count != 1 else ''}]"
                           + ("  \n:green-badge[:material/check: You are going]" if event.registered else ""))


def _cold_start(view) -> None:
    st.subheader("Welcome to your first event")
    st.info(view.welcome, icon=":material/waving_hand:")
    st.page_link("pages/for_you.py", label="Open For you", icon=":material/recommend:")
    if view.peer_count:
        others = f"{view.peer_count} other first-timer{'s are' if view.peer_count != 1 else ' is'}"
        st.markdown(f":material/groups: **{others} also working on {plain(view.problem)}** at "
                    f"{plain(view.event_name)}.")
        if view.sessions:
            st.caption("Sessions they bookmarked:")
            for talk in view.sessions:
                details = " · ".join(x for x in (f"{talk.starts_at:%a %H:%M} UTC" if talk.starts_at else "",
                                                 plain(talk.room) if talk.room else "") if x)
                st.markdown(f"- {plain(talk.title)}" + (f" ({details})" if details else "")
                            + f" — bookmarked by {talk.peers}")
            st.page_link("pages/program.py", label="See the program", icon=":material/event_note:")
    elif view.problem is None:
        st.caption("Add the problem you're working on to your profile to find first-timers working on the same.")
        st.page_link("pages/profile.py", label="Edit my profile", icon=":material/person:")


def render_network_activity(person_id: int) -> None:
    """Render the activity tab content for the signed-in person."""
    now = clock().now()
    with db_session() as session:
        due = feedback_due(session, person_id, now=now)
        feed = activity_feed(session, person_id, now=now)
        events = events_with_connections(session, person_id, now.date())
        first_event = cold_start(session, person_id, now.date())
    if due:
        _feedback_forms(person_id, due)
    if first_event is not None:
        _cold_start(first_event)
    st.subheader("What's new in your network")
    if feed:
        for item in feed:
            _feed_item(item)
    else:
        empty_state("Nothing new in your network yet. When a connection registers for an event you attend, asks to "
                    "meet or changes role, it shows up here.")
    _events(events)
