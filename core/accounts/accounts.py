"""Accounts, roles and password hashing."""
from __future__ import annotations

import re

import bcrypt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.platform.audit import record_audit
from db.models import Account, Role

ROLE_VALUES = [r.value for r in Role]
USERNAME_RE = re.compile(r"^[a-z0-9_.-]{3,64}$")
MIN_PASSWORD_BYTES, MAX_PASSWORD_BYTES = 8, 72  # bcrypt reads at most 72 bytes; a longer one is refused, not cut
BCRYPT_ROUNDS = 12


class AccountError(ValueError):
    """An account change that is not allowed; the message says why."""


def check_password_rules(password: str) -> None:
    """Refuse a password bcrypt cannot take whole, or one too short to be safe."""
    size = len(password.encode())
    if size < MIN_PASSWORD_BYTES:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_BYTES} characters.")
    if size > MAX_PASSWORD_BYTES:
        raise AccountError(f"Passwords can be at most {MAX_PASSWORD_BYTES} bytes (about {MAX_PASSWORD_BYTES} letters, "
                           "fewer with accents or emoji). Choose a shorter one.")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()


def password_matches(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], password_hash.encode())
    except ValueError:  # a malformed stored hash
        return False


def get_account(session: Session, username: str) -> Account | None:
    return session.scalar(select(Account).where(Account.username == username))


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.username)))


def _clean_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in ROLE_VALUES]
    if unknown:
        raise AccountError(f"Unknown role(s): {', '.join(unknown)}. Use {', '.join(ROLE_VALUES)}.")
    if not roles:
        raise AccountError("An account needs at least one role.")
    return [r for r in ROLE_VALUES if r in roles]


def _require_admin(session: Session, actor_id: int | None) -> None:
    # Nobody edits their own access, so an enabled admin actor always remains: no "last admin" case exists.
    actor = session.get(Account, actor_id) if actor_id is not None else None
    if actor_id is not None and (actor is None or actor.disabled or Role.ADMIN.value not in actor.roles):
        raise AccountError("Only admins can manage accounts.")


def create_account(session: Session, *, actor_id: int | None, username: str, email: str, display_name: str,
                   password: str, roles: list[str], person_id: int | None = None) -> Account:
    """Create an account (actor None means the system, e.g. demo seeding)."""
    _require_admin(session, actor_id)
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError("Usernames are 3–64 characters: lowercase letters, digits, '.', '_' or '-'.")
    check_password_rules(password)
    if "@" not in email:
        raise AccountError(f"'{email}' is not an email address.")
    if get_account(session, username):
        raise AccountError(f"The username '{username}' is taken.")
    if session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower())):
        raise AccountError(f"An account with the email {email} exists already.")
    account = Account(username=username, email=email.strip().lower(), display_name=display_name.strip() or username,
                      password_hash=hash_password(password), roles=_clean_roles(roles), person_id=person_id)
    session.add(account)
    session.flush()
    record_audit(session, actor_id=actor_id, action="account.created", target_type="account", target_id=account.id,
                 details={"username": username, "roles": account.roles})
    return account


def set_roles(session: Session, *, actor_id: int, account_id: int, roles: list[str]) -> None:
    """Change another account's roles; nobody can change their own."""
    _require_admin(session, actor_id)
    if actor_id == account_id:
        raise AccountError("You cannot change your own roles; ask another admin.")
    new_roles = _clean_roles(roles)
    target = session.get(Account, account_id)
    before = list(target.roles)
    target.roles = new_roles
    record_audit(session, actor_id=actor_id, action="account.roles_changed", target_type="account", target_id=target.id,
                 details={"username": target.username, "before": before, "after": new_roles})


def set_disabled(session: Session, *, actor_id: int, account_id: int, disabled: bool) -> None:
    """Disable or re-enable another account."""
    _require_admin(session, actor_id)
    if actor_id == account_id:
        raise AccountError("You cannot disable your own account.")
    target = session.get(Account, account_id)
    target.disabled = disabled
    if disabled:
        target.session_version += 1  # every login cookie of the account stops working at once
    record_audit(session, actor_id=actor_id, action="account.disabled" if disabled else "account.enabled",
                 target_type="account", target_id=target.id, details={"username": target.username})
