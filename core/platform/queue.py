"""Work waiting for the jobs worker: queued uploads, requested job runs, and the worker's heartbeat."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.platform.clock import Clock
from db.models import DatasetUpload, Event, JobRequest, JobRequestStatus, UploadStatus, WorkerHeartbeat

WORKER_SILENCE = timedelta(seconds=30)


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


def claim_job_request(session: Session) -> JobRequest | None:
    """Take the oldest queued job request (skipping ones another worker holds) and mark it running."""
    request = session.scalar(select(JobRequest).where(JobRequest.status == JobRequestStatus.QUEUED)
                             .order_by(JobRequest.id).limit(1).with_for_update(skip_locked=True))
    if request is not None:
        request.status = JobRequestStatus.RUNNING
    session.flush()
    return request


def claim_upload(session: Session, clock: Clock, upload_id: int | None = None) -> int | None:
    """Take the oldest queued upload (or that one) and mark it running. None when nothing is waiting."""
    query = select(DatasetUpload).where(DatasetUpload.status == UploadStatus.QUEUED)
    if upload_id is not None:
        query = query.where(DatasetUpload.id == upload_id)
    upload = session.scalar(query.order_by(DatasetUpload.id).limit(1).with_for_update(skip_locked=True))
    if upload is not None:
        upload.status, upload.started_at = UploadStatus.RUNNING, clock.now()
    session.flush()
    return upload.id if upload is not None else None


@dataclass(frozen=True)
class QueuedJob:
    job_id: str
    event: str | None
    reason: str
    status: str
    requested_at: datetime


def waiting_jobs(session: Session) -> list[QueuedJob]:
    """Job requests the worker has not finished, oldest first."""
    rows = session.execute(select(JobRequest, Event.slug).outerjoin(Event, Event.id == JobRequest.event_id)
                           .where(JobRequest.status != JobRequestStatus.DONE).order_by(JobRequest.id))
    return [QueuedJob(r.job_id, slug, r.reason, r.status, r.requested_at) for r, slug in rows]


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
