"""Where and when a huddle meets: the venue's zones, and the earliest 15-minute slot free for every invitee."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agenda.meetings import Interval, busy_intervals_of, meeting_windows
from core.huddles.huddles import UPCOMING
from db.filters import in_values
from db.models import (
    Event,
    Huddle,
    HuddleParticipant,
    HuddleStatus,
    ParticipantStatus,
    ProgramSession,
)

STEP = timedelta(minutes=5)
PROBLEM_LEAD = timedelta(minutes=10)  # a planned huddle starts at least this long after it is proposed
LINGER = timedelta(minutes=30)  # people stay this long after the day's last session
MIN_GROUP = 3


def venue_areas(session: Session, event_id: int) -> list[str]:
    """The event's areas for talking (coffee station, lounge…), as the organizer listed them."""
    event = session.get(Event, event_id)
    return list(dict.fromkeys(a.strip() for a in (event.venue_areas if event else None) or [] if a and a.strip()))


def program_rooms(session: Session, event_id: int) -> list[str]:
    """The distinct rooms of the event's program."""
    rooms = session.scalars(select(ProgramSession.room).where(
        ProgramSession.event_id == event_id, ProgramSession.room.is_not(None)).distinct().order_by(ProgramSession.room))
    return list(dict.fromkeys(r.strip() for r in rooms if r and r.strip()))


def venue_zones(session: Session, event_id: int) -> list[str]:
    """The event's meeting places: its venue areas first (made for talking), then the program's rooms."""
    return list(dict.fromkeys([*venue_areas(session, event_id), *program_rooms(session, event_id)]))


def meeting_places(session: Session, event_id: int, default: str) -> list[str]:
    """Where planned huddles meet: the venue areas; without any, just outside the program's rooms (which may be
    in use); else `default`."""
    return (venue_areas(session, event_id) or [f"Outside {r}" for r in program_rooms(session, event_id)]
            or [default])


def busy_by_person(session: Session, *, event_id: int, person_ids: Iterable[int]) -> dict[int, list[Interval]]:
    """For many people at once, what `busy_intervals` gives one (agenda sessions and accepted meetings), plus the
    accepted huddles `huddle_overlaps` checks; three queries whatever the number of people."""
    ids = list(dict.fromkeys(person_ids))
    busy: dict[int, list[Interval]] = defaultdict(list)
    if not ids:
        return busy
    busy.update(busy_intervals_of(session, event_id=event_id, person_ids=ids))
    ends = Huddle.starts_at + func.make_interval(0, 0, 0, 0, 0, Huddle.duration_minutes)
    for pid, start, end in session.execute(
            select(HuddleParticipant.person_id, Huddle.starts_at, ends)
            .join(Huddle, Huddle.id == HuddleParticipant.huddle_id)
            .where(in_values(HuddleParticipant.person_id, ids), Huddle.starts_at.is_not(None),
                   HuddleParticipant.status == ParticipantStatus.ACCEPTED.value,
                   Huddle.status.in_((*UPCOMING, HuddleStatus.IN_PROGRESS.value)))):
        busy[pid].append((start, end))
    return busy


def round_up(moment: datetime, step: timedelta = STEP) -> datetime:
    """The first multiple of `step` (from midnight) at or after `moment`."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(moment - midnight) // step)
    return midnight + steps * step


def candidate_starts(windows: list[Interval], *, earliest: datetime, minutes: int,
                     latest: datetime | None = None) -> list[datetime]:
    """Slot starts at 5-minute steps inside the windows, from `earliest` (rounded up) to `latest`."""
    length = timedelta(minutes=minutes)
    starts: list[datetime] = []
    for window_start, window_end in sorted(windows):
        start = round_up(max(window_start, earliest))
        while start + length <= window_end and (latest is None or start <= latest):
            starts.append(start)
            start += STEP
    return starts


def _free(busy: list[Interval], start: datetime, end: datetime) -> bool:
    return not any(b_start < end and start < b_end for b_start, b_end in busy)


@dataclass(frozen=True)
class Slot:
    """When a group meets and who of it can come."""

    starts_at: datetime
    person_ids: tuple[int, ...]


def earliest_common_slot(person_ids: list[int], busy: dict[int, list[Interval]], starts: list[datetime], *,
                         minutes: int = 15, min_size: int = MIN_GROUP) -> Slot | None:
    """The earliest start when nobody of the group is busy; without one, the busiest member is left out (while at
    least `min_size` remain) and the search repeats; None when even the smallest group has no common time."""
    length = timedelta(minutes=minutes)
    members = list(person_ids)
    while len(members) >= min_size:
        for start in starts:
            if all(_free(busy.get(pid, ()), start, start + length) for pid in members):
                return Slot(start, tuple(members))
        if not starts:
            return None
        members.remove(max(members, key=lambda pid: (_busy_slots(busy.get(pid, ()), starts, length), pid)))
    return None


def _busy_slots(busy: list[Interval], starts: list[datetime], length: timedelta) -> int:
    return sum(1 for start in starts if not _free(busy, start, start + length))


def event_windows(session: Session, event_id: int) -> list[Interval]:
    """The hours huddles can happen: each program day (first session start to last session end, plus a linger
    after it) or, without a program, 09:00–18:00 UTC on the event's days."""
    return [(start, end + LINGER) for start, end in meeting_windows(session, event_id)]
