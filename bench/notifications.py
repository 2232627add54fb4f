"""Benchmark of the notification centre for a person with many notifications.

    .venv/bin/python -m bench.notifications [--notifications 1000] [--repeats 5] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): the demo event (60 attendees), and N notifications for the demo
attendee, of every kind, from other attendees, one in three read, spread over the last weeks. It times:
- the warm render of the Notifications page (AppTest, logged in as the attendee, second run; the median of
  `--repeats` fresh apps), held to the 300 ms target: the first 50 notifications with labels, senders, ages and
  buttons, the unread count, the email settings form, and the sidebar badge;
- the badge's unread COUNT alone (the query every page of an attendee runs), as the median of 50 runs.
Nothing is written unless `--json PATH` is given.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit

PAGE_TARGET_S = 0.300




def run(notifications: int, repeats: int) -> dict:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bench.apptest import warm_render
    from core.demo.seed import seed_demo
    from core.networking.notifications import KIND_LABELS, notify, unread_count
    from core.platform.clock import SystemClock
    from db.engine import make_engine
    from db.models import Account, Notification, Person

    clock = SystemClock()
    figures: dict = {"notifications": notifications, "repeats": repeats, "cpu": cpu_model(),
                     "cores": os.cpu_count()}
    kinds = list(KIND_LABELS)
    with throwaway_database("bench-notifications-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            seed_demo(session, clock=clock, attendees=60, alumni=10)
            me = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
            others = list(session.scalars(select(Person.id).where(Person.id != me).order_by(Person.id)))
            now = clock.now()
            for n in range(notifications):
                kind = kinds[n % len(kinds)]
                notify(session, person_id=me, kind=kind, actor_id=others[n % len(others)],
                       title=f"{KIND_LABELS[kind]} number {n}", body=f"Body of notification {n}: **not bold**.",
                       link="my-agenda", now=now - timedelta(minutes=7 * n), dedupe_key=f"bench:{n}")
            session.execute(Notification.__table__.update().where(Notification.id % 3 == 0).values(read_at=now))
            session.commit()
            figures["unread"] = unread_count(session, me)
            timings = []
            for _ in range(50):
                started = time.perf_counter()
                unread_count(session, me)
                timings.append(time.perf_counter() - started)
            figures["badge_count_ms"] = 1000 * statistics.median(timings)
        engine.dispose()
        renders = []
        for _ in range(repeats):
            seconds, at = warm_render(url, "attendee", "pages/notifications.py")
            renders.append(seconds)
        figures["shown"] = sum(1 for m in at.markdown if "number" in m.value)
        figures["page_s"] = statistics.median(renders)
        figures["page_min_s"] = min(renders)
        figures["page_max_s"] = max(renders)
    return figures


def format_report(r: dict) -> str:
    measured = r["page_s"]
    met = "yes" if measured <= PAGE_TARGET_S else "**no**"
    return "\n".join([
        f"Notification centre: {r['notifications']:,} notifications for one attendee ({r['unread']:,} unread), "
        f"{r['shown']} shown per page.", "",
        *TARGET_TABLE,
        f"| Notifications page (AppTest, warm, median of {r['repeats']}) | {1000 * measured:.0f} ms "
        f"(min {1000 * r['page_min_s']:.0f}, max {1000 * r['page_max_s']:.0f}) | ≤ {1000 * PAGE_TARGET_S:.0f} ms "
        f"| {PAGE_TARGET_S / measured:.1f}× under | {met} |",
        f"| Sidebar badge: the unread COUNT (median of 50) | {r['badge_count_ms']:.2f} ms | | | |", "",
        f"CPU: {r['cpu']} ({r['cores']} cores).",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=1000, help="notifications of the attendee (1000)")
    parser.add_argument("--repeats", type=int, default=5, help="fresh apps whose warm render is timed (5)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.notifications, args.repeats)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
