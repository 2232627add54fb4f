"""The re-engagement export: every member with the decision, the summary and every calculated field (CSV)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.ingest.tabular import safe_csv_cell
from core.platform.settings import Settings
from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.profiles import compute_profiles, jsonable_fields, load_frames
from db.models import BehaviorUser, ReengagementProfile

COLUMNS = ["id", "email", "decision", "summary", *CALCULATED_FIELDS]


class NoStoredProfiles(LookupError):
    """Nothing to export: no profile has been computed and stored yet."""


def csv_value(value) -> str:
    """One field as a CSV cell: lists `;`-joined, booleans true/false, event history entries as `date name @ venue`,
    no value as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(csv_value(item) for item in value)
    if isinstance(value, Mapping):
        when, name, venue = value.get("date"), value.get("name"), value.get("venue")
        return " ".join(p for p in (when, name, f"@ {venue}" if venue else None) if p)
    return str(value)


def _write(rows: Iterable[tuple[str, str, str, str, Mapping]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for external_id, email, decision, summary, fields in rows:
        cells = [external_id, email, decision, summary, *(csv_value(fields.get(name)) for name in CALCULATED_FIELDS)]
        writer.writerow([safe_csv_cell(cell) for cell in cells])
    return buffer.getvalue()


def export_reengagement_csv(session: Session, *, as_of: date | None = None, settings: Settings) -> str:
    """The stored profiles as CSV (raises NoStoredProfiles when none are stored); with `as_of`, every member computed
    fresh for that day in memory, nothing stored. Dates ISO 8601; formula-safe cells."""
    if as_of is not None:
        profiles = compute_profiles(load_frames(session), as_of=as_of,
                                    cooldown_days=settings.reengagement_cooldown_days)
        return _write((row["id"], row["email"], str(row["decision"]), row["summary"], jsonable_fields(row))
                      for row in profiles.sort_values("id").to_dict("records"))
    stored = session.execute(
        select(BehaviorUser.external_id, BehaviorUser.email, ReengagementProfile.decision,
               ReengagementProfile.summary, ReengagementProfile.fields)
        .join(BehaviorUser, BehaviorUser.id == ReengagementProfile.user_id)
        .order_by(BehaviorUser.external_id)).all()
    if not stored:
        raise NoStoredProfiles("No re-engagement profiles are stored yet. Run `python -m jobs run reengagement` "
                               "first, or export for a day with --as-of YYYY-MM-DD.")
    return _write(stored)
