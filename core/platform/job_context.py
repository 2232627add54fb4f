"""What a job body receives: its own session, the clock, the optional event, and the services it may use."""
from __future__ import annotations

from collections.abc import Callable
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
    """A job body's dependencies; the runner owns the session and commits it after the body returns.

    A long body may call `checkpoint()` to commit what it has stored so far (e.g. the algorithmic lists before
    the LLM upgrades them); the runner supplies it. `trigger` says how the run started (schedule, manual, queued)."""

    session: Session
    clock: Clock
    event_id: int | None
    person_id: int | None = None
    embedder: Embedder | None = None
    settings: Settings | None = None
    llm: LLMClient | None = None
    trigger: str | None = None
    checkpoint: Callable[[], None] = lambda: None
