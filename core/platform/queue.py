"""Work waiting for the jobs worker: queued uploads, requested job runs, and the worker's heartbeat.

Claiming an upload or a job request takes a lease on it: the worker's id, a heartbeat that the worker renews
while it works (`LeaseKeeper`), and the attempt's number. A worker that dies stops renewing; the reaper then
queues the work again, or fails it after `work_max_attempts` claims (`reap_expired_leases`)."""
from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.platform.audit import record_audit
from core.platform.clock import Clock
from db.locks import advisory_key
from db.models import (
    DatasetUpload,
    Event,
    JobRequest,
    JobRequestStatus,
    JobRun,
    JobRunStatus,
    JobTrigger,
    UploadPayload,
    UploadStage,
    UploadStatus,
    WorkerHeartbeat,
)

log = logging.getLogger(__name__)
WORKER_SILENCE = timedelta(seconds=30)
RENEW_SECONDS = 5.0  # how often a worker renews the lease of the work it holds (at most)
RUN_ABANDONED = "The worker running this job stopped before it finished."
LeasedModel = type[DatasetUpload] | type[JobRequest]


def worker_id() -> str:
    """This process's name on the leases it takes: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def renew_interval(lease_seconds: float) -> float:
    """How often to renew a lease of `lease_seconds`: several times within it, and every few seconds at most."""
    return min(RENEW_SECONDS, lease_seconds / 3)


def request_job(session: Session, *, job_id: str, event_id: int | None, reason: str, clock: Clock,
                person_id: int | None = None) -> bool:
    """Queue a run of `job_id` (for an event, or for one person) for the worker unless the same run is already
    waiting."""
    waiting = session.scalar(select(JobRequest.id).where(
        JobRequest.job_id == job_id, JobRequest.status == JobRequestStatus.QUEUED,
        JobRequest.event_id.is_(None) if event_id is None else JobRequest.event_id == event_id,
        JobRequest.person_id.is_(None) if person_id is None else JobRequest.person_id == person_id))
    if waiting:
        return False
    session.add(JobRequest(job_id=job_id, event_id=event_id, person_id=person_id, reason=reason,
                           status=JobRequestStatus.QUEUED, requested_at=clock.now()))
    session.flush()
    return True


def latest_request(session: Session, *, job_id: str, person_id: int) -> JobRequest | None:
    """The newest request of this job for this person, whatever its status."""
    return session.scalar(select(JobRequest).where(JobRequest.job_id == job_id, JobRequest.person_id == person_id)
                          .order_by(JobRequest.requested_at.desc(), JobRequest.id.desc()).limit(1))


def claim_job_request(session: Session, *, clock: Clock, worker: str | None = None) -> JobRequest | None:
    """Take the oldest queued job request (skipping ones another worker holds), mark it running and take its
    lease."""
    request = session.scalar(select(JobRequest).where(JobRequest.status == JobRequestStatus.QUEUED)
                             .order_by(JobRequest.id).limit(1).with_for_update(skip_locked=True))
    if request is not None:
        request.status = JobRequestStatus.RUNNING
        request.claimed_by, request.heartbeat_at = worker or worker_id(), clock.now()
        request.attempts += 1
    session.flush()
    return request


def claim_upload(session: Session, clock: Clock, upload_id: int | None = None, *,
                 worker: str | None = None) -> int | None:
    """Take the oldest queued upload (or that one), mark it running and take its lease. None when nothing is
    waiting."""
    query = select(DatasetUpload).where(DatasetUpload.status == UploadStatus.QUEUED)
    if upload_id is not None:
        query = query.where(DatasetUpload.id == upload_id)
    upload = session.scalar(query.order_by(DatasetUpload.id).limit(1).with_for_update(skip_locked=True))
    if upload is not None:
        upload.status, upload.started_at = UploadStatus.RUNNING, clock.now()
        upload.claimed_by, upload.heartbeat_at = worker or worker_id(), clock.now()
        upload.attempts += 1
    session.flush()
    return upload.id if upload is not None else None


@dataclass(frozen=True)
class Lease:
    """One claim of a row: who holds it, on which attempt. A later claim of the same row is another lease."""

    model: LeasedModel
    row_id: int
    holder: str | None
    attempt: int


def current_lease(session: Session, model: LeasedModel, row_id: int) -> Lease:
    """The lease on a row as stored now."""
    holder, attempt = session.execute(select(model.claimed_by, model.attempts).where(model.id == row_id)).one()
    return Lease(model, row_id, holder, attempt)


def holds_lease(session: Session, lease: Lease) -> bool:
    """Whether `lease` is still the row's lease; the row stays locked until the caller's transaction ends, so the
    reaper cannot take it away between this check and the commit."""
    row = session.execute(select(lease.model.claimed_by, lease.model.attempts).where(lease.model.id == lease.row_id)
                          .with_for_update()).one_or_none()
    return row is not None and (row.claimed_by, row.attempts) == (lease.holder, lease.attempt)


def _held(lease: Lease):
    model = lease.model
    return (model.id == lease.row_id, model.claimed_by == lease.holder, model.attempts == lease.attempt,
            model.status == JobRequestStatus.RUNNING)  # 'running' for uploads and job requests alike


def finish_job_request(session: Session, lease: Lease, *, run_id: int | None) -> bool:
    """Mark a claimed job request done with its run; False (and nothing changed) when the lease was lost."""
    done = session.execute(update(JobRequest).where(*_held(lease))
                           .values(status=JobRequestStatus.DONE, run_id=run_id)).rowcount
    session.flush()
    return done == 1


def release_job_request(session: Session, lease: Lease) -> None:
    """Put a claimed job request back in the queue untried (its job was running elsewhere): the claim does not
    count as an attempt."""
    session.execute(update(JobRequest).where(*_held(lease)).values(
        status=JobRequestStatus.QUEUED, claimed_by=None, heartbeat_at=None, attempts=JobRequest.attempts - 1))
    session.flush()


class LeaseKeeper:
    """Renews a lease every `every` seconds from a thread, through its own connection, while the caller's data
    transaction stays open. It never waits on a row lock (the data transaction may hold the row at the end) and
    never touches a row whose lease has passed to another claim."""

    def __init__(self, engine: Engine, lease: Lease, *, clock: Clock, every: float = RENEW_SECONDS):
        self.engine, self.lease, self.clock, self.every = engine, lease, clock, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"lease-{lease.model.__tablename__}-{lease.row_id}")

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 10)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.renew()
            except Exception:  # a missed renewal is retried; only a long silence loses the lease
                log.warning("could not renew the lease on %s %s", self.lease.model.__tablename__, self.lease.row_id,
                            exc_info=True)

    def renew(self) -> bool:
        """Write the heartbeat now; False when the row is locked just now or no longer this lease's."""
        model = self.lease.model
        free = select(model.id).where(*_held(self.lease)).with_for_update(skip_locked=True)
        with self.engine.begin() as connection:
            return connection.execute(update(model).where(model.id.in_(free))
                                      .values(heartbeat_at=self.clock.now())).rowcount == 1


def reap_expired_leases(session: Session, *, clock: Clock, lease_seconds: float, max_attempts: int) -> dict[str, int]:
    """Uploads and job requests marked running whose worker has not renewed the lease for `lease_seconds`: queue
    them again, or after `max_attempts` claims fail the upload (dropping its file) or close the job request with
    a failed run. Rows another reaper (or a live transaction) holds are skipped, so each is reaped once."""
    now = clock.now()
    cutoff = now - timedelta(seconds=lease_seconds)
    counts = dict.fromkeys(("uploads_requeued", "uploads_failed", "jobs_requeued", "jobs_failed"), 0)
    uploads = session.scalars(
        select(DatasetUpload).where(DatasetUpload.status == UploadStatus.RUNNING,
                                    func.coalesce(DatasetUpload.heartbeat_at, DatasetUpload.started_at,
                                                  DatasetUpload.created_at) < cutoff)
        .order_by(DatasetUpload.id).with_for_update(skip_locked=True).execution_options(populate_existing=True))
    for upload in uploads.all():
        details = {"kind": upload.kind, "filename": upload.filename, "worker": upload.claimed_by,
                   "attempts": upload.attempts,
                   "last_heartbeat": upload.heartbeat_at.isoformat() if upload.heartbeat_at else None}
        if upload.attempts >= max_attempts:
            upload.status, upload.finished_at = UploadStatus.FAILED, now
            upload.message = details["reason"] = (f"The worker processing this file stopped {upload.attempts} "
                                                  "times; nothing was loaded. Upload it again, or split it.")
            session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload.id))
            action, key = "upload.failed", "uploads_failed"
        else:
            upload.status, upload.stage, upload.progress = UploadStatus.QUEUED, UploadStage.QUEUED, 0.0
            upload.rows_valid = upload.rows_invalid = 0
            upload.claimed_by = upload.heartbeat_at = upload.started_at = None
            upload.message = (f"The worker processing this file stopped (attempt {upload.attempts} of "
                              f"{max_attempts}); nothing of it was kept, and it is queued again.")
            action, key = "upload.requeued", "uploads_requeued"
        record_audit(session, actor_id=None, action=action, target_type="dataset_upload", target_id=upload.id,
                     details=details, at=now)
        counts[key] += 1
    requests = session.scalars(
        select(JobRequest).where(JobRequest.status == JobRequestStatus.RUNNING,
                                 func.coalesce(JobRequest.heartbeat_at, JobRequest.requested_at) < cutoff)
        .order_by(JobRequest.id).with_for_update(skip_locked=True).execution_options(populate_existing=True))
    for request in requests.all():
        details = {"job": request.job_id, "event_id": request.event_id, "person_id": request.person_id,
                   "worker": request.claimed_by, "attempts": request.attempts}
        abandoned = close_orphaned_runs(session, clock=clock, job_id=request.job_id)
        if request.attempts >= max_attempts:
            message = (f"The worker running this job stopped {request.attempts} times; it was not finished. "
                       "Run it again from the Jobs page.")
            run = abandoned[-1] if abandoned else JobRun(
                job_id=request.job_id, trigger=JobTrigger.QUEUED, event_id=request.event_id, started_at=now,
                finished_at=now, duration_ms=0, status=JobRunStatus.FAILED)
            run.error = details["reason"] = message
            session.add(run)
            session.flush()
            request.status, request.run_id = JobRequestStatus.DONE, run.id
            action, key = "job_request.failed", "jobs_failed"
        else:
            request.status, request.claimed_by, request.heartbeat_at = JobRequestStatus.QUEUED, None, None
            action, key = "job_request.requeued", "jobs_requeued"
        record_audit(session, actor_id=None, action=action, target_type="job_request", target_id=request.id,
                     details=details, at=now)
        counts[key] += 1
    session.flush()
    return counts


def close_orphaned_runs(session: Session, *, clock: Clock, job_id: str | None = None) -> list[JobRun]:
    """Mark failed the job runs still 'running' (of `job_id`, or of any job) that no process is running: nobody
    holds their job's advisory lock, which a live run holds from start to finish."""
    query = select(JobRun).where(JobRun.status == JobRunStatus.RUNNING)
    if job_id is not None:
        query = query.where(JobRun.job_id == job_id)
    runs = session.scalars(query.order_by(JobRun.id).with_for_update(skip_locked=True)
                           .execution_options(populate_existing=True)).all()
    now, nobody_runs, closed = clock.now(), {}, []
    for run in runs:
        if run.job_id not in nobody_runs:  # held until this transaction ends, so no run of it starts meanwhile
            nobody_runs[run.job_id] = session.scalar(select(func.pg_try_advisory_xact_lock(advisory_key(run.job_id))))
        if nobody_runs[run.job_id]:
            run.status, run.error, run.finished_at = JobRunStatus.FAILED, RUN_ABANDONED, now
            closed.append(run)
    session.flush()
    return closed


def latest_upload_needing_attention(session: Session, *, account_id: int | None, clock: Clock,
                                    within: timedelta = timedelta(days=1)) -> int | None:
    """This account's newest upload of the last day, when it is still waiting or running, or did not load (failed
    or rejected): what the Uploads page shows on opening, so a reload or a later visit still says what happened."""
    if account_id is None:
        return None
    newest = session.execute(select(DatasetUpload.id, DatasetUpload.status)
                             .where(DatasetUpload.uploaded_by == account_id,
                                    DatasetUpload.created_at >= clock.now() - within)
                             .order_by(DatasetUpload.id.desc()).limit(1)).first()
    return newest.id if newest is not None and newest.status != UploadStatus.COMPLETED else None


def upload_lease_expired(session: Session, upload_id: int, *, clock: Clock, lease_seconds: float) -> bool:
    """Whether a running upload's worker has not renewed its lease for `lease_seconds`: it has most likely stopped,
    and the reaper will queue the file again or fail it."""
    last_sign = session.scalar(select(func.coalesce(DatasetUpload.heartbeat_at, DatasetUpload.started_at))
                               .where(DatasetUpload.id == upload_id, DatasetUpload.status == UploadStatus.RUNNING))
    return last_sign is not None and clock.now() - last_sign > timedelta(seconds=lease_seconds)


@dataclass(frozen=True)
class QueuedJob:
    job_id: str
    event: str | None
    reason: str
    status: str
    requested_at: datetime
    attempts: int = 0  # claims so far: more than one means a worker stopped while running it


def waiting_jobs(session: Session) -> list[QueuedJob]:
    """Job requests the worker has not finished, oldest first."""
    rows = session.execute(select(JobRequest, Event.slug).outerjoin(Event, Event.id == JobRequest.event_id)
                           .where(JobRequest.status != JobRequestStatus.DONE).order_by(JobRequest.id))
    return [QueuedJob(r.job_id, slug, r.reason, r.status, r.requested_at, r.attempts) for r, slug in rows]


def record_heartbeat(session: Session, *, worker_id: str, clock: Clock) -> None:
    """Note that this worker is alive."""
    now = clock.now()
    session.execute(insert(WorkerHeartbeat).values(worker_id=worker_id, started_at=now, seen_at=now)
                    .on_conflict_do_update(index_elements=["worker_id"], set_={"seen_at": now}))
    session.flush()


def worker_is_alive(session: Session, clock: Clock) -> bool:
    """Whether some worker checked in recently enough to pick up queued work."""
    latest = session.scalar(select(WorkerHeartbeat.seen_at).order_by(WorkerHeartbeat.seen_at.desc()).limit(1))
    return latest is not None and clock.now() - latest < WORKER_SILENCE
