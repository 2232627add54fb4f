"""Benchmark of the enrichment job for a large event against local source stubs.

    .venv/bin/python -m bench.enrichment [--attendees 1000] [--delay-ms 50] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): one event with N opted-in attendees; a third gave a GitHub username
at registration, the rest are found through the web search (LinkedIn and Twitter/X for everyone, a GitHub profile
link for every other one of them). Local GitHub and search stubs answer every request after 50 ms, through the real
httpx clients; the rate limits are set to 10,000 an hour so the buckets never hold anyone back. The `enrich-profiles`
job runs as the CLI runs it (run_job: the body and its commits, no LLM, so extraction uses the rules) until nobody
is due, timed against the 2-minute target. Then the stubs' logs give the most requests any one person caused per
source: one search, one GitHub user lookup (and its one repository listing) at most.
"""
from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit

TARGET_S = 120.0
SLUG = "bench-enrichment"
RATE = 10_000


def build_event(session, attendees: int, now: datetime) -> list[dict]:
    """The event and its opted-in attendees, inserted in bulk; their rows."""
    from sqlalchemy import insert, select

    from db.models import Event, Person, Registration

    session.execute(insert(Event).values(slug=SLUG, name="Bench Enrichment", starts_on=date(2026, 12, 1),
                                         ends_on=date(2026, 12, 2), timezone="UTC"))
    event_id = session.scalar(select(Event.id))
    people = [{"email": f"p{n}@bench.example", "first_name": f"First{n}", "last_name": f"Last{n}",
               "company": f"Company{n % 97}", "role": "Engineer", "allow_enrichment": True,
               "github_username": f"dev{n}" if n % 3 == 0 else None} for n in range(attendees)]
    ids = list(session.scalars(insert(Person).returning(Person.id), people))
    session.execute(insert(Registration), [{"event_id": event_id, "person_id": p, "registered_at": now}
                                           for p in ids])
    session.commit()
    return people


def search_answers(people: list[dict]) -> dict[str, list[dict]]:
    """Per person (keyed by their unique name), LinkedIn and Twitter/X results, and a GitHub link for some."""
    answers = {}
    for n, person in enumerate(people):
        name = f"{person['first_name']} {person['last_name']}"
        handle = f"first{n}last{n}"
        results = [{"url": f"https://www.linkedin.com/in/{handle}", "title": f"{name} - Engineer - Company | LinkedIn",
                    "content": f"{name} builds data pipelines in Python and Kubernetes."},
                   {"url": f"https://twitter.com/{handle}", "title": f"{name} (@{handle}) / X",
                    "content": "Machine learning, DevOps and coffee."}]
        if n % 3 != 0 and n % 2 == 0:
            results.append({"url": f"https://github.com/found{n}", "title": f"found{n} - GitHub", "content": ""})
        answers[f"{name} "] = results  # the trailing space keeps First1 from matching First10
    return answers


def run(attendees: int, delay_ms: int) -> dict:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from core.enrichment.agent import ENRICH_JOB
    from core.jobs.runner import run_job
    from core.platform.clock import SystemClock
    from core.platform.settings import Settings
    from db.engine import make_engine
    from db.models import EnrichmentStatus, Person
    from tests.stubs.enrichment_stubs import GitHubStub, SearchStub

    clock = SystemClock()
    figures: dict = {"attendees": attendees, "delay_ms": delay_ms, "cpu": cpu_model(), "cores": os.cpu_count()}
    delay = delay_ms / 1000
    with throwaway_database("bench-enrichment-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            people = build_event(session, attendees, clock.now())
        with SearchStub(delay=delay, answers=search_answers(people)) as search, GitHubStub(delay=delay) as github:
            for n in range(attendees):
                github.user(f"dev{n}" if n % 3 == 0 else f"found{n}", languages=["Python", "Go", "Python"])
            settings = Settings(search_api_url=search.url, search_api_key="bench", github_api_url=github.url,
                                github_token="bench", enrichment_search_per_hour=RATE,
                                enrichment_github_per_hour=RATE)
            runs, started = [], time.perf_counter()
            while True:
                done = run_job(ENRICH_JOB, engine=engine, clock=clock, event_slug=SLUG, settings=settings)
                if done.status != "succeeded":
                    raise RuntimeError(f"the job failed: {done.error}")
                runs.append(done.counts)
                with Session(engine) as session:
                    due = session.scalar(select(func.count()).select_from(Person).where(
                        Person.enrichment_status.in_([EnrichmentStatus.PENDING, EnrichmentStatus.PROCESSING])))
                if not due or len(runs) >= 10:
                    break
            figures["seconds"] = time.perf_counter() - started
            searches = Counter(r["body"]["query"] for r in search.search_requests())
            users = Counter(r["path"] for r in github.user_requests())
            repos = Counter(r["path"].split("?")[0] for r in github.repo_requests())
        with Session(engine) as session:
            statuses = dict(session.execute(select(Person.enrichment_status, func.count())
                                            .group_by(Person.enrichment_status)).all())
            tiers = dict(session.execute(select(Person.enrichment_tier, func.count())
                                         .group_by(Person.enrichment_tier)).all())
        engine.dispose()
    figures.update({
        "runs": len(runs), "search_requests": sum(searches.values()), "github_user_requests": sum(users.values()),
        "github_repo_requests": sum(repos.values()), "max_search_per_person": max(searches.values(), default=0),
        "max_github_user_per_person": max(users.values(), default=0),
        "max_github_repos_per_person": max(repos.values(), default=0),
        "statuses": {str(k): v for k, v in statuses.items()}, "tiers": {str(k): v for k, v in tiers.items()}})
    return figures


def format_report(r: dict) -> str:
    from db.models import EnrichmentStatus

    measured = r["seconds"]
    everyone = r["statuses"].get(str(EnrichmentStatus.COMPLETED), 0) == r["attendees"]
    met = "yes" if measured <= TARGET_S and everyone else "**no**"
    one = "yes" if max(r["max_search_per_person"], r["max_github_user_per_person"]) <= 1 else "**no**"
    return "\n".join([
        f"Enrichment: {r['attendees']:,} opted-in attendees of one event, stubs answering in {r['delay_ms']} ms, "
        f"rate limits {RATE:,} an hour, no LLM (rule extraction).", "",
        *TARGET_TABLE,
        f"| enrich-profiles until nobody is due ({r['runs']} run(s), commits included) | {measured:.1f} s "
        f"| ≤ {TARGET_S:.0f} s | {TARGET_S / measured:.1f}× under | {met} |",
        f"| most search requests for one person | {r['max_search_per_person']} | ≤ 1 | | {one} |",
        f"| most GitHub user lookups for one person | {r['max_github_user_per_person']} | ≤ 1 | | {one} |",
        f"| most GitHub repository listings for one person | {r['max_github_repos_per_person']} | ≤ 1 | | |", "",
        f"Requests: {r['search_requests']:,} searches, {r['github_user_requests']:,} GitHub user lookups, "
        f"{r['github_repo_requests']:,} repository listings.",
        f"Statuses: {r['statuses']}; tiers: {r['tiers']}.",
        f"CPU: {r['cpu']} ({r['cores']} cores).",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.enrichment", description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int, default=1000, help="opted-in attendees of the event (1000)")
    parser.add_argument("--delay-ms", type=int, default=50, help="how long each stub answer takes (50 ms)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.attendees, args.delay_ms)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
