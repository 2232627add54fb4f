"""Stored re-engagement profiles: recompute the members whose inputs changed and write them in bulk; the job."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from itertools import repeat

import numpy as np
import pandas as pd
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.queue import advisory_key
from core.platform.settings import Settings
from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.profiles import compute_profiles, input_hashes, load_frames
from core.reengagement.summary import polish_summary
from db.bulk import copy_to_temp_table
from db.models import ReengagementDecision, ReengagementProfile

REENGAGEMENT_JOB = "reengagement"
POLISH_CAP = 200  # LLM rewrites per run; the rest keep the template summary until a later run
CHUNK = 5_000
# The refresh's own lock: the job runner already holds a session-level lock on the job's key, so this one differs.
STORE_LOCK = advisory_key("reengagement-profiles-store")
FILTER_COLUMNS = ("personalization_score", "number_of_events_attended", "days_since_last_event",
                  "is_first_time_user", "is_healthy_active_user", "has_queued_messages", "can_send_new_message")
STORED_COLUMNS = ("user_id", "computed_at", "as_of", "input_hash", "fields", "summary", "decision",
                  "decision_reason", *FILTER_COLUMNS)


@dataclass(frozen=True)
class ReengagementReport:
    """What one refresh did: members seen, profiles computed, rows written, rows left as they were, rows removed."""

    members: int
    computed: int
    changed: int
    unchanged: int
    removed: int
    polished: int = 0

    def counts(self) -> dict[str, int]:
        return asdict(self)


def refresh_profiles(session: Session, *, clock: Clock, settings: Settings, llm=None,
                     as_of: date | None = None) -> ReengagementReport:
    """Recompute the profiles whose input hash changed (as of the clock's UTC day unless given) and upsert only
    those; remove profiles of members who are gone. Flushes, never commits."""
    as_of = as_of or clock.now().astimezone(UTC).date()
    cooldown = settings.reengagement_cooldown_days
    # Two refreshes at once queue up here, so the second compares against what the first wrote.
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": STORE_LOCK})
    frames = load_frames(session)
    hashes = input_hashes(frames, as_of=as_of, cooldown_days=cooldown)
    stored = dict(session.execute(select(ReengagementProfile.user_id, ReengagementProfile.input_hash)).all())
    current = {int(user_id): digest for user_id, digest in hashes.items()}
    changed_ids = {user_id for user_id, digest in current.items() if stored.get(user_id) != digest}
    gone = [user_id for user_id in stored if user_id not in current]
    for start in range(0, len(gone), CHUNK):
        session.execute(delete(ReengagementProfile).where(ReengagementProfile.user_id.in_(gone[start:start + CHUNK])))
    if not changed_ids:
        session.flush()
        return ReengagementReport(len(current), 0, 0, len(current), len(gone))
    # The computation is set-based over all members (friends need everyone's events), so it runs once for all;
    # only the changed rows are written: new members by COPY, the others merged.
    profiles = compute_profiles(frames, as_of=as_of, cooldown_days=cooldown)
    changed = profiles[profiles["user_id"].isin(changed_ids)].reset_index(drop=True)
    summaries = changed["summary"].tolist()
    to_polish = _polish_order(changed)[:POLISH_CAP] if llm is not None else []
    for index in to_polish:
        summaries[index] = polish_summary(summaries[index], changed.iloc[index].to_dict(), llm=llm)
    rows = _stored_rows(changed, summaries, current, now=clock.now(), as_of=as_of)
    _copy_new(session, [row for row in rows if row[0] not in stored])
    _upsert(session, [row for row in rows if row[0] in stored])
    session.flush()
    return ReengagementReport(len(current), len(profiles), len(rows), len(current) - len(rows), len(gone),
                              len(to_polish))


def _polish_order(changed: pd.DataFrame) -> list[int]:
    """Row positions by how much a polished summary matters: members to message first, best profiles first."""
    send = changed["decision"].astype(str) == ReengagementDecision.SEND_PERSONALISED_MESSAGE
    ranked = pd.DataFrame({"send": send.to_numpy(), "score": changed["personalization_score"].astype(int)})
    return ranked.sort_values(["send", "score"], ascending=False, kind="stable").index.tolist()


def _stored_rows(changed: pd.DataFrame, summaries: list[str], hashes: dict[int, str], *, now: datetime,
                 as_of: date) -> list[tuple]:
    """The table's rows (STORED_COLUMNS) for the changed members, built column by column, not row by row: 100k
    members are serialised in about a second."""
    values = {name: json_column(changed[name]) for name in CALCULATED_FIELDS}
    fields = [json.dumps(dict(zip(CALCULATED_FIELDS, row, strict=True)), default=json_default)
              for row in zip(*values.values(), strict=True)]
    user_ids = changed["user_id"].astype(int).tolist()
    return list(zip(user_ids, repeat(now), repeat(as_of), [hashes[u] for u in user_ids], fields, summaries,
                    changed["decision"].astype(str).tolist(), changed["decision_reason"].astype(str).str[:300].tolist(),
                    *(values[name] for name in FILTER_COLUMNS), strict=False))


def json_default(value):
    """JSON for what `json` does not know: dates as ISO 8601, numpy scalars and arrays as Python values."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_column(column: pd.Series) -> list:
    """One calculated field for every member as JSON-ready Python values; a missing number is None."""
    if column.dtype.kind == "f":
        return [None if math.isnan(v) else v for v in column.tolist()]
    if column.dtype.kind == "M":
        return [None if pd.isna(v) else v.date().isoformat() for v in column]
    return [None if isinstance(v, float) and math.isnan(v) else v for v in column.tolist()]


def _copy_new(session: Session, rows: list[tuple]) -> None:
    """Members without a stored profile: COPY straight into the table (the lock keeps anyone else from adding one)."""
    if not rows:
        return
    connection = session.connection().connection.driver_connection
    with connection.cursor() as cursor, cursor.copy(
            f"COPY reengagement_profiles ({', '.join(STORED_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _upsert(session: Session, rows: list[tuple]) -> None:
    """Members with a stored profile: COPY into a temporary table, then one INSERT … ON CONFLICT per chunk."""
    names = ", ".join(STORED_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in STORED_COLUMNS if c != "user_id")
    for start in range(0, len(rows), CHUNK * 10):  # the chunk bounds the temporary table
        copy_to_temp_table(session, "new_reengagement_profiles", "reengagement_profiles", STORED_COLUMNS,
                           rows[start:start + CHUNK * 10])
        session.execute(text(
            f"INSERT INTO reengagement_profiles ({names}) SELECT {names} FROM new_reengagement_profiles "
            f"ON CONFLICT (user_id) DO UPDATE SET {updates}"))
        session.execute(text("DROP TABLE new_reengagement_profiles"))


def reengagement_job(ctx: JobContext) -> dict:
    """The `reengagement` job: refresh the stored profiles as of the clock's day; the LLM polishes changed summaries
    when configured."""
    return refresh_profiles(ctx.session, clock=ctx.clock, settings=ctx.settings or Settings(), llm=ctx.llm).counts()
