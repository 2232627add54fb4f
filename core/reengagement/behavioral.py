"""Behavioural datasets (seed 002): users, orders, past events with participant emails, and messages."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from core.ingest.fields import (
    CELL_LIMIT,
    TEXT_LIMIT,
    FieldError,
    column_limits,
    is_email,
    length_errors,
    shown,
    split_list,
)
from core.ingest.pipeline import DatasetKind
from core.ingest.tabular import (
    FileRejected,
    ReadLimits,
    Row,
    Table,
    cell_text,
    decode_text,
    normalize_header,
    parse_datetime,
    parse_json,
    read_table,
    too_many_rows,
)
from db.bulk import upsert_rows
from db.models import BehaviorEvent, BehaviorMessage, BehaviorOrder, BehaviorUser


@dataclass(frozen=True)
class Section:
    """One part of a behavioural dataset: its table and columns."""

    table: str
    required: list[str]
    optional: list[str]
    synonyms: dict[str, str]


SECTIONS: dict[str, Section] = {
    "users": Section(
        "behavior_users", ["id", "email"],
        ["name", "interests", "cuisine_preference", "dietary_restrictions", "age", "gender", "occupation",
         "relationship_status", "table_type_preference", "home_neighborhood", "work_neighborhood", "is_on_team"],
        {"user_id": "id", "e_mail": "email", "email_address": "email", "full_name": "name",
         "hobbies": "interests", "cuisines": "cuisine_preference", "cuisine": "cuisine_preference",
         "dietary": "dietary_restrictions", "diet": "dietary_restrictions", "job": "occupation",
         "job_title": "occupation", "table_type": "table_type_preference", "home": "home_neighborhood",
         "work": "work_neighborhood", "team_member": "is_on_team", "is_team_member": "is_on_team"},
    ),
    "orders": Section(
        "behavior_orders", ["id", "user_id"], ["event_id", "amount", "date"],
        {"order_id": "id", "user": "user_id", "event": "event_id", "total": "amount", "price": "amount",
         "order_date": "date", "ordered_at": "date", "created_at": "date"},
    ),
    "events": Section(
        "behavior_events", ["id", "name", "participants"], ["date", "venue", "host", "event_type"],
        {"event_id": "id", "title": "name", "event_name": "name", "event_date": "date", "attendees": "participants",
         "participant_emails": "participants", "type": "event_type", "category": "event_type", "location": "venue"},
    ),
    "messages": Section(
        "behavior_messages", ["id", "user_id", "status"], ["content", "sent_date", "created_date"],
        {"message_id": "id", "user": "user_id", "body": "content", "text": "content", "message": "content",
         "sent_at": "sent_date", "sent": "sent_date", "created_at": "created_date", "queued_at": "created_date"},
    ),
}
MESSAGE_STATUSES = ("queued", "sent", "failed", "draft", "cancelled")
DATE_LIMIT = 64
# Each part's cell limits: its table's column sizes, and short ones for numbers and dates. Event participants are a
# list of emails, so they may run longer than one Text cell.
SECTION_LIMITS: dict[str, dict[str, int]] = {
    "users": {**column_limits(BehaviorUser, {
        "id": "external_id", "email": "email", "name": "name", "gender": "gender", "occupation": "occupation",
        "relationship_status": "relationship_status", "table_type_preference": "table_type_preference",
        "home_neighborhood": "home_neighborhood", "work_neighborhood": "work_neighborhood"}),
        "age": 10, "is_on_team": 20},
    "orders": {**column_limits(BehaviorOrder, {"id": "external_id", "user_id": "user_external_id",
                                               "event_id": "event_external_id"}),
               "amount": 40, "date": DATE_LIMIT},
    "events": {**column_limits(BehaviorEvent, {"id": "external_id", "name": "name", "venue": "venue", "host": "host",
                                               "event_type": "event_type"}),
               "date": DATE_LIMIT, "participants": 10 * TEXT_LIMIT},
    "messages": {**column_limits(BehaviorMessage, {"id": "external_id", "user_id": "user_external_id",
                                                   "status": "status", "content": "content"}),
                 "sent_date": DATE_LIMIT, "created_date": DATE_LIMIT},
}
# Any part's column at its most generous, checked before a row reaches its part's own limits.
CELL_LIMITS = {column: max(limits.get(column, 0) for limits in SECTION_LIMITS.values())
               for column in {c for limits in SECTION_LIMITS.values() for c in limits}}
_TRUTH = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}
ALL_COLUMNS = sorted({c for s in SECTIONS.values() for c in s.required + s.optional} - {"id"})
HINT = ("One JSON document with the keys `users`, `orders`, `events` and `messages` (each a list), or one file "
        "per part named after it (`users.csv`, `orders.csv`, …). Event participants are `;`-separated emails.")


def _canonical(record: dict, section: Section) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in record.items():
        name = normalize_header(key)
        name = name if name in section.required or name in section.optional else section.synonyms.get(name, name)
        values.setdefault(name, cell_text(value))
    return values


def _section_of(filename: str, columns: list[str]) -> str | None:
    stem = normalize_header(Path(filename or "").stem)
    named = [name for name in SECTIONS if name.rstrip("s") in stem]
    if len(named) == 1:
        return named[0]
    canonical = set(columns) | {s.synonyms[c] for s in SECTIONS.values() for c in columns if c in s.synonyms}
    if "participants" in canonical:
        return "events"
    if "status" in canonical and "user_id" in canonical:
        return "messages"
    if "amount" in canonical or ("user_id" in canonical and "event_id" in canonical):
        return "orders"
    if "email" in canonical and "user_id" not in canonical:
        return "users"
    return None


def read_behavioral(data: bytes, filename: str, max_bytes: int, limits: ReadLimits | None = None) -> Table:
    """A document {users, orders, events, messages}, or one part as a table, as rows tagged with their part."""
    limits = limits or ReadLimits()
    if len(data) <= max_bytes and data.strip()[:1] == b"{":
        text, _ = decode_text(data)
        try:
            document = parse_json(text, limits)
        except json.JSONDecodeError:
            document = None  # read_table reports the JSON error with its position
        if isinstance(document, dict) and {normalize_header(k) for k in document} & set(SECTIONS):
            return _document_table(document, limits)
    table = read_table(data, filename, max_bytes=max_bytes, limits=limits)
    name = _section_of(filename, table.columns)
    if name is None:
        raise FileRejected(
            "Could not tell which behavioural data this file holds. Name it users, orders, events or messages "
            "(e.g. orders.csv), or upload one JSON document with those four lists.")
    section = SECTIONS[name]
    rows = [Row(row.line, {**_canonical(row.values, section), "section": name}, row.problem) for row in table.rows]
    present = {column for row in rows[:1] for column in row.values}
    missing = [c for c in section.required if c not in present]
    if rows and missing:
        raise FileRejected(f"This looks like {name}, but the column(s) {', '.join(missing)} are missing. "
                           f"Required for {name}: {', '.join(section.required)}.")
    return Table(_columns(rows), rows, table.encoding, table.line_label, table.warnings)


def _document_table(document: dict, limits: ReadLimits) -> Table:
    rows: list[Row] = []
    for key, records in document.items():
        name = normalize_header(key)
        if name not in SECTIONS:
            continue
        if not isinstance(records, list):
            raise FileRejected(f"'{key}' must be a list of records, not {type(records).__name__}.")
        if len(rows) + len(records) > limits.max_rows:
            raise too_many_rows(limits.max_rows)
        for index, record in enumerate(records):
            path = f"{name}[{index}]"
            if isinstance(record, dict):
                values = {**_canonical(record, SECTIONS[name]), "section": name, "record": path}
                rows.append(Row(len(rows) + 1, values))
            else:
                rows.append(Row(len(rows) + 1, {"section": name, "record": path}, f"{path} is not an object"))
    return Table(_columns(rows) or ["section", "id"], rows, line_label="record")


def _columns(rows: list[Row]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row.values))
    for row in rows:
        for column in columns:
            row.values.setdefault(column, "")
    return list(columns)


def _text(values: dict[str, str], name: str, limit: int) -> str | None:
    return " ".join(values.get(name, "").split())[:limit] or None


def _when(values: dict[str, str], name: str, errors: list[FieldError]):
    raw = values.get(name, "").strip()
    parsed = parse_datetime(raw) if raw else None
    if raw and parsed is None:
        errors.append(FieldError(name, f"'{shown(raw)}' is not a date"))
    return parsed


def _list(values: dict[str, str], name: str) -> list[str]:
    return split_list(values.get(name, "").replace(",", ";"))[:50]


def validate_record(values: dict[str, str]) -> tuple[dict | None, list[FieldError]]:
    """One behavioural record (its part named in `section`) -> a clean row, or what is wrong with it."""
    name = values.get("section", "")
    section = SECTIONS[name]
    # Every cell against its part's column sizes first: no pattern below ever sees an oversized cell.
    errors = length_errors({c: v for c, v in values.items() if c not in ("section", "record")},
                           SECTION_LIMITS[name], CELL_LIMIT)
    if errors:
        return None, [FieldError(column_label(values, e.column), e.message) for e in errors]
    errors = [FieldError(c, "is empty") for c in section.required if not values.get(c, "").strip()]
    clean: dict = {"section": name, "external_id": values.get("id", "").strip()[:120]}
    if name == "users":
        email = values.get("email", "").strip().lower()
        if email and not is_email(email):
            errors.append(FieldError("email", f"'{shown(email)}' is not an email address"))
        age_text = values.get("age", "").strip()
        age = int(age_text) if age_text.isdigit() else None
        if age_text and (age is None or not 0 < age < 120):
            errors.append(FieldError("age", f"'{shown(age_text)}' is not an age (a whole number of years)"))
        team_text = values.get("is_on_team", "").strip().lower()
        if team_text and team_text not in _TRUTH:
            errors.append(FieldError("is_on_team", f"'{shown(team_text)}' is not true or false"))
        clean |= {"email": email, "name": _text(values, "name", 200), "age": age,
                  "is_on_team": _TRUTH.get(team_text, False),
                  **{c: _list(values, c) for c in ("interests", "cuisine_preference", "dietary_restrictions")},
                  **{c: _text(values, c, limit) for c, limit in (
                      ("gender", 40), ("occupation", 200), ("relationship_status", 40),
                      ("table_type_preference", 60), ("home_neighborhood", 120), ("work_neighborhood", 120))}}
    elif name == "orders":
        amount_text = values.get("amount", "").strip()
        amount = None
        if amount_text:
            try:
                amount = float(re.sub(r"[^\d.\-]", "", amount_text))
            except ValueError:
                errors.append(FieldError("amount", f"'{shown(amount_text)}' is not an amount"))
        clean |= {"user_external_id": values.get("user_id", "").strip()[:120],
                  "event_external_id": values.get("event_id", "").strip()[:120] or None, "amount": amount,
                  "ordered_at": _when(values, "date", errors)}
    elif name == "events":
        participants = [p.lower() for p in split_list(re.sub(r"[,\s]+", ";", values.get("participants", "")))]
        bad = [p for p in participants if not is_email(p)]
        if bad:
            errors.append(FieldError("participants", f"'{shown(bad[0])}' is not an email address"))
        clean |= {"name": _text(values, "name", 300), "held_at": _when(values, "date", errors),
                  "venue": _text(values, "venue", 200), "host": _text(values, "host", 200),
                  "event_type": _text(values, "event_type", 80), "participants": participants}
    else:
        status = values.get("status", "").strip().lower()
        if status and status not in MESSAGE_STATUSES:
            errors.append(FieldError("status", f"'{shown(status)}' is not one of {', '.join(MESSAGE_STATUSES)}"))
        clean |= {"user_external_id": values.get("user_id", "").strip()[:120], "status": status,
                  "content": values.get("content", "").strip(), "sent_at": _when(values, "sent_date", errors),
                  "queued_at": _when(values, "created_date", errors)}
    if errors:
        return None, [FieldError(column_label(values, e.column), e.message) for e in errors]
    return clean, []


def column_label(values: dict[str, str], column: str) -> str:
    """A column as a problem names it: with the record it is in when the upload was one JSON document."""
    where = values.get("record")
    return f"{where}.{column}" if where else column


def record_key(row: dict) -> str:
    return f"{row['section']} {row['external_id']}"


def store_behavioral(session: Session, event_id: int | None, rows: list[dict], now) -> dict[str, int]:
    """Upsert each part by its id."""
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for name, section in SECTIONS.items():
        part = [row for row in rows if row["section"] == name]
        if not part:
            continue
        columns = [c for c in part[0] if c != "section"]
        inserted, updated = upsert_rows(session, section.table, "external_id", columns,
                                        ([row[c] for c in columns] for row in part))
        counts[name] = len(part)
        counts["inserted"] += inserted
        counts["updated"] += updated
        counts["unchanged"] += len(part) - inserted - updated
    return counts


BEHAVIORAL_UPLOAD = DatasetKind(
    name="behavioral",
    label="Behavioural data (users, orders, events, messages)",
    required=["section", "id"],
    optional=[*ALL_COLUMNS, "record"],
    synonyms={},
    validate=validate_record,
    key=record_key,
    store=store_behavioral,
    needs_event=False,
    read=read_behavioral,
    hint=HINT,
    limits=CELL_LIMITS,
    column_label=column_label,
    parts={name: (part.required, part.optional) for name, part in SECTIONS.items()},
    follow_up_jobs=("reengagement",),
)
