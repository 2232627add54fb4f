"""The Anthropic client's request shape and its rate-limit modes, and one client per process, with a fake API."""
from types import SimpleNamespace

import pytest
from pydantic import RootModel

from core.ai.llm import AnthropicLLM, RateLimited, TokenBucket
from core.ai.wiring import build_llm
from core.platform.settings import Settings
from tests.fakes import FakeTime


class FakeMessages:
    """Stands in for client.messages: keeps every request and answers `[1]`."""

    def __init__(self):
        self.requests: list[dict] = []

    def create(self, **kwargs):
        self.requests.append(kwargs)
        return SimpleNamespace(content=[SimpleNamespace(type="text", text="[1]")],
                               usage=SimpleNamespace(input_tokens=10, output_tokens=2))


class Numbers(RootModel[list[int]]):
    pass


def client(bucket: TokenBucket, **kwargs) -> tuple[AnthropicLLM, FakeMessages]:
    llm = AnthropicLLM(api_key="test", model="claude-test", bucket=bucket, **kwargs)
    messages = FakeMessages()
    llm.client = SimpleNamespace(messages=messages)
    return llm, messages


def test_try_acquire_takes_a_token_while_there_is_one_and_never_waits():
    time = FakeTime()
    bucket = TokenBucket(rate_per_minute=60, capacity=2, monotonic=time.monotonic, sleep=time.sleep)
    assert [bucket.try_acquire() for _ in range(3)] == [True, True, False]
    assert time.slept == [] and bucket.seconds_until_token() == pytest.approx(1.0)
    time.now += 1
    assert bucket.try_acquire()


def test_the_system_prompt_is_sent_as_one_text_block_marked_for_prompt_caching():
    llm, messages = client(TokenBucket(60, 5))
    llm.complete_json(system="You rank people.", prompt="Who?", schema=Numbers)
    assert messages.requests[0]["system"] == [
        {"type": "text", "text": "You rank people.", "cache_control": {"type": "ephemeral"}}]


def test_a_client_that_must_not_wait_fails_at_once_when_rate_limited_and_sends_nothing():
    time = FakeTime()
    bucket = TokenBucket(rate_per_minute=60, capacity=1, monotonic=time.monotonic, sleep=time.sleep)
    llm, messages = client(bucket, wait_for_rate_limit=False)
    llm.complete_json(system="s", prompt="p", schema=Numbers, event_id=7)
    with pytest.raises(RateLimited, match="rate limited"):
        llm.complete_json(system="s", prompt="p", schema=Numbers, event_id=7)
    assert time.slept == [] and len(messages.requests) == 1
    assert [r.outcome for r in llm.calls.drain()] == ["ok"]  # nothing was sent, so nothing is logged


def test_being_rate_limited_never_opens_the_circuit_breaker():
    time = FakeTime()
    bucket = TokenBucket(rate_per_minute=60, capacity=1, monotonic=time.monotonic, sleep=time.sleep)
    llm, _ = client(bucket, wait_for_rate_limit=False)
    llm.bucket.try_acquire()
    for _ in range(10):
        with pytest.raises(RateLimited):
            llm.complete_json(system="s", prompt="p", schema=Numbers)
    assert not llm.breaker.is_open


def test_a_waiting_client_sleeps_for_its_token_instead():
    time = FakeTime()
    bucket = TokenBucket(rate_per_minute=60, capacity=1, monotonic=time.monotonic, sleep=time.sleep)
    llm, messages = client(bucket)
    for _ in range(2):
        llm.complete_json(system="s", prompt="p", schema=Numbers)
    assert time.slept == [pytest.approx(1.0)] and len(messages.requests) == 2


def settings(**overrides) -> Settings:
    return Settings(anthropic_api_key="key", anthropic_base_url="http://127.0.0.1:9", **overrides)


def test_the_same_settings_give_the_same_client_so_its_rate_limit_and_breaker_are_shared():
    first, second = build_llm(settings()), build_llm(settings())
    assert first is second
    assert build_llm(settings(llm_requests_per_minute=7)) is not first


def test_the_apps_client_never_waits_but_shares_the_processs_rate_limit_and_breaker():
    worker, app = build_llm(settings()), build_llm(settings(), wait_for_rate_limit=False)
    assert worker.wait_for_rate_limit and not app.wait_for_rate_limit
    assert app.bucket is worker.bucket and app.breaker is worker.breaker
