"""Signed single-use links: invitations for uploaded attendees and one-time password-reset links."""
from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.accounts.accounts import (
    AccountError,
    check_password_rules,
    create_account,
    hash_password,
    password_matches,
)
from core.events.visibility import live
from core.ingest.tabular import safe_csv_cell
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.mail import Mail, html_page, queue_mail
from db.filters import in_values
from db.models import Account, AccountToken, Event, Person, Registration, Role, TokenPurpose

INVITATION_PAGE = "accept-invitation"
RESET_PAGE = "reset-password"


class LinkError(ValueError):
    """A link that cannot be used (forged, expired, used, or for someone else); the message says what to do."""


@dataclass(frozen=True)
class InvitationLink:
    email: str
    first_name: str
    last_name: str
    link: str


@dataclass(frozen=True)
class LinkTarget:
    """Who a valid link is for, to greet them on the page that opens it."""

    token_id: int
    email: str
    name: str
    event_name: str | None


def _signature(key: str, purpose: str, nonce: str) -> str:
    digest = hmac.new(key.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _new_token(purpose: str, key: str) -> tuple[str, str]:
    """(the token for the link, the hash to store): a random nonce signed with the app's secret key."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_signature(key, purpose, nonce)}", _hash(nonce)


def _link(base_url: str, page: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{page}?{urlencode({'token': token})}"


def _find(session: Session, token: str, purpose: str, key: str, now: datetime, *, lock: bool) -> AccountToken:
    nonce, _, signature = (token or "").strip().partition(".")
    if not nonce or not hmac.compare_digest(signature, _signature(key, purpose, nonce)):
        raise LinkError("This link is not valid. Check that you copied all of it, or ask for a new one.")
    query = select(AccountToken).where(AccountToken.token_hash == _hash(nonce), AccountToken.purpose == purpose)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise LinkError("This link is not valid any more: a newer one replaced it. Use the latest link you received.")
    if row.used_at is not None:
        raise LinkError("This link was used already. Log in with the username and password you chose, or ask for "
                        "a new link.")
    if row.expires_at <= now:
        raise LinkError(f"This link expired on {row.expires_at:%d %b %Y}. Ask for a new one.")
    return row


def generate_invitations(session: Session, *, event_id: int, actor_id: int | None, clock: Clock, key: str,
                         base_url: str, days: int, send: bool) -> list[InvitationLink]:
    """A fresh invitation link for every registered attendee of the event who has no account yet.

    Earlier unused links of those people for this event stop working. With `send`, each link is also queued as
    an email; without it the messages are kept as not sent, for the organizer's own mail tool."""
    now = clock.now()
    event = session.get(Event, event_id)
    people = session.scalars(
        select(Person).join(Registration, Registration.person_id == Person.id)
        .where(Registration.event_id == event_id, live(Person),
               ~Person.id.in_(select(Account.person_id).where(Account.person_id.is_not(None))))
        .order_by(Person.last_name, Person.first_name, Person.id)).all()
    session.execute(update(AccountToken).where(
        AccountToken.purpose == TokenPurpose.INVITATION, AccountToken.event_id == event_id,
        in_values(AccountToken.person_id, [p.id for p in people]), AccountToken.used_at.is_(None))
        .values(expires_at=now))
    links = []
    for person in people:
        token, token_hash = _new_token(TokenPurpose.INVITATION, key)
        session.add(AccountToken(purpose=TokenPurpose.INVITATION, token_hash=token_hash, event_id=event_id,
                                 person_id=person.id, created_at=now, expires_at=now + timedelta(days=days),
                                 created_by=actor_id))
        link = _link(base_url, INVITATION_PAGE, token)
        links.append(InvitationLink(person.email, person.first_name, person.last_name, link))
        queue_mail(session, kind="invitation", mail=invitation_mail(person, event, link, days), clock=clock,
                   deliverable=send)
    record_audit(session, actor_id=actor_id, action="invitations.generated", target_type="event",
                 target_id=event_id, details={"links": len(links), "emailed": send}, at=now)
    session.flush()
    return links


def invitation_mail(person: Person, event: Event, link: str, days: int) -> Mail:
    greeting = f"Hello {person.first_name},"
    lines = [greeting, f"You are registered for {event.name}. GlobalConnect tells you who to meet there and why.",
             f"Choose a username and password to see your matches. The link works once, for {days} days."]
    text = "\n\n".join([*lines, link])
    return Mail(person.email, f"Your invitation to {event.name} on GlobalConnect", text,
                html_page(lines, ("Accept the invitation", link)))


def open_invitation(session: Session, *, token: str, key: str, clock: Clock) -> LinkTarget:
    """Who the invitation is for; raises LinkError for a link that cannot be used."""
    row = _find(session, token, TokenPurpose.INVITATION, key, clock.now(), lock=False)
    person, event = session.get(Person, row.person_id), session.get(Event, row.event_id)
    return LinkTarget(row.id, person.email, person.full_name, event.name if event else None)


def accept_invitation(session: Session, *, token: str, username: str, password: str, key: str,
                      clock: Clock) -> Account:
    """Create the invited person's account with the chosen username and password; the link is then used up.

    The token row is locked, so two submissions of one link create one account."""
    row = _find(session, token, TokenPurpose.INVITATION, key, clock.now(), lock=True)
    person = session.get(Person, row.person_id)
    if session.scalar(select(Account.id).where(Account.person_id == person.id)) is not None:
        raise LinkError("You have an account already. Log in with it.")
    account = create_account(session, actor_id=None, username=username, email=person.email,
                             display_name=person.full_name, password=password, roles=[Role.ATTENDEE.value],
                             person_id=person.id)
    row.used_at, row.account_id = clock.now(), account.id
    record_audit(session, actor_id=account.id, action="invitation.accepted", target_type="person",
                 target_id=person.id, details={"event_id": row.event_id}, at=clock.now())
    session.flush()
    return account


def create_reset_link(session: Session, *, account_id: int, actor_id: int | None, clock: Clock, key: str,
                      base_url: str, hours: int) -> str:
    """A one-time password-reset link for an account (earlier unused ones stop working)."""
    now = clock.now()
    session.execute(update(AccountToken).where(
        AccountToken.purpose == TokenPurpose.PASSWORD_RESET, AccountToken.account_id == account_id,
        AccountToken.used_at.is_(None)).values(expires_at=now))
    token, token_hash = _new_token(TokenPurpose.PASSWORD_RESET, key)
    session.add(AccountToken(purpose=TokenPurpose.PASSWORD_RESET, token_hash=token_hash, account_id=account_id,
                             created_at=now, expires_at=now + timedelta(hours=hours), created_by=actor_id))
    record_audit(session, actor_id=actor_id, action="password.reset_link_created", target_type="account",
                 target_id=account_id, at=now)
    session.flush()
    return _link(base_url, RESET_PAGE, token)


def request_password_reset(session: Session, *, email: str, clock: Clock, key: str, base_url: str, hours: int,
                           send: bool) -> None:
    """'Forgot password': email a reset link when the address has an enabled account and mail is configured.

    It answers the same way whether or not the address is known, so nobody can probe for accounts."""
    account = session.scalar(select(Account).where(Account.email == (email or "").strip().lower(),
                                                   Account.disabled.is_(False)))
    if account is None or not send:
        return
    link = create_reset_link(session, account_id=account.id, actor_id=None, clock=clock, key=key, base_url=base_url,
                             hours=hours)
    lines = [f"Hello {account.display_name},", "Someone asked to reset the password of your GlobalConnect account "
             f"'{account.username}'. If it was you, choose a new one; the link works once, for {hours} hours.",
             "If it was not you, ignore this message: your password stays as it is."]
    queue_mail(session, kind="password_reset", clock=clock, deliverable=True,
               mail=Mail(account.email, "Reset your GlobalConnect password", "\n\n".join([*lines, link]),
                         html_page(lines, ("Choose a new password", link))))


def open_reset_link(session: Session, *, token: str, key: str, clock: Clock) -> LinkTarget:
    row = _find(session, token, TokenPurpose.PASSWORD_RESET, key, clock.now(), lock=False)
    account = session.get(Account, row.account_id)
    return LinkTarget(row.id, account.email, account.display_name, None)


def reset_password(session: Session, *, token: str, new_password: str, key: str, clock: Clock) -> Account:
    """Set a new password through a reset link; every existing login of the account is signed out."""
    row = _find(session, token, TokenPurpose.PASSWORD_RESET, key, clock.now(), lock=True)
    check_password_rules(new_password)
    account = session.get(Account, row.account_id)
    account.password_hash = hash_password(new_password)
    account.session_version += 1
    row.used_at = clock.now()
    record_audit(session, actor_id=account.id, action="password.reset", target_type="account", target_id=account.id,
                 at=clock.now())
    session.flush()
    return account


def change_password(session: Session, *, account_id: int, current: str, new: str, clock: Clock) -> None:
    """Change your own password; other logins of the account are signed out."""
    account = session.get(Account, account_id)
    if not password_matches(current, account.password_hash):
        raise AccountError("Your current password is not right.")
    if current == new:
        raise AccountError("The new password is the same as the current one.")
    account.password_hash = hash_password(new)
    account.session_version += 1
    record_audit(session, actor_id=account_id, action="password.changed", target_type="account",
                 target_id=account_id, at=clock.now())
    session.flush()


def invitations_csv(links: list[InvitationLink]) -> str:
    """The links as CSV (email,first_name,last_name,link) for the organizer's mail tool, safe to open in a
    spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["email", "first_name", "last_name", "link"])
    for link in links:
        writer.writerow([safe_csv_cell(v) for v in (link.email, link.first_name, link.last_name, link.link)])
    return buffer.getvalue()
