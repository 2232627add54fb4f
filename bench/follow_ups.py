"""Benchmark of the post-event follow-up drafts (template path) for a large event.

    .venv/bin/python -m bench.follow_ups [--attendees 2000] [--connections 10000] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): one event that ended 33 hours ago, N attendees with interests,
goals, skills and (for most) a problem statement, M connections made there (random pairs, every origin, 1–5
interactions), 40 huddles of six, 20 blocks and a few people who said no to follow-ups. It runs the
`generate-follow-ups` job as the worker does (run_job: the body and its commit, no LLM) and times it against the
60 s target; peak RSS is this process's (the Postgres server's memory is not included). A second run shows the
idempotent pass (nothing written). Nothing is written unless `--json PATH` is given.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import time
from datetime import timedelta
from pathlib import Path

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit

TARGET_S = 60.0
INTERESTS = ["AI/ML", "Web Development", "Cloud/DevOps", "Data Science", "Fintech", "SaaS", "Product", "Design",
             "Leadership", "Open Source", "Cybersecurity", "Startups"]
GOALS = ["LEARN", "NETWORK", "HIRE", "GET_HIRED", "FIND_INVESTORS", "INVEST", "SELL", "BUY", "MENTOR",
         "GET_MENTORED"]
SKILLS = ["Python", "Kubernetes", "React", "Go", "Fundraising", "Hiring engineers", "Product strategy", "SQL"]
PROBLEMS = ["Scaling our Kubernetes clusters without burning the budget",
            "Hiring senior data engineers in a tight market", "Moving batch jobs to real-time pipelines",
            "Finding our first enterprise customers", "Raising a seed round for a fintech startup",
            "Keeping a remote team aligned on product strategy", "Securing our cloud infrastructure", ""]
ORIGINS = ["recommendation", "ping", "huddle", "meeting", "message"]


def build_event(session, *, attendees: int, connections: int, now, seed: int = 7) -> str:
    """The event, its attendees, connections, huddles, blocks and opt-outs, inserted in bulk; returns its slug."""
    from sqlalchemy import insert, select

    from db.models import Block, Connection, Event, Huddle, HuddleParticipant, Person, Registration

    rng = random.Random(seed)
    ended = (now - timedelta(hours=33)).date()
    session.execute(insert(Event).values(slug="bench-follow-ups", name="Bench Summit", starts_on=ended - timedelta(1),
                                         ends_on=ended, timezone="UTC"))
    event_id = session.scalar(select(Event.id))
    people = [{"email": f"p{n}@bench.example", "first_name": f"First{n}", "last_name": f"Last{n}",
               "company": f"Company {n % 300}", "role": rng.choice(["Engineer", "CTO", "Founder", "Investor"]),
               "interests": rng.sample(INTERESTS, 3), "goals": rng.sample(GOALS, 2),
               "skills_offered": rng.sample(SKILLS, 2), "skills_needed": rng.sample(SKILLS, 2),
               "problem_statement": rng.choice(PROBLEMS) or None,
               "consents": {"post_event_follow_up": n % 50 != 0}} for n in range(attendees)]
    ids = list(session.scalars(insert(Person).returning(Person.id), people))
    session.execute(insert(Registration), [{"event_id": event_id, "person_id": p, "registered_at": now}
                                           for p in ids])
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < connections:
        a, b = rng.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))
    session.execute(insert(Connection), [
        {"person_a_id": a, "person_b_id": b, "event_id": event_id, "source": rng.choice(ORIGINS),
         "status": "active", "interaction_count": rng.randint(1, 5), "created_at": now - timedelta(days=2)}
        for a, b in pairs])
    huddles = list(session.scalars(insert(Huddle).returning(Huddle.id),
                                   [{"event_id": event_id, "topic": f"Huddle {n}"} for n in range(40)]))
    session.execute(insert(HuddleParticipant), [
        {"huddle_id": h, "person_id": p, "status": "attended"}
        for h in huddles for p in rng.sample(ids, 6)])
    session.execute(insert(Block), [{"blocker_id": a, "blocked_id": b, "created_at": now}
                                    for a, b in rng.sample(sorted(pairs), 20)])
    session.commit()
    return "bench-follow-ups"


def run(attendees: int, connections: int) -> dict:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.jobs.runner import run_job
    from core.networking.follow_ups import GENERATE_JOB
    from core.platform.clock import SystemClock
    from db.engine import make_engine
    from db.models import FollowUpDraft

    clock = SystemClock()
    figures: dict = {"attendees": attendees, "connections": connections, "cpu": cpu_model(),
                     "cores": os.cpu_count()}
    with throwaway_database("bench-follow-ups-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            slug = build_event(session, attendees=attendees, connections=connections, now=clock.now())
            figures["build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        first = run_job(GENERATE_JOB, engine=engine, clock=clock, event_slug=slug)
        figures["seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        second = run_job(GENERATE_JOB, engine=engine, clock=clock, event_slug=slug)
        figures["second_run_s"] = time.perf_counter() - started
        if first.status != "succeeded":
            raise RuntimeError(f"the job failed: {first.error}")
        figures["drafts"] = first.counts["drafts"]
        figures["second_run_drafts"] = second.counts["drafts"]
        with Session(engine) as session:
            figures["stored"] = session.scalar(select(func.count()).select_from(FollowUpDraft))
        engine.dispose()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def format_report(r: dict) -> str:
    measured = r["seconds"]
    met = "yes" if measured <= TARGET_S else "**no**"
    return "\n".join([
        f"Follow-up drafts (template path): {r['attendees']:,} attendees, {r['connections']:,} connections at one "
        f"event that ended 33 hours ago (event built in {r['build_s']:.1f} s).", "",
        *TARGET_TABLE,
        f"| generate-follow-ups job, as the worker runs it (commit included) | {measured:.2f} s | ≤ {TARGET_S:.0f} s "
        f"| {TARGET_S / measured:.0f}× under | {met} |",
        f"| second run (idempotent: {r['second_run_drafts']} drafts written) | {r['second_run_s']:.2f} s | | | |", "",
        f"Drafts written: {r['drafts']:,} (stored: {r['stored']:,}; blocked pairs and authors who said no to "
        "follow-ups are skipped).",
        f"Peak RSS of this process: {r['peak_rss_mb']:.0f} MB.",
        f"CPU: {r['cpu']} ({r['cores']} cores).",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.follow_ups", description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int, default=2000, help="attendees of the event (2000)")
    parser.add_argument("--connections", type=int, default=10000, help="connections made at the event (10000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.attendees, args.connections)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
