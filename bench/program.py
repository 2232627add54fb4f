"""Benchmark of session/speaker recommendations, the personal agenda and the organizer analytics at event scale.

    .venv/bin/python -m bench.program [--attendees 2000] [--refresh-only] [--reference] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): the demo event with N attendees, its 40-session program plus
the real EuroPython 2022 program (153 sessions, read from ../shared), and the real embedding model. It times:
- the session and speaker recommendation refresh for every attendee (embedding included, first run), then again
  with every vector cached; with --reference, also the per-attendee reference path (score_session and
  score_speaker one pair at a time) in the same run, and whether both stored the same rows;
- planning one attendee's agenda from their stored recommendations (database round trip included);
- computing and caching the event's analytics after simulated engagement;
- the warm render of the organizer's Analytics page from the cache, and of the attendee's For you page.
Both pages are held to the 1 s target, and the ratio is target / measured. --refresh-only times the session and
speaker refresh alone (no people refresh, agenda, analytics or pages).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from bench.database import throwaway_database

PAGE_TARGET_S = 1.0
EUROPYTHON = Path(__file__).resolve().parents[2] / "shared" / "data" / "europython2022" / "europython2022_sessions.json"


def stored_program_lists(session) -> list[tuple]:
    """Every stored session and speaker recommendation, in a stable order, for comparing two refreshes."""
    from sqlalchemy import select

    from db.models import Recommendation, RecommendationKind

    return [tuple(row) for row in session.execute(
        select(Recommendation.user_id, Recommendation.kind, Recommendation.target_session_id,
               Recommendation.target_speaker_id, Recommendation.rank, Recommendation.score, Recommendation.reasons,
               Recommendation.starters)
        .where(Recommendation.kind.in_([RecommendationKind.SESSION, RecommendationKind.SPEAKER]))
        .order_by(Recommendation.user_id, Recommendation.kind, Recommendation.rank))]


def run(attendees: int, refresh_only: bool = False, reference: bool = False) -> dict:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bench.apptest import warm_render
    from core.agenda.personal import plan_agenda
    from core.ai.wiring import build_embedder
    from core.analytics.event_analytics import refresh_event_analytics
    from core.demo.seed import DEMO_EVENT_SLUG, seed_demo, seed_demo_activity
    from core.events.events import get_event
    from core.jobs.uploads import import_dataset
    from core.platform.clock import SystemClock
    from core.platform.settings import Settings
    from core.recommend.people import refresh_recommendations
    from core.recommend.program import refresh_program_recommendations
    from db.engine import make_engine
    from db.models import Account, Recommendation, RecommendationKind

    clock, embedder = SystemClock(), build_embedder(Settings())
    figures: dict = {"attendees": attendees}
    with throwaway_database("bench-program-") as url:
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            seed_demo(session, clock=clock, attendees=attendees, alumni=10)
            report = import_dataset(session, kind="sessions", data=EUROPYTHON.read_bytes(),
                                    filename=EUROPYTHON.name, event_slug=DEMO_EVENT_SLUG, actor_id=None,
                                    clock=clock, max_mb=50, source="bench")
            if not report.ok:
                raise RuntimeError(report.summary())
            event = get_event(session, DEMO_EVENT_SLUG)
            if not refresh_only:
                refresh_recommendations(session, event=event, embedder=embedder, clock=clock)
            started = time.perf_counter()
            refreshed = refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock)
            session.commit()
            figures["program_refresh_s"] = time.perf_counter() - started
            figures["session_recommendations"] = refreshed.session_recommendations
            figures["speaker_recommendations"] = refreshed.speaker_recommendations
            figures["sessions"] = len(event_sessions(session, event.id))
            started = time.perf_counter()
            refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock)
            session.commit()
            figures["program_refresh_warm_s"] = time.perf_counter() - started
            if reference:
                lists = stored_program_lists(session)
                started = time.perf_counter()
                refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock, reference=True)
                session.commit()
                figures["program_reference_s"] = time.perf_counter() - started
                figures["reference_equal"] = stored_program_lists(session) == lists
            if refresh_only:
                figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                return figures
            me = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
            started = time.perf_counter()
            plan = plan_agenda(session, event_id=event.id, person_id=me, clock=clock)
            figures["agenda_s"] = time.perf_counter() - started
            figures["agenda_sessions"] = len(plan.chosen)
            figures["activity"] = seed_demo_activity(session, event_id=event.id, clock=clock, spare_person_id=me)
            started = time.perf_counter()
            refresh_event_analytics(session, event_id=event.id, now=clock.now(), embedder=embedder)
            session.commit()
            figures["analytics_s"] = time.perf_counter() - started
            figures["stored_session_recs"] = session.query(Recommendation).filter(
                Recommendation.kind == RecommendationKind.SESSION).count()
        engine.dispose()
        figures["analytics_page_s"], _ = warm_render(url, "organizer", "pages/analytics.py")
        figures["for_you_page_s"], _ = warm_render(url, "attendee", "pages/for_you.py")
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def event_sessions(session, event_id: int) -> list:
    from sqlalchemy import select

    from db.models import ProgramSession

    return list(session.scalars(select(ProgramSession.id).where(ProgramSession.event_id == event_id)))


def format_refresh(r: dict) -> list[str]:
    lines = ["| session and speaker refresh, every attendee | time | output |", "|---|---:|---|",
             f"| first run (real model, embedding included) | {r['program_refresh_s']:.1f} s | "
             f"{r['session_recommendations']:,} session and {r['speaker_recommendations']:,} speaker "
             "recommendations |",
             f"| again, every vector cached (matrices over attendees × sessions) | {r['program_refresh_warm_s']:.1f} s "
             "| the same |"]
    if "program_reference_s" in r:
        lines.append(f"| again, per-attendee reference path (one pair at a time) | {r['program_reference_s']:.1f} s | "
                     f"{'the same rows' if r['reference_equal'] else '**different rows**'}; "
                     f"{r['program_reference_s'] / r['program_refresh_warm_s']:.1f}× the matrices' time |")
    return lines


def format_report(r: dict) -> str:
    if "agenda_s" not in r:
        return "\n".join([f"Event: {r['attendees']:,} attendees, {r['sessions']} sessions (demo program + "
                          "EuroPython 2022).", "", *format_refresh(r), "",
                          f"Peak RSS of the benchmark process: {r['peak_rss_mb']:,.0f} MB."])
    lines = [f"Event: {r['attendees']:,} attendees, {r['sessions']} sessions (demo program + EuroPython 2022).", "",
             "| stage | measured | target | ratio | met |", "|---|---:|---:|---:|---|"]
    for key, label in (("analytics_page_s", "Analytics page from the cache (AppTest, warm)"),
                       ("for_you_page_s", "For you page with feed, sessions and speakers (AppTest, warm)")):
        measured = r[key]
        met = "yes" if measured <= PAGE_TARGET_S else "**no**"
        lines.append(f"| {label} | {measured:.2f} s | ≤ {PAGE_TARGET_S:.0f} s | {PAGE_TARGET_S / measured:.1f}× under "
                     f"| {met} |")
    lines += ["", *format_refresh(r), "", "| work | time | output |", "|---|---:|---|",
              f"| one attendee's agenda, planned and stored | {1000 * r['agenda_s']:.0f} ms | "
              f"{r['agenda_sessions']} sessions, no overlaps |",
              f"| analytics computed and cached | {r['analytics_s']:.1f} s | after "
              + ", ".join(f"{v:,} {k}" for k, v in r["activity"].items()) + " |",
              "", f"Peak RSS of the benchmark process: {r['peak_rss_mb']:,.0f} MB."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.program", description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int, default=2000, help="attendees of the synthetic event (default 2000)")
    parser.add_argument("--refresh-only", action="store_true",
                        help="time only the session and speaker refresh (no people refresh, agenda, analytics, pages)")
    parser.add_argument("--reference", action="store_true",
                        help="also time the per-attendee reference path of the refresh and compare what it stores")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.attendees, args.refresh_only, args.reference)
    print(format_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
