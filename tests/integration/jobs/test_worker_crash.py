"""A real worker process killed mid-upload (SIGKILL, no clean-up of any kind) and a second worker that finishes it:
every row is written once, by the second worker, and nothing is left running."""
import os
import signal
import time

import pytest
from sqlalchemy import func, select, text

from core.jobs.uploads import queue_upload
from db.models import AuditLog, DatasetUpload, Event, Person, Registration
from tests.integration.events.test_attendee_import import HEADER

ROWS = 6000
LEASE_SECONDS = 5


def attendees_csv(rows: int) -> bytes:
    return (HEADER + "".join(
        f"p{i}@crash.example,Ana{i},Silva,Acme {i % 50},CTO,Fintech,SMALL_11_50,{i % 30},ai;cloud,HIRE,"
        f"python;go,design,Hi there {i}.,Scaling,Lisbon,Portugal,true\n" for i in range(rows))).encode()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def test_a_worker_killed_mid_upload_leaves_nothing_and_the_next_worker_loads_every_row_once(db, clock,
                                                                                             start_worker):
    upload = queue_upload(db, kind="attendees", data=attendees_csv(ROWS), filename="crowd.csv",
                          event_slug="crash-expo", actor_id=None, clock=clock, max_mb=50)
    db.commit()

    def state():
        db.expire_all()
        return db.get(DatasetUpload, upload.id)

    def writing_people() -> bool:
        """The worker's open transaction has started inserting people (a row lock on the table is held)."""
        return db.scalar(text("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                              "WHERE c.relname = 'people' AND l.mode = 'RowExclusiveLock' AND l.granted")) > 0

    first = start_worker("first")
    wait_for(lambda: state().status == "running", 45, "the first claim")
    claimed = state()
    assert (claimed.attempts, claimed.claimed_by.endswith(f":{first.pid}")) == (1, True)
    claimed_at = claimed.heartbeat_at
    wait_for(lambda: state().heartbeat_at > claimed_at, 10, "the first worker to renew its lease")
    wait_for(writing_people, 30, "the first worker to start writing people")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    crashed = state()
    assert crashed.status == "running"  # nobody is left to say otherwise
    assert db.scalar(select(func.count()).select_from(Person)) == 0  # its half-written rows are not there

    start_worker("second")
    done = wait_for(lambda: state().status not in ("queued", "running") and state(), 50, "the second worker")
    assert (done.status, done.attempts, done.rows_inserted, done.rows_updated) == ("completed", 2, ROWS, 0)
    assert db.scalar(select(func.count()).select_from(Person)) == ROWS
    assert db.scalar(select(func.count(func.distinct(Person.email)))) == ROWS
    assert db.scalar(select(func.count()).select_from(Registration)) == ROWS
    assert db.scalar(select(func.count()).select_from(Event)) == 1
    assert db.scalar(select(func.count()).select_from(DatasetUpload).where(DatasetUpload.status == "running")) == 0
    assert list(db.scalars(select(AuditLog.action).where(AuditLog.target_id == str(upload.id))
                           .order_by(AuditLog.id))) == ["upload.requeued", "upload.completed"]
