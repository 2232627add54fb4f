"""Mutual connections between two people, stored once per pair."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import Connection


def get_or_create_connection(session: Session, *, person_ids: tuple[int, int], event_id: int | None, source: str,
                             now: datetime) -> tuple[Connection, bool]:
    """The pair's connection, created if they had none; the flag says whether this call created it.

    One INSERT ... ON CONFLICT DO NOTHING: when both people connect at once, the second insert waits for the
    first, finds the pair taken and reads it, so exactly one caller sees the flag set (and logs the activity)."""
    low, high = sorted(person_ids)
    created_id = session.scalar(
        insert(Connection)
        .values(person_a_id=low, person_b_id=high, event_id=event_id, source=source, status="active",
                created_at=now)
        .on_conflict_do_nothing(index_elements=[Connection.person_a_id, Connection.person_b_id])
        .returning(Connection.id))
    connection = session.scalar(select(Connection).where(Connection.person_a_id == low,
                                                         Connection.person_b_id == high)
                                .execution_options(populate_existing=True))
    return connection, created_id is not None
