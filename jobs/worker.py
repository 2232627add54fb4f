"""The APScheduler worker: schedules every job with its store in Postgres and runs them single-flight."""
from __future__ import annotations

import logging
from functools import lru_cache
import signal

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine

from core.bootstrap import build_clock, build_embedder, build_engine, build_llm
from core.jobs import JOBS, run_job
from core.settings import get_settings

log = logging.getLogger("globalconnect.worker")
_engine: Engine | None = None


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


def build_scheduler(engine: Engine, *, blocking: bool = True) -> BaseScheduler:
    """A scheduler holding every job definition, keyed by stable ids."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    for job in JOBS.values():
        scheduler.add_job("jobs.worker:execute_scheduled", id=job.id, name=job.title, args=[job.id],
                          replace_existing=True, **job.trigger)
    return scheduler


def run_worker() -> None:
    """Block forever running scheduled jobs; SIGTERM/SIGINT stop it cleanly."""
    global _engine
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    _engine = build_engine(get_settings(), migrate=True)
    scheduler = build_scheduler(_engine)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker started with jobs: %s", ", ".join(JOBS))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
