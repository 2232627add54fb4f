"""The `reengagement` job on a real Postgres: queued by behavioural uploads, run by the worker's queue pass, nightly."""
import json

from sqlalchemy import func, select

from core.jobs.registry import JOBS
from core.jobs.runner import run_job, run_queued_work
from core.jobs.uploads import queue_upload
from core.platform.settings import Settings
from db.models import JobRequest, JobRun, ReengagementProfile
from tests.fakes import FakeEmbedder
from tests.integration.reengagement.test_store import SEED_DOCUMENT


def queue_behavioural_upload(db, clock, document: dict = SEED_DOCUMENT) -> None:
    queue_upload(db, kind="behavioral", data=json.dumps(document).encode(), filename="behaviour.json",
                 event_slug=None, actor_id=None, clock=clock, max_mb=5)
    db.commit()


def work(engine, clock) -> dict:
    return run_queued_work(engine, clock=clock, settings=Settings(), embedder=FakeEmbedder())


def test_the_worker_computes_profiles_after_a_behavioural_upload(db, engine, clock):
    queue_behavioural_upload(db, clock)
    done = work(engine, clock)
    assert done["uploads"] == 1 and done["jobs"] >= 1
    run = db.scalar(select(JobRun).where(JobRun.job_id == "reengagement"))
    assert (run.status, run.trigger) == ("succeeded", "queued")
    assert (run.counts["members"], run.counts["changed"]) == (4, 4)
    assert db.scalar(select(func.count()).select_from(ReengagementProfile)) == 4
    assert set(db.scalars(select(JobRequest.status).where(JobRequest.job_id == "reengagement"))) == {"done"}


def test_an_unchanged_reupload_queues_no_new_recomputation(db, engine, clock):
    queue_behavioural_upload(db, clock)
    work(engine, clock)
    queue_behavioural_upload(db, clock)
    work(engine, clock)
    assert db.scalar(select(func.count()).select_from(JobRequest).where(JobRequest.job_id == "reengagement")) == 1


def test_a_scheduled_run_with_nothing_changed_writes_no_rows(db, engine, clock):
    queue_behavioural_upload(db, clock)
    work(engine, clock)
    run = run_job("reengagement", engine=engine, clock=clock, settings=Settings(), trigger="schedule")
    assert run.status == "succeeded" and (run.counts["changed"], run.counts["unchanged"]) == (0, 4)


def test_the_job_runs_nightly():
    job = JOBS["reengagement"]
    assert job.title == "Re-engagement profiles" and job.schedule_text == "daily at 03:30 UTC"
