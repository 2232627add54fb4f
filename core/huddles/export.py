"""The huddles export: one CSV row per invited person (python -m jobs export huddles)."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.events.visibility import live
from core.ingest.tabular import safe_csv_cell
from db.models import Huddle, HuddleParticipant, Person

COLUMNS = ["huddle_id", "kind", "topic", "status", "starts_at", "location", "email", "participant_status"]


def export_huddles_csv(session: Session, event_id: int) -> str:
    """huddle_id,kind,topic,status,starts_at,location,email,participant_status — one row per invited person,
    by start time, without people who are deleted or asked for deletion; cells a spreadsheet would run as
    formulas are neutralised."""
    rows = session.execute(
        select(Huddle.id, Huddle.kind, Huddle.topic, Huddle.status, Huddle.starts_at, Huddle.location_name,
               Person.email, HuddleParticipant.status)
        .join(HuddleParticipant, HuddleParticipant.huddle_id == Huddle.id)
        .join(Person, Person.id == HuddleParticipant.person_id)
        .where(Huddle.event_id == event_id, live(Person))
        .order_by(Huddle.starts_at, Huddle.id, Person.email))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for huddle_id, kind, topic, status, starts_at, location, email, participant_status in rows:
        writer.writerow([safe_csv_cell(v) for v in (
            huddle_id, kind, topic, status, starts_at.isoformat() if starts_at else "", location or "", email,
            participant_status)])
    return buffer.getvalue()
