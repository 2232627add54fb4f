"""The enrichment export: one CSV row per live attendee of an event (python -m jobs export enrichment)."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enrichment.facts import enriched_skills
from core.events.visibility import live
from core.ingest.tabular import safe_csv_cell
from db.models import Person, Registration

COLUMNS = ["email", "status", "tier", "sources", "skills"]


def export_enrichment_csv(session: Session, event_id: int) -> str:
    """email,status,tier,sources,skills — status and tier as stored (for scripts), sources and the skills
    enrichment found joined by "; "; people deleted or asked for deletion left out; formula-safe cells."""
    people = session.scalars(select(Person).join(Registration, Registration.person_id == Person.id)
                             .where(Registration.event_id == event_id, live(Person)).order_by(Person.email))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for person in people:
        writer.writerow([safe_csv_cell(v) for v in (
            person.email, str(person.enrichment_status), str(person.enrichment_tier),
            "; ".join(person.enrichment_sources or []), "; ".join(enriched_skills(person)))])
    return buffer.getvalue()
