"""Login gate and the role guard every page starts with."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import streamlit_authenticator as stauth

from core.accounts import Role
from core.accounts.accounts import authenticator_credentials, get_account
from ui.resources import db_session, settings

COOKIE_NAME = "globalconnect_auth"
DEMO_ACCOUNTS_KEY = "demo_accounts"


@dataclass(frozen=True)
class CurrentUser:
    account_id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    person_id: int | None

    def has(self, role: Role) -> bool:
        return role.value in self.roles


def authenticator() -> stauth.Authenticate:
    with db_session() as session:
        credentials = authenticator_credentials(session)
    return stauth.Authenticate(credentials, COOKIE_NAME, settings().cookie_key.get_secret_value(),
                               cookie_expiry_days=7, auto_hash=False)


def current_user() -> CurrentUser | None:
    """The logged-in, enabled account, read fresh from the database (roles may have changed)."""
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username")
    with db_session() as session:
        account = get_account(session, username) if username else None
        if account is None or account.disabled:
            return None
        return CurrentUser(account.id, account.username, account.display_name, tuple(account.roles), account.person_id)


def require_role(*roles: Role) -> CurrentUser:
    """Stop rendering unless a logged-in user holds one of `roles`."""
    user = current_user()
    if user is None:
        st.title("GlobalConnect")
        st.info("Please log in to continue: open the GlobalConnect home page and sign in.")
        st.stop()
    if roles and not any(user.has(r) for r in roles):
        st.error("You do not have access to this page. It is for: " + ", ".join(r.value for r in roles) + ".")
        st.stop()
    return user
