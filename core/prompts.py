"""Prompt variants: the LLM prompt templates staff tune and A/B-test."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import PromptVariant


def list_variants(session: Session) -> list[PromptVariant]:
    """All variant versions, grouped by name, newest version first."""
    return list(session.scalars(select(PromptVariant).order_by(PromptVariant.name, PromptVariant.version.desc())))
