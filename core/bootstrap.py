"""The one place that wires real implementations (engine, clock) from settings."""
from __future__ import annotations

from sqlalchemy import Engine

from core.clock import SystemClock
from core.embeddings import SentenceTransformerEmbedder
from core.settings import Settings
from db.engine import make_engine
from db.migrate import upgrade_to_head


def build_engine(settings: Settings, *, migrate: bool = False) -> Engine:
    """The process's database engine; optionally bring the schema up to date first."""
    engine = make_engine(settings)
    if migrate:
        upgrade_to_head(engine)
    return engine


def build_clock() -> SystemClock:
    return SystemClock()


def build_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The real embedding model; it loads lazily on first use."""
    return SentenceTransformerEmbedder(settings.embedding_model_path)
