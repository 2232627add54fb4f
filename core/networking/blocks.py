"""Blocks between people (seed 004 §6): a block hides both people from each other everywhere."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from db.models import Block


def blocked_ids(session: Session, person_id: int) -> set[int]:
    """Everyone hidden from `person_id`: those they blocked and those who blocked them."""
    rows = session.execute(select(Block.blocker_id, Block.blocked_id).where(
        or_(Block.blocker_id == person_id, Block.blocked_id == person_id))).all()
    return {blocked if blocker == person_id else blocker for blocker, blocked in rows}


def is_blocked_pair(session: Session, a: int, b: int) -> bool:
    """True when either of the two blocked the other."""
    return bool(session.scalar(select(exists().where(pair_blocked(a, b)))))


def pair_blocked(a, b) -> ColumnElement[bool]:
    """SQL condition: a block exists between `a` and `b` (ids or columns), in either direction."""
    return or_(and_(Block.blocker_id == a, Block.blocked_id == b), and_(Block.blocker_id == b, Block.blocked_id == a))


def not_blocked_with(viewer_id: int, person_column) -> ColumnElement[bool]:
    """SQL condition for listings: the person in `person_column` and the viewer have no block between them."""
    return ~exists().where(pair_blocked(viewer_id, person_column))
