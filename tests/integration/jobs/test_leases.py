"""Leases on claimed work: claiming takes one, the worker renews it, and the reaper requeues or fails work whose
worker stopped renewing it (issue 13, crashed workers)."""
import dataclasses
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from core.jobs.runner import run_job, run_queued_work
from core.jobs.upload_kinds import DATASET_KINDS
from core.jobs.uploads import process_claimed_upload
from core.platform.clock import SystemClock
from core.platform.queue import (
    advisory_key,
    claim_job_request,
    claim_upload,
    reap_expired_leases,
    request_job,
    worker_id,
)
from core.platform.settings import Settings
from db.models import Alumnus, AuditLog, DatasetUpload, JobRequest, JobRun, UploadPayload
from tests.fakes import FakeEmbedder
from tests.integration.jobs.test_upload_queue import ALUMNI, queue

LEASE = 5
SETTINGS = Settings(worker_lease_seconds=LEASE, work_max_attempts=3)
CRASHED = ("The worker processing this file stopped 3 times; nothing was loaded. Upload it again, or split it.")


def reap(session, clock) -> dict:
    return reap_expired_leases(session, clock=clock, lease_seconds=LEASE, max_attempts=3)


def stale_upload(db, clock, *, attempts: int, silent_for: float = 3 * LEASE) -> DatasetUpload:
    """A queued upload claimed by a worker that has been silent for `silent_for` seconds, on its `attempts`th try."""
    upload = queue(db, clock)
    claim_upload(db, clock, worker="dead-host:1")
    db.execute(update(DatasetUpload).where(DatasetUpload.id == upload.id).values(
        attempts=attempts, heartbeat_at=clock.now() - timedelta(seconds=silent_for)))
    db.commit()
    db.expire_all()
    return upload


def stale_request(db, clock, *, attempts: int, job_id: str = "geocode-locations") -> JobRequest:
    request_job(db, job_id=job_id, event_id=None, reason="test", clock=clock)
    request = claim_job_request(db, clock=clock, worker="dead-host:1")
    request.attempts, request.heartbeat_at = attempts, clock.now() - timedelta(seconds=3 * LEASE)
    db.commit()
    return request


def audit_actions(db) -> list[str]:
    return list(db.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_claiming_an_upload_takes_a_lease_in_this_workers_name(db, clock):
    upload = queue(db, clock)
    assert claim_upload(db, clock) == upload.id
    db.commit()
    stored = db.get(DatasetUpload, upload.id)
    assert (stored.status, stored.claimed_by, stored.heartbeat_at, stored.attempts) == (
        "running", worker_id(), clock.now(), 1)


def test_claiming_a_job_request_takes_a_lease_in_this_workers_name(db, clock):
    request_job(db, job_id="geocode-locations", event_id=None, reason="test", clock=clock)
    request = claim_job_request(db, clock=clock)
    db.commit()
    assert (request.status, request.claimed_by, request.heartbeat_at, request.attempts) == (
        "running", worker_id(), clock.now(), 1)


def test_a_silent_upload_under_the_attempt_limit_is_queued_again_with_its_file(db, clock):
    upload = stale_upload(db, clock, attempts=1)
    assert reap(db, clock)["uploads_requeued"] == 1
    db.commit()
    stored = db.get(DatasetUpload, upload.id)
    assert (stored.status, stored.stage, stored.claimed_by, stored.attempts) == ("queued", "queued", None, 1)
    assert "stopped" in stored.message
    assert db.get(UploadPayload, upload.id).data == ALUMNI
    assert audit_actions(db) == ["upload.requeued"]


def test_a_silent_upload_at_the_attempt_limit_fails_and_its_file_is_dropped(db, clock):
    upload = stale_upload(db, clock, attempts=3)
    assert reap(db, clock)["uploads_failed"] == 1
    db.commit()
    stored = db.get(DatasetUpload, upload.id)
    assert (stored.status, stored.message, stored.finished_at) == ("failed", CRASHED, clock.now())
    assert db.get(UploadPayload, upload.id) is None
    assert audit_actions(db) == ["upload.failed"]
    entry = db.scalar(select(AuditLog))
    assert entry.target_id == str(upload.id) and entry.details["attempts"] == 3


def test_an_upload_whose_worker_renewed_its_lease_recently_is_left_alone(db, clock):
    upload = stale_upload(db, clock, attempts=3, silent_for=LEASE - 1)
    assert reap(db, clock) == {"uploads_requeued": 0, "uploads_failed": 0, "jobs_requeued": 0, "jobs_failed": 0}
    db.commit()
    stored = db.get(DatasetUpload, upload.id)
    assert (stored.status, stored.claimed_by) == ("running", "dead-host:1")
    assert db.get(UploadPayload, upload.id) is not None and audit_actions(db) == []


def test_a_silent_job_request_under_the_limit_is_queued_again(db, clock):
    request = stale_request(db, clock, attempts=1)
    assert reap(db, clock)["jobs_requeued"] == 1
    db.commit()
    stored = db.get(JobRequest, request.id, populate_existing=True)
    assert (stored.status, stored.claimed_by, stored.attempts) == ("queued", None, 1)
    assert audit_actions(db) == ["job_request.requeued"]


def test_a_silent_job_request_at_the_limit_is_closed_with_a_failed_run(db, clock):
    request = stale_request(db, clock, attempts=3)
    assert reap(db, clock)["jobs_failed"] == 1
    db.commit()
    stored = db.get(JobRequest, request.id, populate_existing=True)
    run = db.get(JobRun, stored.run_id)
    assert stored.status == "done"
    assert (run.job_id, run.status, run.trigger) == ("geocode-locations", "failed", "queued")
    assert "stopped 3 times" in run.error
    assert audit_actions(db) == ["job_request.failed"]


def test_the_run_a_dead_worker_left_running_is_closed_when_its_request_is_reaped(db, clock):
    request = stale_request(db, clock, attempts=1, job_id="talent-clusters")
    db.add(JobRun(job_id="talent-clusters", trigger="queued", status="running", started_at=clock.now()))
    db.commit()
    reap(db, clock)
    db.commit()
    run = db.scalar(select(JobRun))
    assert run.status == "failed" and "stopped before it finished" in run.error
    assert db.get(JobRequest, request.id, populate_existing=True).status == "queued"


def test_a_run_whose_job_lock_is_still_held_is_not_closed(db, engine, clock):
    stale_request(db, clock, attempts=1, job_id="talent-clusters")
    db.add(JobRun(job_id="talent-clusters", trigger="schedule", status="running", started_at=clock.now()))
    db.commit()
    with engine.connect() as other:  # a live process is running this job
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key("talent-clusters")})
        reap(db, clock)
        db.commit()
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key("talent-clusters")})
    assert db.scalar(select(JobRun.status)) == "running"


def test_two_reapers_at_once_requeue_each_silent_item_once(db, engine, clock):
    stale_upload(db, clock, attempts=1)
    stale_request(db, clock, attempts=1)
    barrier, results, errors = threading.Barrier(2, timeout=20), [], []

    def reaper() -> None:
        try:
            with Session(engine) as session:
                barrier.wait()
                results.append(reap(session, clock))
                barrier.wait()  # both have reaped before either commits: a row lock alone would deadlock here
                session.commit()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=reaper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sum(r["uploads_requeued"] for r in results) == 1 and sum(r["jobs_requeued"] for r in results) == 1
    assert sorted(audit_actions(db)) == ["job_request.requeued", "upload.requeued"]


def test_the_queue_pass_reaps_first_then_processes_the_requeued_upload(db, engine, clock):
    upload = stale_upload(db, clock, attempts=1)
    done = run_queued_work(engine, clock=clock, settings=SETTINGS, embedder=FakeEmbedder())
    assert done["uploads"] == 1
    stored = db.get(DatasetUpload, upload.id, populate_existing=True)
    assert (stored.status, stored.attempts, stored.claimed_by, stored.rows_inserted) == (
        "completed", 2, worker_id(), 12)
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 12


def test_the_worker_renews_the_lease_through_its_own_connection_while_the_upload_is_open(db, engine,
                                                                                         monkeypatch):
    clock, seen = SystemClock(), []
    store = DATASET_KINDS["alumni"].store

    def slow_store(session, event_id, rows, now):
        counts = store(session, event_id, rows, now)  # the rows are written but not committed
        time.sleep(1.0)
        with Session(engine) as other:
            seen.append(other.scalar(select(DatasetUpload.heartbeat_at)))
        return counts

    monkeypatch.setitem(DATASET_KINDS, "alumni", dataclasses.replace(DATASET_KINDS["alumni"], store=slow_store))
    upload = queue(db, clock)
    claim_upload(db, clock)
    db.commit()
    claimed_at = db.get(DatasetUpload, upload.id).heartbeat_at
    report = process_claimed_upload(db, upload.id, clock=clock, max_mb=5, renew_every=0.2)
    db.commit()
    assert report.status == "completed"
    assert seen[0] > claimed_at + timedelta(seconds=0.5)


def test_a_worker_that_lost_its_lease_keeps_nothing_of_the_upload(db, engine, clock, monkeypatch):
    store = DATASET_KINDS["alumni"].store

    def store_then_lose_the_lease(session, event_id, rows, now):
        counts = store(session, event_id, rows, now)
        with engine.begin() as other:  # meanwhile the reaper requeued it and another worker claimed it
            other.execute(update(DatasetUpload).values(claimed_by="other-host:2", attempts=DatasetUpload.attempts + 1))
        return counts

    monkeypatch.setitem(DATASET_KINDS, "alumni",
                        dataclasses.replace(DATASET_KINDS["alumni"], store=store_then_lose_the_lease))
    upload = queue(db, clock)
    claim_upload(db, clock)
    db.commit()
    process_claimed_upload(db, upload.id, clock=clock, max_mb=5)
    db.commit()
    stored = db.get(DatasetUpload, upload.id, populate_existing=True)
    assert (stored.status, stored.claimed_by, stored.attempts) == ("running", "other-host:2", 2)
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 0
    assert db.get(UploadPayload, upload.id) is not None
    assert "upload.failed" not in audit_actions(db)


def test_a_job_request_skipped_because_the_job_runs_elsewhere_does_not_use_up_an_attempt(db, engine, clock):
    request_job(db, job_id="geocode-locations", event_id=None, reason="test", clock=clock)
    db.commit()
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key("geocode-locations")})
        run_queued_work(engine, clock=clock, settings=SETTINGS, embedder=FakeEmbedder())
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key("geocode-locations")})
    stored = db.scalar(select(JobRequest))
    assert (stored.status, stored.attempts, stored.claimed_by) == ("queued", 0, None)


def test_a_finished_job_request_is_done_with_its_run_on_its_first_attempt(db, engine, clock):
    request_job(db, job_id="geocode-locations", event_id=None, reason="test", clock=clock)
    db.commit()
    assert run_queued_work(engine, clock=clock, settings=SETTINGS, embedder=FakeEmbedder())["jobs"] == 1
    stored = db.scalar(select(JobRequest))
    assert (stored.status, stored.attempts) == ("done", 1)
    assert db.get(JobRun, stored.run_id).status == "succeeded"


def test_the_housekeeping_job_reaps_and_closes_runs_no_process_is_running(db, engine, clock):
    upload = stale_upload(db, clock, attempts=3)
    db.add(JobRun(job_id="geocode-locations", trigger="schedule", status="running",
                  started_at=clock.now() - timedelta(hours=1)))
    db.commit()
    run = run_job("recover-crashed-work", engine=engine, clock=clock, settings=SETTINGS)
    assert run.status == "succeeded", run.error
    assert run.counts == {"uploads_requeued": 0, "uploads_failed": 1, "jobs_requeued": 0, "jobs_failed": 0,
                          "runs_closed": 1}
    assert db.get(DatasetUpload, upload.id, populate_existing=True).status == "failed"
    assert db.scalar(select(JobRun.status).where(JobRun.job_id == "geocode-locations")) == "failed"


@pytest.mark.parametrize("status", ["queued", "completed"])
def test_only_running_work_is_reaped(db, clock, status):
    upload = stale_upload(db, clock, attempts=3)
    db.execute(update(DatasetUpload).values(status=status))
    db.commit()
    assert reap(db, clock)["uploads_failed"] == 0
    assert db.get(DatasetUpload, upload.id, populate_existing=True).status == status
