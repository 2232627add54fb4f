"""Benchmark of the personal agenda builder on synthetic 3-day programs, against greedy plans.

    .venv/bin/python -m bench.agenda [--sizes 150,1500] [--repeats 15] [--programs 20] [--json PATH]

For each size N it generates a seeded 3-day program of N sessions (parallel rooms filled 09:00–18:00 with
30–90 minute sessions and 10–15 minute breaks, as many rooms as N needs; random scores, a few at zero) and times:
- optimal: `core.agenda.build_agenda` with a 10-minute walking gap, including the conflict and alternative
  report, as the median of `--repeats` runs. The target is 1 s for a 3-day agenda of 150 sessions.
- greedy by score and greedy by earliest end: the naive plans (take the next session unless it clashes with one
  already taken), timed the same way, with the total score each loses against the optimal plan.
Brute force over all subsets is out of reach at these sizes (2^150 subsets); the unit tests compare with it on
small programs. The quality loss is also averaged over `--programs` further seeded programs of each size.
Nothing is written unless `--json PATH` is given.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.agenda.planner import AgendaCandidate, build_agenda, clashes

DEFAULT_SIZES = (150, 1500)
TARGET_SIZE = 150
TARGET_S = 1.0
DAYS = 3
FIRST_DAY = datetime(2025, 6, 3, tzinfo=UTC)
DAY_START = timedelta(hours=9)
DAY_END = timedelta(hours=18)
LENGTHS_MIN = (30, 30, 45, 45, 60, 90)
BREAKS_MIN = (10, 15)
TRACKS = ("AI", "Cloud", "Security", "Data", "Product", "Careers", "Fintech", "Hardware")
MIN_GAP = timedelta(minutes=10)


def synthetic_program(n: int, seed: int) -> tuple[list[AgendaCandidate], int]:
    """N sessions over three days, filling one room-day after another, and how many parallel rooms that took."""
    rng = random.Random(seed)
    sessions: list[AgendaCandidate] = []
    room = 0
    while len(sessions) < n:
        for day in range(DAYS):
            clock = FIRST_DAY + timedelta(days=day) + DAY_START
            closing = FIRST_DAY + timedelta(days=day) + DAY_END
            while len(sessions) < n:
                ends = clock + timedelta(minutes=rng.choice(LENGTHS_MIN))
                if ends > closing:
                    break
                track = rng.choice(TRACKS)
                score = 0.0 if rng.random() < 0.1 else round(rng.random(), 3)
                sessions.append(AgendaCandidate(len(sessions) + 1, clock, ends, score,
                                                f"{track} talk {len(sessions) + 1}", track))
                clock = ends + timedelta(minutes=rng.choice(BREAKS_MIN))
        room += 1
    return sessions, room


def greedy_plan(candidates: list[AgendaCandidate], order: Callable[[AgendaCandidate], tuple]) -> float:
    """Total score of taking sessions in `order`, skipping any that clash with one already taken."""
    taken: list[AgendaCandidate] = []
    for candidate in sorted((c for c in candidates if c.score > 0), key=order):
        if not any(clashes(candidate, t, MIN_GAP) for t in taken):
            taken.append(candidate)
    return sum(t.score for t in taken)


def by_score(candidate: AgendaCandidate) -> tuple:
    """Greedy order: highest score first."""
    return -candidate.score, candidate.session_id


def by_earliest_end(candidate: AgendaCandidate) -> tuple:
    """Greedy order: earliest end first (optimal when every score is equal)."""
    return candidate.ends_at, candidate.session_id


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` calls, after one untimed warm-up call."""
    run()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def loss_percent(optimal: float, other: float) -> float:
    """How much of the optimal total another plan gives up, in percent."""
    return 100 * (optimal - other) / optimal if optimal else 0.0


def bench_size(n: int, seed: int, repeats: int, programs: int) -> dict:
    """Timings on one program of N sessions, and greedy's quality loss over `programs` more."""
    candidates, rooms = synthetic_program(n, seed)
    plan = build_agenda(candidates, min_gap=MIN_GAP)
    row = {"n": n, "rooms": rooms, "chosen": len(plan.chosen), "conflicts": len(plan.conflicts),
           "optimal_score": plan.total_score,
           "optimal_s": median_seconds(lambda: build_agenda(candidates, min_gap=MIN_GAP), repeats)}
    for name, order in (("greedy_score", by_score), ("greedy_end", by_earliest_end)):
        total = greedy_plan(candidates, order)
        if total > plan.total_score + 1e-9:
            raise RuntimeError(f"{name} beat the optimal plan at N={n}: {total} > {plan.total_score}")
        row[f"{name}_score"] = total
        row[f"{name}_s"] = median_seconds(lambda order=order: greedy_plan(candidates, order), repeats)
        losses = []
        for extra in range(1, programs + 1):
            program, _ = synthetic_program(n, seed + extra)
            losses.append(loss_percent(build_agenda(program, min_gap=MIN_GAP).total_score,
                                       greedy_plan(program, order)))
        row[f"{name}_mean_loss_pct"] = statistics.mean(losses) if losses else None
        row[f"{name}_worst_loss_pct"] = max(losses) if losses else None
    return row


def milliseconds(seconds: float) -> str:
    """Seconds shown as milliseconds."""
    return f"{seconds * 1000:,.2f} ms"


def format_timing(rows: list[dict]) -> str:
    """The markdown table of measured time against the target."""
    lines = ["| case | measured (median) | target | ratio | met |", "|---|---:|---:|---:|---|"]
    for r in rows:
        case = f"`build_agenda`, 3 days, {r['n']:,} sessions in {r['rooms']} rooms"
        if r["n"] == TARGET_SIZE:
            ratio = TARGET_S / r["optimal_s"]
            lines.append(f"| {case} | {milliseconds(r['optimal_s'])} | ≤ {TARGET_S:.0f} s | "
                         f"{ratio:,.0f}× under the target | {'yes' if r['optimal_s'] <= TARGET_S else '**no**'} |")
        else:
            lines.append(f"| {case} (scaling) | {milliseconds(r['optimal_s'])} | — | — | — |")
    return "\n".join(lines)


def format_quality(rows: list[dict], programs: int) -> str:
    """The markdown table of the optimal plan against the greedy ones."""
    lines = ["| N | plan | median time | total score | lost vs optimal | mean / worst loss over "
             f"{programs} more programs |", "|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['n']:,} | optimal (DP), {r['chosen']} sessions, {r['conflicts']} conflicts reported | "
                     f"{milliseconds(r['optimal_s'])} | {r['optimal_score']:.2f} | — | — |")
        for name, label in (("greedy_score", "greedy by score"), ("greedy_end", "greedy by earliest end")):
            spread = "—" if r[f"{name}_mean_loss_pct"] is None else (
                f"{r[f'{name}_mean_loss_pct']:.1f}% / {r[f'{name}_worst_loss_pct']:.1f}%")
            lines.append(f"| {r['n']:,} | {label} | {milliseconds(r[f'{name}_s'])} | {r[f'{name}_score']:.2f} | "
                         f"{loss_percent(r['optimal_score'], r[f'{name}_score']):.1f}% | {spread} |")
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    """The --sizes argument: comma-separated session counts."""
    sizes = [int(s) for s in text.split(",") if s.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are comma-separated positive integers")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.agenda", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated program sizes (default 150,1500)")
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per plan; the median is reported")
    parser.add_argument("--programs", type=int, default=20, help="extra seeded programs for the quality loss")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    rows = [bench_size(n, args.seed, args.repeats, args.programs) for n in args.sizes]
    print(f"Walking gap between sessions: {MIN_GAP.seconds // 60} min. Scores uniform in [0, 1), 10% at zero.")
    print()
    print(format_timing(rows))
    print()
    print(format_quality(rows, args.programs))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
