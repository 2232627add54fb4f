"""Accounts and roles: who may change whose access."""
import pytest

from core.accounts.accounts import AccountError, create_account, set_disabled, set_roles
from core.accounts.sessions import log_in


@pytest.fixture
def people(db):
    admin = create_account(db, actor_id=None, username="root", email="root@x.io", display_name="Root Admin",
                           password="secret-123", roles=["admin"])
    other = create_account(db, actor_id=None, username="bea", email="bea@x.io", display_name="Bea Attendee",
                           password="secret-123", roles=["attendee"])
    db.commit()
    return admin, other


def test_an_admin_can_change_another_accounts_roles(db, people):
    admin, other = people
    set_roles(db, actor_id=admin.id, account_id=other.id, roles=["organizer", "attendee"])
    assert other.roles == ["attendee", "organizer"]


def test_nobody_can_change_their_own_roles(db, people):
    admin, _ = people
    with pytest.raises(AccountError, match="own roles"):
        set_roles(db, actor_id=admin.id, account_id=admin.id, roles=["admin", "staff"])


def test_a_non_admin_cannot_grant_roles(db, people):
    admin, other = people
    with pytest.raises(AccountError, match="Only admins"):
        set_roles(db, actor_id=other.id, account_id=admin.id, roles=["attendee"])


def test_a_disabled_admin_cannot_change_roles(db, people):
    admin, other = people
    set_roles(db, actor_id=admin.id, account_id=other.id, roles=["admin"])
    set_disabled(db, actor_id=admin.id, account_id=other.id, disabled=True)
    with pytest.raises(AccountError, match="Only admins"):
        set_roles(db, actor_id=other.id, account_id=admin.id, roles=["attendee"])


def test_unknown_roles_are_refused(db, people):
    admin, other = people
    with pytest.raises(AccountError, match="Unknown role"):
        set_roles(db, actor_id=admin.id, account_id=other.id, roles=["superuser"])


def test_a_disabled_account_is_refused_at_login(db, people, clock):
    admin, other = people
    set_disabled(db, actor_id=admin.id, account_id=other.id, disabled=True)
    assert "disabled" in log_in(db, username="bea", password="secret-123", client="t", clock=clock).refusal


def test_passwords_are_stored_as_bcrypt_hashes_of_cost_12(db, people):
    _, other = people
    assert other.password_hash.startswith("$2b$12$") and "secret-123" not in other.password_hash


def test_a_taken_username_is_refused(db, people):
    with pytest.raises(AccountError, match="taken"):
        create_account(db, actor_id=None, username="bea", email="b2@x.io", display_name="B", password="secret-123",
                       roles=["attendee"])
