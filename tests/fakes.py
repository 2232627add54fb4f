"""Hand-written fakes for unit and integration tests."""
from __future__ import annotations

import hashlib
import re

import numpy as np

from db.models import EMBEDDING_DIM


class FakeEmbedder:
    """Bag-of-words random projections: texts that share words get similar vectors; no model needed."""

    model_name = "fake-bow"

    def __init__(self):
        self.calls: list[list[str]] = []

    @staticmethod
    def _word_vector(word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "big")
        return np.random.default_rng(seed).standard_normal(EMBEDDING_DIM).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z0-9]+", text.lower()) or ["<empty>"]
            vector = sum(self._word_vector(w) for w in words)
            out[row] = vector / np.linalg.norm(vector)
        return out


class FakeLLM:
    """Returns a scripted reply (a JSON string, optionally one per feature) or raises a scripted error; a reply
    that does not validate raises LLMError, as the real client does after its re-ask."""

    model = "fake-llm"

    def __init__(self, reply: str = "[]", error: Exception | None = None, replies: dict[str, str] | None = None):
        from core.ai.llm import CallLog

        self.reply, self.error, self.replies = reply, error, replies or {}
        self.calls = CallLog()
        self.prompts: list[str] = []

    def complete_json(self, *, system: str, prompt: str, schema, max_tokens: int = 4000, temperature: float = 0.3,
                      feature: str = "recommendations", variant_id: int | None = None, model: str | None = None,
                      event_id: int | None = None):
        self.prompts.append(prompt)
        from pydantic import ValidationError

        from core.ai.llm import LLMError

        if self.error is not None:
            raise self.error
        try:
            return schema.model_validate_json(self.replies.get(feature, self.reply))
        except ValidationError as exc:
            raise LLMError(f"invalid reply: {exc.error_count()} problems") from exc


class FakeTime:
    """A monotonic clock that only moves when something sleeps on it (for rate-limit tests)."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
