"""Robust reading of uploaded tables (CSV, XLSX, JSON) into rows with line numbers."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timezone
from pathlib import Path

MB = 1024 * 1024
_CANDIDATE_DELIMITERS = [",", ";", "\t", "|"]


class FileRejected(ValueError):
    """The file as a whole cannot be used; the message says what to fix."""


@dataclass
class Row:
    line: int
    values: dict[str, str]
    problem: str | None = None  # a structural problem with the row itself (e.g. too many values)


@dataclass
class Table:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    encoding: str = "utf-8"
    line_label: str = "line"


def normalize_header(name: object) -> str:
    """'  E-Mail Address ' -> 'e_mail_address'."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read_table(data: bytes, filename: str, *, max_bytes: int) -> Table:
    """Parse an uploaded file into a Table, or raise FileRejected saying what to fix."""
    if len(data) > max_bytes:
        raise FileRejected(
            f"The file is {len(data) / MB:.1f} MB, over the {max_bytes / MB:.0f} MB limit. "
            "Split it into smaller files and upload them one by one."
        )
    if not data.strip():
        raise FileRejected("The file is empty. Upload a file with a header row and at least one data row.")
    suffix = Path(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".tsv", ".txt", ".json") and data[:2] == b"PK"):
        return _read_xlsx(data)
    text, encoding = decode_text(data)
    if suffix == ".json" or (suffix not in (".csv", ".tsv", ".txt") and text.lstrip()[:1] in ("[", "{")):
        table = _read_json(text)
    else:
        table = _read_csv(text)
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


def _read_csv(text: str) -> Table:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    delimiter = _pick_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[Row] = []
    last_line = 0
    try:
        for record in reader:
            start_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = _clean_header(record)
                continue
            values = {col: (record[i].strip() if i < len(record) else "") for i, col in enumerate(header)}
            problem = None
            extra = record[len(header):]
            if any(cell.strip() for cell in extra):
                problem = (f"has {len(record)} values but the header has {len(header)} columns "
                           f"(check for an unquoted '{delimiter}')")
            rows.append(Row(start_line, values, problem))
    except csv.Error as exc:
        raise FileRejected(
            f"The CSV is malformed near line {reader.line_num}: {exc}. Check quoting in that line.") from exc
    if header is None:
        raise FileRejected("The file has no header row. The first line must name the columns.")
    return Table(header, rows)


def _clean_header(cells: list[object]) -> list[str]:
    header = [normalize_header(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise FileRejected("The header row is empty. The first row must name the columns.")
    blanks = [str(i + 1) for i, h in enumerate(header) if not h]
    if blanks:
        raise FileRejected(f"Header cells {', '.join(blanks)} are empty. Give every column a name.")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise FileRejected(f"The header repeats the column(s) {', '.join(dupes)}. Each column name must appear once.")
    return header


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


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported lazily: only spreadsheets need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(
            "This is not a readable Excel workbook (.xlsx). Re-save it from Excel as .xlsx, or export it as CSV."
        ) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileRejected("The workbook has no sheets. Put the table on the first sheet.")
    header: list[str] | None = None
    rows: list[Row] = []
    for line, record in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in record]
        if not any(cells):
            continue
        if header is None:
            header = _clean_header(cells)
            continue
        values = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header)}
        rows.append(Row(line, values))
    workbook.close()
    if header is None:
        raise FileRejected(
            f"The first sheet ('{sheet.title}') is empty. Put the header row in row 1 and the data below it."
        )
    return Table(header, rows, encoding="xlsx", line_label="row")


def _read_json(text: str) -> Table:
    try:
        document = json.loads(text)
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
    columns: list[str] = []
    rows: list[Row] = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            rows.append(Row(index, {}, "is not an object with named fields"))
            continue
        values: dict[str, str] = {}
        for key, value in record.items():
            col = normalize_header(key)
            if col and col not in columns:
                columns.append(col)
            if col:
                values[col] = cell_text(value)
        rows.append(Row(index, values))
    if not columns:
        raise FileRejected("The JSON records have no fields. Each record must be an object with named fields.")
    for row in rows:
        for col in columns:
            row.values.setdefault(col, "")
    return Table(columns, rows, line_label="record")


_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M",
                     "%m/%d/%Y %I:%M %p", "%d %b %Y %H:%M", "%d %B %Y %H:%M", "%b %d, %Y %I:%M %p",
                     "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y")


def parse_datetime(text: str, default_timezone: timezone = UTC) -> datetime | None:
    """A date-time in ISO 8601 or another common format; without a zone it is taken in `default_timezone`.

    Ambiguous day/month orders read day first ("03/04/2026" is 3 April), except the US form with AM/PM."""
    text = (text or "").strip()
    if not text:
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
    """Neutralize spreadsheet formula prefixes so exported CSVs cannot run formulas."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
