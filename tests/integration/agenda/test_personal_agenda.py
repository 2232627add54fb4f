"""The personal agenda on a real Postgres: planned from recommendations, overrides, meetings, and ICS export."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.agenda.meetings import request_meeting, respond_to_meeting
from core.agenda.personal import agenda_calendar, agenda_entries, plan_agenda, set_override
from core.jobs.uploads import import_dataset
from core.recommend.program import record_session_action
from db.models import Event, Person, ProgramSession, Recommendation, RecommendationKind
from tests.integration.events.test_attendee_import import HEADER, row

# s1 (9-11) overlaps s2 (9-10) and s3 (10-11): the best plan is s2 + s3 (70 + 70) over s1 alone (100).
PROGRAM = ("id,title,start,end,room\n"
           "s1,Long workshop,2026-12-01 09:00,2026-12-01 11:00,A\n"
           "s2,Short talk one,2026-12-01 09:00,2026-12-01 10:00,B\n"
           "s3,Short talk two,2026-12-01 10:00,2026-12-01 11:00,B\n"
           "s4,Afternoon talk,2026-12-01 14:00,2026-12-01 15:00,A\n")
SCORES = {"s1": 100, "s2": 70, "s3": 70, "s4": 40}


@pytest.fixture
def attendee(db, clock):
    clock.at = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana") + row("b@x.io", "Bo")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    event_id = db.scalar(select(Event.id))
    ana = db.scalar(select(Person.id).where(Person.email == "a@x.io"))
    for rank, item in enumerate(db.scalars(select(ProgramSession).order_by(ProgramSession.external_id)), start=1):
        db.add(Recommendation(event_id=event_id, user_id=ana, kind=RecommendationKind.SESSION,
                              target_session_id=item.id, rank=rank, score=SCORES[item.external_id], reasons=[],
                              strategy="algorithmic", generated_at=clock.now(),
                              expires_at=clock.now() + timedelta(days=1)))
    db.commit()
    return event_id, ana


def titles(db, event_id, person_id) -> list[str]:
    return [e.title for e in agenda_entries(db, event_id=event_id, person_id=person_id)]


def session_id(db, external_id: str) -> int:
    return db.scalar(select(ProgramSession.id).where(ProgramSession.external_id == external_id))


def test_the_plan_takes_the_best_conflict_free_set_and_lists_what_it_left_out(db, clock, attendee):
    event_id, ana = attendee
    plan = plan_agenda(db, event_id=event_id, person_id=ana, clock=clock)
    assert titles(db, event_id, ana) == ["Short talk one", "Short talk two", "Afternoon talk"]
    assert plan.total_score == 180
    assert plan.conflicts[0].session.title == "Long workshop"


def test_a_kept_session_wins_its_slot_and_a_dropped_one_never_returns(db, clock, attendee):
    event_id, ana = attendee
    set_override(db, person_id=ana, session_id=session_id(db, "s1"), choice="keep", clock=clock)
    set_override(db, person_id=ana, session_id=session_id(db, "s4"), choice="drop", clock=clock)
    plan_agenda(db, event_id=event_id, person_id=ana, clock=clock)
    assert titles(db, event_id, ana) == ["Long workshop"]


def test_a_dismissed_session_is_not_planned(db, clock, attendee):
    event_id, ana = attendee
    record_session_action(db, person_id=ana, session_id=session_id(db, "s4"), action="dismiss", clock=clock)
    plan_agenda(db, event_id=event_id, person_id=ana, clock=clock)
    assert "Afternoon talk" not in titles(db, event_id, ana)


def test_an_accepted_meeting_takes_its_time_and_shows_in_the_agenda(db, clock, attendee):
    event_id, ana = attendee
    bo = db.scalar(select(Person.id).where(Person.email == "b@x.io"))
    two = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    meeting = request_meeting(db, event_id=event_id, requester_id=bo, recipient_id=ana, slots=[two], clock=clock)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ana, action="accept", slot=two, clock=clock)
    plan_agenda(db, event_id=event_id, person_id=ana, clock=clock)
    assert titles(db, event_id, ana) == ["Short talk one", "Short talk two", "1:1 with Bo Silva"]


def test_the_agenda_exports_as_a_calendar_with_sessions_and_meetings(db, clock, attendee):
    event_id, ana = attendee
    plan_agenda(db, event_id=event_id, person_id=ana, clock=clock)
    calendar = agenda_calendar(db, event_id=event_id, person_id=ana, clock=clock)
    assert calendar.startswith("BEGIN:VCALENDAR\r\n") and calendar.count("BEGIN:VEVENT") == 3
    assert "DTSTART:20261201T090000Z" in calendar
