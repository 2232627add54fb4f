"""Housekeeping job bodies: geocoding backfill and the data-retention policy (seed 000 §11.1)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from core.knowledge.geocode import get_gazetteer
from core.platform.job_context import JobContext
from db.models import Alumnus, JobPosting, Notification, Person, Recommendation

DELETED_PERSON_GRACE = timedelta(days=30)
RECOMMENDATION_HISTORY = timedelta(days=365)
READ_NOTIFICATION_RETENTION = timedelta(days=90)


def geocode_missing_locations(ctx: JobContext) -> dict:
    """Fill lat/lon for people, alumni and job postings whose place is known but not yet resolved."""
    gazetteer = get_gazetteer()
    resolved = unresolved = 0
    people = ctx.session.scalars(select(Person).where(Person.lat.is_(None), Person.city.is_not(None)))
    for person in people:
        found = gazetteer.locate(person.city, person.country)
        if found:
            person.lat, person.lon = found
            resolved += 1
        else:
            unresolved += 1
    for model in (Alumnus, JobPosting):
        for row in ctx.session.scalars(select(model).where(model.lat.is_(None), model.location.is_not(None))):
            found = gazetteer.locate_text(row.location)
            if found:
                row.lat, row.lon = found
                resolved += 1
            else:
                unresolved += 1
    return {"resolved": resolved, "unresolved": unresolved}


def apply_retention_policy(ctx: JobContext) -> dict:
    """Purge what the retention schedule says has expired."""
    now = ctx.clock.now()
    purged_people = ctx.session.execute(
        delete(Person).where(Person.deleted_at.is_not(None), Person.deleted_at < now - DELETED_PERSON_GRACE)
    ).rowcount
    old_recommendations = ctx.session.execute(
        delete(Recommendation).where(Recommendation.generated_at < now - RECOMMENDATION_HISTORY)
    ).rowcount
    old_notifications = ctx.session.execute(
        delete(Notification).where(Notification.read_at.is_not(None),
                                   Notification.read_at < now - READ_NOTIFICATION_RETENTION)
    ).rowcount
    return {"people_purged": purged_people, "recommendations_purged": old_recommendations,
            "notifications_purged": old_notifications}
