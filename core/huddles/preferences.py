"""An attendee's choice not to be invited to huddles."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from core.huddles.huddles import HuddleError
from db.models import Person


def set_huddles_opt_out(session: Session, *, person_id: int, opt_out: bool) -> bool:
    """Turn huddle invitations off (True) or back on (False) for a person; invitations already sent stay open.
    Returns the stored choice."""
    stored = session.execute(update(Person).where(Person.id == person_id, Person.deleted_at.is_(None))
                             .values(huddles_opt_out=opt_out).returning(Person.huddles_opt_out)).scalar()
    if stored is None:
        raise HuddleError("That profile does not exist.")
    return stored


def huddles_opted_out(session: Session, person_id: int) -> bool:
    """Whether the person turned huddle invitations off."""
    person = session.get(Person, person_id)
    return bool(person and person.huddles_opt_out)
