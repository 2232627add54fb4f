"""The LLM client protocol and its Anthropic implementation: validated JSON replies, a circuit breaker,
a token-bucket rate limit and a log of every call."""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from core.platform.clock import Clock, SystemClock

T = TypeVar("T", bound=BaseModel)


class LLMError(RuntimeError):
    """The LLM call failed or never produced a valid reply; callers fall back to the algorithm."""


class RateLimited(LLMError):
    """A client that must not wait (the app's) found no token in its rate limit; no request was sent."""


class LLMClient(Protocol):
    model: str
    calls: CallLog

    def complete_json(self, *, system: str, prompt: str, schema: type[T], max_tokens: int = 4000,
                      temperature: float = 0.3, feature: str = "recommendations",
                      variant_id: int | None = None, model: str | None = None, event_id: int | None = None) -> T: ...


# USD per million tokens (input, output); unknown models are priced like Sonnet.
PRICES_PER_MTOK = {"haiku": (0.8, 4.0), "sonnet": (3.0, 15.0), "opus": (15.0, 75.0)}


def estimated_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    """An estimate in USD from the public per-token prices of the model family."""
    family = next((f for f in PRICES_PER_MTOK if f in model.lower()), "sonnet")
    price_in, price_out = PRICES_PER_MTOK[family]
    return (input_tokens * price_in + output_tokens * price_out) / 1_000_000


@dataclass
class CallRecord:
    """What is logged of one LLM call: never its content."""

    feature: str
    variant_id: int | None
    model: str
    outcome: str  # ok | invalid | error | circuit_open
    created_at: datetime
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: int = 0
    attempts: int = 1
    error: str = ""
    event_id: int | None = None


@dataclass
class CallLog:
    """Thread-safe buffer of call records; the service that made the calls drains it into the database."""

    records: list[CallRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: CallRecord) -> None:
        with self.lock:
            self.records.append(record)

    def drain(self) -> list[CallRecord]:
        with self.lock:
            drained, self.records = self.records, []
        return drained


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `cooldown_seconds` lets one trial call through."""

    def __init__(self, clock: Clock, threshold: int = 5, cooldown_seconds: float = 60.0):
        self.clock, self.threshold, self.cooldown = clock, threshold, cooldown_seconds
        self.failures = 0
        self.opened_at: datetime | None = None
        self.lock = threading.Lock()

    def allow(self) -> bool:
        with self.lock:
            if self.opened_at is None:
                return True
            if (self.clock.now() - self.opened_at).total_seconds() >= self.cooldown:
                self.opened_at = self.clock.now()  # half-open: this caller is the trial, others keep waiting
                return True
            return False

    def succeeded(self) -> None:
        with self.lock:
            self.failures, self.opened_at = 0, None

    def failed(self) -> None:
        with self.lock:
            self.failures += 1
            if self.failures >= self.threshold:
                self.opened_at = self.clock.now()

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None


class TokenBucket:
    """Allows `rate_per_minute` calls on average with bursts up to `capacity`; `acquire` waits for a token,
    `try_acquire` never does."""

    def __init__(self, rate_per_minute: float, capacity: int, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.rate = rate_per_minute / 60.0
        self.capacity = capacity
        self.tokens = float(capacity)
        self.monotonic, self.sleep = monotonic, sleep
        self.updated = monotonic()
        self.lock = threading.Lock()

    def _refill(self) -> None:
        now = self.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def try_acquire(self) -> bool:
        """Take one token if there is one now; never waits."""
        with self.lock:
            self._refill()
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

    def seconds_until_token(self) -> float:
        """How long until the next token (0 when one is there now)."""
        with self.lock:
            self._refill()
            return max(0.0, (1 - self.tokens) / self.rate)

    def acquire(self) -> float:
        """Take one token, waiting as long as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self.lock:
                self._refill()
                if self.tokens >= 1:
                    self.tokens -= 1
                    return waited
                wait = (1 - self.tokens) / self.rate
            self.sleep(wait)
            waited += wait


def extract_json(text: str) -> str:
    """The JSON payload of a reply, without markdown fences or chatter around it."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        return fenced.group(1).strip()
    starts = [i for i in (text.find("["), text.find("{")) if i >= 0]
    if not starts:
        return text.strip()
    start = min(starts)
    end = max(text.rfind("]"), text.rfind("}"))
    return text[start:end + 1] if end > start else text[start:]


def parse_reply(text: str, schema: type[T]) -> T:
    """The reply's JSON validated against `schema`; raises ValueError (pydantic's ValidationError is one)."""
    return schema.model_validate_json(extract_json(text))


class AnthropicLLM:
    """anthropic.Anthropic with a timeout, the SDK's retries, a circuit breaker and a rate limit; one re-ask
    when the reply does not validate; every call lands in `calls`.

    `wait_for_rate_limit=False` (the app's client) never sleeps: with no token left a call raises RateLimited at
    once, so a page falls back to the algorithm instead of waiting. The system prompt is sent as one text block
    marked for prompt caching, so the many re-rank calls that share it pay for it once."""

    def __init__(self, *, api_key: str, model: str, base_url: str | None = None, timeout: float = 30.0,
                 max_retries: int = 2, clock: Clock | None = None, breaker: CircuitBreaker | None = None,
                 bucket: TokenBucket | None = None, wait_for_rate_limit: bool = True):
        import anthropic  # imported lazily: the app runs without an LLM

        self._anthropic = anthropic
        self.model = model
        self.clock = clock or SystemClock()
        self.breaker = breaker or CircuitBreaker(self.clock)
        self.bucket = bucket or TokenBucket(rate_per_minute=50, capacity=10)
        self.wait_for_rate_limit = wait_for_rate_limit
        self.calls = CallLog()
        self.client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout,
                                          max_retries=max_retries)

    def _ask(self, system: str, messages: list[dict], max_tokens: int, temperature: float,
             usage: list[int], model: str) -> str:
        if self.wait_for_rate_limit:
            self.bucket.acquire()
        elif not self.bucket.try_acquire():
            wait = self.bucket.seconds_until_token()
            raise RateLimited(f"rate limited: the next LLM call is allowed in {wait:.1f} s")
        blocks = [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}]
        try:
            # This SDK release has no `temperature` argument; the API still reads it from the body.
            reply = self.client.messages.create(model=model, system=blocks, messages=messages,
                                                max_tokens=max_tokens, extra_body={"temperature": temperature})
        except self._anthropic.APIError as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc
        if reply.usage is not None:
            usage[0] += reply.usage.input_tokens or 0
            usage[1] += reply.usage.output_tokens or 0
        text = "".join(getattr(block, "text", "") for block in reply.content)
        if not text:
            tool_inputs = [block.input for block in reply.content if block.type == "tool_use"]
            payload = tool_inputs[0] if tool_inputs else ""
            if isinstance(payload, dict) and len(payload) == 1:  # {"recommendations": [...]} -> the list itself
                payload = next(iter(payload.values()))
            text = json.dumps(payload) if payload != "" else ""
        return text

    def complete_json(self, *, system: str, prompt: str, schema: type[T], max_tokens: int = 4000,
                      temperature: float = 0.3, feature: str = "recommendations",
                      variant_id: int | None = None, model: str | None = None, event_id: int | None = None) -> T:
        """A reply validated against `schema`, from `model` (a prompt variant's) or the client's default model."""
        model = model or self.model
        started = time.perf_counter()
        usage = [0, 0]
        attempts = 0

        def log(outcome: str, error: str = "") -> None:
            self.calls.add(CallRecord(
                feature, variant_id, model, outcome, self.clock.now(), usage[0], usage[1],
                estimated_cost(model, usage[0], usage[1]), round(1000 * (time.perf_counter() - started)),
                attempts, error[:500], event_id))

        if not self.breaker.allow():
            log("circuit_open", "too many recent failures; waiting for the cool-down")
            raise LLMError("the LLM circuit breaker is open")
        messages = [{"role": "user", "content": prompt}]
        try:
            attempts += 1
            text = self._ask(system, messages, max_tokens, temperature, usage, model)
            try:
                result = parse_reply(text, schema)
            except (ValidationError, ValueError) as first_error:
                messages += [{"role": "assistant", "content": text or "(empty)"},
                             {"role": "user", "content": "Your reply was not valid JSON for the requested format: "
                              f"{str(first_error)[:800]}\nReturn ONLY the corrected JSON."}]
                attempts += 1
                text = self._ask(system, messages, max_tokens, temperature, usage, model)
                try:
                    result = parse_reply(text, schema)
                except (ValidationError, ValueError) as exc:
                    self.breaker.succeeded()  # the API answered; the content was the problem
                    log("invalid", str(exc))
                    raise LLMError(f"invalid reply after one re-ask: {str(exc)[:300]}") from exc
        except RateLimited as exc:  # not the API's fault: the breaker is left alone
            if attempts > 1:  # the re-ask was refused; the first attempt was sent and its tokens are spent
                log("error", str(exc))
            raise
        except LLMError as exc:
            if not str(exc).startswith("invalid reply"):
                self.breaker.failed()
                log("error", str(exc))
            raise
        self.breaker.succeeded()
        log("ok")
        return result
