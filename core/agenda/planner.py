"""The personal agenda builder: the best clash-free plan of sessions (weighted interval scheduling), as iCalendar."""
from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice

MAX_CONFLICTS = 10
MAX_ALTERNATIVES = 3
# A clash is only worth telling the attendee about when the blocked session is at least this share of a typical pick.
CONFLICT_SHARE_OF_MEDIAN = 0.5
ICS_LINE_OCTETS = 75
PRODID = "-//GlobalConnect//Agenda//EN"


@dataclass(frozen=True)
class AgendaCandidate:
    """A session the attendee might attend, with how much it is worth to them."""

    session_id: int
    starts_at: datetime
    ends_at: datetime
    score: float
    title: str = ""
    track: str | None = None


@dataclass(frozen=True)
class AgendaConflict:
    """A session left out because it clashes with `blocked_by`, and what else fits in place of `blocked_by`."""

    session: AgendaCandidate
    blocked_by: AgendaCandidate
    alternatives: list[AgendaCandidate] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class AgendaPlan:
    """The chosen sessions in start order, their total score, and the notable sessions they crowd out."""

    chosen: list[AgendaCandidate]
    total_score: float
    conflicts: list[AgendaConflict]


@dataclass(frozen=True)
class AgendaIcsItem:
    """One calendar entry: a session or a meeting."""

    kind: str
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""


# ----------------------------------------------------------------------------------------------- planning

def _has_valid_times(candidate: AgendaCandidate) -> bool:
    """Whether the candidate has both times and ends after it starts."""
    return candidate.starts_at is not None and candidate.ends_at is not None and candidate.ends_at > candidate.starts_at


def clashes(a: AgendaCandidate, b: AgendaCandidate, min_gap: timedelta = timedelta(0)) -> bool:
    """Whether a and b cannot both be attended: they overlap or leave less than `min_gap` between them."""
    return a.starts_at < b.ends_at + min_gap and b.starts_at < a.ends_at + min_gap


def _best_first(candidate: AgendaCandidate) -> tuple:
    """Sort key: highest score first, then the lower session id."""
    return -candidate.score, candidate.session_id


def build_agenda(candidates: Iterable[AgendaCandidate], *, keep: set[int] = frozenset(),
                 drop: set[int] = frozenset(), min_gap: timedelta = timedelta(0)) -> AgendaPlan:
    """The clash-free set of sessions with the highest total score, always containing the kept ones.

    Sessions in `drop` are never scheduled (even when also kept). Kept sessions are scheduled whatever their score;
    when kept sessions clash, the higher-scoring one stays and the other is reported as a conflict. Other candidates
    need a positive score. Candidates without valid times are ignored. Sessions that end exactly when another
    starts are compatible unless `min_gap` asks for time in between.
    """
    if min_gap < timedelta(0):
        raise ValueError("min_gap must not be negative")
    pool = [c for c in candidates if c.session_id not in drop and _has_valid_times(c)]
    ids = [c.session_id for c in pool]
    if len(set(ids)) != len(ids):
        raise ValueError("session ids must be unique")

    kept, kept_conflicts = _resolve_kept([c for c in pool if c.session_id in keep], min_gap)
    kept_starts = [c.starts_at for c in kept]
    free = [c for c in pool if c.session_id not in keep and c.score > 0
            and not _clashes_with_plan(c, kept, kept_starts, min_gap)]
    chosen = sorted(kept + _best_compatible_set(free, min_gap), key=lambda c: (c.starts_at, c.ends_at, c.session_id))
    total = sum(c.score for c in chosen)

    chosen_ids = {c.session_id for c in chosen}
    unchosen = sorted((c for c in pool if c.session_id not in chosen_ids and (c.score > 0 or c.session_id in keep)),
                      key=_best_first)
    conflicts = _report_conflicts(chosen, unchosen, kept_conflicts, min_gap)
    return AgendaPlan(chosen=chosen, total_score=total, conflicts=conflicts)


def _resolve_kept(kept: list[AgendaCandidate], min_gap: timedelta
                 ) -> tuple[list[AgendaCandidate], dict[int, AgendaCandidate]]:
    """The kept sessions that can all be attended (best score wins a clash), and each loser's winning blocker."""
    accepted: list[AgendaCandidate] = []
    losers: dict[int, AgendaCandidate] = {}
    for candidate in sorted(kept, key=_best_first):
        blocker = next((a for a in accepted if clashes(candidate, a, min_gap)), None)
        if blocker is None:
            accepted.append(candidate)
        else:
            losers[candidate.session_id] = blocker
    accepted.sort(key=lambda c: (c.starts_at, c.session_id))
    return accepted, losers


def _clashing_range(candidate: AgendaCandidate, starts: list[datetime], ends_plus_gap: list[datetime],
                    min_gap: timedelta) -> tuple[int, int]:
    """The index range of the plan (clash-free, in start order) that clashes with the candidate."""
    first = bisect_right(ends_plus_gap, candidate.starts_at)
    last = bisect_left(starts, candidate.ends_at + min_gap)
    return first, last


def _clashes_with_plan(candidate: AgendaCandidate, plan: list[AgendaCandidate], starts: list[datetime],
                      min_gap: timedelta) -> bool:
    """Whether the candidate clashes with any session of a clash-free plan in start order (`starts` its starts)."""
    last = bisect_left(starts, candidate.ends_at + min_gap)
    # In a clash-free plan the latest-starting session before `last` also ends last, so it is the only one to check.
    return last > 0 and plan[last - 1].ends_at + min_gap > candidate.starts_at


def _best_compatible_set(candidates: list[AgendaCandidate], min_gap: timedelta) -> list[AgendaCandidate]:
    """Weighted interval scheduling: the clash-free subset with the highest total score, in O(n log n)."""
    ordered = sorted(candidates, key=lambda c: (c.ends_at, c.starts_at, c.session_id))
    ends = [c.ends_at for c in ordered]
    # previous[j]: how many of the sessions before j end early enough (gap included) to be combined with j.
    previous = [bisect_right(ends, c.starts_at - min_gap, 0, j) for j, c in enumerate(ordered)]
    best = [0.0] * (len(ordered) + 1)
    for j, candidate in enumerate(ordered):
        best[j + 1] = max(best[j], candidate.score + best[previous[j]])
    picked: list[AgendaCandidate] = []
    j = len(ordered)
    while j > 0:
        candidate = ordered[j - 1]
        if candidate.score + best[previous[j - 1]] >= best[j - 1]:
            picked.append(candidate)
            j = previous[j - 1]
        else:
            j -= 1
    picked.reverse()
    return picked


def _report_conflicts(chosen: list[AgendaCandidate], unchosen: list[AgendaCandidate],
                     kept_conflicts: dict[int, AgendaCandidate], min_gap: timedelta) -> list[AgendaConflict]:
    """Clashing kept sessions first, then the best-scoring left-out sessions worth mentioning, with alternatives."""
    if not chosen:
        return []
    starts = [c.starts_at for c in chosen]
    ends_plus_gap = [c.ends_at + min_gap for c in chosen]
    ranges = {c.session_id: _clashing_range(c, starts, ends_plus_gap, min_gap) for c in unchosen}
    position = {c.session_id: i for i, c in enumerate(chosen)}
    threshold = CONFLICT_SHARE_OF_MEDIAN * statistics.median(c.score for c in chosen)

    conflicts: list[AgendaConflict] = []
    for candidate in unchosen:
        blocker = kept_conflicts.get(candidate.session_id)
        if blocker is not None:
            reason = f"you kept both; it clashes with {_label(blocker)}, which scores higher"
        elif len(conflicts) < MAX_CONFLICTS and candidate.score >= threshold:
            first, last = ranges[candidate.session_id]
            if first == last:
                continue
            blocker = min(chosen[first:last], key=_best_first)
            reason = _clash_reason(candidate, blocker)
        else:
            continue
        # The plan is optimal, so nothing left out fits it as it is: alternatives fit once the blocker is given up.
        spot = position[blocker.session_id]
        fitting = (a for a in unchosen if a.session_id != candidate.session_id
                   and _fits_without(ranges[a.session_id], spot))
        alternatives = list(islice(fitting, MAX_ALTERNATIVES))
        conflicts.append(AgendaConflict(session=candidate, blocked_by=blocker, alternatives=alternatives,
                                        reason=reason))
    conflicts.sort(key=lambda c: (c.session.session_id not in kept_conflicts, *_best_first(c.session)))
    return conflicts


def _fits_without(clashing: tuple[int, int], spot: int) -> bool:
    """Whether a session clashing with the plan's `clashing` index range fits once the session at `spot` is gone."""
    first, last = clashing
    return first == last or (first, last) == (spot, spot + 1)


def _label(candidate: AgendaCandidate) -> str:
    """How a session is named in a reason: its quoted title, or its id."""
    return f"'{candidate.title}'" if candidate.title else f"session {candidate.session_id}"


def _clash_reason(candidate: AgendaCandidate, blocker: AgendaCandidate) -> str:
    """Why the candidate cannot join the plan: a real overlap, or too little time to get there."""
    if clashes(candidate, blocker):
        return f"overlaps {_label(blocker)}"
    return f"too little time to get between it and {_label(blocker)}"


# ----------------------------------------------------------------------------------------------- iCalendar

def _ics_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 §3.3.11."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _ics_time(moment: datetime) -> str:
    """A UTC DATE-TIME (`YYYYMMDDTHHMMSSZ`); naive datetimes are taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """A content line folded into pieces of at most 75 octets, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current, size, limit = [], 0, ICS_LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append("".join(current))
            # Continuation lines start with a space, which counts towards their 75 octets.
            current, size, limit = [" "], 1, ICS_LINE_OCTETS
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return pieces


def agenda_ics(items: list[AgendaIcsItem], *, calendar_name: str, generated_at: datetime | None = None) -> str:
    """An RFC 5545 iCalendar of the items (CRLF line endings, folded lines, UTC times).

    `generated_at` is the DTSTAMP of every event; it defaults to now.
    """
    stamp = _ics_time(generated_at or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"NAME:{_ics_text(calendar_name)}", f"X-WR-CALNAME:{_ics_text(calendar_name)}"]
    for item in items:
        if item.ends_at <= item.starts_at:
            raise ValueError(f"{item.kind} {item.id} must end after it starts")
        lines += ["BEGIN:VEVENT", f"UID:{item.kind}-{item.id}@globalconnect", f"DTSTAMP:{stamp}",
                  f"DTSTART:{_ics_time(item.starts_at)}", f"DTEND:{_ics_time(item.ends_at)}",
                  f"SUMMARY:{_ics_text(item.title)}"]
        if item.location:
            lines.append(f"LOCATION:{_ics_text(item.location)}")
        if item.description:
            lines.append(f"DESCRIPTION:{_ics_text(item.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in _fold(line))
