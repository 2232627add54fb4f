"""Attendee page: the personal agenda (planned sessions and 1:1 meetings), overrides, meeting requests, ICS export."""
from functools import partial

import streamlit as st

from core.accounts import Role
from core.agenda.meetings import MeetingError, meetings_of, respond_to_meeting
from core.agenda.personal import AgendaError, agenda_calendar, agenda_entries, plan_agenda, set_override
from ui.auth import require_role
from ui.cards import agenda_entry_card, clash_card, meeting_card
from ui.resources import clock, db_session, settings, transaction
from ui.text import plain
from ui.widgets import registered_event, show_outcome

user = require_role(Role.ATTENDEE)
st.title("My agenda")

event = registered_event(user.person_id, "You are not registered for an event yet, so there is no agenda to plan.")
show_outcome("agenda")


def plan() -> None:
    with transaction() as session:
        result = plan_agenda(session, event_id=event.id, person_id=user.person_id, clock=clock())
    st.session_state["agenda_plan"] = result
    st.session_state["agenda_notice"] = (f"Planned {len(result.chosen)} sessions with a total match score of "
                                         f"{result.total_score:.0f}, with no overlaps.")


def override(session_id: int, choice: str | None) -> None:
    try:
        with transaction() as session:
            set_override(session, person_id=user.person_id, session_id=session_id, choice=choice, clock=clock())
    except AgendaError as exc:
        st.session_state["agenda_error"] = plain(exc)
        return
    plan()


def answer(meeting_id: int, action: str, slot=None, new_slots=None, *, seen_status: str | None = None) -> None:
    """`seen_status` is the status the card showed: an answer to a meeting that changed meanwhile is refused."""
    try:
        with transaction() as session:
            respond_to_meeting(session, meeting_id=meeting_id, person_id=user.person_id, action=action, slot=slot,
                               new_slots=new_slots, clock=clock(), minutes=settings().meeting_minutes,
                               seen_status=seen_status)
    except MeetingError as exc:
        st.session_state["agenda_error"] = plain(exc)
    else:
        st.session_state["agenda_notice"] = {"accept": "Meeting accepted: it is in both agendas.",
                                             "decline": "Request declined.", "cancel": "Meeting cancelled.",
                                             "reschedule": "Other slots proposed."}[action]


# Keyed and state-tracking, so answering a meeting or planning keeps the tab the attendee is on.
agenda_tab, meetings_tab = st.tabs(["Agenda", "Meetings"], key="agenda_tab", on_change="rerun")
with agenda_tab:
    left, right = st.columns([3, 1])
    left.caption("Your agenda takes the recommended and bookmarked sessions with the highest total match score "
                 "that never overlap, around your accepted meetings. Keep or drop sessions to steer it.")
    right.button("Plan my agenda", type="primary", icon=":material/explore:", on_click=plan, width="stretch")
    with db_session() as session:
        entries = agenda_entries(session, event_id=event.id, person_id=user.person_id)
        calendar = ""
        if entries:
            calendar = agenda_calendar(session, event_id=event.id, person_id=user.person_id, clock=clock())
    if not entries:
        st.info("Your agenda is empty. Press **Plan my agenda**, or bookmark sessions on **For you** first.")
    else:
        st.download_button("Download as calendar (.ics)", calendar, file_name=f"{event.slug}-agenda.ics",
                           mime="text/calendar", icon=":material/download:")
        day = None
        for entry in entries:
            if entry.starts_at.date() != day:
                day = entry.starts_at.date()
                st.subheader(f"{entry.starts_at:%A %d %B}")
            agenda_entry_card(entry, on_override=override)
    planned = st.session_state.get("agenda_plan")
    if planned and planned.conflicts:
        st.subheader("Left out because of clashes")
        for conflict in planned.conflicts:
            clash_card(conflict, on_override=override)

with meetings_tab:
    with db_session() as session:
        views = meetings_of(session, event_id=event.id, person_id=user.person_id)
    if not views:
        st.info("No meeting requests yet. Request one from a person or speaker card on **For you**.")
    for view in views:
        meeting_card(view, event_id=event.id, person_id=user.person_id,
                     on_answer=partial(answer, seen_status=view.meeting.status))
