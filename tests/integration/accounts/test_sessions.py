"""Logins on real Postgres: throttling per username and client, audit, and session tokens the server can revoke."""
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select

from core.accounts.accounts import create_account, set_disabled
from core.accounts.sessions import (
    account_for_token,
    issue_token,
    log_in,
    revoke_sessions,
)
from core.platform.clock import FixedClock
from core.platform.settings import DEV_COOKIE_KEY
from db.models import AuditLog, LoginAttempt

KEY = "k" * 40


@pytest.fixture
def ana(db):
    account = create_account(db, actor_id=None, username="ana", email="ana@x.io", display_name="Ana Silva",
                             password="right-password-1", roles=["attendee"])
    db.commit()
    return account


def wrong(db, clock, client="10.0.0.1", username="ana"):
    outcome = log_in(db, username=username, password="wrong-password", client=client, clock=clock)
    assert not outcome.ok and outcome.account_id is None
    return outcome.refusal


def test_the_right_password_logs_in_and_is_audit_logged(db, clock, ana):
    outcome = log_in(db, username="Ana", password="right-password-1", client="10.0.0.1", clock=clock)
    assert (outcome.account_id, outcome.session_version) == (ana.id, 1)
    assert db.scalar(select(AuditLog.action).where(AuditLog.action.like("login.%"))) == "login.succeeded"


def test_six_wrong_passwords_in_a_row_are_throttled_and_the_right_one_is_refused_with_the_wait(db, clock, ana):
    messages = [wrong(db, clock) for _ in range(6)]
    assert messages[:5] == ["Username or password is incorrect."] * 5
    assert messages[5].startswith("Too many failed logins. Try again in 30 seconds")
    refused = log_in(db, username="ana", password="right-password-1", client="10.0.0.1", clock=clock)
    assert refused.refusal.startswith("Too many failed logins. Try again in 30 seconds")
    failed = db.scalars(select(AuditLog).where(AuditLog.action == "login.failed")).all()
    assert len(failed) == 7 and failed[-1].details["reason"] == "throttled"


def test_the_backoff_doubles_and_a_login_after_it_succeeds(db, clock, ana):
    for _ in range(6):
        wrong(db, clock)
    later = FixedClock(clock.now() + timedelta(seconds=31))
    assert wrong(db, later) == "Username or password is incorrect."
    assert "Try again in 60 seconds" in wrong(db, later)
    after = FixedClock(later.now() + timedelta(seconds=61))
    assert log_in(db, username="ana", password="right-password-1", client="10.0.0.1", clock=after).account_id == ana.id


def test_failures_from_one_client_throttle_other_usernames_from_it(db, clock, ana):
    for n in range(5):
        wrong(db, clock, username=f"guess{n}")
    assert wrong(db, clock, username="ana").startswith("Too many failed logins")
    assert log_in(db, username="ana", password="right-password-1", client="10.0.0.2", clock=clock).ok


def test_unknown_usernames_are_refused_like_wrong_passwords_and_recorded(db, clock, ana):
    assert wrong(db, clock, username="nobody") == "Username or password is incorrect."
    assert db.scalar(select(LoginAttempt.username)) == "nobody"


def test_a_disabled_account_cannot_log_in(db, clock, ana):
    admin = create_account(db, actor_id=None, username="root", email="root@x.io", display_name="Root",
                           password="root-password-1", roles=["admin"])
    set_disabled(db, actor_id=admin.id, account_id=ana.id, disabled=True)
    refused = log_in(db, username="ana", password="right-password-1", client="10.0.0.1", clock=clock)
    assert "disabled" in refused.refusal


def test_a_token_identifies_its_account_until_the_sessions_are_revoked(db, clock, ana):
    token = issue_token(log_in(db, username="ana", password="right-password-1", client="c", clock=clock),
                        key=KEY, now=clock.now())
    assert account_for_token(db, token, key=KEY, now=clock.now()).id == ana.id
    revoke_sessions(db, account_id=ana.id, clock=clock)
    assert account_for_token(db, token, key=KEY, now=clock.now()) is None


def test_disabling_an_account_revokes_its_tokens(db, clock, ana):
    token = issue_token(log_in(db, username="ana", password="right-password-1", client="c", clock=clock),
                        key=KEY, now=clock.now())
    admin = create_account(db, actor_id=None, username="root", email="root@x.io", display_name="Root",
                           password="root-password-1", roles=["admin"])
    set_disabled(db, actor_id=admin.id, account_id=ana.id, disabled=True)
    set_disabled(db, actor_id=admin.id, account_id=ana.id, disabled=False)
    assert account_for_token(db, token, key=KEY, now=clock.now()) is None


def test_a_token_signed_with_the_old_default_key_logs_nobody_in(db, clock, ana):
    forged = jwt.encode({"username": "ana", "sub": "ana", "aid": ana.id, "ver": 1,
                         "exp": int((clock.now() + timedelta(days=1)).timestamp())}, DEV_COOKIE_KEY, algorithm="HS256")
    assert account_for_token(db, forged, key=KEY, now=clock.now()) is None


def test_a_token_in_the_old_cookie_format_logs_nobody_in(db, clock, ana):
    old_style = jwt.encode({"username": "ana", "exp_date": clock.now().timestamp() + 3600}, KEY, algorithm="HS256")
    assert account_for_token(db, old_style, key=KEY, now=clock.now()) is None


def test_an_expired_token_logs_nobody_in(db, clock, ana):
    token = issue_token(log_in(db, username="ana", password="right-password-1", client="c", clock=clock),
                        key=KEY, now=clock.now(), days=1)
    assert account_for_token(db, token, key=KEY, now=clock.now() + timedelta(days=2)) is None
