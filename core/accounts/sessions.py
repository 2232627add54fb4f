"""Logins: password checks with throttling stored in Postgres, and signed session tokens that the server can revoke."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.accounts import get_account, hash_password, password_matches
from core.platform.audit import client_hash, record_audit
from core.platform.clock import Clock
from db.models import Account, LoginAttempt

FREE_FAILURES = 5  # failures in a row before the backoff starts
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=30)
ATTEMPT_WINDOW = timedelta(hours=24)
SESSION_DAYS = 7
# Checked against when the username is unknown, so that an unknown name costs the same time as a known one.
_DUMMY_HASH = hash_password("not-a-real-password-0")


@dataclass(frozen=True)
class LoginOutcome:
    """A login attempt's result: the account on success, else `refusal`, a message that is safe to show."""

    account_id: int | None
    username: str
    session_version: int = 0
    refusal: str = ""

    @property
    def ok(self) -> bool:
        return not self.refusal


def _failures_in_a_row(session: Session, column, values: list[str], now: datetime) -> tuple[int, datetime | None]:
    """Failed attempts since the last success (within the window), and when the latest one was."""
    since = now - ATTEMPT_WINDOW
    last_success = session.scalar(select(func.max(LoginAttempt.at)).where(
        column.in_(values), LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since))
    start = max(since, last_success) if last_success else since
    count, latest = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        column.in_(values), LoginAttempt.succeeded.is_(False), LoginAttempt.at >= start)).one()
    return count, latest


def backoff(failures: int) -> timedelta:
    """The wait after `failures` failures in a row: none for the first five, then 30 s doubling up to 30 min."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_BACKOFF * 2 ** (failures - FREE_FAILURES), MAX_BACKOFF)


def client_keys(client: str, now: datetime) -> list[str]:
    """The stored keys of a client within the attempt window: its daily hash today and yesterday (the raw address
    is never stored; the hash changes at midnight, and the window is a day long)."""
    return [client_hash(client, now), client_hash(client, now - ATTEMPT_WINDOW)]


def retry_after(session: Session, *, username: str, client: str, now: datetime) -> datetime | None:
    """When this username and client may try again, or None if they may try now."""
    waits = []
    for column, value in ((LoginAttempt.username, [username]), (LoginAttempt.client, client_keys(client, now))):
        failures, latest = _failures_in_a_row(session, column, value, now)
        if latest is not None and failures >= FREE_FAILURES:
            waits.append(latest + backoff(failures))
    until = max(waits, default=None)
    return until if until is not None and until > now else None


def _record(session: Session, *, username: str, client: str, succeeded: bool, now: datetime,
            account: Account | None, reason: str = "") -> None:
    if reason != "throttled":  # a refused try during a backoff is audit-logged but does not lengthen the backoff
        session.add(LoginAttempt(username=username[:254], client=client_hash(client, now), succeeded=succeeded,
                                 at=now))
    record_audit(session, actor_id=account.id if account else None,
                 action="login.succeeded" if succeeded else "login.failed", target_type="account",
                 target_id=account.id if account else "", at=now, client=client,
                 target_person_id=account.person_id if account else None,
                 details={"username": username[:254], **({"reason": reason} if reason else {})})
    session.flush()


def log_in(session: Session, *, username: str, password: str, client: str, clock: Clock) -> LoginOutcome:
    """Check a username and password under the throttle; every attempt is recorded and audit-logged, so the caller
    commits whatever the outcome. A refusal says what to do (and when to retry during a backoff)."""
    now = clock.now()
    username = username.strip().lower()
    until = retry_after(session, username=username, client=client, now=now)
    if until is not None:
        _record(session, username=username, client=client, succeeded=False, now=now, account=None, reason="throttled")
        seconds = math.ceil((until - now).total_seconds())
        return LoginOutcome(None, username, refusal=f"Too many failed logins. Try again in {_duration(seconds)} "
                                                    f"(at {until:%H:%M:%S} UTC).")
    account = get_account(session, username)
    matches = password_matches(password, account.password_hash if account else _DUMMY_HASH)
    if account is None or not matches or account.disabled:
        reason = "unknown user" if account is None else ("disabled" if matches else "wrong password")
        _record(session, username=username, client=client, succeeded=False, now=now, account=account, reason=reason)
        return LoginOutcome(None, username, refusal="Username or password is incorrect." if reason != "disabled"
                            else "This account is disabled. Ask an admin to enable it.")
    _record(session, username=username, client=client, succeeded=True, now=now, account=account)
    return LoginOutcome(account.id, account.username, account.session_version)


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def issue_token(outcome: LoginOutcome, *, key: str, now: datetime, days: int = SESSION_DAYS) -> str:
    """A signed session token: the account, its session version, and an expiry."""
    return jwt.encode({"sub": outcome.username, "aid": outcome.account_id, "ver": outcome.session_version,
                       "exp": int((now + timedelta(days=days)).timestamp())},
                      key, algorithm="HS256")


def account_for_token(session: Session, token: str | None, *, key: str, now: datetime) -> Account | None:
    """The enabled account a session token belongs to, or None for a forged, expired or revoked token."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"],
                            options={"require": ["sub", "aid", "ver", "exp"], "verify_exp": False})
    except jwt.PyJWTError:
        return None
    if claims["exp"] < now.timestamp():  # checked against the service clock, not the machine's
        return None
    account = session.get(Account, claims["aid"])
    if account is None or account.disabled or account.username != claims["sub"]:
        return None
    return account if account.session_version == claims["ver"] else None


def revoke_sessions(session: Session, *, account_id: int, clock: Clock, reason: str = "logout") -> None:
    """Make every session token of the account invalid (logout everywhere, disable, password change)."""
    account = session.get(Account, account_id)
    account.session_version += 1
    record_audit(session, actor_id=account_id, action=f"session.{reason}", target_type="account",
                 target_id=account_id, at=clock.now())
    session.flush()


def token_for(session: Session, *, username: str, key: str, now: datetime) -> str:
    """A session token for an existing account, as a login would issue it, for trusted tools (tests, benchmarks)."""
    account = get_account(session, username)
    return issue_token(LoginOutcome(account.id, account.username, account.session_version), key=key, now=now)
