"""Background job definitions and the single-flight runner that records every run."""
from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from core.analytics import event_analytics as analytics

from core.ai import experiments

from core.jobs import maintenance

from core.recommend import people as recommendations

from core.alumni import talent
from core.platform.clock import Clock
from core.ai.embeddings import Embedder
from core.events.events import get_event
from core.platform.queue import claim_job_request, claim_upload
from core.ai.llm import LLMClient
from core.platform.settings import Settings
from core.ingest.pipeline import process_claimed_upload
from db.models import Event, JobRun


@dataclass(frozen=True)
class JobContext:
    """What a job body receives: its own session, the clock and the optional event."""

    session: Session
    clock: Clock
    event_id: int | None
    embedder: Embedder | None = None
    settings: Settings | None = None
    llm: LLMClient | None = None


@dataclass(frozen=True)
class JobDefinition:
    id: str
    title: str
    description: str
    body: Callable[[JobContext], dict]
    trigger: dict  # APScheduler trigger kwargs, e.g. {"trigger": "interval", "hours": 1}

    @property
    def schedule_text(self) -> str:
        kind = self.trigger["trigger"]
        if kind == "interval":
            unit, amount = next((k, v) for k, v in self.trigger.items() if k != "trigger")
            return f"every {amount} {unit}" if amount != 1 else f"every {unit.rstrip('s')}"
        if kind == "cron":
            return "daily at " + f"{int(self.trigger.get('hour', 0)):02d}:{int(self.trigger.get('minute', 0)):02d} UTC"
        return kind


JOBS: dict[str, JobDefinition] = {
    job.id: job
    for job in [
        JobDefinition(
            "geocode-locations", "Geocode locations",
            "Resolves attendee, alumni and job-posting places still without coordinates with the offline gazetteer.",
            maintenance.geocode_missing_locations, {"trigger": "interval", "minutes": 30},
        ),
        JobDefinition(
            "embed-profiles", "Embed profiles",
            "Embeds new or changed attendee profiles (cached by content hash) for one event or all events.",
            recommendations.embed_profiles_job, {"trigger": "cron", "hour": 3, "minute": 45},
        ),
        JobDefinition(
            "talent-clusters", "Rebuild talent hubs",
            "Clusters every located alumnus (DBSCAN, haversine) and keeps the hubs as a snapshot, so the talent "
            "heatmap can show how hubs grew between uploads.",
            talent.rebuild_clusters_job, {"trigger": "cron", "hour": 2, "minute": 30},
        ),
        JobDefinition(
            "refresh-recommendations", "Refresh recommendations",
            "Recomputes every attendee's people, session and speaker recommendations (24 h expiry) for one event "
            "or all events.",
            recommendations.refresh_job, {"trigger": "cron", "hour": 4, "minute": 0},
        ),
        JobDefinition(
            "event-analytics", "Organizer analytics",
            "Computes each event's networking, session and speaker analytics and caches them for the Analytics "
            "page.", analytics.analytics_job, {"trigger": "interval", "hours": 1},
        ),
        JobDefinition(
            "learning-loop", "Feedback analysis and prompt optimizer",
            "Analyses recommendation and connection feedback (score bands, success factors, failure patterns) "
            "and reports which prompt variant wins against control.",
            lambda context: experiments.run_learning_loop(context.session, context.clock),
            {"trigger": "cron", "hour": 5, "minute": 0},
        ),
        JobDefinition(
            "retention-cleanup", "Retention cleanup",
            "Applies the retention policy: purges people deleted over 30 days ago, recommendations older "
            "than a year, and read notifications older than 90 days.",
            maintenance.apply_retention_policy, {"trigger": "cron", "hour": 3, "minute": 15},
        ),
    ]
}


class JobNotFound(KeyError):
    pass


def get_job(job_id: str) -> JobDefinition:
    try:
        return JOBS[job_id]
    except KeyError:
        raise JobNotFound(f"Unknown job '{job_id}'. Known jobs: {', '.join(sorted(JOBS))}.") from None


def advisory_key(job_id: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    return int.from_bytes(hashlib.sha256(job_id.encode()).digest()[:8], "big", signed=True)


def run_job(job_id: str, *, engine: Engine, clock: Clock, event_slug: str | None = None,
            trigger: str = "manual", embedder: Embedder | None = None, settings: Settings | None = None,
            llm: LLMClient | None = None) -> JobRun:
    """Run a job once under its advisory lock and record the run; never raises for a failing job body."""
    job = get_job(job_id)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    event_id = None
    if event_slug:
        with factory() as session:
            event = get_event(session, event_slug)
            if event is None:
                raise ValueError(f"No event with slug '{event_slug}'.")
            event_id = event.id
    with engine.connect() as lock_conn:
        got_lock = lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": advisory_key(job_id)}).scalar()
        lock_conn.commit()
        try:
            deps = {"embedder": embedder, "settings": settings, "llm": llm}
            return _record_run(job, factory, clock, event_id, trigger, got_lock, deps)
        finally:
            if got_lock:
                lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(job_id)})
                lock_conn.commit()


def _record_run(job: JobDefinition, factory: sessionmaker, clock: Clock, event_id: int | None, trigger: str,
                got_lock: bool, deps: dict) -> JobRun:
    with factory() as session:
        run = JobRun(job_id=job.id, trigger=trigger, event_id=event_id, started_at=clock.now(),
                     status="running" if got_lock else "skipped")
        if not got_lock:
            run.finished_at, run.duration_ms = run.started_at, 0
            run.error = "Another process is running this job; this run was skipped."
        session.add(run)
        session.commit()
    if not got_lock:
        return run
    started = time.perf_counter()
    status, counts, error = "succeeded", {}, None
    with factory() as session:
        try:
            counts = job.body(JobContext(session=session, clock=clock, event_id=event_id, **deps)) or {}
            session.commit()
        except Exception as exc:  # a failing job is recorded, never propagated to the worker
            session.rollback()
            status = "failed"
            error = f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=5)
    with factory() as session:
        run = session.get(JobRun, run.id)
        run.status, run.counts, run.error = status, counts, error
        run.finished_at = clock.now()
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        session.commit()
    return run


def recent_runs(session: Session, *, job_id: str | None = None, limit: int = 200) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    if job_id:
        query = query.where(JobRun.job_id == job_id)
    return list(session.scalars(query))


def next_run_times(session: Session) -> dict[str, datetime]:
    """Next scheduled time per job, as stored by the worker's APScheduler job store."""
    bind = session.get_bind()
    if not inspect(bind).has_table("apscheduler_jobs"):
        return {}
    rows = session.execute(text("SELECT id, next_run_time FROM apscheduler_jobs WHERE next_run_time IS NOT NULL"))
    return {job_id: datetime.fromtimestamp(ts, tz=timezone.utc) for job_id, ts in rows}


def run_queued_work(engine: Engine, *, clock: Clock, settings: Settings, embedder: Embedder | None = None,
                    llm: LLMClient | None = None) -> dict[str, int]:
    """One pass over the worker's queue: every queued upload first, then the requested job runs one at a time,
    going back to uploads after each so that a long job never holds up a file."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    done = {"uploads": 0, "jobs": 0}
    with factory() as session:
        while True:
            upload_id = claim_upload(session, clock)
            if upload_id is not None:
                process_claimed_upload(session, upload_id, clock=clock, max_mb=settings.upload_max_mb)
                done["uploads"] += 1
                continue
            request = claim_job_request(session)
            if request is None:
                return done
            event = session.get(Event, request.event_id) if request.event_id else None
            try:
                run = run_job(request.job_id, engine=engine, clock=clock, event_slug=event.slug if event else None,
                              trigger="queued", embedder=embedder, settings=settings, llm=llm)
            except (JobNotFound, ValueError):
                run = None
            if run is not None and run.status == "skipped":
                request.status = "queued"  # the same job is running elsewhere; try again on the next pass
                session.commit()
                return done
            request.status, request.run_id = "done", run.id if run else None
            session.commit()
            done["jobs"] += 1
