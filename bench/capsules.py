"""Benchmark of the capsule rankings: every capsule ranked for every reader, the top 50 of each stored.

    .venv/bin/python -m bench.capsules [--capsules 5000] [--readers 10000] [--real-embedder] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): readers with 2-8 skills and a short profile, capsules with 1-5
tags from the taxonomy's names, counters, ages up to two years, authors among the readers (some with an engagement
score, some verified alumni). Generation, loading and embedding the texts into the embedding cache are not counted
(the ranking job finds the vectors cached, as it does after its first run; `--real-embedder` fills the cache with the
real model instead of seeded random unit vectors: slower, the same work for the ranking). Then, timed, as the job
commits it: (a) ranking all readers and storing their top 50 with the breakdown, against 60 s; (b) one reader's
ranking (the queued path when a reader opens Capsules without one), against 2 s; (c) the page's read of a stored
ranking, the median of 20 readers, against 200 ms.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit, target_row

ALL_TARGET_S = 60.0
ONE_TARGET_S = 2.0
READ_TARGET_MS = 200.0
WARM_READS = 20
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class SeededEmbedder:
    """Unit vectors drawn from a generator seeded by each text's hash: fast, stable, not semantic."""

    model_name = "bench-seeded"

    def encode(self, texts: list[str]) -> np.ndarray:
        from db.models import EMBEDDING_DIM

        out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
            vector = np.random.default_rng(seed).standard_normal(EMBEDDING_DIM)
            out[row] = vector / np.linalg.norm(vector)
        return out


def generate(session, capsules: int, readers: int, seed: int = 5) -> list[int]:
    """Readers and capsules as described above; the readers' person ids."""
    from sqlalchemy import insert, select

    from core.community.capsules import natural_key
    from core.knowledge.taxonomy import CONCEPTS
    from db.models import Alumnus, CapsuleSource, EngagementScore, KnowledgeCapsule, Person

    rng = np.random.default_rng(seed)
    names = sorted({name for family, aliases in CONCEPTS.items() for name in (family, *aliases[:1])})[:400]
    weights = 1.0 / np.arange(1, len(names) + 1)
    weights /= weights.sum()

    def skills(low: int, high: int) -> list[str]:
        return [names[i] for i in rng.choice(len(names), size=int(rng.integers(low, high + 1)), replace=False,
                                             p=weights)]

    session.execute(insert(Person), [
        {"email": f"reader{n}@bench.example", "first_name": "Reader", "last_name": str(n), "role": "Engineer",
         "company": "Acme", "skills_offered": skills(1, 5), "skills_needed": skills(1, 3), "interests": [],
         "goals": [], "bio": "I like learning new things at work."} for n in range(readers)])
    ids = list(session.scalars(select(Person.id).order_by(Person.id)))
    authors = rng.choice(ids, size=max(1, capsules // 4), replace=False)
    session.execute(insert(EngagementScore), [
        {"person_id": int(a), "total": float(rng.uniform(0, 1000)), "level": "Active", "factors": {},
         "streak_days": 0, "computed_at": NOW} for a in authors[::2]])
    session.execute(insert(Alumnus), [
        {"email": f"reader{int(a) - ids[0]}@bench.example", "name": f"Reader {int(a) - ids[0]}", "skills": [],
         "skill_keys": [], "role_history": [], "visibility": "community", "verified_at": NOW} for a in authors[::3]])
    rows = []
    for n in range(capsules):
        author = int(authors[n % len(authors)])
        tags = skills(1, 5)
        rows.append({"natural_key": natural_key(f"Capsule {n}", str(author)), "title": f"Capsule {n} on {tags[0]}",
                     "content": f"What to know about {', '.join(tags)}. " * 5, "tags": tags, "category": "Skills",
                     "author_person_id": author, "author_name": "Bench Author", "author_email": None,
                     "duration_minutes": int(rng.integers(2, 30)), "source": CapsuleSource.UPLOAD,
                     "created_at": NOW - timedelta(days=float(rng.uniform(0, 730))),
                     "views_count": int(rng.zipf(1.8)) % 5000, "likes_count": int(rng.zipf(2.2)) % 500,
                     "bookmarks_count": int(rng.zipf(2.5)) % 200})
    session.execute(insert(KnowledgeCapsule), rows)
    return ids


def run(capsules: int, readers: int, real_embedder: bool) -> dict:
    """Generate the data in a throwaway database, fill the embedding cache, and time the ranking and a page read."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.community.capsule_ranking import load_capsules, load_readers, rank_readers, reader_capsules
    from core.platform.clock import FixedClock
    from db.engine import make_engine
    from db.models import CapsuleRanking

    clock = FixedClock(NOW)
    figures: dict = {"capsules": capsules, "readers": readers, "cpu": cpu_model(), "cores": os.cpu_count(),
                     "embedder": "real" if real_embedder else "seeded"}
    if real_embedder:
        from core.ai.wiring import build_embedder
        from core.platform.settings import Settings

        embedder = build_embedder(Settings())
    else:
        embedder = SeededEmbedder()
    with throwaway_database("bench-capsules-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            ids = generate(session, capsules, readers)
            session.commit()
            figures["load_s"] = time.perf_counter() - started
            started = time.perf_counter()
            from core.ai.embeddings import embed_texts

            table = load_capsules(session, NOW)
            embed_texts(session, embedder, [*table.texts, *load_readers(session, ids).profiles])
            session.commit()
            figures["embed_cache_fill_s"] = time.perf_counter() - started
        with Session(engine) as session:
            started = time.perf_counter()
            result = rank_readers(session, person_ids=ids, clock=clock, embedder=embedder)
            session.commit()
            figures["all_readers_s"] = time.perf_counter() - started
            figures["rows"] = result.rows
            figures["stored_rows"] = session.scalar(select(func.count()).select_from(CapsuleRanking))
        with Session(engine) as session:
            started = time.perf_counter()
            rank_readers(session, person_ids=[ids[0]], clock=clock, embedder=embedder)
            session.commit()
            figures["one_reader_s"] = time.perf_counter() - started
        with Session(engine) as session:
            timings = []
            for person_id in ids[:: max(1, len(ids) // WARM_READS)][:WARM_READS]:
                started = time.perf_counter()
                items = reader_capsules(session, person_id=person_id)
                timings.append(1000 * (time.perf_counter() - started))
                assert len(items) == min(50, capsules)
            figures["page_read_ms"] = statistics.median(timings)
            session.rollback()
        engine.dispose()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def format_report(r: dict) -> str:
    """The figures as the printed table with targets and ratios."""
    return "\n".join([
        f"Capsule rankings: {r['capsules']:,} capsules × {r['readers']:,} readers, top 50 each "
        f"({r['stored_rows']:,} rows stored); {r['cpu']}, {r['cores']} cores; {r['embedder']} vectors.",
        f"Not timed: loading {r['load_s']:.1f} s, filling the embedding cache {r['embed_cache_fill_s']:.1f} s.",
        "",
        *TARGET_TABLE,
        target_row("all readers ranked and stored", r["all_readers_s"], ALL_TARGET_S, "s"),
        target_row("one reader ranked and stored", 1000 * r["one_reader_s"], 1000 * ONE_TARGET_S, "ms"),
        target_row("page read of a stored ranking (median)", r["page_read_ms"], READ_TARGET_MS, "ms"),
        "",
        f"Peak RSS {r['peak_rss_mb']:,.0f} MB.",
    ])


def main(argv: list[str] | None = None) -> None:
    """Run the bench with the sizes given and print (and optionally save) the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capsules", type=int, default=5000)
    parser.add_argument("--readers", type=int, default=10000)
    parser.add_argument("--real-embedder", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.capsules, args.readers, args.real_embedder)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
