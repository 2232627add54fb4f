"""An attendee's personal agenda: planned from their session recommendations, bookmarks and overrides, plus meetings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.agenda.planner import AgendaCandidate, AgendaIcsItem, AgendaPlan, agenda_ics, build_agenda
from core.platform.clock import Clock
from db.models import (
    AgendaItem,
    Event,
    Meeting,
    MeetingStatus,
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    SessionAction,
)

BOOKMARK_SCORE = 60.0  # a bookmarked session the matcher did not recommend is still worth a good slot
OVERRIDES = ("keep", "drop")


class AgendaError(ValueError):
    pass


def plan_agenda(session: Session, *, event_id: int, person_id: int, clock: Clock) -> AgendaPlan:
    """Choose the conflict-free day plan with the highest total match score and store it.

    Candidates are the attendee's session recommendations and bookmarks; kept sessions are always in, dropped,
    dismissed and attended ones never, and nothing may overlap an accepted meeting."""
    now = clock.now()
    actions: dict[int, set[str]] = {}
    for session_id, kind in session.execute(select(SessionAction.session_id, SessionAction.kind)
                                            .where(SessionAction.person_id == person_id)):
        actions.setdefault(session_id, set()).add(kind)
    scores = dict(session.execute(select(Recommendation.target_session_id, Recommendation.score).where(
        Recommendation.event_id == event_id, Recommendation.user_id == person_id,
        Recommendation.kind == RecommendationKind.SESSION, Recommendation.expires_at > now)).all())
    for session_id, kinds in actions.items():
        if kinds & {"bookmark", "keep"}:
            scores[session_id] = max(scores.get(session_id, 0.0), BOOKMARK_SCORE)
    items = session.scalars(select(ProgramSession).where(ProgramSession.event_id == event_id,
                                                         ProgramSession.id.in_(list(scores)))).all()
    meetings = [(m.starts_at, m.ends_at) for m in session.scalars(select(Meeting).where(
        Meeting.event_id == event_id, Meeting.status == MeetingStatus.ACCEPTED,
        or_(Meeting.requester_id == person_id, Meeting.recipient_id == person_id)))]
    candidates = [AgendaCandidate(s.id, s.starts_at, s.ends_at, scores[s.id], s.title, s.track) for s in items
                  if s.starts_at and s.ends_at and not actions.get(s.id, set()) & {"dismiss", "attended"}
                  and not any(s.starts_at < end and start < s.ends_at for start, end in meetings)]
    keep = {sid for sid, kinds in actions.items() if "keep" in kinds}
    drop = {sid for sid, kinds in actions.items() if "drop" in kinds}
    plan = build_agenda(candidates, keep=keep, drop=drop)
    session.execute(delete(AgendaItem).where(AgendaItem.event_id == event_id, AgendaItem.person_id == person_id))
    session.add_all(AgendaItem(event_id=event_id, person_id=person_id, session_id=c.session_id, score=c.score,
                               kept=c.session_id in keep, planned_at=now) for c in plan.chosen)
    session.flush()
    return plan


def set_override(session: Session, *, person_id: int, session_id: int, choice: str | None, clock: Clock) -> None:
    """Keep a session in the agenda whatever it clashes with, drop it for good, or clear both.

    The person's row is locked first, so a keep and a drop clicked at once run one after the other and only the
    later one stays; the insert itself is ON CONFLICT DO NOTHING, so a repeated keep is a no-op."""
    if choice is not None and choice not in OVERRIDES:
        raise AgendaError(f"Unknown choice '{choice}'. Use keep or drop.")
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update(key_share=True))
    session.execute(delete(SessionAction).where(SessionAction.person_id == person_id,
                                                SessionAction.session_id == session_id,
                                                SessionAction.kind.in_([k for k in OVERRIDES if k != choice])))
    if choice:
        session.execute(insert(SessionAction).values(person_id=person_id, session_id=session_id, kind=choice,
                                                     created_at=clock.now())
                        .on_conflict_do_nothing(constraint="uq_session_action"))
    session.flush()


@dataclass(frozen=True)
class AgendaEntry:
    kind: str  # session | meeting
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    where: str
    detail: str
    kept: bool = False


def agenda_entries(session: Session, *, event_id: int, person_id: int) -> list[AgendaEntry]:
    """The stored agenda's sessions and the accepted meetings, in time order."""
    entries = [AgendaEntry("session", s.id, s.title, s.starts_at, s.ends_at, s.room or "",
                           " · ".join(x for x in (s.track, s.session_type) if x), item.kept)
               for item, s in session.execute(
                   select(AgendaItem, ProgramSession).join(ProgramSession, ProgramSession.id == AgendaItem.session_id)
                   .where(AgendaItem.event_id == event_id, AgendaItem.person_id == person_id))]
    for meeting in session.scalars(select(Meeting).where(
            Meeting.event_id == event_id, Meeting.status == MeetingStatus.ACCEPTED,
            or_(Meeting.requester_id == person_id, Meeting.recipient_id == person_id))):
        other = session.get(Person, meeting.recipient_id if meeting.requester_id == person_id else meeting.requester_id)
        entries.append(AgendaEntry("meeting", meeting.id, f"1:1 with {other.full_name}", meeting.starts_at,
                                   meeting.ends_at, "Meeting point", meeting.message))
    return sorted(entries, key=lambda e: (e.starts_at, e.kind, e.id))


def agenda_calendar(session: Session, *, event_id: int, person_id: int, clock: Clock) -> str:
    """The agenda as an iCalendar file (sessions and meetings)."""
    event = session.get(Event, event_id)
    items = [AgendaIcsItem(e.kind, e.id, e.title, e.starts_at, e.ends_at, e.where, e.detail)
             for e in agenda_entries(session, event_id=event_id, person_id=person_id)]
    return agenda_ics(items, calendar_name=f"{event.name} — my agenda", generated_at=clock.now())
