"""The nightly refresh re-ranks through ONE message batch per event, applied later by collect-llm-batches: the real
anthropic SDK against the local stub's batch endpoints, on a real Postgres."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.ai.llm import AnthropicLLM, TokenBucket
from core.demo.generate import generate_demo_attendees
from core.jobs.runner import run_job
from core.jobs.uploads import import_dataset
from core.platform.clock import FixedClock
from core.platform.settings import Settings
from core.recommend.llm_upgrade import upgrade_order
from core.recommend.people import refresh_for_person, refresh_recommendations
from db.models import Event, LLMBatch, LLMCall, Person, Recommendation, Registration
from tests.conftest import FIXED_NOW
from tests.fakes import FakeEmbedder
from tests.stubs.anthropic_stub import AnthropicStub

PEOPLE = 60


@pytest.fixture
def event(db, clock):
    rows = generate_demo_attendees(n=PEOPLE, seed=9)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    import_dataset(db, kind="attendees", data=buffer.getvalue().encode(), filename="a.csv", event_slug="night",
                   actor_id=None, clock=clock, max_mb=5)
    db.commit()
    return db.scalar(select(Event))


@pytest.fixture
def stub():
    with AnthropicStub("ok") as running:
        yield running


@pytest.fixture
def llm(stub):
    return AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, max_retries=0,
                        bucket=TokenBucket(50, 10))


def nightly(engine, clock, event, llm, daily_calls: int = 2000):
    run = run_job("refresh-recommendations", engine=engine, clock=clock, event_slug=event.slug, trigger="schedule",
                  embedder=FakeEmbedder(), settings=Settings(llm_daily_calls_per_event=daily_calls), llm=llm)
    assert run.status == "succeeded", run.error
    return run


def collect(engine, clock, llm):
    run = run_job("collect-llm-batches", engine=engine, clock=clock, trigger="schedule", embedder=FakeEmbedder(),
                  settings=Settings(), llm=llm)
    assert run.status == "succeeded", run.error
    return run


def strategies(db) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for user_id, strategy in db.execute(select(Recommendation.user_id, Recommendation.strategy)):
        found.setdefault(user_id, set()).add(strategy)
    return found


def test_the_nightly_refresh_submits_one_batch_of_every_viewer_and_stores_the_algorithmic_lists(
        db, engine, clock, event, stub, llm):
    run = nightly(engine, clock, event, llm)
    batch = db.scalar(select(LLMBatch))
    people = set(db.scalars(select(Person.id)))
    assert len(stub.batches) == 1 and stub.requests == []  # no Messages API call
    assert run.counts["llm_batches"] == 1 and batch.batch_id in stub.batches
    assert (batch.status, batch.event_id, batch.request_count) == ("submitted", event.id, PEOPLE)
    assert {meant["person_id"] for meant in batch.requests.values()} == people
    assert all(meant["variant_id"] and len(meant["labels"]) == 50 for meant in batch.requests.values())
    system = stub.batch_requests[0]["params"]["system"]
    assert system[0]["cache_control"] == {"type": "ephemeral"}
    assert strategies(db) == {person: {"algorithmic"} for person in people}


def test_collecting_an_ended_batch_applies_its_results_and_failed_requests_keep_the_algorithmic_list(
        db, engine, clock, event, stub, llm):
    nightly(engine, clock, event, llm)
    batch = db.scalar(select(LLMBatch))
    failing = sorted(batch.requests)[:3]
    stub.batch_fail_ids = set(failing)
    run = collect(engine, clock, llm)
    db.expire_all()
    failed_people = {batch.requests[custom_id]["person_id"] for custom_id in failing}
    assert (batch.status, batch.succeeded, batch.failed) == ("applied", PEOPLE - 3, 3)
    assert run.counts == {"pending": 0, "applied": 1, "upgraded": PEOPLE - 3, "failed": 3}
    by_person = strategies(db)
    assert {p for p, s in by_person.items() if s == {"algorithmic"}} == failed_people
    assert {p for p, s in by_person.items() if s == {"llm"}} == set(by_person) - failed_people
    variants = {meant["person_id"]: meant["variant_id"] for meant in batch.requests.values()}
    for user_id, variant_id in db.execute(select(Recommendation.user_id, Recommendation.prompt_variant_id)
                                          .where(Recommendation.strategy == "llm")):
        assert variant_id == variants[user_id]
    outcomes = db.scalars(select(LLMCall.outcome).where(LLMCall.event_id == event.id)).all()
    assert sorted(outcomes) == ["error"] * 3 + ["ok"] * (PEOPLE - 3)


def test_a_batch_still_processing_is_left_for_the_next_collection(db, engine, clock, event, stub, llm):
    stub.batch_polls_until_ended = 1
    nightly(engine, clock, event, llm)
    first = collect(engine, clock, llm)
    assert first.counts["pending"] == 1 and db.scalar(select(LLMBatch.status)) == "submitted"
    assert set().union(*strategies(db).values()) == {"algorithmic"}
    second = collect(engine, clock, llm)
    db.expire_all()
    assert second.counts["applied"] == 1 and db.scalar(select(LLMBatch.status)) == "applied"
    assert set().union(*strategies(db).values()) == {"llm"}


def test_the_nightly_batch_holds_exactly_the_budgeted_highest_priority_viewers(db, engine, clock, event, stub, llm):
    people = db.scalars(select(Person.id).order_by(Person.id)).all()
    checked_in = people[-12:]
    db.execute(update(Registration).where(Registration.person_id.in_(checked_in)).values(checked_in_at=clock.now()))
    db.commit()
    run = nightly(engine, clock, event, llm, daily_calls=20)
    asked = {meant["person_id"] for meant in db.scalar(select(LLMBatch)).requests.values()}
    assert asked == set(upgrade_order(db, event.id, people, clock.now())[:20])
    assert set(checked_in) <= asked and asked - set(checked_in) == set(people[:8])
    assert run.counts["llm_skipped"] == PEOPLE - 20


def test_a_submitted_batch_counts_against_the_daily_budget_until_it_is_applied(db, engine, clock, event, stub, llm):
    nightly(engine, clock, event, llm, daily_calls=PEOPLE + 5)
    report = refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock, llm=llm,
                                     daily_llm_calls=PEOPLE + 5)
    assert report.llm_ranked == 5 and len(stub.requests) == 5


def test_an_attendee_list_refreshed_after_the_batch_went_out_keeps_the_newer_list(db, engine, clock, event, stub,
                                                                                  llm):
    nightly(engine, clock, event, llm)
    attendee, other = db.scalars(select(Person.id).order_by(Person.id).limit(2)).all()
    later = FIXED_NOW + timedelta(minutes=5)
    refresh_for_person(db, person_id=attendee, embedder=FakeEmbedder(), clock=FixedClock(later))
    db.commit()
    collect(engine, clock, llm)
    mine = db.execute(select(Recommendation.strategy, Recommendation.generated_at)
                      .where(Recommendation.user_id == attendee)).all()
    assert set(mine) == {("algorithmic", later)}
    assert strategies(db)[other] == {"llm"}


def test_a_batch_that_cannot_be_read_is_kept_for_later_and_failed_once_it_must_have_expired(db, engine, clock, event,
                                                                                          stub, llm):
    nightly(engine, clock, event, llm)
    stub.mode = "overloaded"
    collect(engine, clock, llm)
    batch = db.scalar(select(LLMBatch))
    assert batch.status == "submitted" and "Overloaded" in batch.error
    collect(engine, FixedClock(FIXED_NOW + timedelta(hours=49)), llm)
    db.expire_all()
    assert (batch.status, batch.failed) == ("failed", PEOPLE)
    assert set().union(*strategies(db).values()) == {"algorithmic"}
