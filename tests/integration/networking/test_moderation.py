"""Reports and the moderation queue on a real Postgres: each resolution does what it says, is audit-logged, and
happens once even when two admins act at the same moment."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from core.accounts.accounts import create_account
from core.accounts.sessions import log_in
from core.agenda.meetings import MeetingError, request_meeting
from core.networking.moderation import (
    ModerationError,
    moderation_queue,
    report_person,
    resolve_report,
    resolved_reports,
)
from core.networking.notifications import NotificationKind, notification_feed
from core.networking.requests import RequestError, send_ping, send_request
from core.platform.audit import list_audit
from core.platform.clock import FixedClock
from db.models import Account, Block, Notification, Person, Report
from tests.integration.agenda.test_meeting_races import ROUNDS, race
from tests.integration.networking.test_blocks import TEN, pair  # noqa: F401  (the fixture)

PASSWORD = "correct-horse-9"


@pytest.fixture
def people(db, clock, pair):  # noqa: F811
    """Ana reports Bo; Bo has a login; an admin resolves. Returns (event_id, ana, bo, admin account id)."""
    event_id, ana, bo = pair
    admin = create_account(db, actor_id=None, username="mod", email="mod@x.io", display_name="Mod",
                           password=PASSWORD, roles=["admin"])
    create_account(db, actor_id=None, username="bo.silva", email="bo@x.io", display_name="Bo", password=PASSWORD,
                   roles=["attendee"], person_id=bo)
    db.flush()
    return event_id, ana, bo, admin.id


def report(db, clock, reporter: int, reported: int, **extra) -> Report:
    return report_person(db, reporter_id=reporter, reported_id=reported, context="thread", reason="spam",
                         clock=clock, **extra)


def test_a_report_waits_in_the_queue_with_both_names_the_context_and_earlier_reports(db, clock, people):
    _, ana, bo, _ = people
    first = report(db, clock, ana, bo, details="Sends the same pitch to everyone")
    later = FixedClock(clock.now() + timedelta(minutes=5))
    report_person(db, reporter_id=bo, reported_id=ana, context="card", reason="fake_profile", clock=later)
    [oldest, newest] = moderation_queue(db)
    assert (oldest.report_id, oldest.reporter_name, oldest.reported_name) == (first.id, "Ana Silva", "Bo Silva")
    assert (oldest.context_label, oldest.reason_label, oldest.details) == (
        "A message thread", "Spam", "Sends the same pitch to everyone")
    assert (newest.reported_name, newest.reason_label, newest.earlier_reports) == ("Ana Silva", "Fake profile", 0)


def test_earlier_reports_against_the_same_person_are_counted(db, clock, people):
    _, ana, bo, admin = people
    first = report(db, clock, ana, bo)
    resolve_report(db, report_id=first.id, action="dismiss", admin_account_id=admin, clock=clock)
    report(db, clock, ana, bo)
    [item] = moderation_queue(db)
    assert item.earlier_reports == 1


def test_a_report_can_also_block_in_one_step(db, clock, people):
    _, ana, bo, _ = people
    report(db, clock, ana, bo, also_block=True)
    assert db.get(Block, (ana, bo)) is not None


def test_a_second_open_report_of_the_same_person_is_refused(db, clock, people):
    _, ana, bo, _ = people
    report(db, clock, ana, bo)
    with pytest.raises(ModerationError, match="already reported Bo Silva"):
        report(db, clock, ana, bo)


def test_report_details_are_capped_and_something_else_needs_details(db, clock, people):
    _, ana, bo, _ = people
    with pytest.raises(ModerationError, match="at most 1,000 characters"):
        report(db, clock, ana, bo, details="x" * 1001)
    with pytest.raises(ModerationError, match="needs details"):
        report_person(db, reporter_id=ana, reported_id=bo, context="card", reason="other", clock=clock)


def audit_of(db, action: str):
    return [(e.action, e.actor_label, e.target_id, e.details["action"]) for e in list_audit(db, action=action)]


def test_a_warning_notifies_the_reported_person_and_is_audit_logged(db, clock, people):
    _, ana, bo, admin = people
    item = report(db, clock, ana, bo)
    resolve_report(db, report_id=item.id, action="warn", admin_account_id=admin, clock=clock)
    [note] = notification_feed(db, bo)
    assert note.kind == NotificationKind.MODERATION and "reported your outreach (spam)" in note.body
    assert audit_of(db, "moderation.warn") == [("moderation.warn", "mod", str(item.id), "warn")]
    [done] = resolved_reports(db)
    assert (done.resolution_label, done.resolved_by, moderation_queue(db)) == ("Warned", "mod", [])


def test_suspended_outreach_refuses_requests_pings_and_meetings_and_says_until_when(db, clock, people):
    event_id, ana, bo, admin = people
    item = report(db, clock, ana, bo)
    resolve_report(db, report_id=item.id, action="suspend_outreach", admin_account_id=admin, clock=clock,
                   suspend_days=3)
    assert db.get(Person, bo).outreach_suspended_until == clock.now() + timedelta(days=3)
    until = "until 04 Dec 2026 09:00 UTC"
    with pytest.raises(RequestError, match=until):
        send_request(db, requester_id=bo, recipient_id=ana, event_id=event_id, clock=clock)
    with pytest.raises(RequestError, match=until):
        send_ping(db, sender_id=bo, recipient_id=ana, event_id=event_id, body="Hi", clock=clock)
    with pytest.raises(MeetingError, match=until):
        request_meeting(db, event_id=event_id, requester_id=bo, recipient_id=ana, slots=[TEN], clock=clock)
    assert audit_of(db, "moderation.suspend_outreach") == [
        ("moderation.suspend_outreach", "mod", str(item.id), "suspend_outreach")]


def test_outreach_works_again_once_the_suspension_ends(db, clock, people):
    event_id, ana, bo, admin = people
    item = report(db, clock, ana, bo)
    resolve_report(db, report_id=item.id, action="suspend_outreach", admin_account_id=admin, clock=clock,
                   suspend_days=1)
    later = FixedClock(clock.now() + timedelta(days=1, minutes=1))
    assert send_request(db, requester_id=bo, recipient_id=ana, event_id=event_id, clock=later).request.id


def test_disabling_the_account_ends_its_sessions_and_refuses_its_login(db, clock, people):
    _, ana, bo, admin = people
    account = db.scalar(select(Account).where(Account.person_id == bo))
    version = account.session_version
    assert log_in(db, username="bo.silva", password=PASSWORD, client="t", clock=clock).ok
    item = report(db, clock, ana, bo)
    resolve_report(db, report_id=item.id, action="disable_account", admin_account_id=admin, clock=clock)
    db.refresh(account)
    assert account.disabled and account.session_version == version + 1
    assert "disabled" in log_in(db, username="bo.silva", password=PASSWORD, client="t", clock=clock).refusal
    assert audit_of(db, "moderation.disable_account") == [
        ("moderation.disable_account", "mod", str(item.id), "disable_account")]
    assert [e.target_id for e in list_audit(db, action="account.disabled")] == [str(account.id)]


def test_dismissing_changes_nothing_for_the_person_and_is_audit_logged(db, clock, people):
    _, ana, bo, admin = people
    item = report(db, clock, ana, bo)
    resolve_report(db, report_id=item.id, action="dismiss", admin_account_id=admin, clock=clock)
    assert notification_feed(db, bo) == [] and db.get(Person, bo).outreach_suspended_until is None
    assert audit_of(db, "moderation.dismiss") == [("moderation.dismiss", "mod", str(item.id), "dismiss")]


def test_only_an_admin_resolves_and_a_report_resolves_once(db, clock, people):
    _, ana, bo, admin = people
    item = report(db, clock, ana, bo)
    attendee = db.scalar(select(Account.id).where(Account.username == "bo.silva"))
    with pytest.raises(ModerationError, match="Only admins"):
        resolve_report(db, report_id=item.id, action="dismiss", admin_account_id=attendee, clock=clock)
    resolve_report(db, report_id=item.id, action="dismiss", admin_account_id=admin, clock=clock)
    with pytest.raises(ModerationError, match="already resolved: dismissed"):
        resolve_report(db, report_id=item.id, action="warn", admin_account_id=admin, clock=clock)


def test_two_admins_resolving_one_report_at_once_resolve_it_once(db, engine, clock, people):
    _, ana, bo, admin = people
    other_admin = create_account(db, actor_id=None, username="mod2", email="mod2@x.io", display_name="Mod 2",
                                 password=PASSWORD, roles=["admin"]).id
    db.commit()
    for _ in range(ROUNDS):
        report_id = report(db, clock, ana, bo).id
        db.commit()
        outcomes = race(engine,
                        lambda s, r=report_id: resolve_report(s, report_id=r, action="warn", admin_account_id=admin,
                                                              clock=clock).resolution,
                        lambda s, r=report_id: resolve_report(s, report_id=r, action="dismiss",
                                                              admin_account_id=other_admin,
                                                              clock=clock).resolution,
                        refusal=ModerationError)
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        winner = next(value for kind, value in outcomes if kind == "ok")
        assert db.scalar(select(Report.resolution).where(Report.id == report_id)
                         .execution_options(populate_existing=True)) == winner
        assert len([e for e in list_audit(db) if e.target_type == "report" and e.target_id == str(report_id)]) == 1
        assert len(notification_feed(db, bo)) == (1 if winner == "warn" else 0)
        db.rollback()
        db.execute(delete(Report))
        db.execute(delete(Notification))
        db.commit()


def test_suspension_never_shortens_a_longer_one(db, clock, people):
    _, ana, bo, admin = people
    long_until = datetime(2027, 6, 1, tzinfo=UTC)
    db.get(Person, bo).outreach_suspended_until = long_until
    item = report(db, clock, ana, bo)
    resolve_report(db, report_id=item.id, action="suspend_outreach", admin_account_id=admin, clock=clock,
                   suspend_days=2)
    assert db.get(Person, bo).outreach_suspended_until == long_until
