"""Benchmark of the skill graph, the career paths, the next-role model and one prediction for a large community.

    .venv/bin/python -m bench.skills [--alumni 100000] [--postings 20000] [--completions N] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): a career community from core/demo/careers.py (planted career
rules, messy titles, trending posting skills, course completions; generation and loading are timed separately and
not counted). Then, timed, each committed as the jobs commit it: (a) the skill graph build with the real embedding
model and a cold embedding cache (the time spent embedding is also reported on its own; loading the model is not
counted) plus the career paths build (moves, transitions, role statistics, role skills, courses), against 60 s
together; (b) training the next-role model (cross-validation of the candidates, final fit, held-out evaluation),
against 120 s; (c) one prediction, the median of 20 warm calls for different alumni, against 200 ms.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit, target_row

GRAPH_AND_PATHS_TARGET_S = 60.0
TRAINING_TARGET_S = 120.0
PREDICTION_TARGET_MS = 200.0
WARM_CALLS = 20


def cpu_flag(flag: str) -> bool:
    """Whether /proc/cpuinfo lists the flag (e.g. avx512_bf16, which the embedder's bfloat16 path needs)."""
    try:
        return any(line.startswith("flags") and flag in line.split()
                   for line in Path("/proc/cpuinfo").read_text().splitlines())
    except OSError:
        return False


class TimedEmbedder:
    """The real embedder, adding up the seconds spent in `encode`."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.model_name = embedder.model_name
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts: list[str]):
        started = time.perf_counter()
        vectors = self.embedder.encode(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors


def add_long_tail(community, size: int, seed: int = 11) -> None:
    """Give every alumnus and posting 0-3 more skills from the first `size` phrases of the taxonomy, drawn with
    Zipf-like weights: real communities list thousands of distinct skills, the generator's rules only a few dozen,
    and the graph's cost (embedding every skill, the co-occurrence matrices) grows with the vocabulary."""
    import random

    from core.knowledge.skill_names import skill_keys
    from core.knowledge.taxonomy import CONCEPTS

    phrases = sorted({alias for aliases in CONCEPTS.values() for alias in aliases} | set(CONCEPTS))[:size]
    if not phrases:
        return
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(phrases))]
    order = list(range(len(phrases)))
    rng.shuffle(order)  # Zipf over a shuffled order, so the popular phrases are not all from one letter
    ranked = [phrases[i] for i in order]
    for rows in (community.alumni, community.postings):
        for row in rows:
            extra = rng.choices(ranked, weights=weights, k=rng.randint(0, 3))
            row["skills"] = list(dict.fromkeys([*row["skills"], *extra]))
            if "skill_keys" in row:
                row["skill_keys"] = skill_keys(row["skills"])


def run(alumni: int, postings: int, completions: int | None, long_tail: int = 3000) -> dict:
    """Generate, load and time every stage; the figures as a dict."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.ai.wiring import build_embedder
    from core.careers.career_model import train_career_model
    from core.careers.paths import rebuild_career_paths
    from core.careers.predictions import predict_for_alumnus
    from core.careers.skill_graph import rebuild_skill_graph
    from core.demo.careers import AS_OF, generate_career_community, store_career_community
    from core.platform.clock import FixedClock
    from core.platform.settings import Settings
    from db.engine import make_engine
    from db.models import Alumnus, CareerModel

    clock = FixedClock(datetime(AS_OF.year, AS_OF.month, AS_OF.day, 12, tzinfo=UTC))
    figures: dict = {"alumni": alumni, "postings": postings, "cpu": cpu_model(), "cores": os.cpu_count(),
                     "avx512_bf16": cpu_flag("avx512_bf16")}
    started = time.perf_counter()
    community = generate_career_community(alumni, postings, completions)
    add_long_tail(community, long_tail)
    figures["generate_s"] = time.perf_counter() - started
    figures["completions"] = len(community.completions)
    started = time.perf_counter()
    embedder = TimedEmbedder(build_embedder(Settings()))
    embedder.embedder.encode(["warm-up"])
    figures["model_load_s"] = time.perf_counter() - started
    with throwaway_database("bench-skills-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            store_career_community(session, community, clock.now())
            session.commit()
            figures["load_s"] = time.perf_counter() - started
        del community
        with Session(engine) as session:
            embedder.seconds = 0.0
            started = time.perf_counter()
            graph = rebuild_skill_graph(session, embedder=embedder, clock=clock, force=True)
            session.commit()
            figures["graph_s"] = time.perf_counter() - started
            figures["embedding_s"], figures["embedded_texts"] = embedder.seconds, embedder.texts
            figures["graph"] = {k: v for k, v in graph.items() if isinstance(v, int | bool)}
            started = time.perf_counter()
            paths = rebuild_career_paths(session, clock=clock, force=True)
            session.commit()
            figures["paths_s"] = time.perf_counter() - started
            figures["paths"] = {k: v for k, v in paths.items() if isinstance(v, int | bool)}
        with Session(engine) as session:
            started = time.perf_counter()
            trained = train_career_model(session, clock=clock, force=True)
            session.commit()
            figures["training_s"] = time.perf_counter() - started
            model = session.scalar(select(CareerModel).where(CareerModel.version == trained["version"]))
            figures["model"] = {"algorithm": model.algorithm, "training_rows": model.training_rows,
                                **{k: v for k, v in model.metrics.items()}}
        with Session(engine) as session:
            count = session.scalar(select(func.count()).select_from(Alumnus))
            step = max(1, count // WARM_CALLS)
            ids = session.scalars(select(Alumnus.id).order_by(Alumnus.id)).all()[::step][:WARM_CALLS]
            started = time.perf_counter()
            predict_for_alumnus(session, alumnus_id=ids[0])  # unpickles the model: the cold call
            figures["cold_prediction_ms"] = 1000 * (time.perf_counter() - started)
            timings = []
            for alumnus_id in ids:
                started = time.perf_counter()
                predict_for_alumnus(session, alumnus_id=alumnus_id)
                timings.append(1000 * (time.perf_counter() - started))
            figures["prediction_ms"] = statistics.median(timings)
            figures["prediction_max_ms"] = max(timings)
            session.rollback()
        engine.dispose()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def format_report(r: dict) -> str:
    """The figures as the printed table with targets and ratios."""
    model = r["model"]
    candidates = ", ".join(f"{name} {c['cv_top1_mean']:.3f} ± {c['cv_top1_std']:.3f} ({c['seconds']:.1f} s)"
                           for name, c in model["candidates"].items())
    together = r["graph_s"] + r["paths_s"]
    return "\n".join([
        f"Skills and careers: {r['alumni']:,} alumni, {r['postings']:,} postings, {r['completions']:,} course "
        f"completions (generated in {r['generate_s']:.1f} s, loaded in {r['load_s']:.1f} s; neither is counted; "
        f"loading the embedding model took {r['model_load_s']:.1f} s, not counted).", "",
        *TARGET_TABLE,
        f"| skill graph ({r['graph'].get('nodes', 0):,} skills, {r['graph'].get('edges', 0):,} edges, cold "
        f"embedding cache) | {r['graph_s']:.1f} s | | | |",
        f"| of which embedding {r['embedded_texts']:,} skills | {r['embedding_s']:.1f} s | | | |",
        f"| career paths (moves, transitions, roles, role skills, courses) | {r['paths_s']:.1f} s | | | |",
        target_row("skill graph + career paths", together, GRAPH_AND_PATHS_TARGET_S, "s"),
        target_row(f"train the next-role model ({model['samples']:,} samples, CV on {model['cv_rows']:,}, final fit on "
             f"{model['training_rows']:,})", r["training_s"], TRAINING_TARGET_S, "s"),
        f"| first prediction (unpickles the model) | {r['cold_prediction_ms']:.0f} ms | | | |",
        target_row(f"one prediction, median of {WARM_CALLS} warm calls (max {r['prediction_max_ms']:.0f} ms)",
             r["prediction_ms"], PREDICTION_TARGET_MS, "ms"), "",
        f"Model: {model['algorithm']} chosen by 3-fold cross-validated top-1 accuracy over people: {candidates}.",
        f"Held-out people ({model['holdout_people']:,}, {model['holdout_rows']:,} samples): top-1 "
        f"{model['holdout_top1']:.3f} (top-3 {model['holdout_top3']:.3f}) against the majority-move baseline's "
        f"{model['baseline_top1']:.3f} (top-3 {model['baseline_top3']:.3f}); on samples that were moves "
        f"{model['holdout_moves_top1']:.3f} against {model['baseline_moves_top1']:.3f}. Stored model: "
        f"{model['payload_bytes'] / 1e6:.1f} MB.",
        f"Peak RSS of this process (the generated data included): {r['peak_rss_mb']:.0f} MB.",
        f"CPU: {r['cpu']} ({r['cores']} cores; avx512_bf16 {'yes' if r['avx512_bf16'] else 'no'}).",
    ])


def main(argv: list[str] | None = None) -> None:
    """The command line: python -m bench.skills --alumni N --postings M."""
    parser = argparse.ArgumentParser(prog="python -m bench.skills", description=__doc__.split("\n\n")[0])
    parser.add_argument("--alumni", type=int, default=100000, help="alumni (100000)")
    parser.add_argument("--postings", type=int, default=20000, help="job postings (20000)")
    parser.add_argument("--completions", type=int, default=None, help="course completions (alumni / 3)")
    parser.add_argument("--long-tail", type=int, default=3000,
                        help="taxonomy phrases added as 0-3 extra skills per alumnus and posting (3000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.alumni, args.postings, args.completions, args.long_tail)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
