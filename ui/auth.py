"""Login gate and the role guard every page starts with: a throttled login form, and a signed session cookie that
is read on the very first run (so a reload or a deep link stays logged in) and can be revoked server-side."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import streamlit as st

from core.accounts import Role
from core.accounts.sessions import account_for_token, issue_token, log_in, revoke_sessions
from ui.resources import clock, db_session, settings, transaction

COOKIE_NAME = "globalconnect_session"
TOKEN_KEY = "session_token"
SIGNED_OUT_KEY = "signed_out"
AFTER_LOGIN_KEY = "open_first_page"


@dataclass(frozen=True)
class CurrentUser:
    account_id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    person_id: int | None

    def has(self, role: Role) -> bool:
        return role.value in self.roles


# The user app.py has just read for this script run, while it runs the page: the page's guard then needs no second
# read of the same session token.
_RUN_USER: ContextVar[CurrentUser | None] = ContextVar("globalconnect_run_user", default=None)


@contextmanager
def user_of_this_run(user: CurrentUser) -> Iterator[None]:
    """Around the page run: `require_role` takes `user`, read by app.py in this same run, instead of reading again."""
    token = _RUN_USER.set(user)
    try:
        yield
    finally:
        _RUN_USER.reset(token)


def _cookie_key() -> str:
    return settings().cookie_key.get_secret_value()


def client_address() -> str:
    """Who is asking, for the login throttle: the proxy's forwarded address if any, else the peer address."""
    forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[0].strip()
    peer = st.context.ip_address
    return forwarded or (peer if isinstance(peer, str) and peer else "unknown")


def _token() -> str | None:
    token = st.session_state.get(TOKEN_KEY)
    if token is None and not st.session_state.get(SIGNED_OUT_KEY):
        token = st.context.cookies.get(COOKIE_NAME)  # sent with the page request, so known on the first run
    return token


def current_user() -> CurrentUser | None:
    """The account of this browser session, read fresh from the database; None for no, a forged, an expired or a
    revoked token."""
    token = _token()
    if not token:
        return None
    with db_session() as session:
        account = account_for_token(session, token, key=_cookie_key(), now=clock().now())
        if account is None:
            st.session_state.pop(TOKEN_KEY, None)
            return None
        user = CurrentUser(account.id, account.username, account.display_name, tuple(account.roles),
                           account.person_id)
    st.session_state[TOKEN_KEY] = token
    return user


def _write_cookie(value: str, max_age: int) -> None:
    secure = "; Secure" if settings().public_base_url.startswith("https://") else ""
    cookie = f"{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; SameSite=Strict{secure}"
    st.html(f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True)


def keep_cookie() -> None:
    """Store the session token in the browser, so a reload or a new tab stays logged in.

    It is drawn on every run, in the same place, so that the page's other elements never shift (a shift makes
    Streamlit show stale copies of them until the rerun ends); the browser does nothing for an unchanged script."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        _write_cookie(token, 7 * 24 * 3600)


def login_form() -> None:
    """The username/password form; a success stores the session token and reruns into the app."""
    with st.form("login"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in", type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error("Enter your username and password.")
        return
    with transaction() as session:  # committed either way: a failed attempt counts towards the throttle
        outcome = log_in(session, username=username, password=password, client=client_address(), clock=clock())
    if not outcome.ok:
        st.error(outcome.refusal)
        return
    st.session_state[TOKEN_KEY] = issue_token(outcome, key=_cookie_key(), now=clock().now())
    st.session_state.pop(SIGNED_OUT_KEY, None)
    st.rerun()


def log_out(user: CurrentUser) -> None:
    """End every session of this account (server-side); the login screen then clears this browser's cookie."""
    with transaction() as session:
        revoke_sessions(session, account_id=user.account_id, clock=clock())
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state[SIGNED_OUT_KEY] = True


def forget_cookie() -> None:
    """After a logout, remove the (now revoked) session cookie from this browser."""
    if st.session_state.get(SIGNED_OUT_KEY) and st.context.cookies.get(COOKIE_NAME):
        _write_cookie("", 0)


def public_page() -> CurrentUser | None:
    """The guard of a page meant for people who are not logged in (login, sign-up, invitation and password
    links): it needs no role, and says so explicitly; returns the user if someone is logged in anyway."""
    return current_user()


def require_role(*roles: Role) -> CurrentUser:
    """Stop rendering unless a logged-in user holds one of `roles`."""
    user = _RUN_USER.get() or current_user()
    if user is None:
        st.title("GlobalConnect")
        st.info("Please log in to continue: open the GlobalConnect home page and sign in.")
        st.stop()
    if roles and not any(user.has(r) for r in roles):
        st.error("You do not have access to this page. It is for: " + ", ".join(r.value for r in roles) + ".")
        st.stop()
    return user
