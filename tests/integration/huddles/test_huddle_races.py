"""Huddle answers and status runs at the same moment, in separate transactions on a real Postgres: 20 people
accepting one 8-seat huddle fill exactly 8 seats, one person cannot accept two overlapping huddles from two tabs,
and two status runs move each huddle once."""
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, delete, func, select, update
from sqlalchemy.orm import Session

from core.huddles.huddles import HuddleError
from core.huddles.lifecycle import huddle_status_job
from core.huddles.responses import FULL_MESSAGE, check_in_at_huddle, respond_to_huddle
from core.platform.job_context import JobContext
from db.models import (
    Connection,
    ConnectionActivity,
    Huddle,
    HuddleParticipant,
    HuddleStatus,
    Notification,
    ParticipantStatus,
)
from tests.integration.huddles.test_responses import gathering, huddle

ROUNDS = 3
SEATS, CROWD = 8, 20


@pytest.fixture
def wide_engine(database_url):
    """An engine with a connection for every thread, so all of them really contend at once."""
    engine = create_engine(database_url, pool_size=CROWD, max_overflow=5)  # the app's engine keeps 5 + 5
    yield engine
    engine.dispose()


def race(engine, actions: list[Callable[[Session], object]]) -> list[tuple[str, str]]:
    """Each action in its own thread and transaction, released together by a barrier; ("ok", ""), ("refused",
    message) for a HuddleError, ("crashed", error) for anything else (the traceback a page would show)."""
    barrier, outcomes = threading.Barrier(len(actions)), [("crashed", "never ran")] * len(actions)

    def run(index: int, action: Callable[[Session], object]) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                session.connection()  # check the connection out before the barrier: all start at once
                barrier.wait(timeout=20)
                action(session)
            outcomes[index] = ("ok", "")
        except HuddleError as exc:
            outcomes[index] = ("refused", str(exc))
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            outcomes[index] = ("crashed", repr(exc))

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(kind == "crashed" for kind, _ in outcomes), outcomes
    return outcomes


def accepting(huddle_id: int, person_id: int, clock) -> Callable[[Session], object]:
    return lambda session: respond_to_huddle(session, huddle_id=huddle_id, person_id=person_id, response="accept",
                                             clock=clock)


def reset_answers(db, huddle_id: int) -> None:
    db.rollback()
    db.execute(update(HuddleParticipant).values(status=ParticipantStatus.INVITED.value, responded_at=None))
    db.execute(update(Huddle).where(Huddle.id == huddle_id).values(
        version=1, status=HuddleStatus.FORMING.value, confirmed_at=None))
    db.execute(delete(Notification))
    db.commit()


def test_twenty_people_accepting_an_eight_seat_huddle_at_once_fill_exactly_eight_seats(db, wide_engine, clock):
    event_id, ids = gathering(db, CROWD)
    huddle_id = huddle(db, event_id, ids, clock.now() + timedelta(hours=1), max_participants=SEATS)
    for _ in range(ROUNDS):
        reset_answers(db, huddle_id)
        clock.at += timedelta(minutes=2)  # a new minute each round: the answer limit counts per person and minute
        outcomes = race(wide_engine, [accepting(huddle_id, person_id, clock) for person_id in ids])
        accepted = db.scalar(select(func.count()).select_from(HuddleParticipant).where(
            HuddleParticipant.status == ParticipantStatus.ACCEPTED.value))
        assert accepted == SEATS
        assert sorted(outcomes) == [("ok", "")] * SEATS + [("refused", FULL_MESSAGE)] * (CROWD - SEATS), outcomes
        raced = db.get(Huddle, huddle_id, populate_existing=True)
        assert (raced.version, raced.status) == (1 + SEATS, HuddleStatus.CONFIRMED)


def test_one_person_accepting_two_overlapping_huddles_from_two_tabs_gets_one(db, engine, clock):
    event_id, ids = gathering(db, 3)
    first = huddle(db, event_id, ids, clock.now() + timedelta(hours=1), topic="First")
    second = huddle(db, event_id, ids, clock.now() + timedelta(hours=1, minutes=5), topic="Second")
    for _ in range(ROUNDS):
        reset_answers(db, first)
        db.execute(update(Huddle).values(version=1, status=HuddleStatus.FORMING.value))
        db.commit()
        clock.at += timedelta(minutes=2)
        outcomes = race(engine, [accepting(first, ids[0], clock), accepting(second, ids[0], clock)])
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        assert "another huddle at this time" in next(message for kind, message in outcomes if kind == "refused")


def test_two_status_runs_at_once_complete_a_huddle_once(db, engine, clock):
    event_id, ids = gathering(db, 4)
    huddle_id = huddle(db, event_id, ids, clock.now() + timedelta(hours=1))
    for person_id in ids[:3]:
        respond_to_huddle(db, huddle_id=huddle_id, person_id=person_id, response="accept", clock=clock)
    clock.at += timedelta(hours=1)
    for person_id in ids[:3]:
        check_in_at_huddle(db, huddle_id=huddle_id, person_id=person_id, clock=clock)
    db.execute(update(Huddle).values(status=HuddleStatus.IN_PROGRESS.value))
    db.commit()
    clock.at += timedelta(minutes=16)
    results = []

    def run_job(session: Session) -> None:
        results.append(huddle_status_job(JobContext(session=session, clock=clock, event_id=None)))

    race(engine, [run_job, run_job])
    assert sorted(r["completed"] for r in results) == [0, 1]
    assert db.scalar(select(func.count()).select_from(Connection)) == 3
    assert db.scalar(select(func.count()).select_from(ConnectionActivity)) == 3
