"""Account deletion on a real Postgres (seed 000 §11.1–§11.2): the request hides at once, cancel restores, and
after the grace the hard delete leaves no row that points at the person."""
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.registration import SignUp, sign_up
from core.jobs.maintenance import apply_retention_policy
from core.networking.connections import my_connections
from core.networking.follow_ups import NetworkFilter, network_lists
from core.networking.messages import MessageError, can_message, send_message, threads_of
from core.platform.audit import record_audit
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from core.privacy.deletion import (
    cancel_deletion,
    deletion_status,
    hard_delete_person,
    purge_due_deletions,
    request_deletion,
)
from core.recommend.llm_upgrade import batch_request_key
from db.models import (
    Account,
    Alumnus,
    AuditLog,
    Base,
    CareerPrediction,
    Connection,
    ConnectionActivity,
    Event,
    Huddle,
    HuddleParticipant,
    LLMBatch,
    Notification,
    Person,
    Recommendation,
    RecommendationKind,
    Registration,
)


def person(db, first: str, **fields) -> int:
    someone = Person(email=f"{first.lower()}@x.io", first_name=first, last_name="Doe", **fields)
    db.add(someone)
    db.flush()
    return someone.id


@pytest.fixture
def summit(db, clock):
    """Ana and Bo at one event, connected, with a conversation, recommendations both ways, a huddle, a
    notification by Bo to Ana, Bo's account and audit rows about Bo. Returns (event_id, ana, bo, bo_account)."""
    event = Event(slug="summit", name="Summit", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2),
                  timezone="UTC", registration_code="SUMMIT", registration_open=True)
    db.add(event)
    db.flush()
    ana, bo = person(db, "Ana"), person(db, "Bo")
    db.add_all([Registration(event_id=event.id, person_id=p, registered_at=clock.now()) for p in (ana, bo)])
    connection = Connection(person_a_id=ana, person_b_id=bo, event_id=event.id, source="recommendation",
                            status="active", interaction_count=1, created_at=clock.now() - timedelta(days=3))
    db.add(connection)
    db.flush()
    db.add(ConnectionActivity(connection_id=connection.id, actor_id=bo, kind="connected", created_at=clock.now()))
    for viewer, target in ((ana, bo), (bo, ana)):
        db.add(Recommendation(event_id=event.id, user_id=viewer, kind=RecommendationKind.PERSON,
                              target_person_id=target, rank=1, score=0.9, strategy="algorithmic",
                              generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
    huddle = Huddle(event_id=event.id, topic="Pipelines", starts_at=clock.now() + timedelta(hours=2))
    db.add(huddle)
    db.flush()
    db.add_all([HuddleParticipant(huddle_id=huddle.id, person_id=p) for p in (ana, bo)])
    send_message(db, bo, ana, "Hello Ana", clock)
    send_message(db, ana, bo, "Hi Bo", clock)
    account = Account(username="bodoe", email="bo@x.io", display_name="Bo Doe", password_hash="not-a-real-hash",
                      roles=["attendee"], person_id=bo)  # a real bcrypt hash only slows every test down
    db.add(account)
    db.flush()
    record_audit(db, actor_id=account.id, action="profile.updated", target_type="person", target_id=bo,
                 at=clock.now())
    record_audit(db, actor_id=None, action="registration.signed_up", target_type="event", target_id=event.id,
                 details={"person_id": bo}, at=clock.now())
    db.commit()
    return event.id, ana, bo, account.id


def people_referencing(db, person_id: int) -> dict[str, int]:
    """Every row in any table whose foreign key to people.id holds `person_id`."""
    found = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "people" and fk.column.name == "id":
                count = db.scalar(select(func.count()).select_from(table).where(fk.parent == person_id))
                if count:
                    found[f"{table.name}.{fk.parent.name}"] = count
    return found


def test_a_request_sets_the_deadline_30_days_later(db, clock, summit):
    _, _, bo, _ = summit
    status = request_deletion(db, person_id=bo, clock=clock, grace_days=30)
    assert status.pending and status.deadline == clock.now() + timedelta(days=30)


def test_a_request_and_a_cancel_are_audit_logged_with_the_person_and_the_hashed_client(db, clock, summit):
    _, _, bo, account = summit
    request_deletion(db, person_id=bo, clock=clock, actor_id=account, client="10.0.0.7")
    cancel_deletion(db, person_id=bo, clock=clock, actor_id=account, client="10.0.0.7")
    rows = db.execute(select(AuditLog.action, AuditLog.target_person_id, AuditLog.client_hash)
                      .where(AuditLog.action.like("person.deletion%")).order_by(AuditLog.id)).all()
    assert [(a, t) for a, t, _ in rows] == [("person.deletion_requested", bo), ("person.deletion_cancelled", bo)]
    assert all(h and len(h) == 16 and "10.0.0.7" not in h for _, _, h in rows)


def test_the_other_person_sees_a_deleted_user_in_their_messages(db, clock, summit):
    _, ana, bo, _ = summit
    request_deletion(db, person_id=bo, clock=clock)
    [thread] = threads_of(db, ana)
    assert thread.other_name == "[Deleted user]" and not thread.other_live


def test_the_other_person_sees_a_deleted_user_in_their_connections(db, clock, summit):
    _, ana, bo, _ = summit
    request_deletion(db, person_id=bo, clock=clock)
    names = [view.other_name for view in network_lists(db, ana, clock.now())[NetworkFilter.ALL]]
    assert names == ["[Deleted user]"] and [v.other_name for v in my_connections(db, ana)] == ["[Deleted user]"]


def test_a_person_waiting_for_deletion_can_no_longer_be_messaged(db, clock, summit):
    _, ana, bo, _ = summit
    request_deletion(db, person_id=bo, clock=clock)
    assert can_message(db, sender_id=ana, recipient_id=bo) == "That person is no longer on GlobalConnect."
    with pytest.raises(MessageError):
        send_message(db, ana, bo, "Still there?", clock)


def test_cancel_within_the_grace_restores_everything(db, clock, summit):
    _, ana, bo, _ = summit
    request_deletion(db, person_id=bo, clock=clock)
    later = FixedClock(clock.now() + timedelta(days=29))
    assert cancel_deletion(db, person_id=bo, clock=later)
    assert purge_due_deletions(db, clock=FixedClock(clock.now() + timedelta(days=31))) == 0
    assert not deletion_status(db, person_id=bo).pending
    assert [t.other_name for t in threads_of(db, ana)] == ["Bo Doe"]
    assert can_message(db, sender_id=ana, recipient_id=bo) is None


def test_nothing_is_purged_before_the_grace_is_over(db, clock, summit):
    _, _, bo, _ = summit
    request_deletion(db, person_id=bo, clock=clock)
    assert purge_due_deletions(db, clock=FixedClock(clock.now() + timedelta(days=29)), grace_days=30) == 0
    assert db.get(Person, bo) is not None


def test_the_retention_job_hard_deletes_after_the_grace_and_no_row_references_the_person(db, clock, summit):
    _, ana, bo, account = summit
    request_deletion(db, person_id=bo, clock=clock, actor_id=account)
    db.commit()
    ctx = JobContext(session=db, clock=FixedClock(clock.now() + timedelta(days=31)), event_id=None)
    assert apply_retention_policy(ctx)["people_purged"] == 1
    db.commit()
    db.expire_all()
    assert people_referencing(db, bo) == {}
    assert db.get(Person, bo) is None and db.get(Account, account) is None
    assert db.get(Person, ana) is not None


def test_the_hard_delete_scrubs_every_audit_pointer_but_keeps_the_rows(db, clock, summit):
    _, _, bo, account = summit
    before = db.scalar(select(func.count()).select_from(AuditLog))
    hard_delete_person(db, person_id=bo)
    db.commit()
    rows = db.scalars(select(AuditLog)).all()
    assert len(rows) == before
    assert not [r for r in rows if r.target_type == "person" and r.target_id == str(bo)]
    assert not [r for r in rows if r.target_type == "account" and r.target_id == str(account)]
    assert not [r for r in rows if (r.details or {}).get("person_id") == bo or r.actor_label == "bodoe"]


def test_notifications_about_what_the_person_did_go_with_them(db, clock, summit):
    _, ana, bo, _ = summit
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.actor_id == bo))
    hard_delete_person(db, person_id=bo)
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.person_id == ana)) == 0


def test_the_hard_delete_forgets_the_person_in_stored_llm_batches(db, clock, summit):
    _, ana, bo, _ = summit
    db.add(LLMBatch(batch_id="b1", feature="recommendations", status="ended", submitted_at=clock.now(),
                    requests={batch_request_key(bo): {"person_id": bo}, batch_request_key(ana): {"person_id": ana}}))
    db.flush()
    hard_delete_person(db, person_id=bo)
    db.expire_all()
    assert set(db.scalar(select(LLMBatch.requests))) == {batch_request_key(ana)}


def test_the_hard_delete_removes_the_career_predictions_kept_for_the_persons_email(db, clock, summit):
    _, ana, bo, _ = summit
    for person_id in (ana, bo):
        email = db.get(Person, person_id).email
        alumnus = Alumnus(email=email, name="Alum", current_role="Data Analyst")
        db.add(alumnus)
        db.flush()
        db.add(CareerPrediction(alumnus_id=alumnus.id, email=email.upper(), predictions=[], computed_at=clock.now()))
    db.flush()
    hard_delete_person(db, person_id=bo)
    assert list(db.scalars(select(CareerPrediction.email))) == [db.get(Person, ana).email.upper()]
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 2  # the organisation's records stay


def test_the_old_soft_delete_is_purged_after_the_same_grace(db, clock, summit):
    _, _, bo, _ = summit
    db.get(Person, bo).deleted_at = clock.now() - timedelta(days=31)
    assert purge_due_deletions(db, clock=clock) == 1 and db.get(Person, bo) is None


def test_re_registering_the_email_after_deletion_creates_a_fresh_person(db, clock, summit):
    _, _, bo, _ = summit
    hard_delete_person(db, person_id=bo)
    account = sign_up(db, code="SUMMIT", clock=clock, form=SignUp(
        username="bo2", email="bo@x.io", password="another-long-password-2",
        profile={"first_name": "Bo", "last_name": "Again", "company": "Acme", "role": "CTO", "interests": "AI/ML",
                 "goals": "HIRE"}))
    assert account.person_id != bo and db.get(Person, account.person_id).last_name == "Again"


def test_two_simultaneous_requests_write_one_audit_entry(engine, db, clock, summit):
    _, _, bo, _ = summit
    barrier = threading.Barrier(2)

    def ask() -> None:
        with Session(engine) as session, session.begin():
            barrier.wait()
            request_deletion(session, person_id=bo, clock=clock)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.scalar(select(func.count()).select_from(AuditLog)
                     .where(AuditLog.action == "person.deletion_requested")) == 1


def test_the_deadline_is_reported_on_the_requested_day(db, summit):
    _, _, bo, _ = summit
    request_deletion(db, person_id=bo, clock=FixedClock(datetime(2026, 12, 1, 12, tzinfo=UTC)), grace_days=30)
    assert deletion_status(db, person_id=bo, grace_days=30).deadline.date() == date(2026, 12, 31)
