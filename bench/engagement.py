"""Benchmark of the engagement scores (seed 003, AI system 6) for a large community.

    .venv/bin/python -m bench.engagement [--people 100000] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): N people (half with most profile fields filled, 2% opted out of
analytics), N/500 events (one in seven still to come) with 2 N registrations (most checked in), 3 N connections,
N/2 meetings held, N/2 huddle participations, N/4 follow-ups sent, N/2 connection feedbacks, N/20 capsules with N
capsule views, and 3 N messages spread over the last 90 days, generated with numpy from a fixed seed and loaded with
COPY (generation and loading are timed separately and not counted). Then, timed: the first recalculation of everyone
as the job runs it (read the signals, compute, store every score and history row, award every badge with its
notification, rank, commit) against the 60 s target, a second one with nothing changed, one person's recalculation,
the two leaderboards, and one person's own place on the all-time board (their stored rank).
"""
from __future__ import annotations

import argparse
import os
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit

TARGET_S = 60.0
NOW = datetime(2026, 6, 1, 2, 40, tzinfo=UTC)


def _times(rng: np.random.Generator, count: int, days: int) -> list[datetime]:
    """`count` times in the `days` before NOW, more of them recent."""
    back = (rng.power(0.6, count) * days * 86400).astype(int)
    return [NOW - timedelta(seconds=int(s)) for s in back]


def _pairs(rng: np.random.Generator, people: int, count: int) -> np.ndarray:
    """`count` distinct ordered pairs (a < b) of people, a heavy tail of well-connected people."""
    weights = 1.0 / np.arange(1, people + 1) ** 0.5
    weights /= weights.sum()
    a, b = rng.choice(people, count, p=weights) + 1, rng.integers(1, people + 1, count)
    pairs = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)]), axis=0)
    return pairs[pairs[:, 0] != pairs[:, 1]]


def generate(people: int, seed: int = 6) -> dict[str, list[tuple]]:
    """Every table's rows as tuples in COPY column order; reproducible for a seed."""
    rng = np.random.default_rng(seed)
    filled = rng.random(people) < 0.5
    opted_out = rng.random(people) < 0.02
    data: dict[str, list[tuple]] = {}
    data["people"] = [
        (n, f"person{n}@bench.example", f"Person{n}", "Bench", "", "", [], [],
         ["Python", "SQL"] if f else [], ["Leadership"] if f else [], "A bio" if f else None,
         "Software" if f else None, f"https://linkedin.example/{n}" if f else None, False,
         "PENDING", "TIER_0_PENDING", '{"analytics_participation": false}' if o else "{}")
        for n, f, o in zip(range(1, people + 1), filled.tolist(), opted_out.tolist(), strict=True)]
    events = max(1, people // 500)
    starts = rng.integers(-180, 31, events)  # days from NOW: an event counts as attended once it has started
    data["events"] = [(n, f"event-{n}", f"Event {n}", "UTC", (NOW + timedelta(days=int(d))).date())
                      for n, d in zip(range(1, events + 1), starts.tolist(), strict=True)]
    registrations = np.unique(np.column_stack([rng.integers(1, events + 1, 2 * people),
                                               rng.integers(1, people + 1, 2 * people)]), axis=0)
    checked = _times(rng, len(registrations), 180)
    data["registrations"] = [(int(e), int(p), checked[i] - timedelta(days=30), checked[i] if i % 5 else None)
                             for i, (e, p) in enumerate(registrations)]
    pairs = _pairs(rng, people, 3 * people)
    made = _times(rng, len(pairs), 365)
    data["connections"] = [(n + 1, int(a), int(b), "recommendation", "active", made[n])
                           for n, (a, b) in enumerate(pairs)]
    meeting_pairs = pairs[rng.choice(len(pairs), people // 2, replace=False)]
    held = _times(rng, len(meeting_pairs), 180)
    data["meetings"] = [(int(rng.integers(1, events + 1)), int(a), int(b), "accepted", int(a), "[]", "", held[n],
                         held[n], held[n] + timedelta(minutes=30)) for n, (a, b) in enumerate(meeting_pairs)]
    huddles = max(1, people // 100)
    data["huddles"] = [(n, int(rng.integers(1, events + 1)), f"Topic {n}", "") for n in range(1, huddles + 1)]
    joined = np.unique(np.column_stack([rng.integers(1, huddles + 1, people // 2),
                                        rng.integers(1, people + 1, people // 2)]), axis=0)
    attended = _times(rng, len(joined), 180)
    data["huddle_participants"] = [(int(h), int(p), "attended", attended[n]) for n, (h, p) in enumerate(joined)]
    follow_ups = rng.choice(len(pairs), people // 4, replace=False)
    sent = _times(rng, len(follow_ups), 180)
    data["follow_up_drafts"] = [(int(c) + 1, int(rng.integers(1, events + 1)), int(pairs[c][0]), int(pairs[c][1]),
                                 "Great to meet you", "template", "sent", sent[n], sent[n])
                                for n, c in enumerate(follow_ups)]
    rated = rng.choice(len(pairs), people // 2, replace=False)
    rated_at = _times(rng, len(rated), 180)
    data["connection_feedback"] = [(int(c) + 1, int(pairs[c][n % 2]), 4, [], [], "", rated_at[n])
                                   for n, c in enumerate(rated)]
    capsules = max(1, people // 20)
    authors = rng.integers(1, people + 1, capsules)
    written = _times(rng, capsules, 365)
    data["knowledge_capsules"] = [
        (n, f"capsule-{n}", f"Capsule {n}", "Some knowledge", [], int(a), f"Person{a}", 5, "written", written[n - 1],
         int(rng.integers(0, 200)), int(rng.integers(0, 20)), int(rng.integers(0, 10)))
        for n, a in enumerate(authors.tolist(), start=1)]
    views = _times(rng, people, 60)
    view_rows = {}
    for n, (c, p) in enumerate(zip(rng.integers(1, capsules + 1, people), rng.integers(1, people + 1, people),
                                   strict=True)):
        day = views[n].replace(hour=0, minute=0, second=0, microsecond=0)
        view_rows[(int(c), int(p), day)] = views[n]
    data["capsule_views"] = [(c, p, day, at) for (c, p, day), at in view_rows.items()]
    threads = pairs[: min(len(pairs), people)]
    data["message_threads"] = [(n + 1, int(a), int(b), NOW - timedelta(days=90)) for n, (a, b) in enumerate(threads)]
    message_threads = rng.integers(0, len(threads), 3 * people)
    written_at = _times(rng, 3 * people, 90)
    data["messages"] = [(int(t) + 1, int(threads[t][n % 2]), "Hello", written_at[n])
                        for n, t in enumerate(message_threads.tolist())]
    return data


COPY_COLUMNS = {
    "people": ("id", "email", "first_name", "last_name", "company", "role", "interests", "goals", "skills_offered",
               "skills_needed", "bio", "industry", "linkedin_url", "allow_enrichment", "enrichment_status",
               "enrichment_tier", "consents"),
    "events": ("id", "slug", "name", "timezone", "starts_on"),
    "registrations": ("event_id", "person_id", "registered_at", "checked_in_at"),
    "connections": ("id", "person_a_id", "person_b_id", "source", "status", "created_at"),
    "meetings": ("event_id", "requester_id", "recipient_id", "status", "proposed_by", "proposed_slots", "message",
                 "created_at", "starts_at", "ends_at"),
    "huddles": ("id", "event_id", "topic", "problem_statement"),
    "huddle_participants": ("huddle_id", "person_id", "status", "attended_at"),
    "follow_up_drafts": ("connection_id", "event_id", "author_id", "recipient_id", "body", "source", "status",
                         "created_at", "sent_at"),
    "connection_feedback": ("connection_id", "person_id", "rating", "positive_factors", "negative_factors",
                            "comment", "created_at"),
    "knowledge_capsules": ("id", "natural_key", "title", "content", "tags", "author_person_id", "author_name",
                           "duration_minutes", "source", "created_at", "views_count", "likes_count",
                           "bookmarks_count"),
    "capsule_views": ("capsule_id", "person_id", "day", "viewed_at"),
    "message_threads": ("id", "person_a_id", "person_b_id", "created_at"),
    "messages": ("thread_id", "sender_id", "body", "created_at"),
}


def load(engine, data: dict[str, list[tuple]]) -> None:
    """COPY the generated rows in, then analyse and move the id sequences past them."""
    with engine.raw_connection() as raw:
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            for table, columns in COPY_COLUMNS.items():
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in data[table]:
                        copy.write_row(row)
                cursor.execute(f"ANALYZE {table}")
                if "id" in columns:
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT max(id) FROM {table}))")
        connection.commit()


def run(people: int) -> dict:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.community.engagement import recalculate
    from core.community.leaderboards import Timeframe, leaderboard, stored_place
    from core.platform.clock import FixedClock
    from db.engine import make_engine
    from db.models import EngagementScore, Notification, PersonBadge

    clock = FixedClock(NOW)
    figures: dict = {"people": people, "cpu": cpu_model(), "cores": os.cpu_count()}
    started = time.perf_counter()
    data = generate(people)
    figures["generate_s"] = time.perf_counter() - started
    figures["rows"] = {table: len(rows) for table, rows in data.items()}
    with throwaway_database("bench-engagement-") as url:
        engine = make_engine(url)
        started = time.perf_counter()
        load(engine, data)
        figures["copy_s"] = time.perf_counter() - started
        del data
        for run_name in ("first", "second"):
            with Session(engine) as session:
                started = time.perf_counter()
                report = recalculate(session, clock=clock)
                session.commit()
                figures[f"{run_name}_s"] = time.perf_counter() - started
                figures[run_name] = report.counts()
        with Session(engine) as session:
            started = time.perf_counter()
            recalculate(session, clock=clock, person_ids=[1])
            session.commit()
            figures["one_s"] = time.perf_counter() - started
            for timeframe in Timeframe:
                started = time.perf_counter()
                leaderboard(session, timeframe=timeframe, now=NOW)
                figures[f"leaderboard_{timeframe.value}_s"] = time.perf_counter() - started
            started = time.perf_counter()
            stored_place(session, 1)
            figures["own_place_s"] = time.perf_counter() - started
            figures["levels"] = dict(session.execute(
                select(EngagementScore.level, func.count()).group_by(EngagementScore.level)).all())
            figures["badges"] = session.scalar(select(func.count()).select_from(PersonBadge))
            figures["notifications"] = session.scalar(select(func.count()).select_from(Notification))
        engine.dispose()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def format_report(r: dict) -> str:
    measured = r["first_s"]
    met = "yes" if measured <= TARGET_S else "**no**"
    ratio = f"{TARGET_S / measured:.1f}× under" if measured <= TARGET_S else f"{measured / TARGET_S:.1f}× over"
    rows = ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in r["rows"].items() if table != "people")
    return "\n".join([
        f"Engagement scores: {r['people']:,} people with {rows} (generated in {r['generate_s']:.1f} s, loaded with "
        f"COPY in {r['copy_s']:.1f} s; neither is counted).", "",
        *TARGET_TABLE,
        f"| first recalculation of everyone as the job runs it ({r['first']['changed']:,} scores and history rows, "
        f"{r['first']['badges']:,} badges with their notifications, ranks, commit) | {measured:.2f} s "
        f"| ≤ {TARGET_S:.0f} s | {ratio} | {met} |",
        f"| second recalculation, nothing changed ({r['second']['changed']} history rows, {r['second']['badges']} "
        f"badges) | {r['second_s']:.2f} s | | | |",
        f"| one person's recalculation (with the re-rank of everyone) | {r['one_s']:.2f} s | | | |",
        f"| all-time leaderboard, top 50 | {r['leaderboard_all_time_s']:.2f} s | | | |",
        f"| monthly leaderboard, top 50 | {r['leaderboard_month_s']:.2f} s | | | |",
        f"| one person's place on the all-time board (stored rank) | {r['own_place_s']:.3f} s | | | |", "",
        "Levels: " + ", ".join(f"{level} {n:,}" for level, n in sorted(r["levels"].items(), key=lambda i: -i[1]))
        + f"; badges {r['badges']:,}, notifications {r['notifications']:,}.",
        f"Peak RSS of this process (the generated data included): {r['peak_rss_mb']:.0f} MB.",
        f"CPU: {r['cpu']} ({r['cores']} cores).",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.engagement", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100000, help="people in the community (100000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.people)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
