"""The five consents of seed 000 §11.4: what each means, the person's current choices, and changing one."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enrichment.agent import forget_enrichment
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.queue import request_job
from db.models import EnrichmentStatus, EnrichmentTier, Person, Registration

REFRESH_EVENT_JOB = "refresh-recommendations"


class Consent(StrEnum):
    """A consent; the value is its key in `Person.consents` (and in `Person.consents_set_by_person`)."""

    PROFILE_ENRICHMENT = "profile_enrichment"
    SOCIAL_PROFILE_LINKING = "social_profile_linking"
    RECOMMENDATION_EMAILS = "recommendation_emails"
    POST_EVENT_FOLLOW_UP = "post_event_follow_up"
    ANALYTICS_PARTICIPATION = "analytics_participation"


@dataclass(frozen=True)
class ConsentInfo:
    label: str
    explanation: str
    default: bool  # the value while the person has never answered


CONSENTS: dict[Consent, ConsentInfo] = {
    Consent.PROFILE_ENRICHMENT: ConsentInfo(
        "Profile enrichment",
        "Allow us to search public sources (LinkedIn, GitHub) to enhance your profile and improve recommendations.",
        False),
    Consent.SOCIAL_PROFILE_LINKING: ConsentInfo(
        "Social profile linking", "Display links to your social profiles on your networking card.", False),
    Consent.RECOMMENDATION_EMAILS: ConsentInfo(
        "Recommendation notifications", "Receive emails about new connection recommendations at events.", False),
    Consent.POST_EVENT_FOLLOW_UP: ConsentInfo(
        "Post-event follow-ups", "Get automated suggestions for following up with people you met.", False),
    # Aggregate counts only, never one person's row: someone who never answered is counted, an explicit "no" is not.
    Consent.ANALYTICS_PARTICIPATION: ConsentInfo(
        "Analytics participation", "Include my activity in the organizer's aggregate analytics.", True),
}


class ConsentError(ValueError):
    """A consent change that cannot be made; the message says why."""


def consent_value(person: Person, consent: Consent) -> bool:
    """The person's current answer: enrichment is `allow_enrichment` (what the enrichment pipeline reads), the
    others their key in `consents`, else the consent's default."""
    if consent is Consent.PROFILE_ENRICHMENT:
        return bool(person.allow_enrichment)
    stored = (person.consents or {}).get(consent.value)
    return CONSENTS[consent].default if stored is None else bool(stored)


def person_consents(session: Session, person_id: int) -> dict[Consent, bool]:
    """Every consent's current value for this person, in display order."""
    person = session.get(Person, person_id)
    if person is None:
        raise ConsentError("That person does not exist.")
    return {consent: consent_value(person, consent) for consent in Consent}


def set_consent(session: Session, *, person_id: int, consent: Consent | str, value: bool, clock: Clock,
                actor_id: int | None, client: str | None = None) -> bool:
    """Record the person's own choice for one consent, effective at once, and audit it; returns the old value.

    The key joins `consents_set_by_person`, so later uploads keep it. Turning profile enrichment off also clears
    the enrichment data gathered so far."""
    try:
        consent = Consent(consent)
    except ValueError:
        raise ConsentError(f"Unknown consent '{consent}'; use one of {', '.join(Consent)}.") from None
    # Locked so that two quick toggles of different consents both survive the JSON read-modify-write.
    person = session.get(Person, person_id, with_for_update={"key_share": True}, populate_existing=True)
    if person is None:
        raise ConsentError("That person does not exist.")
    value, now = bool(value), clock.now()
    old = consent_value(person, consent)
    person.consents = {**(person.consents or {}), consent.value: value}
    if consent.value not in (person.consents_set_by_person or []):
        person.consents_set_by_person = [*(person.consents_set_by_person or []), consent.value]
    details: dict = {"consent": consent.value, "old": old, "new": value}
    if consent is Consent.PROFILE_ENRICHMENT:
        person.allow_enrichment = value
        if not value:
            details["enrichment_cleared"] = bool(person.enrichment)
            details["cache_entries_deleted"] = forget_enrichment(session, person)
            if person.enrichment:  # others' stored reasons may cite it: their events' lists are recomputed
                for event_id in session.scalars(select(Registration.event_id).where(
                        Registration.person_id == person.id)):
                    request_job(session, job_id=REFRESH_EVENT_JOB, event_id=event_id, clock=clock,
                                reason="a person withdrew enrichment consent")
            person.enrichment = {}
            person.enriched_at = None
            person.enrichment_status = EnrichmentStatus.OPTED_OUT
            person.enrichment_sources, person.enrichment_tier = [], EnrichmentTier.TIER_0_PENDING
            person.enrichment_attempts, person.enrichment_due_at = 0, None
            person.enrichment_last_error, person.enrichment_input_hash = None, None
        elif person.enrichment_status == EnrichmentStatus.OPTED_OUT:
            person.enrichment_status = EnrichmentStatus.PENDING
    person.updated_at = now
    record_audit(session, actor_id=actor_id, action="consent.updated", target_type="person", target_id=person.id,
                 details=details, at=now, target_person_id=person.id, client=client)
    session.flush()
    return old
