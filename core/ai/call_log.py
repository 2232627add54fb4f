"""The LLM call log: persisted records of every call (feature, variant, tokens, cost, latency, outcome)."""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.ai.llm import CallRecord, LLMClient
from db.models import LLMCall


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
