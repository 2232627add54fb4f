"""Attendee registrations: the upload schema, row validation and the upsert by email."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.ingest.fields import FieldError, column_limits, is_email, shown, split_list
from core.ingest.pipeline import DatasetKind
from core.knowledge.geocode import get_gazetteer
from db.filters import in_values
from db.models import CompanySize, Goal, Person, Registration

REQUIRED_COLUMNS = ["email", "first_name", "last_name", "company", "role", "interests", "goals"]
OPTIONAL_COLUMNS = [
    "industry", "company_size", "years_experience", "skills_offered", "skills_needed", "bio",
    "problem_statement", "city", "country", "allow_enrichment", "linkedin_url", "github_username", "twitter_handle",
]
COLUMN_SYNONYMS = {
    "e_mail": "email", "email_address": "email", "e_mail_address": "email", "mail": "email",
    "firstname": "first_name", "given_name": "first_name", "first": "first_name",
    "lastname": "last_name", "surname": "last_name", "family_name": "last_name", "last": "last_name",
    "organisation": "company", "organization": "company", "employer": "company",
    "job_title": "role", "title": "role", "position": "role",
    "skills_to_offer": "skills_offered", "offers": "skills_offered",
    "skills_wanted": "skills_needed", "needs": "skills_needed",
    "years": "years_experience", "experience_years": "years_experience", "yoe": "years_experience",
    "problem": "problem_statement", "linkedin": "linkedin_url", "github": "github_username",
    "twitter": "twitter_handle", "enrichment_consent": "allow_enrichment",
}
MULTILINE_FIELDS = ("bio", "problem_statement")
LIST_FIELDS = ("interests", "goals", "skills_offered", "skills_needed")
# The people table's column sizes (first_name 100, bio 500, …), read from the model so that they cannot drift.
MAX_LENGTHS = column_limits(Person, [
    "first_name", "last_name", "company", "role", "industry", "bio", "problem_statement", "city", "country",
    "linkedin_url", "github_username", "twitter_handle",
])
# Every cell's limit, checked before validation: the stored columns' sizes, and short ones for the coded fields.
CELL_LIMITS = {**MAX_LENGTHS, **column_limits(Person, ["email"]), "company_size": 60, "years_experience": 20,
               "allow_enrichment": 20}
LIST_LIMITS = {"interests": (1, 10), "goals": (1, 11), "skills_offered": (0, 20), "skills_needed": (0, 20)}
MAX_ITEM_LENGTH = 80
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f", ""}
GOAL_VALUES = [g.value for g in Goal]
SIZE_VALUES = [s.value for s in CompanySize]


def _enum_value(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip()).upper()


def validate_attendee(values: dict[str, str]) -> tuple[dict | None, list[FieldError]]:
    """Validate one upload row; returns the clean profile fields or the list of problems."""
    errors: list[FieldError] = []
    clean: dict = {}
    email = values.get("email", "").strip().lower()
    if not email:
        errors.append(FieldError("email", "is empty"))
    elif not is_email(email):
        errors.append(FieldError("email", f"'{shown(email)}' is not a valid email address"))
    clean["email"] = email
    for column, limit in MAX_LENGTHS.items():
        raw = values.get(column, "")
        text = raw.strip() if column in MULTILINE_FIELDS else " ".join(raw.split())
        if column in REQUIRED_COLUMNS and not text:
            errors.append(FieldError(column, "is required"))
        if len(text) > limit:
            errors.append(FieldError(column, f"is {len(text):,} characters; the maximum is {limit:,}"))
        clean[column] = text if (text or column in REQUIRED_COLUMNS) else None
    for column in LIST_FIELDS:
        items = split_list(values.get(column, ""))
        low, high = LIST_LIMITS[column]
        if len(items) < low:
            errors.append(FieldError(column, f"needs at least {low} item(s), separated by ';'"))
        if len(items) > high:
            errors.append(FieldError(column, f"has {len(items)} items; the maximum is {high}"))
        too_long = [i for i in items if len(i) > MAX_ITEM_LENGTH]
        if too_long:
            errors.append(FieldError(column, f"item '{too_long[0][:40]}…' is over {MAX_ITEM_LENGTH} characters"))
        clean[column] = items
    goals = [_enum_value(g) for g in clean["goals"]]
    unknown = [g for g in goals if g not in GOAL_VALUES]
    if unknown:
        errors.append(FieldError("goals", f"unknown goal(s) {', '.join(unknown)}; use {', '.join(GOAL_VALUES)}"))
    clean["goals"] = list(dict.fromkeys(goals))
    size = values.get("company_size", "").strip()
    clean["company_size"] = None
    if size:
        if _enum_value(size) not in SIZE_VALUES:
            errors.append(FieldError("company_size", f"'{shown(size)}' is not one of {', '.join(SIZE_VALUES)}"))
        else:
            clean["company_size"] = CompanySize(_enum_value(size))
    years = values.get("years_experience", "").strip()
    clean["years_experience"] = None
    if years:
        try:
            number = float(years)
            if not number.is_integer() or not 0 <= number <= 70:
                raise ValueError
            clean["years_experience"] = int(number)
        except ValueError:
            errors.append(FieldError("years_experience", f"'{shown(years)}' is not a whole number from 0 to 70"))
    # A missing column or an empty cell states no consent: a new person starts without it, a known one keeps theirs.
    consent = values.get("allow_enrichment", "").strip().lower()
    if consent in _TRUE:
        clean["allow_enrichment"] = True
    elif consent in _FALSE and consent:
        clean["allow_enrichment"] = False
    elif consent:
        errors.append(FieldError("allow_enrichment", f"'{shown(consent)}' is not true/false"))
    return (None, errors) if errors else (clean, [])


PROFILE_FIELDS = [
    "first_name", "last_name", "company", "role", "industry", "company_size", "years_experience", "interests",
    "goals", "skills_offered", "skills_needed", "bio", "problem_statement", "city", "country", "allow_enrichment",
    "linkedin_url", "github_username", "twitter_handle",
]


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    registered: int = 0


def upsert_attendees(session: Session, event_id: int, profiles: list[dict], now: datetime) -> UpsertCounts:
    """Insert or update people by email and register them for the event."""
    counts = UpsertCounts()
    emails = [p["email"] for p in profiles]
    existing = {p.email: p for p in session.scalars(select(Person).where(in_values(Person.email, emails)))}
    gazetteer = get_gazetteer()
    people: list[Person] = []
    for profile in profiles:
        person = existing.get(profile["email"])
        if person is None:
            person = Person(email=profile["email"], **{f: profile.get(f) for f in PROFILE_FIELDS}
                            | {"allow_enrichment": bool(profile.get("allow_enrichment"))})
            person.lat, person.lon = _coordinates(gazetteer, profile)
            session.add(person)
            counts.inserted += 1
        else:
            changed = {f: profile.get(f) for f in PROFILE_FIELDS
                       if f not in _kept_consent_fields(person, profile) and getattr(person, f) != profile.get(f)}
            if changed:
                for name, value in changed.items():
                    setattr(person, name, value)
                if "city" in changed or "country" in changed or person.lat is None:
                    person.lat, person.lon = _coordinates(gazetteer, profile)
                if ({"role", "company"} & changed.keys()) and (person.role or person.company):
                    person.role_changed_at = now  # shown to their connections as "Now <role> at <company>"
                person.updated_at = now
                counts.updated += 1
            else:
                counts.unchanged += 1
        people.append(person)
    session.flush()
    registered = set(session.scalars(
        select(Registration.person_id).where(
            Registration.event_id == event_id,
            in_values(Registration.person_id, [p.id for p in people]))))
    for person in people:
        if person.id not in registered:
            session.add(Registration(event_id=event_id, person_id=person.id, registered_at=now))
            registered.add(person.id)
            counts.registered += 1
    return counts


# Profile fields that are consents, with their key in people.consents_set_by_person (seed 000 §11.4).
CONSENT_FIELDS = {"allow_enrichment": "profile_enrichment"}


def _kept_consent_fields(person: Person, profile: dict) -> set[str]:
    """Consent fields the upload leaves alone: those the row states nothing about, and those the person set."""
    set_by_person = set(person.consents_set_by_person or [])
    return {field for field, key in CONSENT_FIELDS.items() if field not in profile or key in set_by_person}


def _coordinates(gazetteer, profile: dict) -> tuple[float | None, float | None]:
    found = gazetteer.locate(profile.get("city"), profile.get("country")) if profile.get("city") else None
    return found if found else (None, None)


def store_attendee_rows(session: Session, event_id: int | None, rows: list[dict], now: datetime) -> dict[str, int]:
    """The attendee kind's store step: the upsert's counts as the pipeline reports them."""
    counts = upsert_attendees(session, event_id, rows, now)
    return {"inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
            "registered": counts.registered}


ATTENDEES_UPLOAD = DatasetKind(
    name="attendees",
    label="Attendee registrations",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    synonyms=COLUMN_SYNONYMS,
    validate=validate_attendee,
    key=lambda row: row["email"],
    store=store_attendee_rows,
    follow_up_jobs=("embed-profiles", "refresh-recommendations"),
    limits=CELL_LIMITS,
)
