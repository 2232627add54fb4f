"""The login throttle on hashed clients, on a real Postgres: the raw address is never stored, and one client's
failures still slow down every username it tries, across midnight too."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.accounts.accounts import create_account
from core.accounts.sessions import log_in
from core.platform.clock import FixedClock
from db.models import LoginAttempt

CLIENT = "198.51.100.23"
BEFORE_MIDNIGHT = datetime(2026, 12, 1, 23, 59, 50, tzinfo=UTC)  # six failures: a 60 s wait


def fail_six_times(db, clock) -> None:
    for attempt in range(6):
        log_in(db, username=f"nobody{attempt}", password="wrong-password", client=CLIENT, clock=clock)


def test_a_clients_failures_throttle_another_username_from_it(db, clock):
    create_account(db, actor_id=None, username="ana", email="ana@x.io", display_name="Ana",
                   password="right-password-1", roles=["attendee"])
    fail_six_times(db, clock)
    refused = log_in(db, username="ana", password="right-password-1", client=CLIENT, clock=clock)
    assert refused.refusal.startswith("Too many failed logins")


def test_the_throttle_still_holds_just_after_midnight_when_the_daily_hash_changes(db):
    create_account(db, actor_id=None, username="ana", email="ana@x.io", display_name="Ana",
                   password="right-password-1", roles=["attendee"])
    fail_six_times(db, FixedClock(BEFORE_MIDNIGHT))
    after_midnight = FixedClock(BEFORE_MIDNIGHT + timedelta(seconds=20))
    refused = log_in(db, username="ana", password="right-password-1", client=CLIENT, clock=after_midnight)
    assert refused.refusal.startswith("Too many failed logins")


def test_another_client_is_not_throttled_by_them(db, clock):
    create_account(db, actor_id=None, username="ana", email="ana@x.io", display_name="Ana",
                   password="right-password-1", roles=["attendee"])
    fail_six_times(db, clock)
    assert log_in(db, username="ana", password="right-password-1", client="198.51.100.24", clock=clock).ok


def test_login_attempts_store_only_the_sixteen_character_hash(db, clock):
    fail_six_times(db, clock)
    stored = set(db.scalars(select(LoginAttempt.client)))
    assert len(stored) == 1 and CLIENT not in stored and len(stored.pop()) == 16
