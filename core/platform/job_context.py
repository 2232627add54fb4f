"""What a job body receives: its own session, the clock, the optional event, and the services it may use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core.platform.clock import Clock
from core.platform.settings import Settings

if TYPE_CHECKING:  # the protocols live in the ai package, a layer above; only their names are needed here
    from core.ai.embeddings import Embedder
    from core.ai.llm import LLMClient


@dataclass(frozen=True)
class JobContext:
    """A job body's dependencies; the runner owns the session and commits it after the body returns."""

    session: Session
    clock: Clock
    event_id: int | None
    person_id: int | None = None
    embedder: Embedder | None = None
    settings: Settings | None = None
    llm: LLMClient | None = None
