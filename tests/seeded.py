"""Seeded database states built once per test process, then restored by COPY for each test that asks for them."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.conftest import empty_database


@dataclass(frozen=True)
class Snapshot:
    """Every row of the app's tables (COPY text per table that holds any) and where each used sequence stands."""

    tables: list[tuple[str, bytes]]
    sequences: list[tuple[str, int]]


_snapshots: dict[Hashable, Snapshot] = {}


def _table_names() -> list[str]:
    from db.models import Base

    return [table.name for table in Base.metadata.sorted_tables]  # parents before children


def take_snapshot(session: Session) -> Snapshot:
    """The committed contents of the session's database."""
    cursor = session.connection().connection.driver_connection.cursor()
    tables = []
    for name in _table_names():
        with cursor.copy(f'COPY "{name}" TO STDOUT') as copy:
            data = b"".join(bytes(block) for block in copy)
        if data:
            tables.append((name, data))
    sequences = [(name, value) for name, value in session.execute(text(
        "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
        "WHERE last_value IS NOT NULL"))]
    return Snapshot(tables, sequences)


def restore_snapshot(session: Session, snapshot: Snapshot) -> None:
    """Load a snapshot into the session's emptied database and commit."""
    cursor = session.connection().connection.driver_connection.cursor()
    for name, data in snapshot.tables:
        with cursor.copy(f'COPY "{name}" FROM STDIN') as copy:
            copy.write(data)
    for name, value in snapshot.sequences:
        session.execute(text("SELECT setval(:name, :value)"), {"name": name, "value": value})
    session.commit()


def seeded(session: Session, key: Hashable, build: Callable[[], object]) -> None:
    """The state `build` commits on top of the database's current one: built by the first test of the process that
    asks for `key`, and for every later one restored, in place of whatever the database holds, from its snapshot (the
    demo seeding took 1.7 s of each test's setup)."""
    if key in _snapshots:
        empty_database(session.get_bind())
        restore_snapshot(session, _snapshots[key])
        return
    build()
    session.commit()
    _snapshots[key] = take_snapshot(session)
    session.commit()
