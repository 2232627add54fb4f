"""Anthropic Message Batches: submit many prompts at once, collect the replies later (half price, never blocking)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from core.ai.llm import AnthropicLLM, CallRecord, LLMError, estimated_cost

# Batched requests cost half the standard price; prompt-cache writes cost 1.25x and reads 0.1x of input tokens.
BATCH_PRICE_FACTOR = 0.5
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1
MAX_BATCH_REQUESTS = 100_000
CUSTOM_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class BatchRequest:
    """One Messages request of a batch; `custom_id` matches it to its result."""

    custom_id: str
    system: str  # sent as a system block with cache_control {"type": "ephemeral"} (prompt caching)
    prompt: str
    max_tokens: int = 4000
    temperature: float = 0.3
    model: str | None = None  # None = the client's default model


@dataclass(frozen=True)
class BatchResult:
    """The outcome of one request of an ended batch: its reply text, or why it failed."""

    custom_id: str
    text: str | None  # the reply text (text blocks joined; a tool_use input as JSON like core/ai/llm.py does)
    error: str | None  # why this request failed (errored / canceled / expired), else None
    input_tokens: int = 0
    output_tokens: int = 0


def _params(llm: AnthropicLLM, request: BatchRequest) -> dict[str, Any]:
    return {"model": request.model or llm.model, "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "system": [{"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": "user", "content": request.prompt}]}


def _check(requests: list[BatchRequest]) -> None:
    if not requests:
        raise ValueError("a batch needs at least one request")
    if len(requests) > MAX_BATCH_REQUESTS:
        raise ValueError(f"a batch holds at most {MAX_BATCH_REQUESTS} requests, not {len(requests)}")
    ids = [r.custom_id for r in requests]
    bad = [i for i in ids if not CUSTOM_ID.fullmatch(i)]
    if bad:
        raise ValueError(f"custom ids must be 1-64 letters, digits, '_' or '-': {bad[:5]}")
    if len(set(ids)) != len(ids):
        raise ValueError("custom ids must be unique within a batch")


def _api_call(llm: AnthropicLLM, call):
    """Run one Batches API call behind the client's circuit breaker and rate limit; API errors raise LLMError."""
    import anthropic  # imported lazily: the app runs without an LLM
    import httpx2  # the SDK's HTTP client: a results stream can break off mid-way

    if not llm.breaker.allow():
        raise LLMError("the LLM circuit breaker is open")
    llm.bucket.acquire()
    try:
        result = call()
    except (anthropic.AnthropicError, httpx2.HTTPError, json.JSONDecodeError) as exc:  # JSONDecodeError: bad JSONL
        llm.breaker.failed()
        raise LLMError(f"{type(exc).__name__}: {exc}") from exc
    llm.breaker.succeeded()
    return result


def submit_batch(llm: AnthropicLLM, requests: list[BatchRequest]) -> str:
    """Send the requests as one Message Batch; returns the batch id. Raises LLMError if the API refuses it."""
    _check(requests)
    body = [{"custom_id": r.custom_id, "params": _params(llm, r)} for r in requests]
    batch = _api_call(llm, lambda: llm.client.messages.batches.create(requests=body))
    return batch.id


def _reply_text(content: list) -> str:
    """The text blocks joined; without text, the first tool_use input as JSON (a lone key unwrapped), as llm.py."""
    text = "".join(getattr(block, "text", None) or "" for block in content)
    if not text:
        tool_inputs = [block.input for block in content if getattr(block, "type", None) == "tool_use"]
        payload = tool_inputs[0] if tool_inputs else ""
        if isinstance(payload, dict) and len(payload) == 1:  # {"recommendations": [...]} -> the list itself
            payload = next(iter(payload.values()))
        text = json.dumps(payload) if payload != "" else ""
    return text


def batch_cost(model: str, usage: Any) -> float:
    """The estimated USD cost of one batched reply, from its usage (prompt-cache tokens priced as such)."""
    weighted_input = ((getattr(usage, "input_tokens", 0) or 0)
                      + CACHE_WRITE_FACTOR * (getattr(usage, "cache_creation_input_tokens", 0) or 0)
                      + CACHE_READ_FACTOR * (getattr(usage, "cache_read_input_tokens", 0) or 0))
    return BATCH_PRICE_FACTOR * estimated_cost(model, weighted_input, getattr(usage, "output_tokens", 0) or 0)


def _failure(result: Any) -> str:
    if result.type == "errored":
        error = getattr(getattr(result, "error", None), "error", None)
        message = getattr(error, "message", "")
        return f"errored: {getattr(error, 'type', 'unknown_error')}" + (f": {message}" if message else "")
    return str(result.type)  # canceled | expired


def batch_results(llm: AnthropicLLM, batch_id: str, *, feature: str = "recommendations-batch",
                  event_id: int | None = None) -> list[BatchResult] | None:
    """The results of an ended batch, one per request (in the order the API lists them), or None while it is
    still processing. Each result is logged once per call in `llm.calls`: fetch an ended batch's results once."""
    if not batch_id:
        raise ValueError("batch_results needs the id submit_batch returned")
    batch = _api_call(llm, lambda: llm.client.messages.batches.retrieve(batch_id))
    if batch.processing_status != "ended":
        return None
    lines = _api_call(llm, lambda: list(llm.client.messages.batches.results(batch_id)))
    results = []
    for line in lines:
        result = line.result
        if result.type == "succeeded":
            message = result.message
            usage = message.usage
            model = getattr(message, "model", None) or llm.model
            tokens = (getattr(usage, "input_tokens", 0) or 0, getattr(usage, "output_tokens", 0) or 0)
            results.append(BatchResult(line.custom_id, _reply_text(message.content or []), None, *tokens))
            record = CallRecord(feature, None, model, "ok", llm.clock.now(), *tokens, batch_cost(model, usage),
                                event_id=event_id)
        else:
            error = _failure(result)
            results.append(BatchResult(line.custom_id, None, error))
            record = CallRecord(feature, None, llm.model, "error", llm.clock.now(), error=error[:500],
                                event_id=event_id)
        llm.calls.add(record)
    return results
