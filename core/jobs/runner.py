"""The single-flight job runner that records every run, and the worker's pass over its queue."""
from __future__ import annotations

import time
import traceback
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from core.ai.embeddings import Embedder
from core.ai.llm import LLMClient
from core.events.events import get_event
from core.ingest.tabular import ReadLimits
from core.jobs.registry import JobDefinition, JobNotFound, get_job
from core.jobs.uploads import process_claimed_upload
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.mail import build_mailer, deliver_outbox
from core.platform.queue import (
    Lease,
    LeaseKeeper,
    advisory_key,
    claim_job_request,
    claim_upload,
    finish_job_request,
    reap_expired_leases,
    release_job_request,
    renew_interval,
)
from core.platform.settings import Settings
from db.models import Event, JobRequest, JobRun, JobRunStatus, JobTrigger


def run_job(job_id: str, *, engine: Engine, clock: Clock, event_slug: str | None = None,
            trigger: str = JobTrigger.MANUAL, embedder: Embedder | None = None, settings: Settings | None = None,
            llm: LLMClient | None = None, person_id: int | None = None) -> JobRun:
    """Run a job once under its advisory locks (single-flight per job, or per event for a run of one event) and
    record the run; never raises for a failing job body."""
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
        got_lock = _try_run_lock(lock_conn, job_id, event_id)
        lock_conn.commit()
        try:
            deps = {"embedder": embedder, "settings": settings, "llm": llm, "person_id": person_id}
            return _record_run(job, factory, clock, event_id, trigger, got_lock, deps)
        finally:
            if got_lock:
                _release_run_lock(lock_conn, job_id, event_id)
                lock_conn.commit()


def _try_run_lock(connection: Connection, job_id: str, event_id: int | None) -> bool:
    """Take the run's advisory locks without waiting: a run of the whole job holds the job's lock alone; a run
    for one event shares it with the job's other events and holds that event's lock alone, so two events run in
    parallel while a run over every event excludes them all."""
    if event_id is None:
        return connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": advisory_key(job_id)}).scalar()
    if not connection.execute(text("SELECT pg_try_advisory_lock_shared(:k)"), {"k": advisory_key(job_id)}).scalar():
        return False
    if connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                          {"k": advisory_key(f"{job_id}:event:{event_id}")}).scalar():
        return True
    connection.execute(text("SELECT pg_advisory_unlock_shared(:k)"), {"k": advisory_key(job_id)})
    return False


def _release_run_lock(connection: Connection, job_id: str, event_id: int | None) -> None:
    if event_id is None:
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(job_id)})
        return
    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(f"{job_id}:event:{event_id}")})
    connection.execute(text("SELECT pg_advisory_unlock_shared(:k)"), {"k": advisory_key(job_id)})


def _record_run(job: JobDefinition, factory: sessionmaker, clock: Clock, event_id: int | None, trigger: str,
                got_lock: bool, deps: dict) -> JobRun:
    with factory() as session:
        run = JobRun(job_id=job.id, trigger=trigger, event_id=event_id, started_at=clock.now(),
                     status=JobRunStatus.RUNNING if got_lock else JobRunStatus.SKIPPED)
        if not got_lock:
            run.finished_at, run.duration_ms = run.started_at, 0
            run.error = "Another process is running this job; this run was skipped."
        session.add(run)
        session.commit()
    if not got_lock:
        return run
    started = time.perf_counter()
    status, counts, error = JobRunStatus.SUCCEEDED, {}, None
    with factory() as session:
        try:
            counts = job.body(JobContext(session=session, clock=clock, event_id=event_id, trigger=trigger,
                                         checkpoint=session.commit, **deps)) or {}
            session.commit()
        except Exception as exc:  # a failing job is recorded, never propagated to the worker
            session.rollback()
            status = JobRunStatus.FAILED
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
    return {job_id: datetime.fromtimestamp(ts, tz=UTC) for job_id, ts in rows}


def run_queued_work(engine: Engine, *, clock: Clock, settings: Settings, embedder: Embedder | None = None,
                    llm: LLMClient | None = None) -> dict[str, int]:
    """One pass over the worker's queue: first the reaper (work whose worker stopped renewing its lease is queued
    again or failed), then the outbox's mail (when SMTP is configured), then every queued upload, then the
    requested job runs one at a time, going back to uploads after each so that a long job never holds up a file.
    While this worker processes an upload or runs a requested job, a thread renews its lease."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    done = {"uploads": 0, "jobs": 0, "mails": 0, "reaped": 0}
    renew_every = renew_interval(settings.worker_lease_seconds)
    with factory() as session:
        reaped = reap_expired_leases(session, clock=clock, lease_seconds=settings.worker_lease_seconds,
                                     max_attempts=settings.work_max_attempts)
        session.commit()
        done["reaped"] = sum(reaped.values())
        mailer = build_mailer(settings)
        if mailer is not None:
            done["mails"] = deliver_outbox(session, mailer=mailer, clock=clock)["sent"]
            session.commit()
        while True:
            upload_id = claim_upload(session, clock)
            session.commit()  # the claim is visible (and the row unlocked) before the upload's progress is written
            if upload_id is not None:
                process_claimed_upload(session, upload_id, clock=clock, max_mb=settings.upload_max_mb,
                                       limits=ReadLimits.from_settings(settings), renew_every=renew_every)
                session.commit()
                done["uploads"] += 1
                continue
            request = claim_job_request(session, clock=clock)
            session.commit()
            if request is None:
                return done
            lease = Lease(JobRequest, request.id, request.claimed_by, request.attempts)
            event = session.get(Event, request.event_id) if request.event_id else None
            with LeaseKeeper(engine, lease, clock=clock, every=renew_every):
                try:
                    run = run_job(request.job_id, engine=engine, clock=clock,
                                  event_slug=event.slug if event else None, trigger=JobTrigger.QUEUED,
                                  embedder=embedder, settings=settings, llm=llm, person_id=request.person_id)
                except (JobNotFound, ValueError):
                    run = None
            if run is not None and run.status == JobRunStatus.SKIPPED:
                # the same job is running elsewhere; try again on the next pass
                release_job_request(session, lease)
                session.commit()
                return done
            finish_job_request(session, lease, run_id=run.id if run else None)
            session.commit()
            done["jobs"] += 1
