"""Locations the offline gazetteer could not place: listed for the admin, who points them at a real place."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.knowledge.geocode import LatLon, get_gazetteer
from core.platform.audit import record_audit
from core.platform.clock import Clock
from db.models import Alumnus, JobPosting

LOCATED_TABLES = {"alumni": Alumnus, "job postings": JobPosting}
COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


class LocationError(ValueError):
    """A correction that cannot be applied; the message says what to fix."""


@dataclass
class UnresolvedLocation:
    text: str
    rows: int
    where: str  # which dataset(s) use it


def unresolved_locations(session: Session, limit: int = 500) -> list[UnresolvedLocation]:
    """Location texts with no coordinates, most used first."""
    found: dict[str, UnresolvedLocation] = {}
    for label, model in LOCATED_TABLES.items():
        for text, rows in session.execute(select(model.location, func.count()).where(
                model.lat.is_(None), model.location.is_not(None), model.location != "").group_by(model.location)):
            entry = found.setdefault(text, UnresolvedLocation(text, 0, label))
            entry.rows += rows
            if label not in entry.where:
                entry.where += f", {label}"
    return sorted(found.values(), key=lambda u: (-u.rows, u.text))[:limit]


def resolve_correction(correction: str) -> LatLon:
    """'Bengaluru, India' or '12.97, 77.59' -> coordinates, or LocationError saying what to write."""
    match = COORDINATES.match(correction or "")
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
        raise LocationError("Coordinates are a latitude from -90 to 90 and a longitude from -180 to 180.")
    place = get_gazetteer().locate_text(correction)
    if place is None:
        raise LocationError(f"'{correction}' is not a place the offline gazetteer knows. Write a nearby city with "
                            "its country (e.g. 'Bengaluru, India') or coordinates (e.g. '12.97, 77.59').")
    return place


def correct_location(session: Session, *, text: str, correction: str, actor_id: int | None, clock: Clock) -> int:
    """Place every row whose location is `text` at the corrected place; returns how many."""
    lat, lon = resolve_correction(correction)
    changed = 0
    for model in LOCATED_TABLES.values():
        changed += session.execute(update(model).where(model.location == text, model.lat.is_(None))
                                   .values(lat=lat, lon=lon)).rowcount
    record_audit(session, actor_id=actor_id, action="location.corrected", target_type="location", target_id=text[:200],
                 details={"correction": correction, "lat": lat, "lon": lon, "rows": changed}, at=clock.now())
    session.flush()
    return changed
