"""The one place that wires the real LLM client and embedding model from settings."""
from __future__ import annotations

from core.ai.embeddings import SentenceTransformerEmbedder
from core.ai.llm import AnthropicLLM, TokenBucket
from core.platform.settings import Settings


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
