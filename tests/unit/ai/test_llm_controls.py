"""The LLM client's circuit breaker, rate limit and cost estimate, on a fake clock."""
from datetime import timedelta

import pytest

from core.ai.llm import CircuitBreaker, TokenBucket, estimated_cost
from core.platform.clock import FixedClock
from tests.conftest import FIXED_NOW
from tests.fakes import FakeTime


def test_the_breaker_opens_after_the_threshold_of_consecutive_failures():
    breaker = CircuitBreaker(FixedClock(FIXED_NOW), threshold=3, cooldown_seconds=60)
    for _ in range(3):
        assert breaker.allow()
        breaker.failed()
    assert breaker.is_open and not breaker.allow()


def test_a_success_resets_the_failure_count():
    breaker = CircuitBreaker(FixedClock(FIXED_NOW), threshold=3)
    breaker.failed(), breaker.failed(), breaker.succeeded(), breaker.failed()
    assert not breaker.is_open


def test_after_the_cool_down_one_trial_call_goes_through_and_a_success_closes_the_breaker():
    clock = FixedClock(FIXED_NOW)
    breaker = CircuitBreaker(clock, threshold=1, cooldown_seconds=60)
    breaker.failed()
    clock.at = FIXED_NOW + timedelta(seconds=61)
    assert breaker.allow() and not breaker.allow()  # one trial; the others wait
    breaker.succeeded()
    assert breaker.allow() and not breaker.is_open




def test_the_bucket_allows_a_burst_then_waits_for_the_refill_rate():
    time = FakeTime()
    bucket = TokenBucket(rate_per_minute=60, capacity=3, monotonic=time.monotonic, sleep=time.sleep)
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire() == pytest.approx(1.0)  # one token per second


def test_the_bucket_refills_while_idle_but_never_beyond_its_capacity():
    time = FakeTime()
    bucket = TokenBucket(rate_per_minute=60, capacity=2, monotonic=time.monotonic, sleep=time.sleep)
    bucket.acquire(), bucket.acquire()
    time.now += 100
    assert [bucket.acquire() for _ in range(2)] == [0.0, 0.0]
    assert bucket.acquire() == pytest.approx(1.0)


def test_the_cost_is_estimated_from_the_model_family_prices():
    assert estimated_cost("claude-sonnet-4-5", 1_000_000, 0) == pytest.approx(3.0)
    assert estimated_cost("claude-haiku-4", 0, 1_000_000) == pytest.approx(4.0)
