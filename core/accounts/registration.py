"""Self-registration: a visitor signs up for an event through its public link, in one transaction."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.accounts import AccountError, check_password_rules, create_account, get_account
from core.events.attendees import validate_attendee
from core.events.events import event_by_code
from core.knowledge.geocode import get_gazetteer
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.queue import request_job
from db.models import Account, Event, Person, Registration, Role

# Seed 000 §11.4's consents, asked at sign-up; enrichment is its own step (§1.3).
CONSENTS: dict[str, tuple[str, str]] = {
    "social_profile_linking": ("Social profile linking",
                               "Display links to your social profiles on your networking card."),
    "recommendation_emails": ("Recommendation notifications",
                              "Receive emails about new connection recommendations at events."),
    "post_event_follow_up": ("Post-event follow-ups",
                             "Get automated suggestions for following up with people you met."),
    "analytics_participation": ("Analytics participation",
                                "Include my activity in the organizer's aggregate analytics."),
}


class SignUpError(ValueError):
    """A sign-up that cannot be completed; the message says what to fix."""


@dataclass
class SignUp:
    """What the sign-up steps collected. `profile` holds the attendee fields as text, lists `;`-separated."""

    username: str
    email: str
    password: str
    profile: dict[str, str]
    allow_enrichment: bool = False
    consents: dict[str, bool] = field(default_factory=dict)


def registration_status(session: Session, *, code: str, clock: Clock) -> tuple[Event | None, str]:
    """The event behind a sign-up code and, if sign-up is not possible, why ('' when it is open)."""
    event = event_by_code(session, code)
    if event is None:
        return None, "This sign-up link is not valid. Check the address, or ask the organizer for the link."
    if not event.registration_open:
        return event, f"Registration for {event.name} is closed."
    if event.registration_closes_at is not None and event.registration_closes_at <= clock.now():
        return event, f"Registration for {event.name} closed on {event.registration_closes_at:%d %b %Y at %H:%M} UTC."
    if event.registration_capacity is not None:
        taken = session.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == event.id))
        if taken >= event.registration_capacity:
            return event, f"{event.name} is full: all {event.registration_capacity:,} places are taken."
    return event, ""


def sign_up(session: Session, *, code: str, form: SignUp, clock: Clock) -> Account:
    """Create the account, the person and the registration together, and queue their embedding and matches.

    The event row is locked first, so concurrent sign-ups never exceed the capacity."""
    event = event_by_code(session, code)
    if event is None:
        raise SignUpError("This sign-up link is not valid. Check the address, or ask the organizer for the link.")
    session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    _, closed = registration_status(session, code=code, clock=clock)
    if closed:
        raise SignUpError(closed)
    email = form.email.strip().lower()
    if session.scalar(select(Account.id).where(func.lower(Account.email) == email)) is not None:
        raise SignUpError("An account with this email exists already. Log in with it, or use 'Forgot password'.")
    if session.scalar(select(Person.id).where(Person.email == email)) is not None:
        raise SignUpError("The organizer has registered this email already, so your place is waiting: use the "
                          "invitation link from your email to choose your password.")
    try:
        check_password_rules(form.password)
    except AccountError as exc:
        raise SignUpError(str(exc)) from None
    if get_account(session, form.username.strip().lower()) is not None:
        raise SignUpError(f"The username '{form.username.strip().lower()}' is taken. Choose another one.")
    clean, errors = validate_attendee({**form.profile, "email": email,
                                       "allow_enrichment": "true" if form.allow_enrichment else "false"})
    if errors:
        raise SignUpError("Please fix: " + "; ".join(f"{e.column.replace('_', ' ')} {e.message}" for e in errors))
    now = clock.now()
    person = Person(**clean, consents={k: bool(form.consents.get(k)) for k in CONSENTS})
    if person.city:
        person.lat, person.lon = get_gazetteer().locate(person.city, person.country) or (None, None)
    session.add(person)
    session.flush()
    session.add(Registration(event_id=event.id, person_id=person.id, registered_at=now))
    try:
        account = create_account(session, actor_id=None, username=form.username, email=email,
                                 display_name=person.full_name, password=form.password,
                                 roles=[Role.ATTENDEE.value], person_id=person.id)
    except AccountError as exc:
        raise SignUpError(str(exc)) from None
    for job_id in ("embed-profiles", "refresh-recommendations"):
        request_job(session, job_id=job_id, event_id=event.id, reason=f"sign-up of {account.username}", clock=clock)
    record_audit(session, actor_id=account.id, action="registration.signed_up", target_type="event",
                 target_id=event.id, details={"person_id": person.id}, at=now)
    session.flush()
    return account
