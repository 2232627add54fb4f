"""The live-person rule: a person who is neither deleted nor waiting for deletion (seed 000 §11.2), and the shared
analytics opt-out rule."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func
from sqlalchemy.orm import aliased

from db.models import Person

DELETED_USER_LABEL = "[Deleted user]"
ANALYTICS_PARTICIPATION = "analytics_participation"  # the consent key (people.consents)


def live(person=Person) -> ColumnElement[bool]:
    """SQL condition on a person row already in the query (`Person` or an alias of it): not deleted, no deletion
    request. The old soft delete (`deleted_at`) and a deletion request hide a person the same way."""
    return and_(person.deleted_at.is_(None), person.deletion_requested_at.is_(None))


def takes_part_in_analytics(person=Person) -> ColumnElement[bool]:
    """SQL condition on a person row already in the query (`Person` or an alias of it): they did not say no to
    analytics participation (no answer counts as taking part)."""
    return func.coalesce(person.consents.op("->>")(ANALYTICS_PARTICIPATION), "true") != "false"


def live_person(person_column) -> ColumnElement[bool]:
    """SQL condition: the person whose id is in `person_column` (a column or an id) is live."""
    person = aliased(Person)
    return exists().where(person.id == person_column, live(person))


def is_live(person: Person | None) -> bool:
    """The same rule for a loaded person; None (gone) is not live."""
    return person is not None and person.deleted_at is None and person.deletion_requested_at is None


def shown_name(person: Person | None) -> str:
    """The name other people see: the full name of a live person, otherwise "[Deleted user]"."""
    return person.full_name if is_live(person) else DELETED_USER_LABEL


class SharedWithOther:
    """Mixin for a view of something shared with one other person (`self.other`: a thread, a connection, a
    meeting): once they asked for deletion or were deleted they show as "[Deleted user]", without a profile."""

    other: Person

    @property
    def other_live(self) -> bool:
        return is_live(self.other)

    @property
    def other_name(self) -> str:
        return shown_name(self.other)
