"""Which huddle kinds an event may have, by its number of attendees (seed 000 §8.3)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.events.visibility import live
from db.models import HuddleKind, Person, Registration

PROBLEM_ONLY_FROM, ALL_KINDS_FROM = 30, 50


@dataclass(frozen=True)
class Eligibility:
    """The kinds allowed and, when some are not, why (in words an attendee or organizer understands)."""

    attendees: int
    kinds: frozenset[HuddleKind]
    reason: str

    def allows(self, kind: HuddleKind) -> bool:
        return kind in self.kinds


def eligibility_for(attendees: int) -> Eligibility:
    """No huddles under 30 attendees; problem-based only from 30 to 49; all three kinds from 50."""
    if attendees < PROBLEM_ONLY_FROM:
        return Eligibility(attendees, frozenset(),
                           f"Huddles start at {PROBLEM_ONLY_FROM} attendees; this event has {attendees}. With so few "
                           "people, For you already suggests everyone worth meeting.")
    if attendees < ALL_KINDS_FROM:
        return Eligibility(attendees, frozenset({HuddleKind.PROBLEM}),
                           f"With {attendees} attendees, huddles form around shared problems only; session and "
                           f"nearby huddles start at {ALL_KINDS_FROM} attendees.")
    return Eligibility(attendees, frozenset(HuddleKind), "")


def event_eligibility(session: Session, event_id: int) -> Eligibility:
    """The eligibility of one event, counting its registered attendees who are not deleted."""
    attendees = session.scalar(select(func.count()).select_from(Registration)
                               .join(Person, Person.id == Registration.person_id)
                               .where(Registration.event_id == event_id, live(Person))) or 0
    return eligibility_for(attendees)
