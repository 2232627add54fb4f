"""The refresh stores every algorithmic list first, then the LLM upgrades viewers group by group within a daily
budget, checked-in people first: the real anthropic SDK against the local stub, through the rate limiter."""
import csv
import io
import os
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.ai.llm import AnthropicLLM, TokenBucket
from core.demo.generate import generate_demo_attendees
from core.jobs.runner import run_job
from core.jobs.uploads import import_dataset
from core.platform.clock import FixedClock
from core.platform.settings import Settings
from core.recommend.llm_upgrade import upgrade_order
from core.recommend.people import refresh_recommendations
from db.models import Account, Event, LLMCall, LoginAttempt, Person, Recommendation, Registration
from tests.conftest import FIXED_NOW
from tests.fakes import FakeEmbedder
from tests.stubs.anthropic_stub import AnthropicStub

BIG = 720
TEST_RATE = float(os.environ.get("TEST_RATE", "3000"))  # requests a minute in the budget test
# Requests a minute in the progressive test: the second group's 10 calls take 2 s, long enough to see the first group
# committed alone (at the default 50 a minute, the 30 calls took 24 s of the suite).
PROGRESSIVE_RATE = 300
POLL = 0.05


def import_event(db, clock, n: int, slug: str, seed: int = 5) -> Event:
    rows = generate_demo_attendees(n=n, seed=seed)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    report = import_dataset(db, kind="attendees", data=buffer.getvalue().encode(), filename="a.csv",
                            event_slug=slug, actor_id=None, clock=clock, max_mb=50)
    assert report.rows_valid == n
    db.commit()
    return db.scalar(select(Event).where(Event.slug == slug))


def stub_llm(stub: AnthropicStub, bucket: TokenBucket | None = None, **kwargs) -> AnthropicLLM:
    """The real SDK at the default rate limit (50 requests a minute, bursts of 10) unless given another."""
    return AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, max_retries=0,
                        bucket=bucket or TokenBucket(50, 10), **kwargs)


def refresh(engine, clock, event: Event, *, llm=None, daily_calls: int = 2000):
    return run_job("refresh-recommendations", engine=engine, clock=clock, event_slug=event.slug, trigger="manual",
                   embedder=FakeEmbedder(), settings=Settings(llm_daily_calls_per_event=daily_calls), llm=llm)


def lists_by_strategy(engine, generated_at) -> dict[str, int]:
    """Viewers with a list of this refresh, by strategy, as another connection sees them."""
    with Session(engine) as other:
        return dict(other.execute(
            select(Recommendation.strategy, func.count(func.distinct(Recommendation.user_id)))
            .where(Recommendation.generated_at == generated_at).group_by(Recommendation.strategy)).all())


def llm_viewers(db) -> set[int]:
    return set(db.scalars(select(Recommendation.user_id).where(Recommendation.strategy == "llm")))


@pytest.fixture
def big_event(db, clock):
    return import_event(db, clock, BIG, "big")


def test_every_algorithmic_list_is_visible_before_the_first_llm_list_and_llm_lists_replace_them_progressively(
        db, engine, big_event):
    refresh(engine, FixedClock(FIXED_NOW), big_event)  # embeds every text once
    later = FIXED_NOW + timedelta(hours=1)
    samples: list[tuple[float, dict[str, int]]] = []
    with AnthropicStub("ok") as stub:
        job = threading.Thread(target=refresh, args=(engine, FixedClock(later), big_event),
                               kwargs={"llm": stub_llm(stub, bucket=TokenBucket(PROGRESSIVE_RATE, 10)),
                                       "daily_calls": 30})
        started = time.perf_counter()
        job.start()
        while job.is_alive():
            samples.append((time.perf_counter() - started, lists_by_strategy(engine, later)))
            time.sleep(POLL)
        job.join()
    samples.append((time.perf_counter() - started, lists_by_strategy(engine, later)))
    visible = next(at for at, counts in samples if sum(counts.values()) == BIG)
    # Order, not speed (timings belong in bench/): the algorithmic lists are committed before any LLM answer.
    first_llm = next(at for at, counts in samples if counts.get("llm", 0))
    assert visible < first_llm
    after = [counts for at, counts in samples if at >= visible]
    assert all(sum(counts.values()) == BIG for counts in after)  # every viewer keeps a list throughout
    upgraded = [counts.get("llm", 0) for counts in after]
    assert upgraded == sorted(upgraded) and upgraded[0] == 0 and upgraded[-1] == 30
    assert 20 in upgraded  # the first group of 20 was committed while the second was still being asked


def test_with_a_budget_of_100_calls_exactly_the_100_highest_priority_viewers_are_upgraded(db, engine, clock,
                                                                                        big_event):
    people = db.scalars(select(Person.id).order_by(Person.id)).all()
    checked_in = people[500:540]  # 40 people checked in
    active = people[600:640]  # 40 people who logged in this week
    db.execute(update(Registration).where(Registration.person_id.in_(checked_in)).values(checked_in_at=clock.now()))
    for person_id in active:
        db.add(Account(username=f"u{person_id}", email=f"u{person_id}@x.io", display_name="U", password_hash="x",
                       person_id=person_id))
        db.add(LoginAttempt(username=f"u{person_id}", client="test", succeeded=True,
                            at=clock.now() - timedelta(days=1, minutes=person_id % 60)))
    db.commit()
    with AnthropicStub("ok") as stub:
        # The order, not the pace, is under test: a fast limiter saves the suite the 108 s that 100 calls take at
        # 50 a minute (`TEST_RATE=50 pytest` runs it at the real pace).
        run = refresh(engine, clock, big_event, llm=stub_llm(stub, bucket=TokenBucket(TEST_RATE, 10)), daily_calls=100)
    assert run.status == "succeeded", run.error
    expected = upgrade_order(db, big_event.id, people, clock.now())[:100]
    assert set(expected[:40]) == set(checked_in) and set(expected[40:80]) == set(active)
    assert llm_viewers(db) == set(expected)
    assert db.scalar(select(func.count()).select_from(LLMCall).where(LLMCall.event_id == big_event.id)) == 100
    assert run.counts["llm_ranked"] == 100 and run.counts["llm_skipped"] == BIG - 100


@pytest.fixture
def event(db, clock):
    return import_event(db, clock, 24, "small")


def test_an_upgraded_list_keeps_the_row_and_action_timestamps_of_a_pair_that_stays(db, engine, clock, event):
    refresh(engine, clock, event)
    viewer = db.scalar(select(Person.id).order_by(Person.id).limit(1))
    top = db.scalar(select(Recommendation).where(Recommendation.user_id == viewer, Recommendation.rank == 1))
    top.bookmarked_at = clock.now()
    db.execute(update(Registration).where(Registration.person_id == viewer).values(checked_in_at=clock.now()))
    db.commit()
    with AnthropicStub("ok") as stub:
        refresh(engine, clock, event, llm=stub_llm(stub), daily_calls=1)
    db.expire_all()
    kept = db.get(Recommendation, top.id)
    assert kept.strategy == "llm" and kept.bookmarked_at == clock.now() and kept.reasons[0].startswith("LLM reason")
    assert llm_viewers(db) == {viewer}


def test_the_budget_counts_the_calls_the_event_already_made_today(db, clock, event):
    db.add_all([LLMCall(feature="recommendations", model="m", outcome="ok", event_id=event.id,
                        created_at=clock.now() - timedelta(hours=h)) for h in range(4)])  # 4 today, none yesterday
    db.add(LLMCall(feature="recommendations", model="m", outcome="ok", event_id=event.id,
                   created_at=clock.now() - timedelta(days=1)))
    db.commit()
    with AnthropicStub("ok") as stub:
        report = refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock, llm=stub_llm(stub),
                                         daily_llm_calls=6)
    assert report.llm_ranked == 2 and report.llm_skipped == 24 - 2 and len(llm_viewers(db)) == 2


def test_an_app_client_out_of_tokens_falls_back_at_once_and_leaves_the_breaker_closed(db, clock, event):
    with AnthropicStub("ok") as stub:
        llm = stub_llm(stub, wait_for_rate_limit=False)
        started = time.perf_counter()
        report = refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock, llm=llm)
        seconds = time.perf_counter() - started
        sent = len(stub.requests)
    assert sent in (10, 11)  # the burst, and at most one token refilled meanwhile
    assert report.llm_ranked == sent and report.llm_skipped == 24 - sent and report.llm_failed == 0
    assert seconds < 5 and not llm.breaker.is_open
