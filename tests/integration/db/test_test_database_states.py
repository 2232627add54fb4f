"""The tests' own database helpers: emptying between tests, and seeded states restored from snapshots."""
from __future__ import annotations

from sqlalchemy import func, select

from core.demo.seed import seed_demo
from db.models import Base, Event
from tests.conftest import empty_database
from tests.seeded import Snapshot, restore_snapshot, take_snapshot


def rows_by_table(snapshot: Snapshot) -> dict[str, list[bytes]]:
    """Each table's rows, sorted: a table whose rows were updated after the seeding inserted them lists them in
    another physical order."""
    return {name: sorted(data.splitlines()) for name, data in snapshot.tables}


def test_a_restored_demo_snapshot_holds_the_same_rows_and_sequence_positions_as_the_seeding(db, engine, clock):
    seed_demo(db, clock=clock, attendees=20, alumni=30)
    db.commit()
    seeded = take_snapshot(db)
    db.commit()
    empty_database(engine)
    restore_snapshot(db, seeded)

    restored = take_snapshot(db)
    assert rows_by_table(restored) == rows_by_table(seeded)
    assert restored.sequences == seeded.sequences
    assert {name for name, _ in seeded.tables} >= {"events", "people", "accounts", "alumni"}


def test_emptying_the_database_leaves_no_rows_and_restarts_every_used_identity(db, engine, clock):
    seed_demo(db, clock=clock, attendees=20, alumni=30)
    db.commit()
    empty_database(engine)

    for table in Base.metadata.sorted_tables:
        assert db.scalar(select(func.count()).select_from(table)) == 0, table.name
    event = Event(slug="after", name="After")
    db.add(event)
    db.flush()
    assert event.id == 1
