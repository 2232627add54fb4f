"""Recall of the people matcher on planted-pair evaluation events, public and held out.

    .venv/bin/python -m bench.matching_eval [--events public,unfamiliar,prose,sparse,typos,large] [--json PATH]

One throwaway Postgres and one embedding model serve every event. For each event the attendees are generated
(or, for `public`, read from the shared public event), imported with `import_dataset` into their own event,
ranked with `refresh_recommendations`, and the stored lists are read back through `export_recommendations_csv`
and scored: recall@10 in both directions and MRR (as the shared scorer defines them), per pair kind, plus how
varied the explanations of each viewer's top 10 are (`explanation_quality`: distinct first reasons with the
candidate's name left out, distinct starters, and the share of reasons citing the candidate's own profile).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from bench.database import throwaway_database
from bench.eval_events import PRESETS, PUBLIC_EVENT, generate_event, write_event

DEFAULT_EVENTS = ("public", "unfamiliar", "prose", "sparse", "typos", "large")
K = 10


def load_pairs(path: Path) -> list[tuple[str, str, str]]:
    with open(path, encoding="utf-8") as file:
        return [(r["email_a"].lower(), r["email_b"].lower(), r["kind"]) for r in csv.DictReader(file)]


def score(ranked: dict[str, list[str]], pairs: list[tuple[str, str, str]], k: int = K) -> dict:
    """Recall@k over both directions of every pair, MRR over the whole stored list, recall per kind."""
    hits, reciprocal, per_kind = 0, 0.0, defaultdict(lambda: [0, 0])
    for a, b, kind in pairs:
        for viewer, wanted in ((a, b), (b, a)):
            ranking = ranked.get(viewer, [])
            per_kind[kind][1] += 1
            if wanted in ranking[:k]:
                hits += 1
                per_kind[kind][0] += 1
            if wanted in ranking:
                reciprocal += 1.0 / (ranking.index(wanted) + 1)
    directions = 2 * len(pairs)
    return {"recall_at_10": hits / directions, "mrr": reciprocal / directions,
            "per_kind": {kind: found / total for kind, (found, total) in sorted(per_kind.items())},
            "misses_per_kind": {kind: total - found for kind, (found, total) in sorted(per_kind.items())}}


def ranked_from_export(text: str) -> dict[str, list[str]]:
    """viewer email -> recommended emails in rank order, from the export CSV."""
    rows = sorted(csv.DictReader(io.StringIO(text)), key=lambda r: (r["user_email"].lower(), int(r["rank"])))
    ranked: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        ranked[row["user_email"].lower()].append(row["recommended_email"].lower())
    return ranked


def prepare(name: str, workdir: Path) -> tuple[Path, dict]:
    """The event's directory (generated, or the shared public one) and its generator settings."""
    if name == "public":
        return PUBLIC_EVENT, {"vocab": "public"}
    vocab, settings = PRESETS[name]
    out = workdir / name
    write_event(generate_event(vocab, settings), out)
    return out, {"vocab": vocab, **asdict(settings)}


def evaluate(name: str, url: str, embedder, workdir: Path) -> dict:
    """Import, refresh and score one event."""
    from sqlalchemy.orm import Session

    from core.events.events import get_event
    from core.jobs.uploads import import_dataset
    from core.platform.clock import SystemClock
    from core.recommend.people import export_recommendations_csv, refresh_recommendations
    from db.engine import make_engine

    directory, settings = prepare(name, workdir)
    data = (directory / "attendees.csv").read_bytes()
    slug = f"eval-{name}"
    clock = SystemClock()
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            report = import_dataset(session, kind="attendees", data=data, filename=f"{slug}.csv", event_slug=slug,
                                    actor_id=None, clock=clock, max_mb=len(data) / 2**20 + 10, source="bench")
            session.commit()
            if not report.ok or report.rows_invalid:
                raise RuntimeError(f"import of {name} failed or dropped rows: {report.summary()}")
            event = get_event(session, slug)
            started = time.perf_counter()
            refreshed = refresh_recommendations(session, event=event, embedder=embedder, clock=clock)
            session.commit()
            seconds = time.perf_counter() - started
            ranked = ranked_from_export(export_recommendations_csv(session, event.id, clock.now()))
    finally:
        engine.dispose()
    figures = score(ranked, load_pairs(directory / "pairs.csv"))
    return {"event": name, "settings": settings, "people": refreshed.people, "rows_invalid": report.rows_invalid,
            "refresh_s": seconds, **figures, **refreshed.explanations}


def format_table(rows: list[dict]) -> str:
    header = ["event", "settings", "people", "recall@10", "MRR", "refresh s", "per kind recall@10",
              "distinct first reasons mean/min", "distinct starters mean/min", "specific reasons"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        s = r["settings"]
        knobs = ", ".join(f"{k}={s[k]}" for k in ("free_text", "prose_only", "sparse", "typos") if s.get(k))
        settings = f"{s['vocab']} {s.get('split', '')} {knobs}".strip()
        kinds = " ".join(f"{k} {v:.2f}" for k, v in r["per_kind"].items())
        lines.append("| " + " | ".join([
            r["event"], settings, f"{r['people']:,}", f"{r['recall_at_10']:.3f}", f"{r['mrr']:.3f}",
            f"{r['refresh_s']:.1f}", kinds,
            f"{r['mean_distinct_first_reasons']:.1f}/{r['min_distinct_first_reasons']}",
            f"{r['mean_distinct_starters']:.1f}/{r['min_distinct_starters']}",
            f"{r['specific_reason_share']:.0%}"]) + " |")
    return "\n".join(lines)


def parse_events(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in PRESETS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown events {unknown}; choose from {', '.join(PRESETS)}")
    return names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=parse_events, default=list(DEFAULT_EVENTS),
                        help=f"comma-separated events (default {','.join(DEFAULT_EVENTS)})")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)

    from core.ai.embeddings import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm-up"])  # load the model once, before any event is timed
    rows = []
    with throwaway_database("bench-matching-eval-") as url, tempfile.TemporaryDirectory() as workdir:
        for name in args.events:
            print(f"{name}…", file=sys.stderr, flush=True)
            rows.append(evaluate(name, url, embedder, Path(workdir)))
            print(format_table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(format_table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
