"""Badges for engagement milestones: which ones a person has earned, awarded once each with a notification."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.networking.notifications import NotificationKind, notify
from db.bulk import copy_to_temp_table
from db.models import EngagementLevel, PersonBadge

BADGES_LINK = "my-engagement"
NOTIFY_ONE_BY_ONE = 500  # more new badges than this in one run are notified with one set-based insert


class Badge(StrEnum):
    """A milestone badge, stored by its value."""

    FIRST_CHECK_IN = "first_check_in"
    FIRST_CONNECTION = "first_connection"
    TEN_CONNECTIONS = "ten_connections"
    FIRST_MEETING = "first_meeting"
    FIRST_HUDDLE = "first_huddle"
    FIRST_CAPSULE = "first_capsule"
    STREAK_7 = "streak_7"
    STREAK_30 = "streak_30"
    LEVEL_ACTIVE = "level_active"
    LEVEL_CONTRIBUTOR = "level_contributor"
    LEVEL_VETERAN = "level_veteran"
    LEVEL_LEGEND = "level_legend"


BADGE_LABELS = {
    Badge.FIRST_CHECK_IN: "First check-in", Badge.FIRST_CONNECTION: "First connection",
    Badge.TEN_CONNECTIONS: "10 connections", Badge.FIRST_MEETING: "First 1:1 meeting",
    Badge.FIRST_HUDDLE: "First huddle", Badge.FIRST_CAPSULE: "First knowledge capsule",
    Badge.STREAK_7: "7-day streak", Badge.STREAK_30: "30-day streak",
    Badge.LEVEL_ACTIVE: "Reached Active", Badge.LEVEL_CONTRIBUTOR: "Reached Contributor",
    Badge.LEVEL_VETERAN: "Reached Veteran", Badge.LEVEL_LEGEND: "Reached Legend",
}
BADGE_DESCRIPTIONS = {
    Badge.FIRST_CHECK_IN: "Checked in at an event", Badge.FIRST_CONNECTION: "Made a first connection",
    Badge.TEN_CONNECTIONS: "Made ten connections", Badge.FIRST_MEETING: "Held a 1:1 meeting",
    Badge.FIRST_HUDDLE: "Took part in a huddle", Badge.FIRST_CAPSULE: "Shared a knowledge capsule",
    Badge.STREAK_7: "Active seven days in a row", Badge.STREAK_30: "Active thirty days in a row",
    Badge.LEVEL_ACTIVE: "51 engagement points", Badge.LEVEL_CONTRIBUTOR: "151 engagement points",
    Badge.LEVEL_VETERAN: "301 engagement points", Badge.LEVEL_LEGEND: "501 engagement points",
}
# (badge, count column, at least)
MILESTONES = [
    (Badge.FIRST_CHECK_IN, "check_ins", 1), (Badge.FIRST_CONNECTION, "connections", 1),
    (Badge.TEN_CONNECTIONS, "connections", 10), (Badge.FIRST_MEETING, "meetings", 1),
    (Badge.FIRST_HUDDLE, "huddles", 1), (Badge.FIRST_CAPSULE, "capsules", 1),
    (Badge.STREAK_7, "streak_days", 7), (Badge.STREAK_30, "streak_days", 30),
]
LEVEL_BADGES = [(Badge.LEVEL_ACTIVE, EngagementLevel.ACTIVE), (Badge.LEVEL_CONTRIBUTOR, EngagementLevel.CONTRIBUTOR),
                (Badge.LEVEL_VETERAN, EngagementLevel.VETERAN), (Badge.LEVEL_LEGEND, EngagementLevel.LEGEND)]
LEVEL_ORDER = list(EngagementLevel)


def earned_badges(counts: pd.DataFrame) -> list[tuple[int, Badge]]:
    """(person_id, badge) for every milestone reached, from counts indexed by person with a `level` column; reaching
    a level earns the badges of the levels below it too."""
    earned: list[tuple[int, Badge]] = []
    for badge, column, least in MILESTONES:
        earned += [(int(p), badge) for p in counts.index[counts[column].to_numpy() >= least]]
    rank = counts["level"].map({level.value: n for n, level in enumerate(LEVEL_ORDER)}).to_numpy()
    for badge, level in LEVEL_BADGES:
        earned += [(int(p), badge) for p in counts.index[rank >= LEVEL_ORDER.index(level)]]
    return earned


def award_badges(session: Session, *, earned: list[tuple[int, Badge]], now: datetime) -> list[tuple[int, Badge]]:
    """Store the badges not held yet and notify each new holder once; returns the new (person_id, badge) pairs.

    The table's key (person, badge) makes this race-safe: of two recalculations at once, the second waits for the
    first's row and inserts nothing, and the notification's dedupe key keeps it to one as well."""
    if not earned:
        return []
    copy_to_temp_table(session, "new_person_badges", "person_badges", ("person_id", "badge", "earned_at"),
                       ((person_id, badge.value, now) for person_id, badge in earned))
    new = [(int(p), Badge(b)) for p, b in session.execute(text(
        "INSERT INTO person_badges (person_id, badge, earned_at) SELECT person_id, badge, earned_at "
        "FROM new_person_badges ON CONFLICT DO NOTHING RETURNING person_id, badge")).all()]
    session.execute(text("DROP TABLE new_person_badges"))
    if len(new) <= NOTIFY_ONE_BY_ONE:
        for person_id, badge in new:
            notify(session, person_id=person_id, kind=NotificationKind.BADGE_EARNED,
                   title=_title(badge), body=_body(badge), now=now, link=BADGES_LINK, dedupe_key=_dedupe(badge))
    else:
        _notify_many(session, new, now=now)
    return new


def _title(badge: Badge) -> str:
    return f"New badge: {BADGE_LABELS[badge]}"


def _body(badge: Badge) -> str:
    return BADGE_DESCRIPTIONS[badge] + "."


def _dedupe(badge: Badge) -> str:
    return f"badge:{badge.value}"


def _notify_many(session: Session, new: list[tuple[int, Badge]], *, now: datetime) -> None:
    """The rows `notify` writes, for many badges at once (the first run over a large community awards hundreds of
    thousands): COPY, then one insert with the same once-per-key constraint."""
    columns = ("person_id", "kind", "title", "body", "link", "dedupe_key", "created_at")
    copy_to_temp_table(session, "new_badge_notifications", "notifications", columns,
                       ((p, NotificationKind.BADGE_EARNED.value, _title(b), _body(b), BADGES_LINK, _dedupe(b), now)
                        for p, b in new))
    names = ", ".join(columns)
    session.execute(text(f"INSERT INTO notifications ({names}) SELECT {names} FROM new_badge_notifications "
                         "ON CONFLICT ON CONSTRAINT uq_notification_once DO NOTHING"))
    session.execute(text("DROP TABLE new_badge_notifications"))


@dataclass(frozen=True)
class EarnedBadge:
    """A badge the person holds, with its label, description and when it was earned."""

    badge: Badge
    label: str
    description: str
    earned_at: datetime


def badges_of(session: Session, person_id: int) -> list[EarnedBadge]:
    """The person's badges, newest first."""
    rows = session.execute(select(PersonBadge.badge, PersonBadge.earned_at).where(PersonBadge.person_id == person_id)
                           .order_by(PersonBadge.earned_at.desc(), PersonBadge.badge)).all()
    return [EarnedBadge(Badge(b), BADGE_LABELS[Badge(b)], BADGE_DESCRIPTIONS[Badge(b)], at) for b, at in rows
            if b in Badge._value2member_map_]
