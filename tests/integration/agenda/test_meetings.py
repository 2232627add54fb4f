"""1:1 meetings on a real Postgres: free slots, requests, answers, the daily cap, and no double-booking."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agenda.meetings import MeetingError, busy_intervals, free_slots, request_meeting, respond_to_meeting
from core.jobs.uploads import import_dataset
from db.models import AgendaItem, ConnectionActivity, Event, Meeting, Person, ProgramSession
from tests.integration.events.test_attendee_import import HEADER, row

PROGRAM = ("id,title,start,end,room\n"
           "s1,Morning talk,2026-12-01 09:00,2026-12-01 10:00,A\n"
           "s2,Closing talk,2026-12-01 11:00,2026-12-01 12:00,A\n")
NINE, TEN, HALF_TEN, ELEVEN = (datetime(2026, 12, 1, h, m, tzinfo=UTC)
                               for h, m in ((9, 0), (10, 0), (10, 30), (11, 0)))


@pytest.fixture
def people(db, clock):
    clock.at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    import_dataset(db, kind="attendees", data=(HEADER + "".join(row(f"{n}@x.io", n.title()) for n in "abcd")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    ids = {p.email[0]: p.id for p in db.scalars(select(Person))}
    return db.scalar(select(Event.id)), ids


def plan(db, event_id: int, person_id: int, external_id: str) -> None:
    item = db.scalar(select(ProgramSession).where(ProgramSession.external_id == external_id))
    db.add(AgendaItem(event_id=event_id, person_id=person_id, session_id=item.id, score=50,
                      planned_at=item.starts_at))
    db.commit()


def test_free_slots_avoid_both_agendas(db, clock, people):
    event_id, ids = people
    plan(db, event_id, ids["a"], "s1")
    plan(db, event_id, ids["b"], "s2")
    slots = free_slots(db, event_id=event_id, person_ids=[ids["a"], ids["b"]], now=clock.now())
    assert slots == [TEN, HALF_TEN]


def test_an_accepted_meeting_is_in_both_agendas_and_logged_on_the_connection(db, clock, people):
    event_id, ids = people
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN],
                              clock=clock, message="Coffee?")
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["b"], action="accept", slot=TEN, clock=clock)
    for person in (ids["a"], ids["b"]):
        assert (TEN, TEN + timedelta(minutes=30)) in busy_intervals(db, event_id=event_id, person_id=person)
    assert db.scalar(select(ConnectionActivity.kind)) == "meeting_scheduled"


def test_a_slot_inside_an_agenda_session_cannot_be_proposed(db, clock, people):
    event_id, ids = people
    plan(db, event_id, ids["b"], "s1")
    with pytest.raises(MeetingError, match="no longer free"):
        request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[NINE],
                        clock=clock)


def test_the_requester_cannot_accept_their_own_proposal(db, clock, people):
    event_id, ids = people
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN],
                              clock=clock)
    with pytest.raises(MeetingError, match="Wait for the other person"):
        respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["a"], action="accept", slot=TEN, clock=clock)


def test_a_reschedule_hands_the_choice_back_to_the_requester(db, clock, people):
    event_id, ids = people
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN],
                              clock=clock)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["b"], action="reschedule", new_slots=[HALF_TEN],
                       clock=clock)
    accepted = respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["a"], action="accept", slot=HALF_TEN,
                                  clock=clock)
    assert (accepted.status, accepted.starts_at) == ("accepted", HALF_TEN)


def test_requests_beyond_the_daily_cap_are_refused(db, clock, people):
    event_id, ids = people
    request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN], clock=clock,
                    daily_cap=1)
    with pytest.raises(MeetingError, match="daily limit"):
        request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["c"], slots=[TEN],
                        clock=clock, daily_cap=1)


def test_concurrent_accepts_of_the_same_slot_never_double_book_anyone(db, engine, clock, people):
    event_id, ids = people
    # b asked a for 10:00 and a asked c for 10:00. a accepts b's request while c accepts a's, in two
    # transactions at once: both would put a in a meeting at 10:00.
    first = request_meeting(db, event_id=event_id, requester_id=ids["b"], recipient_id=ids["a"], slots=[TEN],
                            clock=clock)
    second = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["c"], slots=[TEN],
                             clock=clock)
    db.commit()
    barrier, outcomes = threading.Barrier(2), {}

    def accept(meeting_id: int, person_id: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                respond_to_meeting(session, meeting_id=meeting_id, person_id=person_id, action="accept", slot=TEN,
                                   clock=clock)
                session.commit()
                outcomes[meeting_id] = "accepted"
            except MeetingError as exc:
                outcomes[meeting_id] = str(exc)

    threads = [threading.Thread(target=accept, args=(first.id, ids["a"])),
               threading.Thread(target=accept, args=(second.id, ids["c"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(v == "accepted" for v in outcomes.values()) == [False, True], outcomes
    assert db.scalar(select(func.count()).select_from(Meeting).where(Meeting.status == "accepted")) == 1
