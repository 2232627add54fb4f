"""Attendee page: the personal agenda (planned sessions and 1:1 meetings), overrides, meeting requests, ICS export."""
import streamlit as st

from core.agenda.meetings import MeetingError, free_slots, meetings_of, respond_to_meeting
from core.agenda.personal import AgendaError, agenda_calendar, agenda_entries, plan_agenda, set_override
from db.models import Role
from ui.auth import require_role
from ui.resources import clock, db_session, settings
from ui.widgets import registered_event, show_outcome

user = require_role(Role.ATTENDEE)
st.title("📅 My agenda")

event = registered_event(user.person_id, "You are not registered for an event yet, so there is no agenda to plan.")
show_outcome("agenda")


def plan() -> None:
    with db_session() as session:
        result = plan_agenda(session, event_id=event.id, person_id=user.person_id, clock=clock())
    st.session_state["agenda_plan"] = result
    st.session_state["agenda_notice"] = (f"Planned {len(result.chosen)} sessions with a total match score of "
                                         f"{result.total_score:.0f}, with no overlaps.")


def override(session_id: int, choice: str | None) -> None:
    with db_session() as session:
        try:
            set_override(session, person_id=user.person_id, session_id=session_id, choice=choice, clock=clock())
        except AgendaError as exc:
            st.session_state["agenda_error"] = str(exc)
            return
    plan()


def answer(meeting_id: int, action: str, slot=None, new_slots=None) -> None:
    with db_session() as session:
        try:
            respond_to_meeting(session, meeting_id=meeting_id, person_id=user.person_id, action=action, slot=slot,
                               new_slots=new_slots, clock=clock(), minutes=settings().meeting_minutes)
        except MeetingError as exc:
            st.session_state["agenda_error"] = str(exc)
        else:
            st.session_state["agenda_notice"] = {"accept": "Meeting accepted: it is in both agendas.",
                                                 "decline": "Request declined.", "cancel": "Meeting cancelled.",
                                                 "reschedule": "Other slots proposed."}[action]


agenda_tab, meetings_tab = st.tabs(["Agenda", "Meetings"])
with agenda_tab:
    left, right = st.columns([3, 1])
    left.caption("Your agenda takes the recommended and bookmarked sessions with the highest total match score "
                 "that never overlap, around your accepted meetings. Keep or drop sessions to steer it.")
    right.button("🧭 Plan my agenda", type="primary", on_click=plan, width="stretch")
    with db_session() as session:
        entries = agenda_entries(session, event_id=event.id, person_id=user.person_id)
        calendar = ""
        if entries:
            calendar = agenda_calendar(session, event_id=event.id, person_id=user.person_id, clock=clock())
    if not entries:
        st.info("Your agenda is empty. Press **Plan my agenda**, or bookmark sessions on **For you** first.")
    else:
        st.download_button("Download as calendar (.ics)", calendar, file_name=f"{event.slug}-agenda.ics",
                           mime="text/calendar")
        day = None
        for entry in entries:
            if entry.starts_at.date() != day:
                day = entry.starts_at.date()
                st.subheader(f"{entry.starts_at:%A %d %B}")
            with st.container(border=True):
                icon = "🤝" if entry.kind == "meeting" else ("📌" if entry.kept else "🎤")
                st.markdown(f"{icon} **{entry.starts_at:%H:%M}–{entry.ends_at:%H:%M}** · {entry.title}")
                st.caption(" · ".join(x for x in (entry.where, entry.detail) if x))
                if entry.kind == "session":
                    k1, k2, _ = st.columns([1, 1, 3])
                    if entry.kept:
                        k1.button("Unpin", key=f"unkeep-{entry.id}", on_click=override, args=(entry.id, None))
                    else:
                        k1.button("📌 Keep", key=f"keep-{entry.id}", on_click=override, args=(entry.id, "keep"))
                    k2.button("Drop", key=f"drop-{entry.id}", on_click=override, args=(entry.id, "drop"))
    planned = st.session_state.get("agenda_plan")
    if planned and planned.conflicts:
        st.subheader("Left out because of clashes")
        for conflict in planned.conflicts:
            with st.container(border=True):
                st.markdown(f"**{conflict.session.title}** ({conflict.session.starts_at:%a %H:%M}) — "
                            f"{conflict.reason or 'clashes with ' + conflict.blocked_by.title}")
                if conflict.alternatives:
                    st.caption("If you give up “" + conflict.blocked_by.title + "”, these fit too: "
                               + "; ".join(a.title for a in conflict.alternatives))
                st.button("📌 Keep this one instead", key=f"prefer-{conflict.session.session_id}", on_click=override,
                          args=(conflict.session.session_id, "keep"))

with meetings_tab:
    with db_session() as session:
        views = meetings_of(session, event_id=event.id, person_id=user.person_id)
    if not views:
        st.info("No meeting requests yet. Request one from a person or speaker card on **For you**.")
    for view in views:
        meeting, other = view.meeting, view.other
        with st.container(border=True):
            direction = "from" if meeting.requester_id == other.id else "to"
            st.markdown(f"**{other.full_name}** ({other.role or 'attendee'}) · request {direction} them · "
                        f"**{meeting.status}**")
            if meeting.message:
                st.caption(f"“{meeting.message}”")
            if meeting.status == "accepted":
                st.success(f"Meeting on {meeting.starts_at:%a %d %b %H:%M}–{meeting.ends_at:%H:%M} UTC")
                st.button("Cancel meeting", key=f"cancel-{meeting.id}", on_click=answer, args=(meeting.id, "cancel"))
            elif view.incoming:
                slot = st.radio("Proposed slots", view.slots, key=f"slot-{meeting.id}",
                                format_func=lambda s: f"{s:%a %d %b %H:%M}", horizontal=True)
                a1, a2 = st.columns(2)
                a1.button("Accept", key=f"accept-{meeting.id}", type="primary", on_click=answer,
                          args=(meeting.id, "accept", slot))
                a2.button("Decline", key=f"decline-{meeting.id}", on_click=answer, args=(meeting.id, "decline"))
                with st.expander("None of these work? Propose other slots"):
                    with db_session() as session:
                        free = free_slots(session, event_id=event.id, person_ids=[user.person_id, other.id],
                                          now=clock().now(), minutes=settings().meeting_minutes,
                                          ignore_meeting=meeting.id)
                    others = st.pills("Other slots (up to 3)", free, selection_mode="multi",
                                      key=f"other-{meeting.id}", format_func=lambda s: f"{s:%a %H:%M}")
                    st.button("Propose these", key=f"reschedule-{meeting.id}", on_click=answer,
                              args=(meeting.id, "reschedule", None, list(others or [])))
            elif meeting.status == "pending":
                st.caption("Waiting for their answer. Proposed: "
                           + ", ".join(f"{s:%a %H:%M}" for s in view.slots))
                st.button("Withdraw request", key=f"withdraw-{meeting.id}", on_click=answer,
                          args=(meeting.id, "cancel"))
