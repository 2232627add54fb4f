"""Server-side debounce: the same actor repeating the same action within a short window is refused."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import ClickDebounce

DEBOUNCE_WINDOW = timedelta(seconds=2)


class RapidRepeat(ValueError):
    """The same action was just done; a double click or a repeated submit."""


def refuse_rapid_repeat(session: Session, *, actor: str, action_key: str, now: datetime,
                        window: timedelta = DEBOUNCE_WINDOW) -> None:
    """Record that `actor` does `action_key` now, or raise RapidRepeat when they already did within `window`.

    One upsert that only moves `last_at` forward when the window has passed, so two concurrent clicks cannot
    both get through: the second waits on the row lock and then finds the fresh timestamp."""
    statement = insert(ClickDebounce).values(actor=actor[:60], action_key=action_key[:160], last_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[ClickDebounce.actor, ClickDebounce.action_key],
        set_={"last_at": now},
        where=ClickDebounce.last_at <= now - window,
    ).returning(ClickDebounce.last_at)
    if session.execute(statement).first() is None:
        raise RapidRepeat("You just did that. Wait a moment before trying again.")
