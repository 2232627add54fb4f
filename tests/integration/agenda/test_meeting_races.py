"""Meeting answers and requests clicked at the same moment, in two transactions on a real Postgres: one wins, the
other is told what happened, and nobody gets a traceback or an inconsistent meeting."""
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.agenda.meetings import MeetingError, request_meeting, respond_to_meeting
from core.jobs.uploads import import_dataset
from db.models import ClickDebounce, Connection, ConnectionActivity, Event, Meeting, Person
from tests.integration.events.test_attendee_import import HEADER, row

PROGRAM = ("id,title,start,end,room\n"
           "s1,Morning talk,2026-12-01 09:00,2026-12-01 10:00,A\n"
           "s2,Closing talk,2026-12-01 11:00,2026-12-01 12:00,A\n")
TEN, HALF_TEN = datetime(2026, 12, 1, 10, 0, tzinfo=UTC), datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
ROUNDS = 5  # each race is run a few times: which side wins is up to the scheduler


def race(engine, *actions: Callable[[Session], object], refusal: type[Exception]) -> list[tuple[str, object]]:
    """Run each action in its own thread and transaction (as two browser tabs would), released together by a barrier.

    Returns, in order, ("ok", result) for a committed action, ("refused", message) for the domain error a page shows
    as a friendly message, and ("crashed", error) for anything else: the traceback an attendee would see."""
    barrier, outcomes = threading.Barrier(len(actions)), [("crashed", "never ran")] * len(actions)

    def run(index: int, action: Callable[[Session], object]) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                barrier.wait(timeout=10)
                result = action(session)
            outcomes[index] = ("ok", result)
        except refusal as exc:
            outcomes[index] = ("refused", str(exc))
        except Exception as exc:  # reported, not swallowed by the thread: the traceback a page would show
            outcomes[index] = ("crashed", repr(exc))

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(kind == "crashed" for kind, _ in outcomes), outcomes
    return outcomes


def count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def people(db, clock):
    clock.at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    import_dataset(db, kind="attendees", data=(HEADER + "".join(row(f"{n}@x.io", n.title()) for n in "ab")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    db.commit()
    return db.scalar(select(Event.id)), {p.email[0]: p.id for p in db.scalars(select(Person))}


def reset(db) -> None:
    """Back to no meetings and no connections between rounds."""
    db.rollback()
    for model in (ConnectionActivity, Connection, Meeting, ClickDebounce):  # rounds repeat at the same fixed time
        db.execute(delete(model))
    db.commit()


def pending_request(db, clock, event_id: int, ids: dict[str, int], slots=(TEN,)) -> int:
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=list(slots),
                              clock=clock)
    db.commit()
    return meeting.id


def answer(meeting_id: int, person_id: int, action: str, clock, **kwargs) -> Callable[[Session], str]:
    def act(session: Session) -> str:
        return respond_to_meeting(session, meeting_id=meeting_id, person_id=person_id, action=action, clock=clock,
                                  **kwargs).status
    return act


def meeting_state(db, meeting_id: int) -> tuple[str, datetime | None]:
    meeting = db.get(Meeting, meeting_id, populate_existing=True)
    return meeting.status, meeting.starts_at


def test_a_withdrawal_and_an_accept_at_once_never_leave_a_cancelled_meeting_accepted(db, engine, clock, people):
    """As the API is called without the status the person saw, cancelling what was just accepted is a cancel: the
    meeting always ends cancelled, never accepted after its withdrawal."""
    event_id, ids = people
    for _ in range(ROUNDS):
        reset(db)
        meeting_id = pending_request(db, clock, event_id, ids)
        withdraw, accept = race(engine, answer(meeting_id, ids["a"], "cancel", clock),
                                answer(meeting_id, ids["b"], "accept", clock, slot=TEN), refusal=MeetingError)
        assert withdraw == ("ok", "cancelled")
        assert accept in (("ok", "accepted"), ("refused", "This meeting was just cancelled."))
        assert meeting_state(db, meeting_id)[0] == "cancelled"
        assert count(db, ConnectionActivity) == (1 if accept[0] == "ok" else 0)


def test_a_withdrawal_and_an_accept_of_what_both_saw_pending_have_one_winner(db, engine, clock, people):
    event_id, ids = people
    for _ in range(ROUNDS):
        reset(db)
        meeting_id = pending_request(db, clock, event_id, ids)
        withdraw, accept = race(engine, answer(meeting_id, ids["a"], "cancel", clock, seen_status="pending"),
                                answer(meeting_id, ids["b"], "accept", clock, slot=TEN, seen_status="pending"),
                                refusal=MeetingError)
        if withdraw[0] == "ok":
            assert accept == ("refused", "This meeting was just cancelled.")
            assert meeting_state(db, meeting_id) == ("cancelled", None)
            assert count(db, ConnectionActivity) == 0 and count(db, Connection) == 0
        else:
            assert (withdraw, accept) == (("refused", "This meeting was just accepted."), ("ok", "accepted"))
            assert meeting_state(db, meeting_id) == ("accepted", TEN)
            assert count(db, ConnectionActivity) == 1 and count(db, Connection) == 1


def test_accepting_two_slots_of_one_request_from_two_tabs_accepts_one(db, engine, clock, people):
    event_id, ids = people
    for _ in range(ROUNDS):
        reset(db)
        meeting_id = pending_request(db, clock, event_id, ids, slots=(TEN, HALF_TEN))
        outcomes = race(engine, answer(meeting_id, ids["b"], "accept", clock, slot=TEN),
                        answer(meeting_id, ids["b"], "accept", clock, slot=HALF_TEN), refusal=MeetingError)
        assert sorted(outcomes) == [("ok", "accepted"), ("refused", "This meeting was just accepted.")], outcomes
        won = TEN if outcomes[0][0] == "ok" else HALF_TEN
        assert meeting_state(db, meeting_id) == ("accepted", won)
        assert count(db, Connection) == 1
        assert list(db.scalars(select(ConnectionActivity.kind))) == ["meeting_scheduled"]


def test_a_decline_and_an_accept_from_two_tabs_have_one_winner(db, engine, clock, people):
    event_id, ids = people
    for _ in range(ROUNDS):
        reset(db)
        meeting_id = pending_request(db, clock, event_id, ids)
        decline, accept = race(engine, answer(meeting_id, ids["b"], "decline", clock),
                               answer(meeting_id, ids["b"], "accept", clock, slot=TEN), refusal=MeetingError)
        assert sorted([decline[0], accept[0]]) == ["ok", "refused"]
        status, starts_at = meeting_state(db, meeting_id)
        assert (status, starts_at) == (("declined", None) if decline[0] == "ok" else ("accepted", TEN))
        loser = accept if decline[0] == "ok" else decline
        assert loser == ("refused", f"This meeting was just {status}.")


def test_crossing_requests_between_two_people_leave_one_open_request(db, engine, clock, people):
    event_id, ids = people

    def ask(requester: str, recipient: str) -> Callable[[Session], str]:
        def act(session: Session) -> str:
            return request_meeting(session, event_id=event_id, requester_id=ids[requester],
                                   recipient_id=ids[recipient], slots=[TEN], clock=clock).status
        return act

    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, ask("a", "b"), ask("b", "a"), refusal=MeetingError)
        assert sorted(outcomes) == [
            ("ok", "pending"), ("refused", "You already have a meeting or an open request with this person.")]
        assert count(db, Meeting) == 1
