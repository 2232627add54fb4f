"""Housekeeping job bodies: geocoding backfill, the data-retention policy (seed 000 §11.1), and recovering the work
of crashed workers."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from core.huddles.location import purge_location_shares
from core.knowledge.geocode import get_gazetteer
from core.platform.audit import AuditAction, record_audit
from core.platform.job_context import JobContext
from core.platform.queue import close_orphaned_runs, reap_expired_leases
from core.platform.settings import get_settings
from core.privacy.deletion import purge_due_deletions
from core.privacy.retention import apply_retention_rules
from db.models import Alumnus, JobPosting, Notification, Person

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
    """Purge what the retention schedule says has expired: people whose deletion grace is over (with the full
    cascade), old recommendations (anonymised), stale enrichment, enrichment logs, old audit entries, read
    notifications and location shares; one retention.cleanup audit entry records the counts."""
    now = ctx.clock.now()
    settings = ctx.settings or get_settings()
    purged_people = purge_due_deletions(ctx.session, clock=ctx.clock, grace_days=settings.deletion_grace_days)
    old_notifications = ctx.session.execute(
        delete(Notification).where(Notification.read_at.is_not(None),
                                   Notification.read_at < now - READ_NOTIFICATION_RETENTION)
    ).rowcount
    counts = {"people_purged": purged_people, **apply_retention_rules(ctx.session, now=now, settings=settings),
              "notifications_purged": old_notifications,
              "location_shares_purged": purge_location_shares(
                  ctx.session, clock=ctx.clock, days_after_event=settings.location_share_retention_days)}
    record_audit(ctx.session, actor_id=None, action=AuditAction.RETENTION_CLEANUP, target_type="retention",
                 details=counts, at=now)
    ctx.session.flush()
    return counts


def recover_crashed_work(ctx: JobContext) -> dict:
    """Requeue or fail the uploads and job requests whose worker stopped renewing its lease (each queue pass does
    this too), and close the job runs left 'running' by a process that is gone, scheduled ones included."""
    settings = ctx.settings or get_settings()
    counts = reap_expired_leases(ctx.session, clock=ctx.clock, lease_seconds=settings.worker_lease_seconds,
                                 max_attempts=settings.work_max_attempts)
    return {**counts, "runs_closed": len(close_orphaned_runs(ctx.session, clock=ctx.clock))}
