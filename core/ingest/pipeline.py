"""Dataset upload pipeline: read, validate every row, then store the good rows in one transaction."""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from core.alumni import alumni

from core.events import attendees

from core.reengagement import behavioral

from core.alumni import educational

from core.alumni import job_market

from core.events import program_import
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.events.events import get_or_create_event, validate_slug
from core.knowledge.geocode import locate_rows
from core.platform.queue import claim_upload, request_job
from core.ingest.tabular import MB, FileRejected, Table, read_table, safe_csv_cell
from db.models import Account, DatasetUpload, UploadPayload, UploadRowError

# stage, fraction of that stage done, and optionally the rows found valid and invalid so far
ProgressCallback = Callable[..., None]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatasetKind:
    """How one kind of dataset is validated and stored."""

    name: str
    label: str
    required: list[str]
    optional: list[str]
    synonyms: dict[str, str]
    validate: Callable[[dict[str, str]], tuple[dict | None, list]]
    key: Callable[[dict], str]
    store: Callable[[Session, int | None, list[dict], datetime], dict[str, int]]
    needs_event: bool = True
    read: Callable[[bytes, str, int], Table] = lambda data, filename, max_bytes: read_table(
        data, filename, max_bytes=max_bytes)
    hint: str = ""  # what else this kind accepts, for the Uploads page
    process: Callable[[list[dict]], dict[str, int]] | None = None  # enrichment of the clean rows before storing
    follow_up_jobs: tuple[str, ...] = ()  # queued for the worker after an upload that changed something
    parts: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # documented sub-tables


def _locate(rows: list[dict]) -> dict[str, int]:
    """Offline geocoding of each distinct location; rows whose place is unknown are counted, not rejected."""
    return {"unlocated": locate_rows(rows)}


def _store_attendees(session: Session, event_id: int | None, rows: list[dict], now: datetime) -> dict[str, int]:
    counts = attendees.upsert_attendees(session, event_id, rows, now)
    return {"inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
            "registered": counts.registered}


DATASET_KINDS: dict[str, DatasetKind] = {
    "attendees": DatasetKind(
        name="attendees",
        label="Attendee registrations",
        required=attendees.REQUIRED_COLUMNS,
        optional=attendees.OPTIONAL_COLUMNS,
        synonyms=attendees.COLUMN_SYNONYMS,
        validate=attendees.validate_attendee,
        key=lambda row: row["email"],
        store=_store_attendees,
        follow_up_jobs=("embed-profiles", "refresh-recommendations"),
    ),
    "sessions": DatasetKind(
        name="sessions",
        label="Conference program (sessions)",
        required=program_import.SESSION_REQUIRED,
        optional=program_import.SESSION_OPTIONAL,
        synonyms=program_import.SESSION_SYNONYMS,
        validate=program_import.validate_session,
        key=lambda row: row["external_id"],
        store=program_import.store_sessions,
        read=program_import.read_program,
        hint="Also accepted as they are: a frab/pretalx schedule.json export, or a JSON list of sessions with "
             "nested speakers (pretalx API, EuroPython). Dates without a zone are read as UTC.",
    ),
    "alumni": DatasetKind(
        name="alumni",
        label="Alumni",
        required=alumni.REQUIRED_COLUMNS,
        optional=alumni.OPTIONAL_COLUMNS,
        synonyms=alumni.COLUMN_SYNONYMS,
        validate=alumni.validate_alumnus,
        key=lambda row: row["email"],
        store=alumni.store_alumni,
        needs_event=False,
        process=_locate,
        follow_up_jobs=("geocode-locations", "talent-clusters"),
        hint="Skills may be separated by ';' or ','. Locations such as 'Albuquerque, NM' or 'Pune, India' are "
             "placed on the map offline; ratings glued to company names ('Acme 3.9★') are removed.",
    ),
    "job_market": DatasetKind(
        name="job_market",
        label="Job market (job postings)",
        required=job_market.REQUIRED_COLUMNS,
        optional=job_market.OPTIONAL_COLUMNS,
        synonyms=job_market.COLUMN_SYNONYMS,
        validate=job_market.validate_posting,
        key=lambda row: f"{row['title']} at {row['company'] or '?'}, {row['location'] or '?'}",
        store=job_market.store_postings,
        needs_event=False,
        process=_locate,
        follow_up_jobs=("geocode-locations",),
        hint="Salaries may be ranges as job boards write them ('$53K-$91K (est.)', '$25/hr'). Without a "
             "required_skills column, skills are read from the qualifications and responsibilities text.",
    ),
    "educational": DatasetKind(
        name="educational",
        label="Educational (course completions)",
        required=educational.REQUIRED_COLUMNS,
        optional=educational.OPTIONAL_COLUMNS,
        synonyms=educational.COLUMN_SYNONYMS,
        validate=educational.validate_completion,
        key=lambda row: f"{row['student_id']} / {row['course_name']}",
        store=educational.store_completions,
        needs_event=False,
    ),
    "speakers": DatasetKind(
        name="speakers",
        label="Speakers",
        required=program_import.SPEAKER_REQUIRED,
        optional=program_import.SPEAKER_OPTIONAL,
        synonyms=program_import.SPEAKER_SYNONYMS,
        validate=program_import.validate_speaker,
        key=lambda row: row["email"],
        store=program_import.store_speakers,
    ),
    "behavioral": DatasetKind(
        name="behavioral",
        label="Behavioural data (users, orders, events, messages)",
        required=["section", "id"],
        optional=[*behavioral.ALL_COLUMNS, "record"],
        synonyms={},
        validate=behavioral.validate_record,
        key=behavioral.record_key,
        store=behavioral.store_behavioral,
        needs_event=False,
        read=behavioral.read_behavioral,
        hint=behavioral.HINT,
        parts={name: (part.required, part.optional) for name, part in behavioral.SECTIONS.items()},
    ),
}


@dataclass
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an upload did: counts, the row-level problems, and the overall message."""

    upload_id: int | None
    kind: str
    filename: str
    status: str  # queued | running | completed | rejected | failed
    message: str
    line_label: str = "line"
    rows_total: int = 0
    rows_valid: int = 0
    rows_invalid: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    follow_up_jobs: list[str] = field(default_factory=list)
    stage: str = ""
    progress: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "completed"

    def summary(self) -> str:
        if self.status in ("rejected", "failed"):
            return f"{self.status.title()}: {self.message}"
        if not self.ok:
            return self.message
        return (f"{self.rows_total:,} rows: {self.rows_valid:,} valid, {self.rows_invalid:,} with errors; "
                f"{self.inserted:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged.")


# Each stage's share of the progress bar.
STAGES = {"validating": (0.0, 0.5), "cleaning": (0.5, 0.6), "processing": (0.6, 0.75), "storing": (0.75, 1.0)}


class ProgressWriter:
    """Writes an upload's stage, percent and row counts through its own connection, so that they are visible
    while the data transaction is still open."""

    def __init__(self, engine: Engine, upload_id: int, min_interval_s: float = 0.25):
        self.engine, self.upload_id, self.min_interval_s = engine, upload_id, min_interval_s
        self._stage, self._written_at = "", 0.0

    def __call__(self, stage: str, fraction: float, valid: int | None = None, invalid: int | None = None) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._written_at < self.min_interval_s:
            return
        self._stage, self._written_at = stage, now
        low, high = STAGES[stage]
        values: dict = {"stage": stage, "progress": low + (high - low) * min(max(fraction, 0.0), 1.0)}
        if valid is not None:
            values |= {"rows_valid": valid, "rows_invalid": invalid or 0}
        with self.engine.begin() as connection:
            connection.execute(update(DatasetUpload).where(DatasetUpload.id == self.upload_id).values(**values))


def map_columns(table: Table, kind: DatasetKind) -> tuple[dict[str, str], list[str]]:
    """Map the file's columns onto the kind's columns; raise FileRejected if required ones are missing."""
    known = set(kind.required) | set(kind.optional)
    mapping: dict[str, str] = {}
    for column in table.columns:
        target = column if column in known else kind.synonyms.get(column)
        if target and target not in mapping.values():
            mapping[column] = target
    missing = [c for c in kind.required if c not in mapping.values()]
    if missing:
        raise FileRejected(
            f"Missing required column(s): {', '.join(missing)}. The file has: {', '.join(table.columns)}. "
            f"Required for {kind.label.lower()}: {', '.join(kind.required)}."
        )
    ignored = [c for c in table.columns if c not in mapping]
    warnings = [f"Ignored unknown column(s): {', '.join(ignored)}."] if ignored else []
    return mapping, warnings


def validate_table(table: Table, kind: DatasetKind, on_progress: ProgressCallback | None = None
                   ) -> tuple[list[dict], list[RowProblem], list[str]]:
    """Check every row (validating), then drop repeated keys (cleaning): the clean rows, the row problems, and
    file-level warnings."""
    report = on_progress or (lambda *args: None)
    mapping, warnings = map_columns(table, kind)
    checked: list[tuple[int, dict]] = []
    problems: list[RowProblem] = []
    total = max(len(table.rows), 1)
    for index, row in enumerate(table.rows):
        if index % 500 == 0:
            report("validating", index / total, len(checked), len({p.line for p in problems}))
        if row.problem:
            problems.append(RowProblem(row.line, "", row.problem))
            continue
        values = {target: row.values.get(source, "") for source, target in mapping.items()}
        clean, errors = kind.validate(values)
        if errors:
            problems.extend(RowProblem(row.line, e.column, e.message) for e in errors)
        else:
            checked.append((row.line, clean))
    good: list[dict] = []
    first_line_of: dict[str, int] = {}
    for index, (line, clean) in enumerate(checked):
        if index % 2000 == 0:
            report("cleaning", index / max(len(checked), 1), len(good), len({p.line for p in problems}))
        key = kind.key(clean)
        if key in first_line_of:
            problems.append(RowProblem(line, "", f"duplicates {table.line_label} {first_line_of[key]} ({key})"))
            continue
        first_line_of[key] = line
        good.append(clean)
    problems.sort(key=lambda p: p.line)
    return good, problems, warnings


def queue_upload(session: Session, *, kind: str, data: bytes, filename: str, event_slug: str | None,
                 actor: Account | None, clock: Clock, max_mb: float, source: str = "ui",
                 run_inline: bool = False) -> DatasetUpload:
    """Record an upload and keep its bytes for the worker; commits. A file over the size limit is rejected here,
    before it is stored or parsed. With `run_inline` the caller processes it itself (status running)."""
    spec = DATASET_KINDS.get(kind)
    if spec is None:
        raise ValueError(f"Unknown dataset kind '{kind}'. Use one of: {', '.join(DATASET_KINDS)}.")
    if spec.needs_event and not event_slug:
        raise ValueError(f"{spec.label} belong to an event: choose or create the event first.")
    if spec.needs_event:
        validate_slug(event_slug)
    now = clock.now()
    upload = DatasetUpload(kind=kind, filename=filename[:300], sha256=hashlib.sha256(data).hexdigest(),
                           size_bytes=len(data), uploaded_by=actor.id if actor else None, source=source,
                           event_slug=event_slug if spec.needs_event else None, created_at=now,
                           status="running" if run_inline else "queued", stage="queued",
                           started_at=now if run_inline else None)
    session.add(upload)
    if len(data) > max_mb * MB:
        message = (f"The file is {len(data) / MB:.1f} MB, over the {max_mb:g} MB limit. "
                   "Split it into smaller files and upload them one by one.")
        _close_rejected(session, upload, actor, "validating", message, now)
    else:
        session.flush()
        session.add(UploadPayload(upload_id=upload.id, data=data))
    session.commit()
    return upload


def _close_rejected(session: Session, upload: DatasetUpload, actor: Account | None, stage: str, message: str,
                    now: datetime) -> None:
    upload.status, upload.stage, upload.message, upload.finished_at = "rejected", stage, message, now
    upload.rows_valid = upload.rows_invalid = 0
    session.flush()
    session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload.id))
    record_audit(session, actor=actor, action="upload.rejected", target_type="dataset_upload", target_id=upload.id,
                 details={"kind": upload.kind, "filename": upload.filename, "reason": message}, at=now)


def process_upload(session: Session, upload_id: int, *, clock: Clock, max_mb: float,
                   on_progress: ProgressCallback | None = None) -> ImportReport:
    """Run the stages on a claimed upload (validating, cleaning, processing, storing) and commit once.

    A file that is wrong as a whole writes no data rows; bad rows are reported with their line and reason."""
    upload = session.get(DatasetUpload, upload_id)
    spec = DATASET_KINDS[upload.kind]
    actor = session.get(Account, upload.uploaded_by) if upload.uploaded_by else None
    report = on_progress or (lambda *args: None)
    stage = "validating"
    try:
        payload = session.get(UploadPayload, upload_id)
        if payload is None:
            raise FileRejected("The file's contents are no longer stored. Upload it again.")
        report("validating", 0.0)
        table = spec.read(payload.data, upload.filename, int(max_mb * MB))
        good, problems, warnings = validate_table(table, spec, report)
        if not table.rows:
            raise FileRejected("The file has a header but no data rows.")
        if not good:
            raise FileRejected(
                f"None of the {len(table.rows)} rows is valid, so nothing was loaded. "
                f"First problem: {table.line_label} {problems[0].line}, {problems[0].column or 'row'}: "
                f"{problems[0].message}."
            )
        stage = "processing"
        report("processing", 0.0, len(good), len({p.line for p in problems}))
        processed = spec.process(good) if spec.process else {}
    except FileRejected as exc:
        session.rollback()
        upload = session.get(DatasetUpload, upload_id)
        _close_rejected(session, upload, actor, stage, str(exc), clock.now())
        session.commit()
        return upload_report(session, upload_id)

    report("storing", 0.0)
    event = get_or_create_event(session, upload.event_slug) if upload.event_slug else None
    counts = {**spec.store(session, event.id if event else None, good, clock.now()), **processed}
    changed = counts["inserted"] + counts["updated"] > 0
    follow_ups = list(spec.follow_up_jobs) if changed else []
    for job_id in follow_ups:
        request_job(session, job_id=job_id, event_id=event.id if event else None,
                    reason=f"after upload #{upload.id} ({spec.label.lower()})", clock=clock)
    # The upload row is written only now: from here on no progress update may wait on this transaction.
    upload.event_id = event.id if event else None
    upload.status, upload.stage, upload.progress, upload.finished_at = "completed", "done", 1.0, clock.now()
    upload.line_label, upload.warnings, upload.follow_up_jobs = table.line_label, warnings, follow_ups
    upload.rows_total, upload.rows_valid = len(table.rows), len(good)
    upload.rows_invalid = len({p.line for p in problems})
    upload.rows_inserted, upload.rows_updated, upload.rows_unchanged = (
        counts["inserted"], counts["updated"], counts["unchanged"])
    session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload.id))
    session.add_all(UploadRowError(upload_id=upload.id, line=p.line, column=p.column[:120], message=p.message)
                    for p in problems)
    record_audit(session, actor=actor, action="upload.completed", target_type="dataset_upload", target_id=upload.id,
                 details={"kind": upload.kind, "filename": upload.filename, "event": upload.event_slug, **counts,
                          "invalid_rows": upload.rows_invalid, "queued_jobs": follow_ups}, at=clock.now())
    upload.message = ImportReport(upload.id, upload.kind, upload.filename, "completed", "",
                                  rows_total=upload.rows_total, rows_valid=upload.rows_valid,
                                  rows_invalid=upload.rows_invalid, inserted=upload.rows_inserted,
                                  updated=upload.rows_updated, unchanged=upload.rows_unchanged).summary()
    session.commit()
    return upload_report(session, upload_id, problems)


def process_claimed_upload(session: Session, upload_id: int, *, clock: Clock, max_mb: float) -> ImportReport:
    """Process an upload this process has claimed, writing progress as it goes; an unexpected error marks the
    upload failed with nothing loaded instead of propagating."""
    try:
        return process_upload(session, upload_id, clock=clock, max_mb=max_mb,
                              on_progress=ProgressWriter(session.get_bind(), upload_id))
    except Exception as exc:  # a bug or a database error: nothing was committed, so say so and keep going
        log.exception("upload %s failed", upload_id)
        session.rollback()
        upload = session.get(DatasetUpload, upload_id)
        upload.status, upload.finished_at = "failed", clock.now()
        upload.message = (f"Processing stopped with an internal error ({type(exc).__name__}: {exc}). Nothing was "
                          "loaded. Upload the file again; if it fails again, report it with this message.")
        session.execute(delete(UploadPayload).where(UploadPayload.upload_id == upload_id))
        record_audit(session, actor=None, action="upload.failed", target_type="dataset_upload", target_id=upload_id,
                     details={"kind": upload.kind, "filename": upload.filename, "error": str(exc)[:500]},
                     at=clock.now())
        session.commit()
        return upload_report(session, upload_id)


def import_dataset(session: Session, *, kind: str, data: bytes, filename: str, event_slug: str | None,
                   actor: Account | None, clock: Clock, max_mb: float, source: str = "cli") -> ImportReport:
    """The whole pipeline inline, in this process (the CLI's path): the same stages the worker runs."""
    upload = queue_upload(session, kind=kind, data=data, filename=filename, event_slug=event_slug, actor=actor,
                          clock=clock, max_mb=max_mb, source=source, run_inline=True)
    if upload.status == "rejected":
        return upload_report(session, upload.id)
    return process_claimed_upload(session, upload.id, clock=clock, max_mb=max_mb)


def upload_report(session: Session, upload_id: int, problems: list[RowProblem] | None = None) -> ImportReport:
    """An upload's report as stored: status, counts, warnings and its row problems."""
    upload = session.get(DatasetUpload, upload_id, populate_existing=True)
    if problems is None:
        problems = [RowProblem(e.line, e.column, e.message) for e in upload_errors(session, upload_id)]
    return ImportReport(
        upload_id=upload.id, kind=upload.kind, filename=upload.filename, status=upload.status,
        message=upload.message, line_label=upload.line_label, rows_total=upload.rows_total,
        rows_valid=upload.rows_valid, rows_invalid=upload.rows_invalid, inserted=upload.rows_inserted,
        updated=upload.rows_updated, unchanged=upload.rows_unchanged, warnings=list(upload.warnings or []),
        problems=problems, follow_up_jobs=list(upload.follow_up_jobs or []), stage=upload.stage,
        progress=upload.progress)


def process_upload_now(session: Session, upload_id: int, *, clock: Clock, max_mb: float) -> ImportReport:
    """Process a queued upload in this process, for when no worker is running; a no-op if one took it."""
    if claim_upload(session, clock, upload_id) is not None:
        return process_claimed_upload(session, upload_id, clock=clock, max_mb=max_mb)
    return upload_report(session, upload_id)


def active_uploads(session: Session) -> list[DatasetUpload]:
    """Uploads waiting for or in the worker, oldest first."""
    return list(session.scalars(select(DatasetUpload).where(DatasetUpload.status.in_(("queued", "running")))
                                .order_by(DatasetUpload.id)))


def list_uploads(session: Session, *, kind: str | None = None, status: str | None = None, limit: int = 200
                 ) -> list[DatasetUpload]:
    """Upload history, newest first, optionally filtered."""
    query = select(DatasetUpload).order_by(DatasetUpload.created_at.desc(), DatasetUpload.id.desc()).limit(limit)
    if kind:
        query = query.where(DatasetUpload.kind == kind)
    if status:
        query = query.where(DatasetUpload.status == status)
    return list(session.scalars(query))


def upload_errors(session: Session, upload_id: int) -> list[UploadRowError]:
    return list(session.scalars(
        select(UploadRowError).where(UploadRowError.upload_id == upload_id).order_by(UploadRowError.line, UploadRowError.id)
    ))


def errors_csv(problems: list[RowProblem] | list[UploadRowError], line_label: str = "line") -> str:
    """The row-level error report as CSV text, safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([line_label, "column", "problem"])
    for problem in problems:
        writer.writerow([problem.line, safe_csv_cell(problem.column), safe_csv_cell(problem.message)])
    return buffer.getvalue()
