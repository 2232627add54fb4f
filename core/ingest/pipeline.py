"""The upload machinery every dataset kind shares: the kind's description, column mapping, row validation with
line-level problems, stage progress written on its own connection, and the stored reports."""
from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.ingest.fields import CELL_LIMIT, FieldError, too_long
from core.ingest.tabular import FileRejected, ReadLimits, Table, read_table, safe_csv_cell
from core.platform.memory import gc_paused
from db.models import DatasetUpload, UploadRowError, UploadStatus

MAX_STORED_PROBLEMS = 1000  # row problems kept per upload (the first ones by line); all of them are counted

# stage, fraction of that stage done, and optionally the rows found valid and invalid so far
ProgressCallback = Callable[..., None]


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
    # counts (inserted, updated, unchanged); a store that can only judge a row against the database (e.g. an
    # unknown email) also returns "row_problems": [(index into the rows, column, message)], each a row error
    store: Callable[[Session, int | None, list[dict], datetime], dict]
    needs_event: bool = True
    read: Callable[[bytes, str, int, ReadLimits | None], Table] = (
        lambda data, filename, max_bytes, limits=None: read_table(data, filename, max_bytes=max_bytes, limits=limits))
    # The most characters a cell of each column may have (from the ORM models' sizes), checked before `validate`;
    # `cell_limit` for any other column.
    limits: dict[str, int] = field(default_factory=dict)
    cell_limit: int = CELL_LIMIT
    # How a row problem names a column, e.g. with the record it is in ('users[3].email').
    column_label: Callable[[dict[str, str], str], str] = lambda values, column: column
    hint: str = ""  # what else this kind accepts, for the Uploads page
    process: Callable[[list[dict]], dict[str, int]] | None = None  # enrichment of the clean rows before storing
    follow_up_jobs: tuple[str, ...] = ()  # queued for the worker after an upload that changed something
    parts: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # documented sub-tables


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
    problems: list[RowProblem] = field(default_factory=list)  # the stored ones: the first MAX_STORED_PROBLEMS
    follow_up_jobs: list[str] = field(default_factory=list)
    stage: str = ""
    progress: float = 0.0
    errors_total: int = 0  # every row problem found, also those not stored

    @property
    def ok(self) -> bool:
        return self.status == UploadStatus.COMPLETED

    def problems_note(self) -> str:
        """'Showing the first 1,000 of N problems.' when not every problem was stored, else ''."""
        return problems_note(self.errors_total)

    def summary(self) -> str:
        if self.status in (UploadStatus.REJECTED, UploadStatus.FAILED):
            return f"{self.status.title()}: {self.message}"
        if not self.ok:
            return self.message
        text = (f"{self.rows_total:,} rows: {self.rows_valid:,} valid, {self.rows_invalid:,} with errors; "
                f"{self.inserted:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged.")
        note = self.problems_note()
        return f"{text} {note}" if note else text


def problems_note(errors_total: int) -> str:
    """What an upload's stored problems are out of all it had, when some were not stored."""
    if errors_total <= MAX_STORED_PROBLEMS:
        return ""
    return (f"Showing the first {MAX_STORED_PROBLEMS:,} of {errors_total:,} problems; fix those and upload the file "
            "again to see the rest.")


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


@dataclass
class Validation:
    """The outcome of checking a table's rows: the clean rows, the first row problems, and how many there were."""

    good: list[dict]
    problems: list[RowProblem]  # the first `keep` problems, by line
    problems_total: int  # all of them
    rows_invalid: int  # rows with at least one problem (a repeated key included)
    warnings: list[str]
    lines: list[int] = field(default_factory=list)  # the line of each clean row, for problems found when storing


def validate_table(table: Table, kind: DatasetKind, on_progress: ProgressCallback | None = None, *,
                   keep: int = MAX_STORED_PROBLEMS) -> Validation:
    """Check every row (validating), then drop repeated keys (cleaning): the clean rows, the first `keep` row
    problems with the count of all of them, and file-level warnings.

    Every cell is checked against its column's size before the kind's own checks (and their patterns) see it."""
    report = on_progress or (lambda *args: None)
    mapping, warnings = map_columns(table, kind)
    pairs = list(mapping.items())
    same_names = len(pairs) == len(table.columns) and all(source == target for source, target in pairs)
    limits = [(target, kind.limits.get(target, kind.cell_limit)) for _, target in pairs]
    shortest = min((limit for _, limit in limits), default=0)  # a row whose cells are all shorter is not checked
    validate, label = kind.validate, kind.column_label
    checked: list[tuple[int, dict]] = []
    problems: list[RowProblem] = []
    total_problems = invalid = 0
    total = max(getattr(table.rows, "size_hint", None) or len(table.rows), 1)  # CsvRows count as they go
    with gc_paused():
        for index, (line, row_values, structural) in enumerate(table.rows):
            if not index % 500:
                report("validating", index / total, len(checked), invalid)
            if structural is None:
                # the file's columns under the kind's names; the row's own dict when the names are the same
                values = row_values if same_names else {target: row_values.get(source, "")
                                                        for source, target in pairs}
                errors = values and max(map(len, values.values())) > shortest and [
                    FieldError(label(values, error.column), error.message) for error in (
                        too_long(target, values.get(target, ""), limit) for target, limit in limits) if error]
                if not errors:  # no cell is over its column's size: the kind's checks (and patterns) may see them
                    clean, errors = validate(values)
                    if not errors:
                        checked.append((line, clean))
                        continue
            else:
                errors = [FieldError("", structural)]
            invalid += 1
            total_problems += len(errors)
            if len(problems) < keep:
                problems.extend(RowProblem(line, e.column, e.message) for e in errors[:keep - len(problems)])
        good: list[dict] = []
        lines: list[int] = []
        repeats: list[RowProblem] = []
        first_line_of: dict[str, int] = {}
        for index, (line, clean) in enumerate(checked):
            if index % 2000 == 0:
                report("cleaning", index / max(len(checked), 1), len(good), invalid)
            key = kind.key(clean)
            if key in first_line_of:
                invalid += 1
                total_problems += 1
                if len(repeats) < keep:
                    repeats.append(RowProblem(line, "", f"duplicates {table.line_label} {first_line_of[key]} ({key})"))
                continue
            first_line_of[key] = line
            good.append(clean)
            lines.append(line)
    first = sorted(problems + repeats, key=lambda p: p.line)[:keep]
    return Validation(good, first, total_problems, invalid, [*table.warnings, *warnings], lines)


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
        progress=upload.progress, errors_total=upload.errors_total or 0)


def active_uploads(session: Session) -> list[DatasetUpload]:
    """Uploads waiting for or in the worker, oldest first."""
    waiting = (UploadStatus.QUEUED, UploadStatus.RUNNING)
    return list(session.scalars(select(DatasetUpload).where(DatasetUpload.status.in_(waiting))
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
    """An upload's stored row problems (at most MAX_STORED_PROBLEMS), by line."""
    return list(session.scalars(
        select(UploadRowError).where(UploadRowError.upload_id == upload_id)
        .order_by(UploadRowError.line, UploadRowError.id)
    ))


def errors_csv(problems: Iterable[RowProblem] | Iterable[UploadRowError], line_label: str = "line") -> str:
    """The row-level error report as CSV text, safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([line_label, "column", "problem"])
    for problem in problems:
        writer.writerow([problem.line, safe_csv_cell(problem.column), safe_csv_cell(problem.message)])
    return buffer.getvalue()
