"""The APScheduler worker: schedules every job with its store in Postgres and runs them single-flight."""
from __future__ import annotations

import contextlib
import logging
import signal
from datetime import UTC, datetime
from functools import lru_cache

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.ai.wiring import build_embedder, build_llm
from core.jobs.registry import JOBS
from core.jobs.runner import run_job, run_queued_work
from core.platform.queue import record_heartbeat, worker_id
from core.platform.settings import get_settings
from core.platform.wiring import build_clock, build_engine
from db.migrate import schema_lock

log = logging.getLogger("globalconnect.worker")
_engine: Engine | None = None
QUEUE_POLL_SECONDS = 2
HEARTBEAT_SECONDS = 10
WORKER_ID = worker_id()  # also the name on the leases this process takes


def _worker_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = build_engine(get_settings())
    return _engine


@lru_cache(maxsize=1)
def _worker_embedder():
    return build_embedder(get_settings())


def execute_scheduled(job_id: str) -> None:
    """Entry point APScheduler calls (by import path, so the job store can persist it)."""
    run = run_job(job_id, engine=_worker_engine(), clock=build_clock(), trigger="schedule",
                  embedder=_worker_embedder(), settings=get_settings(), llm=build_llm(get_settings()))
    log.info("job %s finished: %s %s", job_id, run.status, run.counts or run.error or "")


def work_through_queue() -> None:
    """Entry point for the queue poll: queued uploads and requested job runs."""
    done = run_queued_work(_worker_engine(), clock=build_clock(), settings=get_settings(),
                           embedder=_worker_embedder(), llm=build_llm(get_settings()))
    if done["reaped"]:
        log.warning("queue: %s uploads or requested jobs were left by a stopped worker; queued again or failed (see "
                    "the audit log)", done["reaped"])
    if any(done[k] for k in ("uploads", "jobs", "mails")):
        log.info("queue: processed %s uploads and %s requested jobs; sent %s emails", done["uploads"], done["jobs"],
                 done["mails"])


def beat() -> None:
    with Session(_worker_engine()) as session:
        record_heartbeat(session, worker_id=WORKER_ID, clock=build_clock())
        session.commit()


def build_scheduler(engine: Engine, *, blocking: bool = True) -> BaseScheduler:
    """A scheduler holding every job definition, keyed by stable ids."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    store = SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")
    with schema_lock(engine):  # the store creates its table on start; workers starting together raced to create it
        store.jobs_t.create(engine, checkfirst=True)
    scheduler = scheduler_class(
        jobstores={"default": store, "process": MemoryJobStore()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    for job in (j for j in JOBS.values() if j.trigger is not None):
        scheduler.add_job("jobs.worker:execute_scheduled", id=job.id, name=job.title, args=[job.id],
                          replace_existing=True, **job.trigger)
    # The queue poll and the heartbeat belong to this process only, so they are not persisted.
    scheduler.add_job(work_through_queue, "interval", seconds=QUEUE_POLL_SECONDS, id="queue", jobstore="process")
    scheduler.add_job(beat, "interval", seconds=HEARTBEAT_SECONDS, id="heartbeat", jobstore="process",
                      next_run_time=datetime.now(UTC))
    return scheduler


def run_worker() -> None:
    """Block forever running scheduled jobs; SIGTERM/SIGINT stop it cleanly."""
    global _engine
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    # APScheduler logs every execution, which is a line every 2 s for the queue poll; each job run is logged
    # once by execute_scheduled instead.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    _engine = build_engine(get_settings(), migrate=True)
    scheduler = build_scheduler(_engine)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker started with jobs: %s", ", ".join(JOBS))
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
