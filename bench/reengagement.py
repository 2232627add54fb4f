"""Benchmark of the re-engagement profiles (seed 002) for a large community.

    .venv/bin/python -m bench.reengagement [--users 100000] [--loop-sample 200] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): N users (half of them with most profile fields filled), 10 N
orders, N/5 past events with about 5 N participations (a few members attend often, most rarely; some participants
are not members), and 3 N messages, generated with numpy from a fixed seed and loaded with COPY (generation and
loading are timed separately and not counted). Then, timed: loading the four tables into frames, computing every
profile, and the whole refresh as the job runs it (load, input hashes, compute, bulk upsert of every row, commit)
against the 30 s target; a second refresh with nothing changed writes no rows. In the same run, the seed's own
approach (a Python loop per user that filters all events by email, orders and messages by id, then computes the
fields) is timed on a sample of users and extrapolated to N. Peak RSS is this process's (not the Postgres server's).
"""
from __future__ import annotations

import argparse
import os
import resource
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit

TARGET_S = 30.0
AS_OF = date(2024, 6, 1)
INTERESTS = ["hiking", "photography", "cooking", "wine", "jazz", "yoga", "running", "board games", "film", "travel"]
CUISINES = ["Italian", "Thai", "Japanese", "Mexican", "Indian", "French", "Korean", "Ethiopian"]
DIETS = ["vegetarian", "vegan", "gluten-free", "halal", "kosher"]
OCCUPATIONS = ["Software Engineer", "Designer", "Teacher", "Nurse", "Chef", "Lawyer", "Analyst", "Writer"]
PLACES = ["Mission District", "SOMA", "Nob Hill", "Castro", "Sunset", "Richmond", "Marina", "Dogpatch"]
EVENT_TYPES = ["wine_tasting", "cooking_class", "dinner", "brunch", "supper_club", "workshop"]
HOSTS = [f"Chef {n}" for n in ("Mario", "Ploy", "Ana", "Kenji", "Lola", "Raj", "Sam", "Ines", "Omar", "Yuki")]
VENUES = [f"Venue {n}" for n in range(60)]


def _pick(rng: np.random.Generator, choices: list[str], count: int, most: int) -> list[list[str]]:
    """`count` lists of 0..`most` distinct choices each."""
    sizes = rng.integers(0, most + 1, count)
    return [list(rng.choice(choices, size, replace=False)) if size else [] for size in sizes]


def generate(users: int, seed: int = 2) -> dict[str, list[tuple]]:
    """The four tables' rows as tuples in COPY column order; reproducible for a seed."""
    rng = np.random.default_rng(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    filled = rng.random(users) < 0.5

    def maybe(values):  # a field filled for about half of the members
        return [v if f else None for v, f in zip(values, filled, strict=True)]

    ages = rng.integers(21, 70, users)
    user_rows = list(zip(
        [f"u{n}" for n in range(users)], [f"member{n}@bench.example" for n in range(users)],
        [f"Member {n}" for n in range(users)], _pick(rng, INTERESTS, users, 3), _pick(rng, CUISINES, users, 3),
        _pick(rng, DIETS, users, 1), maybe(ages.tolist()), maybe(rng.choice(["Female", "Male"], users).tolist()),
        maybe(rng.choice(OCCUPATIONS, users).tolist()), maybe(rng.choice(["Single", "Married"], users).tolist()),
        maybe(rng.choice(["communal", "private"], users).tolist()), maybe(rng.choice(PLACES, users).tolist()),
        maybe(rng.choice(PLACES, users).tolist()), (rng.random(users) < 0.01).tolist(), strict=True))
    event_count = max(1, users // 5)
    # Attendance follows a heavy tail: a few regulars, many one-off guests; 3% of participants are not members.
    weights = 1.0 / np.arange(1, users + 1) ** 0.6
    weights /= weights.sum()
    sizes = rng.integers(5, 46, event_count)  # mean 25 -> about 5 participations per member
    event_days = rng.integers(0, 500, event_count)
    picks = np.split(rng.choice(users, int(sizes.sum()), p=weights), np.cumsum(sizes)[:-1])
    event_rows = []
    for n in range(event_count):
        members = np.unique(picks[n])
        emails = [f"member{m}@bench.example" for m in members] + (
            [f"guest{n}@elsewhere.example"] if rng.random() < 0.7 else [])
        event_rows.append((f"e{n}", f"Event {n}", start + timedelta(days=int(event_days[n]), hours=19),
                           VENUES[n % len(VENUES)], HOSTS[n % len(HOSTS)], EVENT_TYPES[n % len(EVENT_TYPES)],
                           emails))
    order_users = rng.integers(0, users, users * 10)
    order_events = rng.integers(0, event_count, users * 10)
    amounts = np.round(rng.uniform(20, 150, users * 10), 2)
    order_days = rng.integers(0, 500, users * 10)
    order_rows = [(f"o{n}", f"u{u}", f"e{e}", float(a), start + timedelta(days=int(d)))
                  for n, (u, e, a, d) in enumerate(zip(order_users, order_events, amounts, order_days, strict=True))]
    message_users = rng.integers(0, users, users * 3)
    sent = rng.random(users * 3) < 0.8
    message_days = rng.integers(0, 517, users * 3)
    message_rows = [(f"m{n}", f"u{u}", "Hello from the community team", "sent" if s else "queued",
                     start + timedelta(days=int(d)) if s else None, start + timedelta(days=int(d)))
                    for n, (u, s, d) in enumerate(zip(message_users, sent, message_days, strict=True))]
    return {"users": user_rows, "events": event_rows, "orders": order_rows, "messages": message_rows}


COPY_COLUMNS = {
    "behavior_users": ("external_id", "email", "name", "interests", "cuisine_preference", "dietary_restrictions",
                       "age", "gender", "occupation", "relationship_status", "table_type_preference",
                       "home_neighborhood", "work_neighborhood", "is_on_team"),
    "behavior_events": ("external_id", "name", "held_at", "venue", "host", "event_type", "participants"),
    "behavior_orders": ("external_id", "user_external_id", "event_external_id", "amount", "ordered_at"),
    "behavior_messages": ("external_id", "user_external_id", "content", "status", "sent_at", "queued_at"),
}


def load(engine, data: dict[str, list[tuple]]) -> None:
    """COPY the generated rows into the behavioural tables."""
    with engine.raw_connection() as raw:
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            for table, part in (("behavior_users", "users"), ("behavior_events", "events"),
                                ("behavior_orders", "orders"), ("behavior_messages", "messages")):
                columns = ", ".join(COPY_COLUMNS[table])
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in data[part]:
                        copy.write_row(row)
                cursor.execute(f"ANALYZE {table}")
        connection.commit()


def as_records(data: dict[str, list[tuple]]) -> dict[str, list[dict]]:
    """The generated rows as the seed's lists of documents (not timed)."""
    return {part: [dict(zip(COPY_COLUMNS[f"behavior_{part}"], row, strict=True)) for row in rows]
            for part, rows in data.items()}


def per_user_loop(records: dict[str, list[dict]], sample: list[int], as_of: date, cooldown_days: int) -> list[dict]:
    """Seed 002's own approach for the sampled users: filter every event, order and message for each user."""
    users, events, orders, messages = (records[p] for p in ("users", "events", "orders", "messages"))
    names = {u["email"]: u["name"] for u in users}
    out = []
    for index in sample:
        user = users[index]
        user_events = [e for e in events if user["email"] in e["participants"]]
        user_orders = [o for o in orders if o["user_external_id"] == user["external_id"]]
        user_messages = [m for m in messages if m["user_external_id"] == user["external_id"]]
        together = Counter(p for e in user_events for p in e["participants"] if p != user["email"])
        last = max((e["held_at"] for e in user_events), default=None)
        sent = [m["sent_at"] for m in user_messages if m["status"] == "sent"]
        last_sent = max(sent, default=None)
        days_since_message = (as_of - last_sent.date()).days if last_sent else None
        filled = sum(1 for f in ("interests", "cuisine_preference", "age", "occupation") if user[f])
        out.append({
            "friends": [names[p] for p, n in together.items() if n >= 2 and p in names],
            "event_history_hosts": list(dict.fromkeys(e["host"] for e in user_events)),
            "event_history": [{"name": e["name"], "date": e["held_at"].date().isoformat(), "venue": e["venue"]}
                              for e in sorted(user_events, key=lambda e: e["held_at"])],
            "venue_history": list(dict.fromkeys(e["venue"] for e in user_events)),
            "number_of_events_attended": len(user_events),
            "favorite_event_types": Counter(e["event_type"] for e in user_events).most_common(1),
            "days_since_last_event": (as_of - last.date()).days if last else None,
            "queued_message_count": sum(m["status"] == "queued" for m in user_messages),
            "total_messages_sent": len(sent),
            "can_send_new_message": days_since_message is None or days_since_message >= cooldown_days,
            "has_enough_fields_to_personalize": filled >= 3, "should_request_more_details": filled < 2,
            "total_orders": len(user_orders),
        })
    return out


def run(users: int, loop_sample: int) -> dict:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.platform.clock import FixedClock
    from core.platform.settings import Settings
    from core.reengagement.profiles import compute_profiles, input_hashes, load_frames
    from core.reengagement.store import refresh_profiles
    from db.engine import make_engine
    from db.models import ReengagementProfile

    settings = Settings()
    clock = FixedClock(datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12))
    figures: dict = {"users": users, "cpu": cpu_model(), "cores": os.cpu_count()}
    started = time.perf_counter()
    data = generate(users)
    figures["generate_s"] = time.perf_counter() - started
    figures.update(orders=len(data["orders"]), events=len(data["events"]), messages=len(data["messages"]),
                   participations=sum(len(e[-1]) for e in data["events"]))
    with throwaway_database("bench-reengagement-") as url:
        engine = make_engine(url)
        started = time.perf_counter()
        load(engine, data)
        figures["copy_s"] = time.perf_counter() - started
        with Session(engine) as session:
            started = time.perf_counter()
            frames = load_frames(session)
            figures["load_frames_s"] = time.perf_counter() - started
            started = time.perf_counter()
            input_hashes(frames, as_of=AS_OF, cooldown_days=settings.reengagement_cooldown_days)
            figures["hashes_s"] = time.perf_counter() - started
            started = time.perf_counter()
            profiles = compute_profiles(frames, as_of=AS_OF, cooldown_days=settings.reengagement_cooldown_days)
            figures["compute_s"] = time.perf_counter() - started
            session.rollback()
        del frames, profiles
        with Session(engine) as session:
            started = time.perf_counter()
            first = refresh_profiles(session, clock=clock, settings=settings)
            session.commit()
            figures["refresh_s"] = time.perf_counter() - started
            figures["refresh"] = first.counts()
        with Session(engine) as session:
            started = time.perf_counter()
            second = refresh_profiles(session, clock=clock, settings=settings)
            session.commit()
            figures["second_refresh_s"] = time.perf_counter() - started
            figures["second_refresh"] = second.counts()
            figures["stored"] = session.scalar(select(func.count()).select_from(ReengagementProfile))
            figures["decisions"] = dict(session.execute(
                select(ReengagementProfile.decision, func.count()).group_by(ReengagementProfile.decision)).all())
        engine.dispose()
    sample = np.random.default_rng(7).choice(users, min(loop_sample, users), replace=False).tolist()
    records = as_records(data)
    started = time.perf_counter()
    per_user_loop(records, sample, AS_OF, settings.reengagement_cooldown_days)
    loop_s = time.perf_counter() - started
    figures.update(loop_sample=len(sample), loop_sample_s=loop_s, loop_extrapolated_s=loop_s * users / len(sample))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def format_report(r: dict) -> str:
    measured = r["refresh_s"]
    met = "yes" if measured <= TARGET_S else "**no**"
    ratio = f"{TARGET_S / measured:.1f}× under" if measured <= TARGET_S else f"{measured / TARGET_S:.1f}× over"
    return "\n".join([
        f"Re-engagement profiles: {r['users']:,} members, {r['orders']:,} orders, {r['events']:,} events with "
        f"{r['participations']:,} participations, {r['messages']:,} messages (generated in {r['generate_s']:.1f} s, "
        f"loaded with COPY in {r['copy_s']:.1f} s; neither is counted).", "",
        *TARGET_TABLE,
        f"| load the four tables into frames | {r['load_frames_s']:.2f} s | | | |",
        f"| input hashes | {r['hashes_s']:.2f} s | | | |",
        f"| compute every profile (fields, summary, decision) | {r['compute_s']:.2f} s | | | |",
        f"| refresh as the job runs it: load, hash, compute, store {r['refresh']['changed']:,} rows, commit "
        f"| {measured:.2f} s | ≤ {TARGET_S:.0f} s | {ratio} | {met} |",
        f"| second refresh, nothing changed ({r['second_refresh']['changed']} rows written) "
        f"| {r['second_refresh_s']:.2f} s | | | |",
        f"| per-user Python loop (seed's filters), {r['loop_sample']} members | {r['loop_sample_s']:.2f} s | | | |",
        f"| per-user loop extrapolated to {r['users']:,} members | {r['loop_extrapolated_s']:,.0f} s "
        f"| | {r['loop_extrapolated_s'] / measured:,.0f}× the refresh | |", "",
        f"Stored profiles: {r['stored']:,}; decisions: "
        + ", ".join(f"{d} {n:,}" for d, n in sorted(r["decisions"].items())) + ".",
        f"Peak RSS of this process (the generated data included): {r['peak_rss_mb']:.0f} MB.",
        f"CPU: {r['cpu']} ({r['cores']} cores).",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reengagement", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100000, help="community members (100000)")
    parser.add_argument("--loop-sample", type=int, default=200, help="members timed with the per-user loop (200)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.users, args.loop_sample)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
