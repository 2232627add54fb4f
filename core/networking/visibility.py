"""The one visible-people rule every listing of people uses: live, not blocked, and matchable where it applies."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy.orm import aliased

from core.events.visibility import live
from core.networking.blocks import not_blocked_with
from db.models import Person


def visible_to(viewer_id: int, person_column, *, matching: bool = True) -> ColumnElement[bool]:
    """SQL condition: the viewer may see the person in `person_column` (a column or an id) in a listing. Live (not
    deleted, no deletion request), no block either way, and, when `matching` (recommendations, similar attendees,
    social proof, huddle pools), matching-visible. People one is already connected to pass `matching=False`: hiding
    from matching does not hide an existing connection."""
    person = aliased(Person)
    conditions = [person.id == person_column, live(person)]
    if matching:
        conditions.append(person.matching_visible.is_(True))
    return and_(exists().where(*conditions), not_blocked_with(viewer_id, person_column))


def listable(person=Person, *, matching: bool = True) -> ColumnElement[bool]:
    """SQL condition on a person row already in the query, for viewer-less listings (organizer exports, pools):
    live, and matching-visible when `matching`."""
    if matching:
        return and_(live(person), person.matching_visible.is_(True))
    return live(person)
