"""Robust reading of uploaded tables (CSV, XLSX, JSON) into rows with line numbers, within the upload limits: the
bytes, the unpacked size of a workbook, the columns and the data rows are checked before or while reading, so a
hostile file is refused early with a message that says what to fix."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timezone
from functools import partial
from operator import itemgetter
from pathlib import Path

from core.platform.memory import gc_paused
from core.platform.settings import Settings

MB = 1024 * 1024
_CANDIDATE_DELIMITERS = [",", ";", "\t", "|"]
MAX_HEADER_CHARS = 200  # a column name longer than this is not a header
_UNNAMED = re.compile(r"^unnamed_\d+$")  # what pandas calls a column without a name ("Unnamed: 0")
_LINE = re.compile(r"[^\r\n]+")


class FileRejected(ValueError):
    """The file as a whole cannot be used; the message says what to fix."""


def _default(setting: str):
    return Settings.model_fields[setting].default


@dataclass(frozen=True)
class ReadLimits:
    """How much of an uploaded file is read: data rows, columns, and the unpacked size of a workbook. The defaults
    are the settings' defaults; `from_settings` takes the configured ones."""

    max_rows: int = _default("upload_max_rows")
    max_columns: int = _default("upload_max_columns")
    max_unpacked_bytes: int = int(_default("upload_max_unpacked_mb") * MB)

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        return cls(max_rows=settings.upload_max_rows, max_columns=settings.upload_max_columns,
                   max_unpacked_bytes=int(settings.upload_max_unpacked_mb * MB))


class Row(tuple):
    """One data row: its line (or record number), its values by column, and a structural problem with the row
    itself (e.g. too many values) or None. A tuple, because a file may have a million of them: `_new_row` makes one
    without a Python-level call."""

    __slots__ = ()

    def __new__(cls, line: int, values: dict[str, str], problem: str | None = None) -> Row:
        return tuple.__new__(cls, (line, values, problem))

    line: int = property(itemgetter(0))  # type: ignore[assignment]
    values: dict[str, str] = property(itemgetter(1))  # type: ignore[assignment]
    problem: str | None = property(itemgetter(2))  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Row(line={self.line!r}, values={self.values!r}, problem={self.problem!r})"


_new_row = partial(tuple.__new__, Row)  # _new_row((line, values, problem))


@dataclass
class Table:
    columns: list[str]
    rows: Sequence[Row] = field(default_factory=list)  # a list, or CsvRows for a CSV
    encoding: str = "utf-8"
    line_label: str = "line"
    warnings: list[str] = field(default_factory=list)  # what the reader ignored (an index column, empty columns)


def normalize_header(name: object) -> str:
    """'  E-Mail Address ' -> 'e_mail_address'."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def too_many_rows(max_rows: int) -> FileRejected:
    return FileRejected(f"The file has more than {max_rows:,} data rows, the most one upload may hold "
                        f"(setting UPLOAD_MAX_ROWS). Split it into files of at most {max_rows:,} rows and upload "
                        "them one by one.")


def too_many_lines(max_rows: int) -> FileRejected:
    return FileRejected(f"The file has more than {2 * max_rows:,} lines or rows, blank ones included: more than a "
                        f"file of at most {max_rows:,} data rows (setting UPLOAD_MAX_ROWS) needs. Remove the blank "
                        "lines, or split the file.")


def too_many_columns(count: int | str, max_columns: int) -> FileRejected:
    return FileRejected(f"The table has {count} columns, more than the {max_columns:,} one upload may hold "
                        "(setting UPLOAD_MAX_COLUMNS). Remove the columns that are not needed, or any empty ones to "
                        "the right of the table.")


def read_table(data: bytes, filename: str, *, max_bytes: int, limits: ReadLimits | None = None) -> Table:
    """Parse an uploaded file into a Table, or raise FileRejected saying what to fix."""
    limits = limits or ReadLimits()
    if len(data) > max_bytes:
        raise FileRejected(
            f"The file is {len(data) / MB:.1f} MB, over the {max_bytes / MB:.0f} MB limit. "
            "Split it into smaller files and upload them one by one."
        )
    if not data.strip():
        raise FileRejected("The file is empty. Upload a file with a header row and at least one data row.")
    suffix = Path(filename or "").suffix.lower()
    with gc_paused():
        if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".tsv", ".txt", ".json") and data[:2] == b"PK"):
            return _read_xlsx(data, limits)
        text, encoding = decode_text(data)
        if suffix == ".json" or (suffix not in (".csv", ".tsv", ".txt") and text.lstrip()[:1] in ("[", "{")):
            table = _read_json(text, limits)
        else:
            table = _read_csv(text, limits)
    table.encoding = encoding
    return table


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 or latin-1/cp1252; reject binary data."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec)), codec
            except UnicodeDecodeError as exc:
                raise FileRejected(
                    f"The file starts with a {codec} marker but is not valid {codec}: {exc.reason}.") from exc
    if b"\x00" in data[:4096]:
        utf16 = _guess_utf16(data)
        if utf16:
            return _check_text(data.decode(utf16)), utf16
        raise FileRejected(_NOT_TEXT)
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in ("cp1252", "latin-1"):
        try:
            return _check_text(data.decode(codec)), codec
        except UnicodeDecodeError:
            continue
    raise FileRejected(_NOT_TEXT)  # pragma: no cover - latin-1 decodes every byte


_NOT_TEXT = (
    "This file is not a text table (it contains binary data). "
    "Upload a CSV (UTF-8 or latin-1), an XLSX workbook or a JSON list of records."
)


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        codec = "utf-16-le"
    elif even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


def _check_text(text: str) -> str:
    sample = text[:20000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if controls > max(2, len(sample) // 200):
        raise FileRejected(_NOT_TEXT)
    return text


def _pick_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _CANDIDATE_DELIMITERS}
    best = max(_CANDIDATE_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    """The first line with something on it, found without splitting the whole text into lines."""
    for match in _LINE.finditer(text):
        if match.group().strip():
            return match.group()
    return ""


@dataclass(frozen=True)
class _Header:
    """Where the named columns of a header row are: their names, the cell position of the first one (1 when an
    unnamed index column comes first), and the width up to the last named cell."""

    names: list[str]
    offset: int
    width: int
    warnings: list[str]


def _header(cells: list[str], limits: ReadLimits) -> _Header:
    """Check a header row and find its named columns. An unnamed first column (the row index a dataframe library
    writes, headed '' or 'Unnamed: 0') and empty header cells at the end are ignored, and named in warnings."""
    if len(cells) > limits.max_columns and any(c.strip() for c in cells[limits.max_columns:]):
        raise too_many_columns(f"{len(cells):,}", limits.max_columns)
    long = next((i for i, c in enumerate(cells) if len(c) > MAX_HEADER_CHARS), None)
    if long is not None:
        raise FileRejected(f"Header cell {long + 1} is {len(cells[long]):,} characters long; a column name may have "
                           f"at most {MAX_HEADER_CHARS}. The first row must name the columns.")
    names = [normalize_header(c) for c in cells]
    width = len(names)
    while width and not names[width - 1]:
        width -= 1
    warnings = []
    if width < len(names):
        first, last = width + 1, len(names)
        where = f"column {first}" if first == last else f"columns {first}–{last}"
        warnings.append(f"Ignored {last - width} column(s) with no name at the end of the header ({where}).")
    offset = 0
    if width > 1 and (not names[0] or _UNNAMED.match(names[0])):
        label = f"'{cells[0].strip()}'" if cells[0].strip() else "with an empty name"
        warnings.append(f"Ignored the first column {label}: an unnamed row index, as dataframe libraries write it.")
        offset = 1
    names = names[offset:width]
    if not names:
        raise FileRejected("The header row is empty. The first row must name the columns.")
    blanks = [str(i + 1 + offset) for i, h in enumerate(names) if not h]
    if blanks:
        raise FileRejected(f"Header cells {', '.join(blanks)} are empty. Give every column a name.")
    seen: set[str] = set()
    dupes = sorted({h for h in names if h in seen or seen.add(h)})
    if dupes:
        raise FileRejected(f"The header repeats the column(s) {', '.join(dupes)}. Each column name must appear once.")
    return _Header(names, offset, width, warnings)


def _row_values(header: _Header, record: list[str]) -> tuple[dict[str, str], list[str]]:
    """A record's values by column name (stripped; missing ones empty) and the cells beyond the header."""
    if header.offset == 0 and len(record) == header.width:
        return dict(zip(header.names, map(str.strip, record), strict=True)), []
    cells = record[header.offset:header.width]
    values = dict(zip(header.names, map(str.strip, cells), strict=False))
    for name in header.names[len(cells):]:
        values[name] = ""
    return values, record[header.width:]


class CsvRows(Sequence):
    """The data rows of a CSV, parsed again on each pass instead of kept: a file of a million rows holds its text,
    not a million dicts, and its rows go one by one from the parser to validation. A pass over all of them also
    counts them; `len` before that counts with the parser alone. Indexing builds the list once, for small uses.
    A malformed line is reported (FileRejected) when a pass reaches it."""

    def __init__(self, text: str, delimiter: str, header: _Header, limits: ReadLimits, count: int | None = None):
        self.text, self.delimiter, self.header, self.limits = text, delimiter, header, limits
        self.count, self._rows = count, None

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows) if self._rows is not None else _csv_rows(self)

    def __len__(self) -> int:
        if self.count is None:
            self.count = _scan_csv(self.text, self.delimiter, self.limits)[1]
        return self.count

    def __getitem__(self, index):
        if self._rows is None:
            self._rows = list(_csv_rows(self))
        return self._rows[index]

    @property
    def size_hint(self) -> int:
        """The number of rows, or before they were counted the number of line breaks (at least as many)."""
        return self.count if self.count is not None else self.text.count("\n") + self.text.count("\r")


def _scan_csv(text: str, delimiter: str, limits: ReadLimits, *, header_only: bool = False) -> tuple[_Header, int]:
    """The header and the number of data rows, with the parser alone (no row is built): a file without a header
    and one with more data rows than allowed are refused here, at the first row over the limit. With
    `header_only`, it stops after the header (and counts nothing)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: _Header | None = None
    count, most_records = 0, 2 * limits.max_rows + 1  # blank records cost time too
    try:
        seen = 0
        for seen, record in enumerate(reader, start=1):
            if record and "".join(record).strip():
                header = _header(record, limits)
                break
            if seen > most_records:
                raise too_many_lines(limits.max_rows)
        if header is None:
            raise FileRejected("The file has no header row. The first line must name the columns.")
        if header_only:
            return header, 0
        offset = header.offset
        for records, record in enumerate(reader, start=seen + 1):
            if record and "".join(record[offset:] if offset else record).strip():
                count += 1
                if count > limits.max_rows:
                    raise too_many_rows(limits.max_rows)
            elif records > most_records:
                raise too_many_lines(limits.max_rows)
    except csv.Error as exc:
        raise FileRejected(
            f"The CSV is malformed near line {reader.line_num}: {exc}. Check quoting in that line.") from exc
    return header, count


def _csv_rows(rows: CsvRows) -> Iterator[Row]:
    """The data rows of a CSV with their first line numbers, blank ones skipped; `rows.count` once all are out."""
    header, delimiter = rows.header, rows.delimiter
    reader = csv.reader(io.StringIO(rows.text, newline=""), delimiter=delimiter)
    strip, names, width, offset = str.strip, header.names, header.width, header.offset
    plain = offset == 0
    last_line = count = 0
    try:
        for record in reader:
            last_line = reader.line_num
            if record and "".join(record).strip():
                break  # the header
        for record in reader:
            start_line, last_line = last_line + 1, reader.line_num
            if plain and len(record) == width:  # the usual row: as many cells as named columns
                values = dict(zip(names, map(strip, record), strict=True))
                if any(values.values()):
                    count += 1
                    yield _new_row((start_line, values, None))
                continue
            if not record or not "".join(record[offset:]).strip():
                continue
            values, extra = _row_values(header, record)
            problem = None
            if extra and "".join(extra).strip():
                problem = (f"has {len(record)} values but the header has {width} columns "
                           f"(check for an unquoted '{delimiter}')")
            count += 1
            yield _new_row((start_line, values, problem))
    except csv.Error as exc:
        raise FileRejected(
            f"The CSV is malformed near line {reader.line_num}: {exc}. Check quoting in that line.") from exc
    rows.count = count


def _read_csv(text: str, limits: ReadLimits) -> Table:
    """The header now; the rows as they are iterated. A file with more lines than the row limit is counted first
    (with the parser alone), so that one over the limit is refused before any row is built."""
    delimiter = _pick_delimiter(_first_line(text))
    if csv.field_size_limit() < len(text):
        csv.field_size_limit(len(text))  # a long cell is a row problem of its column, not a malformed file
    might_be_over = text.count("\n") + text.count("\r") > limits.max_rows
    header, count = _scan_csv(text, delimiter, limits, header_only=not might_be_over)
    return Table(header.names, CsvRows(text, delimiter, header, limits, count if might_be_over else None),
                 warnings=header.warnings)


def cell_text(value: object) -> str:
    """A spreadsheet or JSON value as cell text; lists become `;`-separated."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


_NOT_XLSX = "This is not a readable Excel workbook (.xlsx). Re-save it from Excel as .xlsx, or export it as CSV."
# What openpyxl and zipfile raise on a damaged or forged workbook (FileRejected, a ValueError, is re-raised first).
_XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, SyntaxError, TypeError,
                IndexError, AttributeError)


def check_workbook_archive(data: bytes, limits: ReadLimits) -> None:
    """Refuse a workbook whose members unpack to more than the limit (a zip bomb), from the sizes its zip
    directory declares, before anything is decompressed. zipfile never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected(_NOT_XLSX) from exc
    if unpacked > limits.max_unpacked_bytes:
        raise FileRejected(
            f"The workbook unpacks to {unpacked / MB:,.0f} MB (from {len(data) / MB:,.1f} MB), over the "
            f"{limits.max_unpacked_bytes / MB:,.0f} MB limit for an unpacked workbook "
            "(setting UPLOAD_MAX_UNPACKED_MB). Remove other sheets, images and formatting, or export the table as CSV.")


def _read_xlsx(data: bytes, limits: ReadLimits) -> Table:
    import openpyxl  # imported lazily: only spreadsheets need it

    check_workbook_archive(data, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRejected:
        raise
    except _XLSX_ERRORS as exc:
        raise FileRejected(_NOT_XLSX) from exc
    try:
        return _read_sheet(workbook, limits)
    except FileRejected:
        raise
    except _XLSX_ERRORS as exc:
        raise FileRejected(_NOT_XLSX) from exc
    finally:
        workbook.close()


def _read_sheet(workbook, limits: ReadLimits) -> Table:
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileRejected("The workbook has no sheets. Put the table on the first sheet.")
    # The sheet's declared dimension (read before its rows): a sheet wider than the limit is refused unread.
    if sheet.max_column is not None and sheet.max_column > limits.max_columns:
        raise too_many_columns(f"{sheet.max_column:,}", limits.max_columns)
    header: _Header | None = None
    rows: list[Row] = []
    for line, record in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line > 2 * limits.max_rows + 1:  # a row far down the sheet makes openpyxl yield every empty row above it
            raise too_many_lines(limits.max_rows)
        cells = [cell_text(v) for v in record]
        if not any(cells):
            continue
        if header is None:
            header = _header(cells, limits)
            continue
        values, extra = _row_values(header, cells)
        problem = None
        if any(extra):
            problem = f"has values beyond the header's {header.width} columns"
        rows.append(Row(line, values, problem))
        if len(rows) > limits.max_rows:
            raise too_many_rows(limits.max_rows)
    if header is None:
        raise FileRejected(
            f"The first sheet ('{sheet.title}') is empty. Put the header row in row 1 and the data below it."
        )
    return Table(header.names, rows, encoding="xlsx", line_label="row", warnings=header.warnings)


def parse_json(text: str, limits: ReadLimits):
    """The JSON document, refused before it is parsed when it may hold more than two objects or lists per record
    the row limit allows (each costs memory once parsed: 50 MB of '{},' would be a gigabyte of dicts), and when it
    nests too deeply. A syntax error is raised as json.JSONDecodeError, for the caller to report or fall back on."""
    containers = text.count("{") + text.count("[")  # braces inside strings count too: an upper bound
    budget = 2 * limits.max_rows + 1000
    if containers > budget:
        raise FileRejected(f"The JSON holds up to {containers:,} objects and lists, more than the {budget:,} an upload "
                           f"of at most {limits.max_rows:,} records (setting UPLOAD_MAX_ROWS) may have. Split it into "
                           "smaller files, or upload it as CSV.")
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise FileRejected("The JSON is nested too deeply to be a table of records.") from exc


def _read_json(text: str, limits: ReadLimits) -> Table:
    try:
        document = parse_json(text, limits)
    except json.JSONDecodeError as exc:
        raise FileRejected(f"The JSON is invalid at line {exc.lineno}, column {exc.colno}: {exc.msg}.") from exc
    records = document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise FileRejected("The JSON must be a list of records, or an object holding exactly one such list.")
        records = lists[0]
    if not isinstance(records, list) or not records:
        raise FileRejected("The JSON holds no records. It must be a non-empty list of objects.")
    if len(records) > limits.max_rows:
        raise too_many_rows(limits.max_rows)
    columns: dict[str, None] = {}
    rows: list[Row] = []
    try:
        for index, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                rows.append(Row(index, {}, "is not an object with named fields"))
                continue
            values: dict[str, str] = {}
            for key, value in record.items():
                col = normalize_header(key)
                if col and col not in columns:
                    columns[col] = None
                    if len(columns) > limits.max_columns:
                        raise too_many_columns(f"more than {limits.max_columns:,}", limits.max_columns)
                if col:
                    values[col] = cell_text(value)
            rows.append(Row(index, values))
    except RecursionError as exc:
        raise FileRejected("The JSON is nested too deeply to be a table of records.") from exc
    if not columns:
        raise FileRejected("The JSON records have no fields. Each record must be an object with named fields.")
    for row in rows:
        for col in columns:
            row.values.setdefault(col, "")
    return Table(list(columns), rows, line_label="record")


_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M",
                     "%m/%d/%Y %I:%M %p", "%d %b %Y %H:%M", "%d %B %Y %H:%M", "%b %d, %Y %I:%M %p",
                     "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y")


def parse_datetime(text: str, default_timezone: timezone = UTC) -> datetime | None:
    """A date-time in ISO 8601 or another common format; without a zone it is taken in `default_timezone`.

    Ambiguous day/month orders read day first ("03/04/2026" is 3 April), except the US form with AM/PM."""
    text = (text or "").strip()
    if not text or len(text) > 64:  # no date is longer; a longer cell is never handed to the patterns
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for pattern in _DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_timezone)


def safe_csv_cell(value: object) -> object:
    """Neutralize spreadsheet formula prefixes so exported CSVs cannot run formulas, also after leading spaces."""
    if isinstance(value, str) and (value[:1] in ("\t", "\r") or value.lstrip()[:1] in ("=", "+", "-", "@")):
        return "'" + value
    return value
