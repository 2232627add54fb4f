"""Text and profile vectors are cached in Postgres (pgvector) by content hash."""
import numpy as np
from sqlalchemy import select

from core.ai.embeddings import embed_texts, store_profile_vectors
from db.models import Person, PersonEmbedding
from tests.fakes import FakeEmbedder


def test_cached_vectors_come_back_exactly_as_they_were_encoded(db):
    texts = ["kubernetes operations", "payment fraud detection", "We are growing the platform team"]
    first = embed_texts(db, FakeEmbedder(), texts)
    db.commit()
    again = FakeEmbedder()
    cached = embed_texts(db, again, texts)
    assert again.calls == []
    for text in texts:
        assert np.array_equal(cached[text], first[text].astype(np.float32))


def test_only_new_texts_are_encoded(db):
    embed_texts(db, FakeEmbedder(), ["kubernetes operations"])
    db.commit()
    embedder = FakeEmbedder()
    embed_texts(db, embedder, ["kubernetes operations", "watercolour painting"])
    assert embedder.calls == [["watercolour painting"]]


def test_a_profile_vector_is_rewritten_only_when_the_profile_content_changes(db):
    person = Person(email="a@x.io", first_name="A", last_name="B", company="C", role="Engineer", interests=["x"],
                    goals=["LEARN"])
    db.add(person)
    db.flush()
    vector = np.full((1, 384), 1 / np.sqrt(384), dtype=np.float32)
    assert store_profile_vectors(db, "m", [person], {person.id: "v1"}, vector) == 1
    assert store_profile_vectors(db, "m", [person], {person.id: "v1"}, vector) == 0
    assert store_profile_vectors(db, "m", [person], {person.id: "v2"}, -vector) == 1
    db.commit()
    stored = db.scalar(select(PersonEmbedding.embedding))
    assert np.allclose(stored, -vector[0])
