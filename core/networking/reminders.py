"""Session and meeting reminders 15 minutes before they start, and the morning digest of the day's agenda (seed 001
"Session reminders"); each once per person and session, meeting, or day."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session, aliased

from core.events.visibility import live
from core.networking.notifications import NotificationKind, notify
from core.platform.job_context import JobContext
from db.filters import in_values
from db.models import (
    AgendaItem,
    Event,
    Meeting,
    MeetingStatus,
    Person,
    ProgramSession,
    SessionAction,
    SessionActionKind,
)

SESSION_REMINDERS_JOB, AGENDA_DIGEST_JOB = "session-reminders", "agenda-digest"
REMINDER_LEAD = timedelta(minutes=15)
# The digest goes out in the hour of the event's local morning that this names (the job runs hourly).
DIGEST_HOUR = 7
DIGEST_LINES = 10
AGENDA_LINK = "my-agenda"


def event_zone(name: str | None) -> ZoneInfo:
    """The event's time zone, UTC when it is unset or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _planned():
    """SQL: (person_id, session_id) for every session in someone's agenda or bookmarks."""
    return union(select(AgendaItem.person_id, AgendaItem.session_id),
                 select(SessionAction.person_id, SessionAction.session_id)
                 .where(SessionAction.kind == SessionActionKind.BOOKMARK)).subquery("planned")


def _clock_time(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}"


def remind_sessions(session: Session, *, now: datetime) -> int:
    """Remind each person of each planned or bookmarked session starting within 15 minutes; returns how many
    reminders were written."""
    planned = _planned()
    rows = session.execute(
        select(planned.c.person_id, ProgramSession.id, ProgramSession.title, ProgramSession.starts_at,
               ProgramSession.room, Event.timezone)
        .join(ProgramSession, ProgramSession.id == planned.c.session_id)
        .join(Event, Event.id == ProgramSession.event_id)
        .join(Person, Person.id == planned.c.person_id)
        .where(ProgramSession.starts_at > now, ProgramSession.starts_at <= now + REMINDER_LEAD,
               live(Person))
        .order_by(ProgramSession.starts_at, planned.c.person_id)).all()
    written = 0
    for person_id, session_id, title, starts_at, room, zone in rows:
        where = f" in {room}" if room else ""
        written += notify(session, person_id=person_id, kind=NotificationKind.SESSION_REMINDER,
                          title=f"Starting soon: {title}",
                          body=f"Starts at {_clock_time(starts_at, event_zone(zone))}{where}.", now=now,
                          link=AGENDA_LINK, dedupe_key=f"session-reminder:{session_id}") is not None
    return written


def remind_meetings(session: Session, *, now: datetime) -> int:
    """Remind both people of each accepted 1:1 meeting starting within 15 minutes; returns how many reminders were
    written."""
    requester, recipient = aliased(Person), aliased(Person)
    rows = session.execute(
        select(Meeting.id, Meeting.starts_at, Event.timezone, requester.id, requester.first_name,
               requester.last_name, requester.deleted_at, recipient.id, recipient.first_name, recipient.last_name,
               recipient.deleted_at)
        .join(Event, Event.id == Meeting.event_id)
        .join(requester, requester.id == Meeting.requester_id)
        .join(recipient, recipient.id == Meeting.recipient_id)
        .where(Meeting.status == MeetingStatus.ACCEPTED, Meeting.starts_at > now,
               Meeting.starts_at <= now + REMINDER_LEAD)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    written = 0
    for meeting_id, starts_at, zone, *people in rows:
        a, b = people[:4], people[4:]
        at = _clock_time(starts_at, event_zone(zone))
        for (person_id, _, _, gone), (other_id, first, last, _) in ((a, b), (b, a)):
            if gone is not None:
                continue
            written += notify(session, person_id=person_id, kind=NotificationKind.MEETING_REMINDER,
                              title=f"Meeting with {first} {last} at {at}",
                              body=f"Your 1:1 meeting starts at {at}. It is in My agenda.", now=now,
                              link=AGENDA_LINK, actor_id=other_id,
                              dedupe_key=f"meeting-reminder:{meeting_id}") is not None
    return written


def session_reminders_job(ctx: JobContext) -> dict:
    """Job body: the 15-minute reminders of planned sessions and accepted meetings."""
    now = ctx.clock.now()
    return {"sessions": remind_sessions(ctx.session, now=now), "meetings": remind_meetings(ctx.session, now=now)}


def _digest_events(session: Session, now: datetime) -> list[tuple[int, str, ZoneInfo, date]]:
    """Events running today (in their own time zone) where it is now the digest hour: (id, name, zone, local date)."""
    rows = session.execute(select(Event.id, Event.name, Event.timezone, Event.starts_on, Event.ends_on).where(
        Event.starts_on.is_not(None), Event.starts_on <= now.date() + timedelta(days=1),
        or_(Event.ends_on.is_(None), Event.ends_on >= now.date() - timedelta(days=1)))).all()
    due = []
    for event_id, name, zone_name, starts_on, ends_on in rows:
        zone = event_zone(zone_name)
        local = now.astimezone(zone)
        if local.hour == DIGEST_HOUR and starts_on <= local.date() <= (ends_on or starts_on):
            due.append((event_id, name, zone, local.date()))
    return due


def send_agenda_digests(session: Session, *, now: datetime) -> int:
    """At 07:xx in each running event's time zone, send everyone with sessions or meetings that day one digest of
    them; returns how many were written."""
    written = 0
    for event_id, event_name, zone, day in _digest_events(session, now):
        start = datetime.combine(day, time(0), zone)
        end = start + timedelta(days=1)
        plan: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        planned = _planned()
        for person_id, starts_at, title, room in session.execute(
                select(planned.c.person_id, ProgramSession.starts_at, ProgramSession.title, ProgramSession.room)
                .join(ProgramSession, ProgramSession.id == planned.c.session_id)
                .where(ProgramSession.event_id == event_id, ProgramSession.starts_at >= start,
                       ProgramSession.starts_at < end)):
            plan[person_id].append((starts_at, f"{_clock_time(starts_at, zone)} {title}"
                                               + (f" ({room})" if room else "")))
        requester, recipient = aliased(Person), aliased(Person)
        for starts_at, a, a_name, b, b_name in session.execute(
                select(Meeting.starts_at, requester.id, requester.first_name + " " + requester.last_name,
                       recipient.id, recipient.first_name + " " + recipient.last_name)
                .join(requester, requester.id == Meeting.requester_id)
                .join(recipient, recipient.id == Meeting.recipient_id)
                .where(Meeting.event_id == event_id, Meeting.status == MeetingStatus.ACCEPTED,
                       Meeting.starts_at >= start, Meeting.starts_at < end)):
            plan[a].append((starts_at, f"{_clock_time(starts_at, zone)} Meeting with {b_name}"))
            plan[b].append((starts_at, f"{_clock_time(starts_at, zone)} Meeting with {a_name}"))
        present = set(session.scalars(select(Person.id).where(in_values(Person.id, plan),
                                                              live(Person))))
        for person_id, items in plan.items():
            if person_id not in present:
                continue
            items.sort()
            lines = [line for _, line in items[:DIGEST_LINES]]
            if len(items) > DIGEST_LINES:
                lines.append(f"and {len(items) - DIGEST_LINES} more")
            count = len(items)
            written += notify(session, person_id=person_id, kind=NotificationKind.AGENDA_DIGEST,
                              title=f"Today at {event_name}: {count} thing{'s' if count != 1 else ''} planned",
                              body="  \n".join(lines), now=now, link=AGENDA_LINK,
                              dedupe_key=f"agenda:{event_id}:{day.isoformat()}") is not None
    return written


def agenda_digest_job(ctx: JobContext) -> dict:
    """Job body: the morning digest of the day's agenda, for events where it is now 07:xx local time."""
    return {"digests": send_agenda_digests(ctx.session, now=ctx.clock.now())}
