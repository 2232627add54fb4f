"""Mutual connections between two people, stored once per pair."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Connection


def get_or_create_connection(session: Session, *, person_ids: tuple[int, int], event_id: int | None, source: str,
                             now: datetime) -> tuple[Connection, bool]:
    """The pair's connection, created (and flushed) if they had none; the flag says whether it is new."""
    low, high = sorted(person_ids)
    connection = session.scalar(select(Connection).where(Connection.person_a_id == low,
                                                         Connection.person_b_id == high))
    if connection is not None:
        return connection, False
    connection = Connection(person_a_id=low, person_b_id=high, event_id=event_id, source=source, created_at=now)
    session.add(connection)
    session.flush()
    return connection, True
