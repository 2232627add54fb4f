"""The Re-engagement page's read model: counts, the days-since histogram, filtered members, one member's detail and
the send list, all read from the stored profiles in SQL."""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from core.ingest.tabular import safe_csv_cell
from core.reengagement.fields import CALCULATED_FIELDS, DECISION_LABELS
from db.models import BehaviorUser, ReengagementDecision, ReengagementProfile

SHOWN_LIMIT = 500
LIST_SHOWN = 8  # items of a list field shown in the member's table, which has one line per field
SEND_LIST_COLUMNS = ["id", "email", "decision", "summary", "suggested_angle"]
# (label, lowest day, highest day) of the histogram of days since the last event; members who never came are last.
DAY_BUCKETS = (("0–7 days", 0, 7), ("8–30 days", 8, 30), ("31–90 days", 31, 90), ("91–180 days", 91, 180),
               ("181–365 days", 181, 365), ("over a year", 366, None))
NEVER_BUCKET = "never attended"
# The fields a message writer needs most, asked for in this order when they are missing.
DETAIL_FIELDS = (("cuisine_preference", "cuisine preferences"), ("occupation", "occupation"),
                 ("interests", "interests"), ("age", "age"))
FIELD_LABELS = {
    "friends": "Friends (2+ shared events)", "event_history_hosts": "Hosts of their events",
    "event_history": "Events attended", "venue_history": "Venues", "favorite_event_types": "Favourite event types",
    "average_events_per_month": "Events per month", "has_enough_fields_to_personalize": "Enough fields to personalise",
    "should_request_more_details": "Should be asked for more details", "is_healthy_active_user": "Active (3+ events)",
    "personalization_score": "Personalisation score (0–100)", "can_send_new_message": "Can be sent a new message",
}


class Activity(StrEnum):
    """The active / inactive filter: healthy-active members (3+ events) or the others."""

    ALL = "all"
    ACTIVE = "active"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class ProfileFilters:
    """What the page's filters narrow the members to; None and False mean "any"."""

    decision: str | None = None
    activity: Activity = Activity.ALL
    first_time_only: bool = False
    queued_only: bool = False
    neighbourhood: str | None = None
    interest: str | None = None


@dataclass(frozen=True)
class Overview:
    """All stored profiles at a glance: when they were computed, how many per decision and per days-since bucket."""

    members: int
    computed_at: datetime
    as_of: date
    decisions: dict[str, int]
    days_since_last_event: list[tuple[str, int]]


@dataclass(frozen=True)
class MemberDetail:
    user_id: int
    name: str
    email: str
    decision: str
    decision_label: str
    decision_reason: str
    summary: str
    suggested_angle: str
    fields: list[tuple[str, str]]  # (human label, shown value) in the seed's order
    events: list[dict]  # the events attended: name, date, venue


def profiles_version(session: Session) -> tuple | None:
    """What identifies the stored profiles (how many, the latest computation), for caching; None when none."""
    members, latest = session.execute(
        select(func.count(), func.max(ReengagementProfile.computed_at)).select_from(ReengagementProfile)).one()
    return (members, latest.isoformat()) if members else None


def overview(session: Session) -> Overview | None:
    """Counts per decision and the histogram of days since the last event, by SQL GROUP BY; None when nothing is
    stored."""
    members, computed_at, as_of = session.execute(
        select(func.count(), func.max(ReengagementProfile.computed_at), func.max(ReengagementProfile.as_of))).one()
    if not members:
        return None
    decisions = {d.value: 0 for d in ReengagementDecision}
    decisions.update(session.execute(select(ReengagementProfile.decision, func.count())
                                     .group_by(ReengagementProfile.decision)).all())
    days = ReengagementProfile.days_since_last_event
    bucket = case(*[(days <= high if high is not None else days >= low, label) for label, low, high in DAY_BUCKETS],
                  else_=literal(NEVER_BUCKET))
    counted = dict(session.execute(select(bucket.label("bucket"), func.count()).group_by("bucket")).all())
    order = [label for label, _, _ in DAY_BUCKETS] + [NEVER_BUCKET]
    return Overview(members, computed_at, as_of, decisions, [(label, counted.get(label, 0)) for label in order])


def filter_choices(session: Session) -> dict[str, list[str]]:
    """The neighbourhoods and interests of members who have a profile, for the filters' select boxes."""
    has_profile = select(ReengagementProfile.user_id)
    neighbourhoods = session.scalars(
        select(BehaviorUser.home_neighborhood).distinct()
        .where(BehaviorUser.id.in_(has_profile), BehaviorUser.home_neighborhood.is_not(None),
               BehaviorUser.home_neighborhood != "")
        .order_by(BehaviorUser.home_neighborhood)).all()
    interest = func.unnest(BehaviorUser.interests).label("interest")
    listed = select(interest).where(BehaviorUser.id.in_(has_profile)).subquery()
    interests = session.scalars(select(listed.c.interest).distinct().where(listed.c.interest != "")
                                .order_by(listed.c.interest)).all()
    return {"neighbourhoods": list(neighbourhoods), "interests": list(interests)}


def _filtered(query: Select, filters: ProfileFilters) -> Select:
    profile = ReengagementProfile
    conditions = []
    if filters.decision:
        conditions.append(profile.decision == filters.decision)
    if filters.activity == Activity.ACTIVE:
        conditions.append(profile.is_healthy_active_user.is_(True))
    elif filters.activity == Activity.INACTIVE:
        conditions.append(profile.is_healthy_active_user.is_(False))
    if filters.first_time_only:
        conditions.append(profile.is_first_time_user.is_(True))
    if filters.queued_only:
        conditions.append(profile.has_queued_messages.is_(True))
    if filters.neighbourhood:
        conditions.append(BehaviorUser.home_neighborhood == filters.neighbourhood)
    if filters.interest:
        conditions.append(BehaviorUser.interests.contains([filters.interest]))
    return query.where(and_(*conditions)) if conditions else query


def _joined(*columns) -> Select:
    return select(*columns).select_from(ReengagementProfile).join(
        BehaviorUser, BehaviorUser.id == ReengagementProfile.user_id)


def count_members(session: Session, filters: ProfileFilters) -> int:
    """How many members the filters match."""
    return session.scalar(_filtered(_joined(func.count()), filters))


def member_page(session: Session, filters: ProfileFilters, limit: int = SHOWN_LIMIT) -> tuple[list[dict], int]:
    """The first `limit` members the filters match, by personalisation score (highest first), and how many match."""
    profile = ReengagementProfile
    rows = session.execute(_filtered(_joined(
        profile.user_id, BehaviorUser.name, BehaviorUser.email, profile.decision, profile.personalization_score,
        profile.number_of_events_attended, profile.days_since_last_event,
        profile.fields["queued_message_count"].astext.label("queued")), filters)
        .order_by(profile.personalization_score.desc(), profile.user_id).limit(limit)).mappings().all()
    total = len(rows) if len(rows) < limit else count_members(session, filters)
    return [{"user_id": r["user_id"], "name": r["name"] or r["email"], "email": r["email"],
             "decision": DECISION_LABELS.get(r["decision"], r["decision"]), "score": r["personalization_score"],
             "events": r["number_of_events_attended"], "days since last event": r["days_since_last_event"],
             "queued": int(r["queued"] or 0)} for r in rows], total


def show_value(value: object) -> str:
    """A field's value in words: lists joined, past events as "name (date, venue)", booleans as Yes / No."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        shown = "; ".join(_event_text(v) if isinstance(v, Mapping) else str(v) for v in value[:LIST_SHOWN])
        return shown + (f" … and {len(value) - LIST_SHOWN} more" if len(value) > LIST_SHOWN else "")
    return str(value)


def _event_text(event: Mapping) -> str:
    details = ", ".join(str(event[k]) for k in ("date", "venue") if event.get(k))
    return f"{event.get('name') or 'Event'} ({details})" if details else str(event.get("name") or "Event")


def field_label(name: str) -> str:
    """A calculated field's human label, e.g. "Days since last event"."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def field_rows(fields: Mapping) -> list[tuple[str, str]]:
    """Every calculated field as (label, value), in the seed's order; event types read as words."""
    rows = []
    for name in CALCULATED_FIELDS:
        value = fields.get(name)
        if name == "favorite_event_types" and isinstance(value, list):
            value = [str(kind).replace("_", " ") for kind in value]
        elif name == "event_history" and isinstance(value, list):  # dates and venues get their own table
            value = [str(event.get("name") or "Event") if isinstance(event, Mapping) else str(event) for event in value]
        rows.append((field_label(name), show_value(value)))
    return rows


def _missing_details(fields: Mapping) -> list[str]:
    return [words for name, words in DETAIL_FIELDS if fields.get(name) in (None, "", [])]


def _spoken(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def suggested_angle(fields: Mapping, decision: str | None = None) -> str:
    """A short hint for the message writer, from the calculated fields (and the member's own fields when given,
    under the seed's names): whom to invite to what, or which details to ask for."""
    asks = decision == ReengagementDecision.REQUEST_MORE_DETAILS or (
        decision is None and fields.get("should_request_more_details"))
    if asks:
        missing = _missing_details(fields) or ["cuisine preferences", "occupation"]
        return f"Ask about their {_spoken(missing[:2])}"
    kinds = [str(k).replace("_", " ") for k in fields.get("favorite_event_types") or []]
    hosts = [str(h) for h in fields.get("event_history_hosts") or []]
    friends = [str(f) for f in fields.get("friends") or []]
    if not fields.get("number_of_events_attended"):
        interests = [str(i) for i in fields.get("interests") or []]
        around = f" around {interests[0]}" if interests else ""
        return f"Welcome them to a first event{around}"
    # The fields do not say who hosted which kind of event, so the host is named on their own, not as the host of
    # the kind.
    angle = f"Invite to a {_spoken(kinds[:2], 'or')}" if kinds else "Invite to another event"
    extras = [f"{hosts[0]} is their most frequent host"] if hosts else []
    extras += [f"they often come with {_spoken(friends[:2])}"] if friends else []
    if extras:
        angle += " — " + "; ".join(extras)
    if decision == ReengagementDecision.WAIT:
        angle = "Later: " + angle[0].lower() + angle[1:]
    return angle


def member_detail(session: Session, user_id: int) -> MemberDetail | None:
    """One member's summary, decision and every calculated field with its label; None if they have no profile."""
    found = session.execute(_joined(ReengagementProfile, BehaviorUser)
                            .where(ReengagementProfile.user_id == user_id)).first()
    if found is None:
        return None
    profile, user = found
    fields = dict(profile.fields or {})
    return MemberDetail(user.id, user.name or user.email, user.email, profile.decision,
                        DECISION_LABELS.get(profile.decision, profile.decision), profile.decision_reason,
                        profile.summary, suggested_angle({**_user_fields(user), **fields}, profile.decision),
                        field_rows(fields), _events(fields.get("event_history")))


def _events(history: object) -> list[dict]:
    if not isinstance(history, list):
        return []
    return [{"event": str(e.get("name") or ""), "date": str(e.get("date") or ""), "venue": str(e.get("venue") or "")}
            for e in history if isinstance(e, Mapping)]


def _user_fields(user) -> dict:
    return {name: getattr(user, name) for name, _ in DETAIL_FIELDS}


def send_list_csv(session: Session, filters: ProfileFilters) -> str:
    """id,email,decision,summary,suggested_angle for every member the filters match, by score; cells a spreadsheet
    would run as formulas are neutralised."""
    profile = ReengagementProfile
    rows = session.execute(_filtered(_joined(
        BehaviorUser.external_id, BehaviorUser.email, profile.decision, profile.summary, profile.fields,
        BehaviorUser.interests, BehaviorUser.cuisine_preference, BehaviorUser.occupation, BehaviorUser.age), filters)
        .order_by(profile.personalization_score.desc(), profile.user_id))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SEND_LIST_COLUMNS)
    for external_id, email, decision, summary, fields, interests, cuisine, occupation, age in rows:
        own = {"interests": interests, "cuisine_preference": cuisine, "occupation": occupation, "age": age}
        angle = suggested_angle({**own, **(fields or {})}, decision)
        writer.writerow([safe_csv_cell(v) for v in (external_id, email, decision, summary, angle)])
    return buffer.getvalue()


def send_list_filters(filters: ProfileFilters) -> ProfileFilters:
    """The send list of the page: the filtered members whose decision is to send a personalised message, unless a
    decision is chosen in the filters."""
    if filters.decision:
        return filters
    return replace(filters, decision=ReengagementDecision.SEND_PERSONALISED_MESSAGE.value)

