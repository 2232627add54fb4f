"""Benchmark of the nightly job, stage by stage and whole, on demo events of growing size.

    .venv/bin/python -m bench.nightly [--attendees 10000] [--sessions 200] [--sizes 1000,5000,10000,20000]
        [--stages people,program,analytics,nightly] [--native] [--json PATH]

For each size N the parent starts a throwaway Postgres (pgserver in a temp dir), migrates it, and runs each stage in a
fresh subprocess, so that `ru_maxrss` is that stage's own peak (the Postgres server's memory is not included):

- load (not timed against a target): the demo event with N attendees from `core.demo.generate_demo_attendees` and a
  program of `--sessions` sessions: the demo's own 40, then the real EuroPython 2022 program (from ../shared; its
  import accepts 152 of the 153), then re-runs of the demo sessions (another seed's speakers) for any beyond that.
- embedding: everything a fresh event embeds, with the real model and a cold cache: the embedding stage of the people
  refresh (`embed_event`) and the texts of the session and speaker refresh, committed. The model is loaded before
  the clock starts. Afterwards, untimed, the texts the analytics and the huddle scan embed are cached too, so that
  every later stage runs with every vector cached, as a nightly run does. The notes under the table give the
  profiles' part (`embed_event`, including its vector store) and the program's part of the time.
- seed baseline: the seed's per-pair Python scoring (seed 000 §8.3, from bench/matching.py) timed on a sample of
  viewers and extrapolated linearly, in a process of its own: run after a refresh in the same process it measured
  1.5-2.4x slower and varied from run to run (most likely the cyclic garbage collector's passes over the refresh's
  objects).
- people refresh: `refresh_recommendations` for the whole event, excluding embedding (every vector cached); its
  ratio is the seed baseline over its time.
- session and speaker refresh: `refresh_program_recommendations`. Afterwards, untimed and after its peak RSS is
  taken, simulated engagement on the stored lists (`seed_demo_activity`), as bench/program.py does before analytics.
- analytics: the `event-analytics` job body.
- whole nightly: the worker's nightly jobs for the event through the job runner (`run_job`, trigger schedule), in the
  order of the schedule: refresh-recommendations (people, then sessions and speakers), event-analytics, huddle-scan.
  Vectors cached, no LLM.

Unless `--native` is given, every stage runs with torch capped at AVX2 (ONEDNN_MAX_CPU_ISA=AVX2,
ATEN_CPU_CAPABILITY=avx2), as on a CPU without AVX-512 and bfloat16: the embedder then picks its runtime
(`EMBEDDING_BACKEND=auto`) among those a CPU without bfloat16 offers. onnxruntime's kernels cannot be capped the same
way (see bench/embedding_speed.py), so its figures are those of this CPU. numpy's OpenBLAS runs its Haswell (AVX2)
kernels on this CPU either way.

`--stages` runs only some stages after the load and the embedding (e.g. `--sizes 100000 --stages people` for the
people refresh of a large event alone).

It prints one table (stage, N, seconds, peak RSS, the seed baseline and the ratio where one exists), the issue's
targets at 10,000 attendees and 200 sessions with met / not met, and each stage's growth exponent across the sizes
(the least-squares slope of log(seconds) on log(N)). Nothing is written unless `--json PATH` is given.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

from bench.database import throwaway_database
from bench.embedding_speed import AVX2_ONLY
from bench.machine import cpu_model, emit
from bench.matching import (
    CountingEmbedder,
    open_session,
    parse_sizes,
    peak_rss_mb,
    seed_baseline,
    stage_in_fresh_process,
    staged_run,
)
from bench.program import EUROPYTHON
from bench.skills import cpu_flag

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1000, 5000, 10000, 20000)
DEMO_SESSIONS = 40  # the demo event's own program (core.demo.generate_demo_program)
STAGES = ("load", "embedding", "baseline", "people", "program", "analytics", "nightly")
OPTIONAL_STAGES = ("people", "program", "analytics", "nightly")  # --stages picks among these
STAGE_NAMES = {"embedding": "embedding of the fresh event", "people": "people refresh (vectors cached)",
               "program": "session and speaker refresh", "analytics": "analytics (event-analytics job)",
               "nightly": "whole nightly job (vectors cached)"}
NIGHTLY_JOBS = ("refresh-recommendations", "event-analytics", "huddle-scan")
TARGET_N, TARGET_SESSIONS = 10000, 200
TARGETS = {"people_s": 12.0, "people_ratio": 25.0, "embedding_s": 30.0, "program_s": 30.0, "nightly_s": 60.0}


def demo_event_id(session) -> int:
    from core.demo.seed import DEMO_EVENT_SLUG
    from core.events.events import get_event

    return get_event(session, DEMO_EVENT_SLUG).id


def embedder_and_settings():
    """The worker's embedder (real model, loaded lazily) behind a counter, and the settings it is built from."""
    from core.ai.wiring import build_embedder
    from core.platform.settings import Settings

    settings = Settings()
    return CountingEmbedder(build_embedder(settings)), settings


# ----------------------------------------------------------------------------------------------- load

def add_program(session, event_id: int, total: int, clock) -> None:
    """Sessions beyond the demo's 40: the EuroPython 2022 program first, then re-runs of the demo sessions."""
    from sqlalchemy import func, select

    from core.demo.generate import generate_demo_program
    from core.demo.seed import DEMO_EVENT_SLUG, DEMO_EVENT_START
    from core.events.program import store_program
    from core.jobs.uploads import import_dataset
    from db.models import ProgramSession

    wanted = total - DEMO_SESSIONS
    europython = json.loads(EUROPYTHON.read_text())[:wanted]
    if europython:
        report = import_dataset(session, kind="sessions", data=json.dumps(europython).encode(),
                                filename=EUROPYTHON.name, event_slug=DEMO_EVENT_SLUG, actor_id=None,
                                clock=clock, max_mb=50, source="bench")
        if not report.ok:
            raise RuntimeError(report.summary())
    wanted = total - session.scalar(select(func.count()).select_from(ProgramSession)
                                    .where(ProgramSession.event_id == event_id))  # the import rejects invalid rows
    rerun = 0
    while wanted > 0:
        rerun += 1
        sessions, speakers = generate_demo_program(seed=7 + rerun, start=DEMO_EVENT_START)
        sessions = sessions[:wanted]
        for item in sessions:
            item["external_id"] = f"rerun{rerun}-{item['external_id']}"
        emails = {e for item in sessions for e in item["speaker_emails"]}
        store_program(session, event_id, sessions, [s for s in speakers if s["email"] in emails])
        wanted -= len(sessions)


def stage_load(n: int, sessions: int, url: str) -> dict:
    """The demo event with N attendees and its program of `sessions` sessions."""
    from sqlalchemy import func, select

    from core.demo.seed import seed_demo
    from core.platform.clock import SystemClock
    from db.models import ProgramSession, Registration, Speaker

    clock = SystemClock()
    with open_session(url) as session:
        started = time.perf_counter()
        seed_demo(session, clock=clock, attendees=n, alumni=0, with_accounts=False)
        event_id = demo_event_id(session)
        add_program(session, event_id, sessions, clock)
        session.commit()
        seconds = time.perf_counter() - started

        def count(model) -> int:
            return session.scalar(select(func.count()).select_from(model).where(model.event_id == event_id))

        figures = {"load_s": seconds, "attendees": count(Registration), "sessions": count(ProgramSession),
                   "speakers": count(Speaker)}
    if figures["attendees"] != n or figures["sessions"] != sessions:
        raise RuntimeError(f"the event holds {figures['attendees']} attendees and {figures['sessions']} sessions, "
                           f"not {n} and {sessions}")
    return {**figures, "load_peak_rss_mb": peak_rss_mb()}


# ----------------------------------------------------------------------------------------------- embedding

def program_texts(session, event_id: int) -> list[str]:
    """The texts the session and speaker refresh embeds: its vocabulary and each session's text (as it builds them)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from core.recommend.people import event_people
    from core.recommend.program import attendee_terms, session_terms, session_text, speaker_terms
    from core.recommend.signals import with_signal_exclusions
    from db.models import ProgramSession, Speaker

    people = with_signal_exclusions(session, event_people(session, event_id))
    sessions = list(session.scalars(select(ProgramSession).where(ProgramSession.event_id == event_id)
                                    .options(selectinload(ProgramSession.speakers))))
    speakers = list(session.scalars(select(Speaker).where(Speaker.event_id == event_id)
                                    .options(selectinload(Speaker.sessions))))
    attendees = [attendee_terms(p) for p in people]
    items = [session_terms(s) for s in sessions]
    experts = [speaker_terms(s) for s in speakers]
    vocabulary = {t for a in attendees for t in (*a.interests, a.role, *a.skills_needed) if t}
    vocabulary |= {t for i in items for t in (*i.topics, *i.outcomes, *i.audience)}
    vocabulary |= {t for e in experts for t in (*e.expertise, *e.offerings)} | {"mentorship"}
    return sorted(vocabulary | {session_text(s) for s in sessions})


def problem_statements(session, event_id: int) -> list[str]:
    """Every attendee's problem statement as the huddle scan embeds it (whitespace collapsed)."""
    from core.recommend.people import event_people

    return [" ".join(p.problem_statement.split()) for p in event_people(session, event_id)
            if (p.problem_statement or "").strip()]


def stage_embedding(url: str, extras: bool = True) -> dict:
    """Embed the fresh event, timed; then cache the analytics' and huddle scan's texts, untimed."""
    from core.ai.embeddings import embed_texts
    from core.analytics.event_analytics import compute_event_analytics
    from core.platform.clock import SystemClock
    from core.recommend.people import embed_event, event_people, match_profile
    from core.recommend.signals import with_signal_exclusions

    embedder, _ = embedder_and_settings()
    started = time.perf_counter()
    embedder.encode(["warm-up"])  # loads the model outside the timed pass
    model_load_s = time.perf_counter() - started
    embedder.calls = embedder.texts = 0
    with open_session(url) as session:
        event_id = demo_event_id(session)
        people = with_signal_exclusions(session, event_people(session, event_id))  # as prepare_event sees them
        texts = program_texts(session, event_id)
        started = time.perf_counter()
        embedded = embed_event(session, embedder, people, [match_profile(i, p) for i, p in enumerate(people)])
        profiles_s = time.perf_counter() - started
        embed_texts(session, embedder, texts)
        session.commit()
        seconds = time.perf_counter() - started
        figures = {"embedding_s": seconds, "profiles_embedding_s": profiles_s, "embedding_texts": embedder.texts,
                   "embedding_profiles": embedded.updated_profiles, "program_texts": len(texts),
                   "model_load_s": model_load_s, "embedding_peak_rss_mb": peak_rss_mb(),
                   "embedding_runtime": embedder.inner.runtime}
        if not extras:  # no analytics or nightly stage follows
            return {**figures, "other_texts": 0, "other_embedding_s": 0.0}
        before = embedder.texts
        started = time.perf_counter()
        compute_event_analytics(session, event_id=event_id, now=SystemClock().now(), embedder=embedder)
        embed_texts(session, embedder, problem_statements(session, event_id))
        session.commit()
    return {**figures, "other_texts": embedder.texts - before, "other_embedding_s": time.perf_counter() - started}


# ----------------------------------------------------------------------------------------------- refreshes

def stage_baseline(url: str, viewers: int, seed: int) -> dict:
    """The seed baseline on the event's people."""
    from core.recommend.people import event_people

    with open_session(url) as session:
        return seed_baseline(event_people(session, demo_event_id(session)), viewers, seed)


def stage_people(url: str) -> dict:
    """The people refresh with every vector cached."""
    from core.platform.clock import SystemClock
    from core.recommend.people import refresh_recommendations
    from db.models import Event

    embedder, _ = embedder_and_settings()
    with open_session(url) as session:
        event_id = demo_event_id(session)
        event = session.get_one(Event, event_id)
        started = time.perf_counter()
        report = refresh_recommendations(session, event=event, embedder=embedder, clock=SystemClock())
        session.commit()
        return {"people_s": time.perf_counter() - started, "people_peak_rss_mb": peak_rss_mb(),
                "people_matcher_s": report.seconds_matching, "people_recommendations": report.recommendations,
                "people_texts": embedder.texts}


def stage_program(url: str) -> dict:
    """The session and speaker refresh; then, untimed, simulated engagement on the stored lists."""
    from core.demo.seed import seed_demo_activity
    from core.platform.clock import SystemClock
    from core.recommend.program import refresh_program_recommendations
    from db.models import Event

    embedder, _ = embedder_and_settings()
    clock = SystemClock()
    with open_session(url) as session:
        event = session.get_one(Event, demo_event_id(session))
        started = time.perf_counter()
        report = refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock)
        session.commit()
        figures = {"program_s": time.perf_counter() - started, "program_peak_rss_mb": peak_rss_mb(),
                   "session_recommendations": report.session_recommendations,
                   "speaker_recommendations": report.speaker_recommendations, "program_texts_encoded": embedder.texts}
        started = time.perf_counter()
        figures["activity"] = seed_demo_activity(session, event_id=event.id, clock=clock)
        session.commit()
    return {**figures, "activity_s": time.perf_counter() - started}


def stage_analytics(url: str) -> dict:
    """The event-analytics job body for the event, committed."""
    from core.analytics.event_analytics import analytics_job
    from core.platform.clock import SystemClock
    from core.platform.job_context import JobContext
    from db.models import JobTrigger

    embedder, settings = embedder_and_settings()
    with open_session(url) as session:
        context = JobContext(session=session, clock=SystemClock(), event_id=demo_event_id(session),
                             embedder=embedder, settings=settings, trigger=JobTrigger.MANUAL,
                             checkpoint=session.commit)
        started = time.perf_counter()
        analytics_job(context)
        session.commit()
        seconds = time.perf_counter() - started
    return {"analytics_s": seconds, "analytics_peak_rss_mb": peak_rss_mb(), "analytics_texts": embedder.texts}


def stage_nightly(url: str) -> dict:
    """The nightly jobs for the event through the job runner, as the worker runs them, without an LLM."""
    from core.demo.seed import DEMO_EVENT_SLUG
    from core.jobs.runner import run_job
    from core.platform.clock import SystemClock
    from db.engine import make_engine
    from db.models import JobRunStatus, JobTrigger

    embedder, settings = embedder_and_settings()
    engine = make_engine(url)
    jobs: dict[str, float] = {}
    counts: dict[str, dict] = {}
    started = time.perf_counter()
    try:
        for job_id in NIGHTLY_JOBS:
            job_started = time.perf_counter()
            run = run_job(job_id, engine=engine, clock=SystemClock(), event_slug=DEMO_EVENT_SLUG,
                          trigger=JobTrigger.SCHEDULE, embedder=embedder, settings=settings, llm=None)
            if run.status != JobRunStatus.SUCCEEDED:
                raise RuntimeError(f"{job_id} {run.status}: {run.error}")
            jobs[job_id], counts[job_id] = time.perf_counter() - job_started, run.counts
    finally:
        engine.dispose()
    return {"nightly_s": time.perf_counter() - started, "nightly_peak_rss_mb": peak_rss_mb(), "nightly_jobs": jobs,
            "nightly_counts": counts, "nightly_texts": embedder.texts}


# ----------------------------------------------------------------------------------------------- parent

def run_stage(stage: str, n: int, url: str, args: argparse.Namespace) -> dict:
    """Run one stage in a fresh interpreter and return its figures."""
    return stage_in_fresh_process("bench.nightly", stage, n, url, [
        "--sessions", str(args.sessions), "--seed", str(args.seed), "--baseline-viewers", str(args.baseline_viewers),
        "--stages", ",".join(args.stages)], {} if args.native else AVX2_ONLY)


def bench_size(n: int, args: argparse.Namespace) -> dict:
    """Every stage for one event size, on a fresh database that is deleted afterwards."""
    with throwaway_database(f"bench-nightly-{n}-") as url:
        row: dict = {"n": n}
        chosen = {"load", "embedding", *args.stages} | ({"baseline"} if "people" in args.stages else set())
        for stage in (s for s in STAGES if s in chosen):
            print(f"N={n:,}: {stage}…", file=sys.stderr, flush=True)
            row.update(run_stage(stage, n, url, args))
        if "people" in args.stages:
            row["people_ratio"] = row["baseline_s"] / row["people_s"]
        return row


def growth_exponent(rows: list[dict], stage: str) -> float | None:
    """The least-squares slope of log(seconds) on log(N); None with fewer than two sizes."""
    points = [(math.log(r["n"]), math.log(r[f"{stage}_s"])) for r in rows if r.get(f"{stage}_s", 0) > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    return (sum((x - mean_x) * (y - mean_y) for x, y in points)
            / sum((x - mean_x) ** 2 for x, _ in points))


def format_table(rows: list[dict]) -> str:
    lines = ["| stage | N | seconds | peak RSS MB | seed baseline s | ratio |", "|---|---:|---:|---:|---:|---:|"]
    for stage in STAGE_NAMES:
        for r in (r for r in rows if f"{stage}_s" in r):
            baseline, ratio = "—", "—"
            if stage == "people":
                baseline, ratio = f"{r['baseline_s']:,.1f}*", f"{r['people_ratio']:,.1f}×"
            lines.append(f"| {STAGE_NAMES[stage]} | {r['n']:,} | {r[f'{stage}_s']:.1f} | "
                         f"{r[f'{stage}_peak_rss_mb']:,.0f} | {baseline} | {ratio} |")
    lines += ["", "\\* the seed's per-pair scoring (top 10 per attendee), extrapolated linearly from " + ", ".join(
        f"{r['baseline_viewers']} sampled viewers × all {r['n']:,} ({r['baseline_measured_s']:.1f} s)"
        for r in rows if "baseline_s" in r)
        + "; ratio = seed baseline / people refresh."]
    return "\n".join(lines)


def target_checks(rows: list[dict], sessions: int) -> list[tuple[str, str, str, bool | None]]:
    """(target, limit, measured, met) at 10,000 attendees (and 200 sessions); met is None when not measured."""
    row = next((r for r in rows if r["n"] == TARGET_N), None)

    def check(name: str, limit: str, key: str, unit: str, at_least: bool = False, program: bool = False):
        if row is None or key not in row or (program and sessions != TARGET_SESSIONS):
            return name, limit, "not measured", None
        value = row[key]
        return name, limit, f"{value:,.1f}{unit}", value >= TARGETS[key] if at_least else value <= TARGETS[key]

    return [check("people refresh, 10k", "≤ 12 s", "people_s", " s"),
            check("people refresh vs the seed baseline, 10k", "≥ 25×", "people_ratio", "×", at_least=True),
            check("embedding of the fresh event, 10k", "≤ 30 s", "embedding_s", " s"),
            check("session and speaker refresh, 10k × 200", "≤ 30 s", "program_s", " s", program=True),
            check("whole nightly job, 10k", "≤ 60 s", "nightly_s", " s")]


def format_targets(rows: list[dict], sessions: int) -> str:
    shown = {True: "yes", False: "**no**", None: "—"}
    return "\n".join(["| target | limit | measured | met |", "|---|---|---:|---|"]
                     + [f"| {name} | {limit} | {value} | {shown[met]} |"
                        for name, limit, value, met in target_checks(rows, sessions)])


def format_growth(rows: list[dict]) -> str:
    lines = ["| stage | growth exponent (time ∝ N^k) |", "|---|---:|"]
    for stage, name in STAGE_NAMES.items():
        k = growth_exponent(rows, stage)
        lines.append(f"| {name} | {'—' if k is None else f'{k:.2f}'} |")
    return "\n".join(lines)


def format_notes(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        cached = sum(r.get(key, 0) for key in ("people_texts", "program_texts_encoded", "analytics_texts",
                                                "nightly_texts"))
        parts = [f"- N={r['n']:,} ({r['attendees']:,} attendees, {r['sessions']} sessions, {r['speakers']} speakers; "
                 f"loaded in {r['load_s']:.1f} s): embedded {r['embedding_texts']:,} texts for "
                 f"{r['embedding_profiles']:,} profiles ({r['profiles_embedding_s']:.1f} s) and the program "
                 f"({r['embedding_s'] - r['profiles_embedding_s']:.1f} s); cached untimed {r['other_texts']:,} more "
                 f"for analytics and huddles ({r['other_embedding_s']:.1f} s); texts embedded by the cached stages: "
                 f"{cached}."]
        if "people_matcher_s" in r:
            parts.append(f"Matcher {r['people_matcher_s']:.1f} s of the people refresh.")
        if "nightly_jobs" in r:
            jobs = ", ".join(f"{job} {seconds:.1f} s" for job, seconds in r["nightly_jobs"].items())
            parts.append(f"Nightly: {jobs}; {r['nightly_counts']['huddle-scan'].get('problem_huddles', 0)} problem "
                         "huddles.")
        lines.append(" ".join(parts))
    return "\n".join(lines)


def stage_list(text: str) -> list[str]:
    stages = [s.strip() for s in text.split(",") if s.strip()]
    unknown = sorted(set(stages) - set(OPTIONAL_STAGES))
    if unknown or not stages:
        raise argparse.ArgumentTypeError(f"stages are some of {', '.join(OPTIONAL_STAGES)}; got {text!r}")
    return stages


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.nightly", description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int,
                        help="one event size; with --sizes, added to them (default sizes 1000,5000,10000,20000)")
    parser.add_argument("--sizes", type=parse_sizes, help="comma-separated event sizes")
    parser.add_argument("--sessions", type=int, default=TARGET_SESSIONS,
                        help=f"sessions in the program, at least the demo's {DEMO_SESSIONS} (default 200)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the viewer sample for the seed baseline")
    parser.add_argument("--baseline-viewers", type=int, default=200,
                        help="viewers sampled for the seed baseline (default 200)")
    parser.add_argument("--stages", type=stage_list, default=list(OPTIONAL_STAGES),
                        help="comma-separated stages after the load and the embedding (default: "
                             f"{','.join(OPTIONAL_STAGES)}); people brings the seed baseline")
    parser.add_argument("--native", action="store_true",
                        help="let torch use every kernel of this CPU (default: capped at AVX2, as without bfloat16)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sessions < DEMO_SESSIONS:
        parser.error(f"--sessions must be at least {DEMO_SESSIONS}, the demo event's own program")
    sizes = args.sizes or ([] if args.attendees else list(DEFAULT_SIZES))
    args.sizes = sorted(set(sizes) | ({args.attendees} if args.attendees else set()))
    return args


def stage_figures(args: argparse.Namespace) -> dict:
    """One stage's figures, in this (fresh) process."""
    if args.stage == "load":
        return stage_load(args.size, args.sessions, args.url)
    elif args.stage == "embedding":
        return stage_embedding(args.url, extras=bool({"analytics", "nightly"} & set(args.stages)))
    elif args.stage == "baseline":
        return stage_baseline(args.url, args.baseline_viewers, args.seed)
    elif args.stage == "people":
        return stage_people(args.url)
    elif args.stage == "program":
        return stage_program(args.url)
    elif args.stage == "analytics":
        return stage_analytics(args.url)
    else:
        return stage_nightly(args.url)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    run = staged_run(args, STAGES, stage_figures, bench_size)
    if run is None:
        return
    version, rows, lines = run
    runtimes = ", ".join(sorted({r["embedding_runtime"] for r in rows}))
    torch_kernels = "native" if args.native else "capped at AVX2 (no AVX-512, no bfloat16)"
    lines += [f"CPU: {cpu_model()} ({os.cpu_count()} cores; avx512_bf16 {'yes' if cpu_flag('avx512_bf16') else 'no'}; "
              f"torch {torch_kernels}; embedding runtime {runtimes}). Demo event, {args.sessions} sessions, "
              "no LLM.", "", format_table(rows), "", format_targets(rows, args.sessions), "", format_growth(rows),
              "", format_notes(rows)]
    emit("\n".join(lines), {"code": version, "cpu": cpu_model(), "sessions": args.sessions, "rows": rows},
         args.json)


if __name__ == "__main__":
    main()
