"""An attendee's refresh racing the event-wide refresh, each in its own session, on a real Postgres."""
import csv
import io
import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from core.demo.generate import generate_demo_attendees
from core.jobs.uploads import import_dataset
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from core.recommend.llm_upgrade import assign_variants_safely
from core.recommend.people import event_people, rank_event, refresh_attendee_job, refresh_for_person, refresh_job
from db.models import Event, Person, PromptVariant, Recommendation, RecommendationKind
from tests.conftest import FIXED_NOW
from tests.fakes import FakeEmbedder, FakeLLM
from tests.samples import SCHEDULE

PEOPLE = 60
ROUNDS = 4
LLM_SECONDS = 0.1
# A valid re-rank for any prompt of at least ten candidates (P1..P10), so the LLM path stores lists too.
RERANK = json.dumps([{"userId": f"P{i}", "matchScore": 90 - i, "reasons": [f"Reason {i}"],
                      "conversationStarters": [f"Starter {i}"]} for i in range(1, 11)])


class SlowLLM(FakeLLM):
    """A valid re-rank after a short wait, like a real call: a refresh stays open while it asks."""

    def complete_json(self, **kwargs):
        time.sleep(LLM_SECONDS)
        return super().complete_json(**kwargs)


@pytest.fixture
def event(db, clock):
    """60 attendees and a small program, refreshed once without an LLM (so every text is embedded already);
    no prompt variant exists yet: the first refresh with an LLM creates them."""
    rows = generate_demo_attendees(n=PEOPLE, seed=11)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    import_dataset(db, kind="attendees", data=buffer.getvalue().encode(), filename="a.csv", event_slug="race",
                   actor_id=None, clock=clock, max_mb=5)
    import_dataset(db, kind="sessions", data=json.dumps(SCHEDULE).encode(), filename="schedule.json",
                   event_slug="race", actor_id=None, clock=clock, max_mb=5)
    db.commit()
    event = db.scalar(select(Event))
    refresh_job(JobContext(session=db, clock=clock, event_id=event.id, embedder=FakeEmbedder(), checkpoint=db.commit))
    db.commit()
    return event


def _race(engine, clock, event_id: int, person_id: int) -> list[BaseException]:
    """Both job bodies at once, as the runner runs them: own session, its commit as the checkpoint."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(body, **ids) -> None:
        with Session(engine, expire_on_commit=False) as session:
            try:
                barrier.wait()
                body(JobContext(session=session, clock=clock, event_id=ids.get("event_id"),
                                person_id=ids.get("person_id"), embedder=FakeEmbedder(), llm=SlowLLM(reply=RERANK),
                                trigger="manual", checkpoint=session.commit))
                session.commit()
            except BaseException as exc:  # noqa: BLE001 - the test asserts there are none
                session.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(refresh_job,), kwargs={"event_id": event_id}),
               threading.Thread(target=run, args=(refresh_attendee_job,), kwargs={"person_id": person_id})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_an_attendee_refresh_racing_the_event_refresh_raises_nothing_and_leaves_one_list_each(db, engine, clock,
                                                                                             event):
    people = db.scalars(select(Person.id).order_by(Person.id)).all()
    for round_number in range(ROUNDS):
        if round_number % 2:  # every other round changes every profile: both refreshes embed and store vectors
            db.execute(update(Person).values(bio=Person.bio + f" Round {round_number}."))
            db.commit()
        errors = _race(engine, clock, event.id, people[round_number])
        assert errors == [], f"round {round_number}: {errors!r}"
    assert db.query(PromptVariant).count() == 3
    lists: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for user_id, kind, rank, strategy in db.execute(select(
            Recommendation.user_id, Recommendation.kind, Recommendation.rank, Recommendation.strategy)
            .where(Recommendation.rank > 0)):  # rank 0: acted-on pairs kept after they dropped out
        lists.setdefault((user_id, kind), []).append((rank, strategy))
    assert {u for u, kind in lists if kind == RecommendationKind.PERSON} == set(people)
    for (_, kind), found in lists.items():
        assert sorted(rank for rank, _ in found) == list(range(1, len(found) + 1)), kind
    person_lists = [found for (_, kind), found in lists.items() if kind == RecommendationKind.PERSON]
    assert all(len({strategy for _, strategy in found}) == 1 for found in person_lists)  # one refresh's list


def test_an_attendee_list_refreshed_after_the_event_refresh_began_is_not_overwritten_by_it(db, engine, event):
    started = FixedClock(FIXED_NOW)
    attendee = db.scalar(select(Person.id).order_by(Person.id).limit(1))
    with Session(engine, expire_on_commit=False) as event_wide:
        ranked = rank_event(event_wide, event=event_wide.get(Event, event.id),
                            people=event_people(event_wide, event.id), embedder=FakeEmbedder(), clock=started)
        event_wide.commit()
        with Session(engine, expire_on_commit=False) as own:
            refresh_for_person(own, person_id=attendee, embedder=FakeEmbedder(),
                               clock=FixedClock(FIXED_NOW + timedelta(seconds=5)))
            own.commit()
        ranked.store_algorithmic(event_wide)
        event_wide.commit()
    generated = db.execute(select(Recommendation.user_id, Recommendation.generated_at)
                           .where(Recommendation.kind == RecommendationKind.PERSON)).all()
    assert {at for user, at in generated if user == attendee} == {FIXED_NOW + timedelta(seconds=5)}
    assert {at for user, at in generated if user != attendee} == {FIXED_NOW}


def test_an_attendee_session_list_stored_while_the_event_refresh_stores_its_own_does_not_fail_it(db, engine, clock,
                                                                                               event):
    attendee = db.scalar(select(Person.id).order_by(Person.id).limit(1))
    with Session(engine, expire_on_commit=False) as own:
        # the attendee's refresh has written its LLM session list and is about to commit
        refresh_for_person(own, person_id=attendee, embedder=FakeEmbedder(), clock=clock, llm=FakeLLM(reply=RERANK),
                           checkpoint=own.commit)
        errors: list[BaseException] = []

        def event_wide() -> None:
            with Session(engine, expire_on_commit=False) as session:
                try:
                    refresh_job(JobContext(session=session, clock=clock, event_id=event.id, embedder=FakeEmbedder(),
                                           checkpoint=session.commit))
                    session.commit()
                except BaseException as exc:  # noqa: BLE001 - the test asserts there are none
                    errors.append(exc)

        thread = threading.Thread(target=event_wide)
        thread.start()
        _wait_until_blocked(db)  # the event refresh waits on the attendee's uncommitted session rows
        own.commit()
        thread.join()
    assert errors == []
    sessions = db.scalars(select(Recommendation.rank).where(Recommendation.user_id == attendee,
                                                             Recommendation.kind == RecommendationKind.SESSION)).all()
    assert sorted(sessions) == list(range(1, len(sessions) + 1))


def _wait_until_blocked(db, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting = db.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                  "AND datname = current_database()")).scalar()
        db.rollback()
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the event refresh never waited for the attendee's rows")


def test_two_refreshes_creating_the_seed_variants_at_once_both_assign_them(db, engine, clock, event):
    people = db.scalars(select(Person.id).order_by(Person.id)).all()
    with Session(engine, expire_on_commit=False) as first:
        assign_variants_safely(first, people[:10], clock)  # creates the seed variants, not committed yet
        found: dict[int, int] = {}
        errors: list[BaseException] = []

        def second() -> None:
            with Session(engine, expire_on_commit=False) as session:
                try:
                    found.update({p: v.id for p, v in assign_variants_safely(session, people[5:], clock).items()})
                    session.commit()
                except BaseException as exc:  # noqa: BLE001 - the test asserts there are none
                    errors.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        _wait_until_blocked(db)  # the second waits on the first's uncommitted variants
        first.commit()
        thread.join()
    assert errors == [] and len(found) == len(people) - 5
    assert set(found.values()) <= set(db.scalars(select(PromptVariant.id))) and db.query(PromptVariant).count() == 3
