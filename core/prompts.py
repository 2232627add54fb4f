"""Prompt variants: the LLM prompt templates staff tune and A/B-test."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import PromptVariant


def list_variants(session: Session) -> list[PromptVariant]:
    """All variant versions, grouped by name, newest version first."""
    return list(session.scalars(select(PromptVariant).order_by(PromptVariant.name, PromptVariant.version.desc())))


def active_variant(session: Session) -> PromptVariant:
    """The active variant with the most traffic; the seed's control prompt is created if none is active."""
    from core.llm_rerank import CONTROL_TEMPLATE

    variant = session.scalar(select(PromptVariant).where(PromptVariant.status == "active")
                             .order_by(PromptVariant.weight.desc(), PromptVariant.id))
    if variant is None:
        variant = PromptVariant(name="control", version=1, template=CONTROL_TEMPLATE, weight=100, status="active",
                                notes="Seed 000 §3.1 recommendation prompt, anonymised.")
        session.add(variant)
        session.flush()
    return variant
