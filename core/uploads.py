"""Dataset upload pipeline: read, validate every row, then store the good rows in one transaction."""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import alumni, attendees, educational, job_market, program_import
from core.audit import record_audit
from core.clock import Clock
from core.events import get_or_create_event
from core.tabular import MB, FileRejected, Table, read_table, safe_csv_cell
from db.models import Account, DatasetUpload, UploadRowError

ProgressCallback = Callable[[str, float], None]


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
    status: str  # completed | rejected
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

    @property
    def ok(self) -> bool:
        return self.status == "completed"

    def summary(self) -> str:
        if not self.ok:
            return f"Rejected: {self.message}"
        return (f"{self.rows_total} rows: {self.rows_valid} valid, {self.rows_invalid} with errors; "
                f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged.")


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
    """Validate every row: the clean rows, the row problems, and file-level warnings."""
    mapping, warnings = map_columns(table, kind)
    good: list[dict] = []
    problems: list[RowProblem] = []
    first_line_of: dict[str, int] = {}
    total = max(len(table.rows), 1)
    for index, row in enumerate(table.rows):
        if on_progress and index % 500 == 0:
            on_progress("validating", index / total)
        if row.problem:
            problems.append(RowProblem(row.line, "", row.problem))
            continue
        values = {target: row.values.get(source, "") for source, target in mapping.items()}
        clean, errors = kind.validate(values)
        if errors:
            problems.extend(RowProblem(row.line, e.column, e.message) for e in errors)
            continue
        key = kind.key(clean)
        if key in first_line_of:
            problems.append(RowProblem(row.line, "", f"duplicates {table.line_label} {first_line_of[key]} ({key})"))
            continue
        first_line_of[key] = row.line
        good.append(clean)
    return good, problems, warnings


def import_dataset(session: Session, *, kind: str, data: bytes, filename: str, event_slug: str | None,
                   actor: Account | None, clock: Clock, max_mb: float, source: str = "ui",
                   on_progress: ProgressCallback | None = None) -> ImportReport:
    """Run the whole pipeline on one file and commit once; a rejected file writes no data rows."""
    spec = DATASET_KINDS.get(kind)
    if spec is None:
        raise ValueError(f"Unknown dataset kind '{kind}'. Use one of: {', '.join(DATASET_KINDS)}.")
    if spec.needs_event and not event_slug:
        raise ValueError(f"{spec.label} belong to an event: choose or create the event first.")
    now = clock.now()
    upload = DatasetUpload(kind=kind, filename=filename[:300], sha256=hashlib.sha256(data).hexdigest(),
                           size_bytes=len(data), uploaded_by=actor.id if actor else None, source=source,
                           created_at=now)
    report = ImportReport(upload_id=None, kind=kind, filename=filename, status="completed", message="")
    try:
        if on_progress:
            on_progress("validating", 0.0)
        table = spec.read(data, filename, int(max_mb * MB))
        report.line_label = table.line_label
        good, problems, warnings = validate_table(table, spec, on_progress)
        if not good and problems:
            raise FileRejected(
                f"None of the {len(table.rows)} rows is valid, so nothing was loaded. "
                f"First problem: {table.line_label} {problems[0].line}, {problems[0].column or 'row'}: {problems[0].message}."
            )
        if not table.rows:
            raise FileRejected("The file has a header but no data rows.")
    except FileRejected as exc:
        session.rollback()
        upload.status, upload.stage, upload.message, upload.finished_at = "rejected", "validating", str(exc), now
        session.add(upload)
        record_audit(session, actor=actor, action="upload.rejected", target_type="dataset_upload",
                     details={"kind": kind, "filename": filename, "reason": str(exc)}, at=now)
        session.commit()
        report.status, report.message, report.upload_id = "rejected", str(exc), upload.id
        return report

    if on_progress:
        on_progress("storing", 0.6)
    event = get_or_create_event(session, event_slug) if event_slug else None
    counts = spec.store(session, event.id if event else None, good, now)
    report.rows_total, report.rows_valid = len(table.rows), len(good)
    report.rows_invalid = len({p.line for p in problems})
    report.inserted, report.updated, report.unchanged = counts["inserted"], counts["updated"], counts["unchanged"]
    report.warnings, report.problems = warnings, problems
    report.message = report.summary()
    upload.event_id = event.id if event else None
    upload.status, upload.stage, upload.progress, upload.finished_at = "completed", "done", 1.0, clock.now()
    upload.rows_total, upload.rows_valid, upload.rows_invalid = report.rows_total, report.rows_valid, report.rows_invalid
    upload.rows_inserted, upload.rows_updated, upload.rows_unchanged = report.inserted, report.updated, report.unchanged
    upload.message = " ".join([report.message, *warnings])
    session.add(upload)
    session.flush()
    session.add_all(UploadRowError(upload_id=upload.id, line=p.line, column=p.column, message=p.message) for p in problems)
    record_audit(session, actor=actor, action="upload.completed", target_type="dataset_upload", target_id=upload.id,
                 details={"kind": kind, "filename": filename, "event": event_slug, **counts,
                          "invalid_rows": report.rows_invalid}, at=now)
    session.commit()
    report.upload_id = upload.id
    if on_progress:
        on_progress("done", 1.0)
    return report


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
