"""Benchmark of the people-matching engine on synthetic events of 1k, 5k and 10k attendees.

    .venv/bin/python -m bench.matching [--sizes 1000,5000,10000] [--json PATH]

For each size N the parent starts a throwaway Postgres (pgserver in a temp dir), migrates it, and runs
three stages, each in a fresh subprocess so that `ru_maxrss` is the peak of that stage alone (the
Postgres server's own memory is not included):

- load: N attendees from `core.demo.generate_demo_attendees`, imported as a CSV with `import_dataset`.
- embed: the embedding stage of a refresh (`embed_event`: facet texts, goal descriptions, profile vectors) with the real
  all-MiniLM-L6-v2 model, committed; then the same stage again, which must embed nothing. The model is
  loaded before the clock starts.
- refresh: `refresh_recommendations` for the whole event with every vector cached (the model is never
  loaded in this process); then the seed's per-pair Python scoring on the same people (seed 000 §8.3
  `_calculate_simple_match`, top 10 per attendee) timed on a sample of viewers and extrapolated linearly;
  then the For You page rendered with Streamlit's AppTest for one attendee.

Nothing is written unless `--json PATH` is given. With `--profile DIR` the refresh of each size also runs under
cProfile and its statistics go to DIR/refresh-N.prof (`python -m pstats`; the matcher's and the explanations'
numpy work runs on threads, which the profile shows as waits): the profiler slows Python, so the timings of
such a run are not comparable.
"""
from __future__ import annotations

import argparse
import cProfile
import csv
import hashlib
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bench.database import throwaway_database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1000, 5000, 10000)
STAGES = ("load", "embed", "refresh")
SOURCE_DIRS = ("app.py", "core", "db", "pages", "ui")
TARGETS = {"refresh_s": 30.0, "refresh_peak_rss_mb": 3 * 1024.0, "embed_s": 60.0, "render_s": 1.0}
BENCH_PASSWORD = "bench-password-1"


# ----------------------------------------------------------------------------------------------- helpers

def peak_rss_mb() -> float:
    """The peak resident set size so far of this process or of its largest finished child, whichever is larger
    (Linux reports KiB). A forked worker's figure includes the pages it still shares with this process."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def source_fingerprint() -> str:
    """A hash of the application code a stage imports, to tell whether it changed during a run."""
    digest = hashlib.sha256()
    for entry in SOURCE_DIRS:
        path = ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def git_version() -> str:
    """The commit, with '+dirty' when the application code has uncommitted changes."""
    def git(*command: str) -> str:
        done = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--", *SOURCE_DIRS) else "")


def event_slug(n: int) -> str:
    return f"bench-{n}"


@contextmanager
def open_session(url: str) -> Iterator[Session]:
    """A session on its own engine, disposed afterwards."""
    from sqlalchemy.orm import Session

    from db.engine import make_engine

    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


class CountingEmbedder:
    """Delegates to a real embedder and counts what it is asked to encode."""

    def __init__(self, inner):
        self.inner = inner
        self.model_name = inner.model_name
        self.calls = 0
        self.texts = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode(texts)


# ----------------------------------------------------------------------------------------------- load

def unique_emails(rows: list[dict[str, str]]) -> int:
    """Make emails unique (case-insensitively) by suffixing repeats; returns how many were changed."""
    seen: set[str] = set()
    changed = 0
    for row in rows:
        email = row["email"]
        local, _, domain = email.partition("@")
        n = 2
        while email.lower() in seen:
            email = f"{local}.bench{n}@{domain}"
            n += 1
        if email != row["email"]:
            row["email"] = email
            changed += 1
        seen.add(email.lower())
    return changed


def attendees_csv(rows: list[dict[str, str]]) -> bytes:
    from core.demo.vocabulary import ATTENDEE_COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ATTENDEE_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def stage_load(n: int, url: str, seed: int) -> dict:
    """Import N synthetic attendees into the event bench-N."""
    from core.demo.generate import generate_demo_attendees
    from core.jobs.uploads import import_dataset
    from core.platform.clock import SystemClock

    rows = generate_demo_attendees(n=n, seed=seed)
    renamed = unique_emails(rows)
    data = attendees_csv(rows)
    with open_session(url) as session:
        started = time.perf_counter()
        report = import_dataset(session, kind="attendees", data=data, filename=f"bench-{n}.csv",
                                event_slug=event_slug(n), actor_id=None, clock=SystemClock(),
                                max_mb=len(data) / 2**20 + 10, source="bench")
        session.commit()
        seconds = time.perf_counter() - started
    if not report.ok or report.inserted != n:
        raise RuntimeError(f"load of {n} attendees failed: {report.summary()}")
    return {"load_s": seconds, "emails_suffixed": renamed, "rows_invalid": report.rows_invalid,
            "load_peak_rss_mb": peak_rss_mb()}


# ----------------------------------------------------------------------------------------------- embed

def embedding_pass(url: str, n: int, embedder: CountingEmbedder) -> dict:
    """The embedding part of a refresh (`embed_event`), committed. The clock starts once the people are read."""
    from core.events.events import get_event
    from core.recommend.people import embed_event, event_people, match_profile

    with open_session(url) as session:
        people = event_people(session, get_event(session, event_slug(n)).id)
        started = time.perf_counter()
        embedded = embed_event(session, embedder, people, [match_profile(i, p) for i, p in enumerate(people)])
        session.commit()
        finished = time.perf_counter()
    return {"seconds": finished - started, "facet_texts": len(embedded.texts), "encoded_texts": embedder.texts,
            "encode_calls": embedder.calls, "profiles": embedded.updated_profiles}


def stage_embed(n: int, url: str) -> dict:
    """Embed everything fresh, then run the same stage again (it must embed nothing)."""
    from core.ai.embeddings import SentenceTransformerEmbedder

    model = SentenceTransformerEmbedder()
    started = time.perf_counter()
    model.encode(["warm-up"])  # loads the model outside the timed passes
    load_seconds = time.perf_counter() - started
    first = embedding_pass(url, n, CountingEmbedder(model))
    second = embedding_pass(url, n, CountingEmbedder(model))
    return {"model_load_s": load_seconds, "embed_s": first["seconds"], "embed_texts": first["encoded_texts"],
            "embed_facet_texts": first["facet_texts"], "embed_profiles": first["profiles"],
            "reembed_s": second["seconds"], "reembed_profiles": second["profiles"],
            "reembed_texts": second["encoded_texts"], "embed_peak_rss_mb": peak_rss_mb()}


# ----------------------------------------------------------------------------------------------- refresh

def run_refresh(url: str, n: int, profile: Path | None = None) -> dict:
    """A full-event refresh with every vector cached; the model must not be needed. With `profile`, under
    cProfile, whose statistics are written there."""
    from core.ai.embeddings import SentenceTransformerEmbedder
    from core.events.events import get_event
    from core.platform.clock import SystemClock
    from core.recommend.people import refresh_recommendations

    embedder = CountingEmbedder(SentenceTransformerEmbedder())
    with open_session(url) as session:
        event = get_event(session, event_slug(n))
        rss_before = peak_rss_mb()
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        report = refresh_recommendations(session, event=event, embedder=embedder, clock=SystemClock())
        session.commit()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
    if profiler:
        profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(profile)
    return {"refresh_s": seconds, "matcher_s": report.seconds_matching, "recommendations": report.recommendations,
            "refresh_embedded_profiles": report.embedded_profiles, "refresh_encoded_texts": embedder.texts,
            "rss_before_refresh_mb": rss_before, "refresh_peak_rss_mb": peak_rss_mb(),
            "model_loaded_in_refresh": "torch" in sys.modules}


@dataclass(frozen=True)
class SeedUser:
    id: int
    goals: list[str]
    interests: list[str]
    industry: str | None


SEED_COMPLEMENTARY = {
    ("HIRE", "GET_HIRED"), ("GET_HIRED", "HIRE"),
    ("MENTOR", "GET_MENTORED"), ("GET_MENTORED", "MENTOR"),
    ("SELL", "BUY"), ("BUY", "SELL"),
    ("FIND_INVESTORS", "FIND_PARTNERS"),
}


def seed_simple_match(user: SeedUser, other: SeedUser) -> int:
    """Seed 000 §8.3 `_calculate_simple_match`, unchanged except that the pair set is built once."""
    score = 50
    user_goals = set(user.goals)
    other_goals = set(other.goals)
    for goal_pair in SEED_COMPLEMENTARY:
        if goal_pair[0] in user_goals and goal_pair[1] in other_goals:
            score += 20
    shared_interests = set(user.interests) & set(other.interests)
    score += len(shared_interests) * 10
    if user.industry == other.industry:
        score += 10
    return min(100, score)


def seed_top_matches(user: SeedUser, attendees: list[SeedUser], k: int = 10) -> list[tuple[int, int]]:
    """The seed's per-attendee loop: score everyone else, sort, keep the top k."""
    scored = [(seed_simple_match(user, other), other.id) for other in attendees if other.id != user.id]
    scored.sort(key=lambda s: s[0], reverse=True)
    return scored[:k]


def seed_baseline(people, viewers: int, seed: int) -> dict:
    """Seconds for the seed scoring of every one of `people` as viewer, extrapolated from a random sample."""
    users = [SeedUser(p.id, list(p.goals), list(p.interests), p.industry) for p in people]
    sample = users if viewers >= len(users) else random.Random(seed).sample(users, viewers)
    started = time.perf_counter()
    for user in sample:
        seed_top_matches(user, users)
    measured = time.perf_counter() - started
    return {"baseline_s": measured * len(users) / len(sample), "baseline_measured_s": measured,
            "baseline_viewers": len(sample), "baseline_extrapolated": len(sample) < len(users)}


def run_seed_baseline(url: str, n: int, viewers: int, seed: int) -> dict:
    """Seconds for the seed scoring of all N viewers, extrapolated from a random sample of viewers."""
    from core.events.events import get_event
    from core.recommend.people import event_people

    with open_session(url) as session:
        return seed_baseline(event_people(session, get_event(session, event_slug(n)).id), viewers, seed)


def run_render(url: str, n: int) -> dict:
    """The For You page of one attendee with stored recommendations: first and second (warm) AppTest run."""
    from sqlalchemy import select

    from bench.apptest import logged_in_app
    from core.accounts.accounts import create_account
    from db.models import Recommendation

    with open_session(url) as session:
        person_id = session.scalar(select(Recommendation.user_id).where(Recommendation.rank == 1)
                                   .order_by(Recommendation.user_id).limit(1))
        username = f"bench-attendee-{n}"
        create_account(session, actor_id=None, username=username, email=f"{username}@bench.example",
                       display_name="Bench Attendee", password=BENCH_PASSWORD, roles=["attendee"],
                       person_id=person_id)
        session.commit()
    at = logged_in_app(url, username)
    started = time.perf_counter()
    at.run()  # cold: imports, engine, and the attendee's default page (For You), which records the views
    cold = time.perf_counter() - started
    at.switch_page("pages/for_you.py")
    at.session_state["for_you_tab"] = "People"  # the page renders only its open tab; the people cards are timed
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"For You page failed: {[e.message for e in at.exception]}")
    if len(at.metric) == 0:
        raise RuntimeError("For You page showed no recommendations")
    return {"render_cold_s": cold, "render_first_s": timings[0], "render_s": timings[1],
            "render_cards": len(at.metric)}


def stage_refresh(n: int, url: str, seed: int, baseline_viewers: int, profile: Path | None = None) -> dict:
    os.environ["DATABASE_URL"] = url  # the app code under AppTest reads its settings from the environment
    result = run_refresh(url, n, profile / f"refresh-{n}.prof" if profile else None)
    result.update(run_seed_baseline(url, n, baseline_viewers, seed))
    result["speedup"] = result["baseline_s"] / result["refresh_s"]
    result.update(run_render(url, n))
    return result


# ----------------------------------------------------------------------------------------------- parent

def stage_in_fresh_process(module: str, stage: str, n: int, url: str, options: list[str],
                           env: dict[str, str] | None = None) -> dict:
    """Run one stage of the bench `module` in a fresh interpreter and return its figures."""
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        command = [sys.executable, "-m", module, "--stage", stage, "--size", str(n), "--url", url,
                   "--result", result.name, *options]
        env = {**os.environ, "DATABASE_URL": url, "TOKENIZERS_PARALLELISM": "false", **(env or {})}
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"stage {stage} for N={n} failed:\n{done.stderr[-4000:]}")
        return json.loads(Path(result.name).read_text())


def run_stage(stage: str, n: int, url: str, args: argparse.Namespace) -> dict:
    """Run one stage in a fresh interpreter and return its figures."""
    return stage_in_fresh_process("bench.matching", stage, n, url, [
        "--seed", str(args.seed), "--baseline-viewers", str(args.baseline_viewers),
        *(["--profile", str(args.profile.resolve())] if args.profile else [])])


def bench_size(n: int, args: argparse.Namespace) -> dict:
    """All stages for one event size, on a fresh database that is deleted afterwards."""
    with throwaway_database(f"bench-matching-{n}-") as url:
        row = {"n": n}
        for stage in STAGES:
            print(f"N={n:,}: {stage}…", file=sys.stderr, flush=True)
            row.update(run_stage(stage, n, url, args))
        return row


def format_table(rows: list[dict]) -> str:
    header = ["N", "load s", "embed s (texts)", "re-embed", "refresh s", "matcher s", "refresh peak RSS MB",
              "embed peak RSS MB", "seed baseline s", "speed-up", "For You s (warm)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    for r in rows:
        baseline = f"{r['baseline_s']:,.1f}" + ("*" if r["baseline_extrapolated"] else "")
        cells = [f"{r['n']:,}", f"{r['load_s']:.1f}", f"{r['embed_s']:.1f} ({r['embed_texts']:,})",
                 f"{r['reembed_profiles']} profiles, {r['reembed_texts']} texts", f"{r['refresh_s']:.1f}",
                 f"{r['matcher_s']:.1f}", f"{r['refresh_peak_rss_mb']:,.0f}", f"{r['embed_peak_rss_mb']:,.0f}",
                 baseline, f"{r['speedup']:,.1f}×", f"{r['render_s']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    sampled = [r for r in rows if r["baseline_extrapolated"]]
    if sampled:
        lines.append("")
        lines.append("\\* seed baseline extrapolated linearly from " + ", ".join(
            f"{r['baseline_viewers']} sampled viewers × all {r['n']:,} candidates ({r['baseline_measured_s']:.1f} s)"
            for r in sampled) + ".")
    return "\n".join(lines)


def target_checks(rows: list[dict]) -> list[tuple[str, str, str, bool]]:
    """(target, limit, measured, met) at the largest size, plus the all-size checks."""
    top = max(rows, key=lambda r: r["n"])
    at = f"N={top['n']:,}"
    reembed = sum(r["reembed_profiles"] + r["reembed_texts"] + r["refresh_encoded_texts"] for r in rows)
    slowest_render = max(rows, key=lambda r: r["render_s"])
    return [
        (f"refresh excluding embedding, {at}", "≤ 30 s", f"{top['refresh_s']:.1f} s",
         top["refresh_s"] <= TARGETS["refresh_s"]),
        (f"refresh peak RSS, {at}", "≤ 3,072 MB", f"{top['refresh_peak_rss_mb']:,.0f} MB",
         top["refresh_peak_rss_mb"] <= TARGETS["refresh_peak_rss_mb"]),
        (f"embedding {top['embed_profiles']:,} fresh profiles, {at}", "≤ 60 s",
         f"{top['embed_s']:.1f} s ({top['embed_texts']:,} texts)", top["embed_s"] <= TARGETS["embed_s"]),
        ("re-run and refresh embed nothing, all sizes", "0 texts", f"{reembed} texts", reembed == 0),
        ("For You render (warm), all sizes", "< 1 s",
         f"{slowest_render['render_s']:.2f} s at N={slowest_render['n']:,}",
         slowest_render["render_s"] < TARGETS["render_s"]),
    ]


def format_targets(rows: list[dict]) -> str:
    lines = ["| target | limit | measured | met |", "|---|---|---|---|"]
    lines += [f"| {name} | {limit} | {value} | {'yes' if ok else '**no**'} |"
              for name, limit, value, ok in target_checks(rows)]
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    sizes = [int(s) for s in text.split(",") if s.strip()]
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError("sizes are comma-separated integers of at least 2")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated event sizes (default 1000,5000,10000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic attendees and the viewer sample")
    parser.add_argument("--baseline-viewers", type=int, default=200,
                        help="viewers sampled for the seed baseline (default 200)")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--profile", type=Path, help="also profile each refresh into DIR/refresh-N.prof")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def staged_run(args: argparse.Namespace, stages: tuple[str, ...], stage_figures, bench_size
               ) -> tuple[str, list[dict], list[str]] | None:
    """The skeleton the staged benches share. With --stage, this process runs that one stage (`stage_figures(args)`)
    and writes its figures with the source fingerprint to --result, and None is returned. Otherwise every size is
    benched (`bench_size`, a stage per fresh process); returns the code version, the rows and the header lines."""
    if args.stage:
        fingerprint = source_fingerprint()
        args.result.write_text(json.dumps({**stage_figures(args), f"source_{args.stage}": fingerprint}))
        return None
    version = git_version()
    rows = [bench_size(n, args) for n in args.sizes]
    sources = {r[f"source_{stage}"] for r in rows for stage in stages if f"source_{stage}" in r}
    header = [f"Code: {version}, source {'/'.join(sorted(sources))}."]
    if len(sources) > 1:
        header.append("Warning: the application code changed during the run; the rows measured different code.")
    return version, rows, header


def stage_figures(args: argparse.Namespace) -> dict:
    """One stage's figures, in this (fresh) process."""
    if args.stage == "load":
        return stage_load(args.size, args.url, args.seed)
    if args.stage == "embed":
        return stage_embed(args.size, args.url)
    return stage_refresh(args.size, args.url, args.seed, args.baseline_viewers, args.profile)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    run = staged_run(args, STAGES, stage_figures, bench_size)
    if run is None:
        return
    version, rows, header = run
    print("\n".join(header))
    print()
    print(format_table(rows))
    print()
    print(format_targets(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"code": version, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
