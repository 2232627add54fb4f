"""Runs a queued upload through the stages (validating, cleaning, processing, storing) with the kind registered
for it, then queues the kind's follow-up jobs; the CLI runs the same stages inline."""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from core.events.events import get_or_create_event, validate_slug
from core.ingest.pipeline import (
    MAX_STORED_PROBLEMS,
    ImportReport,
    ProgressCallback,
    ProgressWriter,
    RowProblem,
    upload_report,
    validate_table,
)
from core.ingest.tabular import MB, FileRejected, ReadLimits
from core.jobs.upload_kinds import DATASET_KINDS
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.queue import (
    RENEW_SECONDS,
    LeaseKeeper,
    claim_upload,
    current_lease,
    holds_lease,
    request_job,
)
from core.platform.settings import get_settings
from db.models import DatasetUpload, UploadPayload, UploadRowError, UploadStage, UploadStatus

log = logging.getLogger(__name__)


def queue_upload(session: Session, *, kind: str, data: bytes, filename: str, event_slug: str | None,
                 actor_id: int | None, clock: Clock, max_mb: float, source: str = "ui",
                 run_inline: bool = False) -> DatasetUpload:
    """Record an upload and keep its bytes for the worker. A file over the size limit is rejected here, before it
    is stored or parsed. With `run_inline` the caller processes it itself (status running)."""
    spec = DATASET_KINDS.get(kind)
    if spec is None:
        raise ValueError(f"Unknown dataset kind '{kind}'. Use one of: {', '.join(DATASET_KINDS)}.")
    if spec.needs_event and not event_slug:
        raise ValueError(f"{spec.label} belong to an event: choose or create the event first.")
    if spec.needs_event:
        validate_slug(event_slug)
    now = clock.now()
    upload = DatasetUpload(kind=kind, filename=filename[:300], sha256=hashlib.sha256(data).hexdigest(),
                           size_bytes=len(data), uploaded_by=actor_id, source=source,
                           event_slug=event_slug if spec.needs_event else None, created_at=now,
                           status=UploadStatus.RUNNING if run_inline else UploadStatus.QUEUED, stage=UploadStage.QUEUED,
                           started_at=now if run_inline else None)
    session.add(upload)
    if len(data) > max_mb * MB:
        message = (f"The file is {len(data) / MB:.1f} MB, over the {max_mb:g} MB limit. "
                   "Split it into smaller files and upload them one by one.")
        _close_rejected(session, upload, actor_id, "validating", message, now)
    else:
        session.flush()
        session.add(UploadPayload(upload_id=upload.id, data=data))
    session.flush()
    return upload


def _close_rejected(session: Session, upload: DatasetUpload, actor_id: int | None, stage: str, message: str,
                    now: datetime) -> None:
    upload.status, upload.stage, upload.message, upload.finished_at = UploadStatus.REJECTED, stage, message, now
    upload.rows_valid = upload.rows_invalid = 0
    session.flush()
    session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload.id))
    record_audit(session, actor_id=actor_id, action="upload.rejected", target_type="dataset_upload",
                 target_id=upload.id,
                 details={"kind": upload.kind, "filename": upload.filename, "reason": message}, at=now)


def process_upload(session: Session, upload_id: int, *, clock: Clock, max_mb: float,
                   on_progress: ProgressCallback | None = None, limits: ReadLimits | None = None) -> ImportReport:
    """Run the stages on a claimed upload (validating, cleaning, processing, storing).

    A file that is wrong as a whole writes no data rows; bad rows are reported with their line and reason (the
    first MAX_STORED_PROBLEMS of them are stored, and all are counted). `limits` (rows, columns, unpacked size)
    default to the process's settings."""
    limits = limits or ReadLimits.from_settings(get_settings())
    upload = session.get(DatasetUpload, upload_id)
    spec = DATASET_KINDS[upload.kind]
    actor_id = upload.uploaded_by
    report = on_progress or (lambda *args: None)
    stage = UploadStage.VALIDATING
    try:
        payload = session.get(UploadPayload, upload_id)
        if payload is None:
            raise FileRejected("The file's contents are no longer stored. Upload it again.")
        report("validating", 0.0)
        table = spec.read(payload.data, upload.filename, int(max_mb * MB), limits)
        checked = validate_table(table, spec, report)
        good, problems, warnings = checked.good, checked.problems, checked.warnings
        if not table.rows:
            raise FileRejected("The file has a header but no data rows.")
        if not good:
            raise FileRejected(
                f"None of the {len(table.rows):,} rows is valid, so nothing was loaded "
                f"({checked.problems_total:,} problems). First problem: {table.line_label} {problems[0].line}, "
                f"{problems[0].column or 'row'}: {problems[0].message}."
            )
        stage = UploadStage.PROCESSING
        report("processing", 0.0, len(good), checked.rows_invalid)
        processed = spec.process(good) if spec.process else {}
    except FileRejected as exc:  # nothing was written yet: only the upload is closed
        _close_rejected(session, upload, actor_id, stage, str(exc), clock.now())
        return upload_report(session, upload_id)

    report("storing", 0.0)
    event = get_or_create_event(session, upload.event_slug) if upload.event_slug else None
    counts = {**spec.store(session, event.id if event else None, good, clock.now()), **processed}
    stored_problems = [RowProblem(checked.lines[index], column, message)
                       for index, column, message in counts.pop("row_problems", [])]
    if stored_problems:
        problems = sorted([*problems, *stored_problems], key=lambda p: p.line)[:MAX_STORED_PROBLEMS]
        checked.rows_invalid += len({p.line for p in stored_problems})
        checked.problems_total += len(stored_problems)
    changed = counts["inserted"] + counts["updated"] > 0
    follow_ups = list(spec.follow_up_jobs) if changed else []
    for job_id in follow_ups:
        request_job(session, job_id=job_id, event_id=event.id if event else None,
                    reason=f"after upload #{upload.id} ({spec.label.lower()})", clock=clock)
    # The upload row is written only now: from here on no progress update may wait on this transaction.
    upload.event_id = event.id if event else None
    upload.status, upload.stage, upload.progress = UploadStatus.COMPLETED, UploadStage.DONE, 1.0
    upload.finished_at = clock.now()
    upload.line_label, upload.warnings, upload.follow_up_jobs = table.line_label, warnings, follow_ups
    upload.rows_total, upload.rows_valid = len(table.rows), len(good)
    upload.rows_invalid, upload.errors_total = checked.rows_invalid, checked.problems_total
    upload.rows_inserted, upload.rows_updated, upload.rows_unchanged = (
        counts["inserted"], counts["updated"], counts["unchanged"])
    session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload.id))
    session.add_all(UploadRowError(upload_id=upload.id, line=p.line, column=p.column[:120], message=p.message)
                    for p in problems)  # the first MAX_STORED_PROBLEMS; errors_total counts them all
    record_audit(session, actor_id=actor_id, action="upload.completed", target_type="dataset_upload",
                 target_id=upload.id,
                 details={"kind": upload.kind, "filename": upload.filename, "event": upload.event_slug, **counts,
                          "invalid_rows": upload.rows_invalid, "problems": upload.errors_total,
                          "queued_jobs": follow_ups}, at=clock.now())
    upload.message = ImportReport(upload.id, upload.kind, upload.filename, UploadStatus.COMPLETED, "",
                                  rows_total=upload.rows_total, rows_valid=upload.rows_valid,
                                  rows_invalid=upload.rows_invalid, inserted=upload.rows_inserted,
                                  updated=upload.rows_updated, unchanged=upload.rows_unchanged,
                                  errors_total=upload.errors_total).summary()
    session.flush()
    return upload_report(session, upload_id, problems)


class LeaseLost(RuntimeError):
    """The reaper gave this upload to another claim while this process was still working on it."""


def process_claimed_upload(session: Session, upload_id: int, *, clock: Clock, max_mb: float,
                           limits: ReadLimits | None = None, renew_every: float = RENEW_SECONDS) -> ImportReport:
    """Process an upload this process has claimed, writing progress as it goes; an unexpected error marks the
    upload failed with nothing loaded instead of propagating.

    Meanwhile a thread renews the claim's lease every `renew_every` seconds. Everything is written in one
    savepoint of the caller's transaction, so a worker killed midway leaves nothing behind; one that lost its lease
    to another claim undoes its writes and leaves the upload to that claim."""
    lease = current_lease(session, DatasetUpload, upload_id)
    try:
        with LeaseKeeper(session.get_bind(), lease, clock=clock, every=renew_every), session.begin_nested():
            report = process_upload(session, upload_id, clock=clock, max_mb=max_mb, limits=limits,
                                    on_progress=ProgressWriter(session.get_bind(), upload_id))
            if not holds_lease(session, lease):
                raise LeaseLost(f"upload {upload_id} was claimed again while this process worked on it")
            return report
    except LeaseLost:
        log.warning("upload %s: the lease was lost to another claim; this process's writes were undone", upload_id)
        return upload_report(session, upload_id)
    except Exception as exc:  # a bug or a database error: nothing of the file is kept, so say so and keep going
        log.exception("upload %s failed", upload_id)
        if not holds_lease(session, lease):
            return upload_report(session, upload_id)
        upload = session.get(DatasetUpload, upload_id, populate_existing=True)
        upload.status, upload.finished_at = UploadStatus.FAILED, clock.now()
        upload.message = (f"Processing stopped with an internal error ({type(exc).__name__}: {exc}). Nothing was "
                          "loaded. Upload the file again; if it fails again, report it with this message.")
        session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload_id))
        record_audit(session, actor_id=None, action="upload.failed", target_type="dataset_upload", target_id=upload_id,
                     details={"kind": upload.kind, "filename": upload.filename, "error": str(exc)[:500]},
                     at=clock.now())
        session.flush()
        return upload_report(session, upload_id)


def import_dataset(session: Session, *, kind: str, data: bytes, filename: str, event_slug: str | None,
                   actor_id: int | None, clock: Clock, max_mb: float, source: str = "cli",
                   limits: ReadLimits | None = None) -> ImportReport:
    """The whole pipeline inline, in this process (the CLI's path): the same stages the worker runs."""
    upload = queue_upload(session, kind=kind, data=data, filename=filename, event_slug=event_slug, actor_id=actor_id,
                          clock=clock, max_mb=max_mb, source=source, run_inline=True)
    if upload.status == UploadStatus.REJECTED:
        return upload_report(session, upload.id)
    return process_claimed_upload(session, upload.id, clock=clock, max_mb=max_mb, limits=limits)


def claim_upload_now(session: Session, upload_id: int, *, clock: Clock) -> bool:
    """Take a queued upload to process it in this process, for when no worker is running; False if one took it.

    Commit the claim before `process_claimed_upload`, so that its progress can be written meanwhile."""
    return claim_upload(session, clock, upload_id) is not None


