"""An attendee's own profile: reading it and editing it with the upload's validation rules."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.events.attendees import CONSENT_FIELDS, PROFILE_FIELDS, validate_attendee
from core.knowledge.geocode import get_gazetteer
from core.platform.audit import AuditAction, record_audit
from core.platform.clock import Clock
from db.models import Event, Person, Registration


class ProfileError(ValueError):
    """The edit was refused; the message lists what to fix."""


def get_person(session: Session, person_id: int) -> Person | None:
    person = session.get(Person, person_id)
    return None if person is None or person.deleted_at else person


def person_events(session: Session, person_id: int) -> list[tuple[Event, Registration]]:
    rows = session.execute(select(Event, Registration).join(Registration, Registration.event_id == Event.id)
                           .where(Registration.person_id == person_id).order_by(Event.starts_on))
    return [(e, r) for e, r in rows]


def update_profile(session: Session, *, person_id: int, actor_id: int | None, form: dict[str, str],
                   matching_visible: bool, clock: Clock, client: str | None = None) -> list[str]:
    """Validate and save the edited profile; returns the changed field names. The profile.updated audit entry is
    filed under the person, with the editor's hashed `client` address."""
    person = session.get(Person, person_id)
    values = {**form, "email": person.email}
    clean, errors = validate_attendee(values)
    if errors:
        raise ProfileError("; ".join(f"{e.column.replace('_', ' ')} {e.message}" for e in errors))
    changed = [f for f in PROFILE_FIELDS if f in clean and getattr(person, f) != clean[f]]  # no consent stated: kept
    for field in changed:
        setattr(person, field, clean[field])
        if field in CONSENT_FIELDS and CONSENT_FIELDS[field] not in (person.consents_set_by_person or []):
            # the person's own choice on their profile: later uploads keep it (seed 000 §11.4)
            person.consents_set_by_person = [*(person.consents_set_by_person or []), CONSENT_FIELDS[field]]
    if person.matching_visible != matching_visible:
        person.matching_visible = matching_visible
        changed.append("matching_visible")
    if ({"role", "company"} & set(changed)) and (person.role or person.company):
        person.role_changed_at = clock.now()  # the network's activity feed shows "Now <role> at <company>"
    if "city" in changed or "country" in changed:
        found = get_gazetteer().locate(person.city, person.country) if person.city else None
        person.lat, person.lon = found if found else (None, None)
    if changed:
        person.updated_at = clock.now()
        record_audit(session, actor_id=actor_id, action=AuditAction.PROFILE_UPDATED, target_type="person",
                     target_id=person.id, details={"fields": changed}, at=clock.now(), target_person_id=person.id,
                     client=client)
        session.flush()
    return changed


PROFILE_CHECKS = [
    ("skills_offered", "skills you can offer"),
    ("skills_needed", "skills you need"),
    ("bio", "a short bio"),
    ("problem_statement", "a problem you're working on"),
    ("industry", "your industry"),
    ("years_experience", "years of experience"),
]


def profile_completeness(person: Person) -> tuple[float, list[str]]:
    """Share of the optional matching fields filled in, and the labels of the missing ones."""
    missing = [label for field, label in PROFILE_CHECKS if not getattr(person, field)]
    return 1 - len(missing) / len(PROFILE_CHECKS), missing
