"""Seed 000 §11.2 "Download my data": everything stored about one person, as JSON, complete by construction.

The sections are not a hand-written list: every table with a foreign key to `people.id` or `accounts.id` (and every
table holding an `email` column) is walked from `db.models.Base.metadata`, so a table added later is exported too."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Table, case, func, or_, select
from sqlalchemy.orm import Session

from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.privacy.deletion import DELETED_ACTOR_LABEL
from db.models import Account, Base, MessageThread, Person

PEOPLE, ACCOUNTS = "people", "accounts"
YOU = "you"
STAFF = "GlobalConnect staff"

# Human section names; a table missing here is still exported, under its table name in words.
SECTION_NAMES: dict[str, str] = {
    "accounts": "account",
    "account_tokens": "invitation and password links",
    "agenda_items": "agenda",
    "alumni": "alumni records",
    "audit_log": "audit log",
    "behavior_users": "behavioural data",
    "blocks": "people you blocked",
    "category_snoozes": "snoozed match categories",
    "connection_activities": "connection activity",
    "connection_feedback": "connection feedback",
    "connection_notes": "connection notes",
    "connection_requests": "connection requests",
    "connections": "connections",
    "course_completions": "course completions",
    "dataset_uploads": "uploads",
    "event_organizers": "events you organize",
    "experiment_assignments": "experiment assignments",
    "follow_up_drafts": "follow-up drafts",
    "huddle_participants": "huddles",
    "job_requests": "requested updates",
    "location_shares": "shared locations",
    "match_controls": "match controls",
    "meetings": "meetings",
    "message_threads": "conversations",
    "messages": "messages",
    "notifications": "notifications",
    "person_embeddings": "profile embedding",
    "profile_views": "profiles you viewed",
    "prompt_variants": "prompt variants",
    "recommendation_feedback": "recommendation feedback",
    "recommendations": "recommendations received",
    "registrations": "event registrations",
    "reports": "reports",
    "session_actions": "session activity",
    "signal_exclusions": "signals excluded from matching",
    "speakers": "speaker profiles",
}
# Credentials and machine-only data: never part of an export.
SECRET_COLUMNS = {("accounts", "password_hash"), ("accounts", "session_version"), ("account_tokens", "token_hash"),
                  ("person_embeddings", "embedding")}
# Rows that name the person but belong to someone else's private space: counted, never shown, so that the export
# does not reveal who blocked, reported, hid or viewed them, nor another attendee's own lists and drafts.
WITHHELD: dict[tuple[str, str], str] = {
    ("blocks", "blocked_id"): "times another attendee blocked you",
    ("reports", "reported_id"): "reports other attendees made about you (the moderators have them)",
    ("reports", "resolved_by"): "reports you resolved as a moderator",
    ("match_controls", "target_person_id"): "times another attendee hid you from their matches",
    ("profile_views", "person_id"): "profile views by other attendees (by viewer and day)",
    ("recommendations", "target_person_id"): "times you were suggested to another attendee",
    ("notifications", "actor_id"): "notifications other attendees received about something you did",
    ("follow_up_drafts", "recipient_id"): "follow-up drafts other attendees have not sent you yet",
    ("account_tokens", "created_by"): "invitation links you created for other people",
}
# Other tables' rows are named by this column (an event's name, a session's title) beside their id.
LABEL_COLUMNS = {"events": "name", "sessions": "title", "huddles": "topic", "speakers": "name",
                 "prompt_variants": "name"}


class ExportError(ValueError):
    """An export that cannot be made; the message says why."""


@dataclass
class _Owner:
    person_id: int
    email: str
    account_ids: set[int]


def section_name(table_name: str) -> str:
    """The human key of a table's section in the export."""
    return SECTION_NAMES.get(table_name, table_name.replace("_", " "))


def personal_tables() -> list[Table]:
    """Every table holding rows about a person: a foreign key to people or accounts, or an email column."""
    return [table for table in Base.metadata.sorted_tables
            if table.name != PEOPLE and (_owner_columns(table) or "email" in table.columns)]


def _owner_columns(table: Table) -> list[Column]:
    return [fk.parent for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
            if fk.column.table.name in (PEOPLE, ACCOUNTS)]


def export_person(session: Session, *, person_id: int, clock: Clock, actor_id: int | None = None,
                  client: str | None = None) -> dict:
    """Everything stored about the person, JSON-ready (datetimes as ISO strings); recorded as `data.exported`.

    Other people appear by name only; rows in someone else's private space are counted under "withheld"."""
    person = session.get(Person, person_id)
    if person is None:
        raise ExportError("That person does not exist.")
    now = clock.now()
    owner = _Owner(person.id, person.email.lower(),
                   set(session.scalars(select(Account.id).where(Account.person_id == person.id))))
    names = _Names(session, owner)
    profile = _row_dict(Person.__table__, person.__table__.columns, _orm_row(person), names)
    enrichment = profile.pop("enrichment", {}) or {}
    sections: dict[str, list[dict]] = {}
    withheld: dict[str, int] = {}
    for table in personal_tables():
        rows, hidden = _table_rows(session, table, owner)
        sections[section_name(table.name)] = [_row_dict(table, table.columns, row, names) for row in rows]
        for reason, count in hidden.items():
            if count:
                withheld[reason] = count
    record_audit(session, actor_id=actor_id, action="data.exported", target_type="person", target_id=person.id,
                 details={"sections": len(sections), "rows": sum(map(len, sections.values()))}, at=now,
                 target_person_id=person.id, client=client)
    session.flush()
    return {"exported_at": now.isoformat(), "format": "JSON",
            "data": {"profile": profile, "enriched_data": _plain(enrichment), **sections, "withheld": withheld}}


def _orm_row(person: Person) -> dict:
    return {column.name: getattr(person, column.key, None) for column in Person.__table__.columns}


def _table_rows(session: Session, table: Table, owner: _Owner) -> tuple[list[dict], dict[str, int]]:
    """The table's rows about the owner, and the count of rows withheld per reason."""
    shown, hidden = [], {}
    for column in _owner_columns(table):
        ids = _owner_ids(column, owner)
        if not ids:
            continue
        reason = WITHHELD.get((table.name, column.name))
        if reason is None:
            shown.append(column.in_(ids))
        else:
            hidden[reason] = session.scalar(select(func.count()).select_from(table).where(column.in_(ids)))
    if "email" in table.columns and table.name != ACCOUNTS:
        shown.append(func.lower(table.c.email) == owner.email)
    if table.name == "messages":  # messages the others sent in the person's conversations
        shown.append(table.c.thread_id.in_(select(MessageThread.id).where(
            or_(MessageThread.person_a_id == owner.person_id, MessageThread.person_b_id == owner.person_id))))
    if not shown:
        return [], hidden
    order = list(table.primary_key.columns)
    rows = session.execute(select(table).where(or_(*shown)).order_by(*order)).mappings().all()
    return [dict(row) for row in rows], hidden


def _owner_ids(column: Column, owner: _Owner) -> list[int]:
    target = next(iter(column.foreign_keys)).column.table.name
    return [owner.person_id] if target == PEOPLE else sorted(owner.account_ids)


class _Names:
    """Other people by name only (never their email), other accounts as staff, and labels of other rows."""

    def __init__(self, session: Session, owner: _Owner):
        self.session, self.owner = session, owner
        self.cache: dict[tuple[str, object], object] = {}

    def person(self, person_id: int | None) -> str | None:
        if person_id is None:
            return None
        if person_id == self.owner.person_id:
            return YOU
        return self._lookup(PEOPLE, person_id) or DELETED_ACTOR_LABEL

    def account(self, account_id: int | None) -> str | None:
        if account_id is None:
            return None
        return YOU if account_id in self.owner.account_ids else STAFF

    def label(self, table_name: str, row_id: object) -> object:
        return None if row_id is None else self._lookup(table_name, row_id)

    def _lookup(self, table_name: str, row_id: object) -> object:
        key = (table_name, row_id)
        if key not in self.cache:
            table = Base.metadata.tables[table_name]
            if table_name == PEOPLE:  # someone who asked to be deleted is no longer named
                expression = case((or_(table.c.deletion_requested_at.is_not(None), table.c.deleted_at.is_not(None)),
                                   None), else_=func.concat_ws(" ", table.c.first_name, table.c.last_name))
            else:
                expression = table.c[LABEL_COLUMNS[table_name]]
            self.cache[key] = self.session.scalar(select(expression).where(table.c.id == row_id))
        return self.cache[key]


def _row_dict(table: Table, columns, row: dict, names: _Names) -> dict:
    """One row with human keys: other people by name, the owner as "you", other rows' ids with their label."""
    out: dict = {}
    for column in columns:
        if (table.name, column.name) in SECRET_COLUMNS:
            continue
        value = row.get(column.name)
        references = {fk.column.table.name for fk in column.foreign_keys}
        key = column.name.removesuffix("_id")
        if PEOPLE in references and table.name != PEOPLE:
            out[key] = names.person(value)
        elif ACCOUNTS in references:
            out[key] = names.account(value)
        else:
            out[column.name] = _plain(value)
            labelled = references & LABEL_COLUMNS.keys()
            if labelled and value is not None:
                out[f"{key}_{LABEL_COLUMNS[next(iter(labelled))]}" if key == column.name else key] = \
                    _plain(names.label(next(iter(labelled)), value))
    return out


def _plain(value: object) -> object:
    """A JSON-ready value: datetimes and dates as ISO strings, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value
