"""The one place that wires the real LLM client and embedding model from settings."""
from __future__ import annotations

from functools import lru_cache

from core.ai.embeddings import SentenceTransformerEmbedder
from core.ai.llm import AnthropicLLM, CircuitBreaker, TokenBucket
from core.platform.clock import SystemClock
from core.platform.settings import Settings

# What an LLM client is built from: (api key, model, base url, timeout, retries, requests per minute, burst).
LLMKey = tuple[str, str, str | None, float, int, float, int]


def _llm_key(settings: Settings) -> LLMKey:
    return (settings.anthropic_api_key.get_secret_value(), settings.anthropic_model, settings.anthropic_base_url,
            settings.llm_timeout_seconds, settings.llm_max_retries, settings.llm_requests_per_minute,
            settings.llm_burst)


@lru_cache(maxsize=8)
def _limits(key: LLMKey) -> tuple[TokenBucket, CircuitBreaker]:
    """One rate limit and one circuit breaker per process and API configuration."""
    return TokenBucket(key[5], key[6]), CircuitBreaker(SystemClock())


@lru_cache(maxsize=8)
def _client(key: LLMKey, wait_for_rate_limit: bool) -> AnthropicLLM:
    api_key, model, base_url, timeout, max_retries, _, _ = key
    bucket, breaker = _limits(key)
    return AnthropicLLM(api_key=api_key, model=model, base_url=base_url, timeout=timeout, max_retries=max_retries,
                        bucket=bucket, breaker=breaker, wait_for_rate_limit=wait_for_rate_limit)


def build_llm(settings: Settings, *, wait_for_rate_limit: bool = True) -> AnthropicLLM | None:
    """The Anthropic client when an API key is configured; None means the algorithmic path only.

    The same settings give the same client, so every job of a worker process shares one rate limit and one
    circuit breaker. The app asks for `wait_for_rate_limit=False`: its client shares them too, but a call that
    finds no token fails at once (LLMError) instead of sleeping the page."""
    if not settings.llm_enabled:
        return None
    return _client(_llm_key(settings), wait_for_rate_limit)


def build_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The real embedding model; it loads lazily on first use, on the runtime EMBEDDING_BACKEND names or picks."""
    return SentenceTransformerEmbedder(settings.embedding_model_path,
                                      mixed_precision=settings.embedding_mixed_precision,
                                      backend=settings.embedding_backend, cache_dir=settings.embedding_cache_dir)
