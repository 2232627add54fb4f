"""The one place that wires real implementations (engine, clock) from settings."""
from __future__ import annotations

from sqlalchemy import Engine

from core.platform.clock import SystemClock
from core.ai.embeddings import SentenceTransformerEmbedder
from core.ai.llm import AnthropicLLM, TokenBucket
from core.platform.settings import Settings
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


def build_llm(settings: Settings) -> AnthropicLLM | None:
    """The Anthropic client when an API key is configured; None means the algorithmic path only."""
    if not settings.llm_enabled:
        return None
    return AnthropicLLM(api_key=settings.anthropic_api_key.get_secret_value(), model=settings.anthropic_model,
                        base_url=settings.anthropic_base_url, timeout=settings.llm_timeout_seconds,
                        max_retries=settings.llm_max_retries,
                        bucket=TokenBucket(settings.llm_requests_per_minute, settings.llm_burst))


def build_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The real embedding model; it loads lazily on first use."""
    return SentenceTransformerEmbedder(settings.embedding_model_path,
                                      mixed_precision=settings.embedding_mixed_precision)
