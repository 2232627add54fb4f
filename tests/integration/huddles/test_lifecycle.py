"""The huddle status job and the organizer's cancel on a real Postgres: cancel under the minimum with a notice,
start, complete into no-shows and HUDDLE connections between attendees only, each change once."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.accounts.accounts import create_account
from core.events.events import add_organizer
from core.huddles.huddles import HuddleError
from core.huddles.lifecycle import cancel_huddle, huddle_status_job
from core.huddles.responses import check_in_at_huddle, respond_to_huddle
from core.jobs.registry import get_job
from core.networking.notifications import NotificationKind
from core.platform.job_context import JobContext
from db.models import (
    AuditLog,
    Block,
    Connection,
    ConnectionActivity,
    Huddle,
    HuddleParticipant,
    HuddleStatus,
    Notification,
    ParticipantStatus,
)
from tests.integration.huddles.test_responses import gathering, huddle


def run_job(db, clock) -> dict:
    counts = huddle_status_job(JobContext(session=db, clock=clock, event_id=None))
    db.commit()
    return counts


def status(db, huddle_id: int) -> str:
    return db.get(Huddle, huddle_id, populate_existing=True).status


def accept_all(db, clock, huddle_id: int, people) -> None:
    for person_id in people:
        respond_to_huddle(db, huddle_id=huddle_id, person_id=person_id, response="accept", clock=clock)
    db.commit()


@pytest.fixture
def planned(db, clock):
    """Five people invited to a huddle an hour from now. Returns (event_id, ids, huddle_id)."""
    event_id, ids = gathering(db, 5)
    return event_id, ids, huddle(db, event_id, ids, clock.now() + timedelta(hours=1))


def test_the_status_job_is_registered_to_run_every_minute():
    job = get_job("huddle-status")
    assert (job.body, job.schedule_text) == (huddle_status_job, "every minute")


def test_a_huddle_under_its_minimum_at_the_start_is_cancelled_and_the_accepted_are_told(db, clock, planned):
    _, ids, huddle_id = planned
    accept_all(db, clock, huddle_id, ids[:2])
    clock.at += timedelta(hours=1)
    assert run_job(db, clock)["cancelled"] == 1
    cancelled = db.get(Huddle, huddle_id, populate_existing=True)
    assert (cancelled.status, cancelled.cancelled_at) == (HuddleStatus.CANCELLED, clock.now())
    assert cancelled.cancel_reason == "Fewer than 3 people said they'd be there by the start time (2 did)."
    told = db.scalars(select(Notification.person_id).where(Notification.kind == NotificationKind.HUDDLE_UPDATE,
                                                           Notification.title.like("Huddle cancelled%")))
    assert sorted(told) == sorted(ids[:2])


def test_a_huddle_with_its_minimum_starts_at_its_start_time(db, clock, planned):
    _, ids, huddle_id = planned
    accept_all(db, clock, huddle_id, ids[:3])
    clock.at += timedelta(minutes=59)
    assert run_job(db, clock)["started"] == 0
    clock.at += timedelta(minutes=1)
    assert run_job(db, clock)["started"] == 1 and status(db, huddle_id) == HuddleStatus.IN_PROGRESS


def completed_with_three_checked_in(db, clock, planned) -> tuple[list[int], int]:
    """Four accept, three check in (ids 0–2), the job starts and later completes the huddle."""
    _, ids, huddle_id = planned
    accept_all(db, clock, huddle_id, ids[:4])
    clock.at += timedelta(hours=1)
    run_job(db, clock)
    for person_id in ids[:3]:
        check_in_at_huddle(db, huddle_id=huddle_id, person_id=person_id, clock=clock)
    db.commit()
    clock.at += timedelta(minutes=15)
    return ids, huddle_id


def test_completing_marks_accepted_people_who_never_checked_in_as_no_shows(db, clock, planned):
    ids, huddle_id = completed_with_three_checked_in(db, clock, planned)
    assert run_job(db, clock)["completed"] == 1 and status(db, huddle_id) == HuddleStatus.COMPLETED
    statuses = dict(db.execute(select(HuddleParticipant.person_id, HuddleParticipant.status)).all())
    assert [statuses[p] for p in ids] == ["attended"] * 3 + ["no_show", "invited"]


def test_completing_connects_every_pair_of_attendees_and_nobody_else(db, clock, planned):
    ids, _ = completed_with_three_checked_in(db, clock, planned)
    run_job(db, clock)
    pairs = db.execute(select(Connection.person_a_id, Connection.person_b_id, Connection.source)).all()
    assert sorted(pairs) == [(ids[0], ids[1], "huddle"), (ids[0], ids[2], "huddle"), (ids[1], ids[2], "huddle")]
    assert set(db.scalars(select(ConnectionActivity.kind))) == {"huddle_together"}


def test_completing_never_connects_a_blocked_pair(db, clock, planned):
    ids, _ = completed_with_three_checked_in(db, clock, planned)
    db.add(Block(blocker_id=ids[0], blocked_id=ids[1], created_at=clock.now()))
    db.commit()
    run_job(db, clock)
    pairs = db.execute(select(Connection.person_a_id, Connection.person_b_id)).all()
    assert sorted(pairs) == [(ids[0], ids[2]), (ids[1], ids[2])]


def test_attendees_already_connected_get_one_more_interaction(db, clock, planned):
    ids, _ = completed_with_three_checked_in(db, clock, planned)
    db.add(Connection(person_a_id=ids[0], person_b_id=ids[1], event_id=None, source="recommendation",
                      status="active", interaction_count=1, created_at=clock.now() - timedelta(days=30)))
    db.commit()
    run_job(db, clock)
    existing = db.scalar(select(Connection).where(Connection.person_a_id == ids[0], Connection.person_b_id == ids[1])
                         .execution_options(populate_existing=True))
    assert (existing.source, existing.interaction_count) == ("recommendation", 2)


def test_running_the_job_twice_changes_each_huddle_once(db, clock, planned):
    ids, _ = completed_with_three_checked_in(db, clock, planned)
    first, second = run_job(db, clock), run_job(db, clock)
    assert (first["completed"], first["connections"], first["no_shows"]) == (1, 3, 1)
    assert (second["completed"], second["connections"], second["started"], second["cancelled"]) == (0, 0, 0, 0)
    assert db.scalar(select(func.count()).select_from(ConnectionActivity)) == 3


def test_a_huddle_overdue_by_a_long_time_starts_and_completes_in_one_run(db, clock, planned):
    _, ids, huddle_id = planned
    accept_all(db, clock, huddle_id, ids[:3])
    clock.at += timedelta(hours=5)
    counts = run_job(db, clock)
    assert (counts["started"], counts["completed"], counts["no_shows"]) == (1, 1, 3)


def organizer(db, event_id: int | None) -> int:
    account = create_account(db, actor_id=None, username="orga", email="orga@x.io", display_name="Orga",
                             password="a-long-password-1", roles=["organizer"])
    if event_id is not None:
        add_organizer(db, event_id=event_id, account_id=account.id, actor_id=None)
    db.commit()
    return account.id


def test_an_organizer_cancelling_a_huddle_is_audit_logged_and_tells_the_invited_and_accepted(db, clock, planned):
    event_id, ids, huddle_id = planned
    accept_all(db, clock, huddle_id, ids[:2])
    respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[4], response="decline", clock=clock)
    account_id = organizer(db, event_id)
    cancel_huddle(db, huddle_id=huddle_id, actor_account_id=account_id, reason="Room  needed for a talk",
                  clock=clock)
    db.commit()
    cancelled = db.get(Huddle, huddle_id, populate_existing=True)
    assert (cancelled.status, cancelled.cancel_reason) == (HuddleStatus.CANCELLED, "Room needed for a talk")
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "huddle.cancel"))
    assert (entry.action, entry.target_id, entry.details["reason"]) == ("huddle.cancel", str(huddle_id),
                                                                       "Room needed for a talk")
    told = db.scalars(select(Notification.person_id).where(Notification.title.like("Huddle cancelled%")))
    assert sorted(told) == sorted(ids[:4])  # not the one who declined


def test_someone_who_does_not_organize_the_event_cannot_cancel_its_huddle(db, clock, planned):
    _, _, huddle_id = planned
    account_id = organizer(db, None)
    with pytest.raises(HuddleError, match="Only an organizer of this event"):
        cancel_huddle(db, huddle_id=huddle_id, actor_account_id=account_id, reason="", clock=clock)


def test_a_huddle_that_already_started_cannot_be_cancelled(db, clock, planned):
    event_id, ids, huddle_id = planned
    accept_all(db, clock, huddle_id, ids[:3])
    clock.at += timedelta(hours=1)
    run_job(db, clock)
    with pytest.raises(HuddleError, match="already in progress"):
        cancel_huddle(db, huddle_id=huddle_id, actor_account_id=organizer(db, event_id), reason="", clock=clock)
    assert db.get(HuddleParticipant, 1, populate_existing=True).status == ParticipantStatus.ACCEPTED
