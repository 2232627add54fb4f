"""The LLM call log: persisted records of every call (feature, variant, tokens, cost, latency, outcome)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.ai.llm import CallRecord, LLMClient
from db.models import LLMBatch, LLMBatchStatus, LLMCall


def save_calls(session: Session, llm: LLMClient | None) -> int:
    """Move the client's buffered call records into `llm_calls`; returns how many."""
    records: list[CallRecord] = llm.calls.drain() if llm is not None else []
    if records:
        session.execute(insert(LLMCall), [
            {"feature": r.feature, "prompt_variant_id": r.variant_id, "model": r.model, "outcome": r.outcome,
             "input_tokens": r.input_tokens, "output_tokens": r.output_tokens, "cost_usd": r.cost_usd,
             "latency_ms": r.latency_ms, "attempts": r.attempts, "error": r.error, "created_at": r.created_at,
             "event_id": r.event_id}
            for r in records])
    return len(records)


def recent_calls(session: Session, limit: int = 200) -> list[LLMCall]:
    """The newest calls first."""
    return list(session.scalars(select(LLMCall).order_by(LLMCall.created_at.desc(), LLMCall.id.desc())
                                .limit(limit)))


def event_calls_today(session: Session, event_id: int, now: datetime) -> int:
    """The LLM calls an event has used since midnight UTC, against its daily budget: logged calls (a call the
    open circuit breaker refused sent nothing and is not counted) plus the requests of its message batches
    whose results are not in yet."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    logged = session.scalar(select(func.count()).select_from(LLMCall).where(
        LLMCall.event_id == event_id, LLMCall.created_at >= midnight, LLMCall.outcome != "circuit_open"))
    pending = session.scalar(select(func.coalesce(func.sum(LLMBatch.request_count), 0)).where(
        LLMBatch.event_id == event_id, LLMBatch.status == LLMBatchStatus.SUBMITTED,
        LLMBatch.submitted_at >= midnight))
    return int(logged or 0) + int(pending or 0)
