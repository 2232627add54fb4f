"""The login screen, the session it starts, and the role guard."""
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.accounts import Role
from core.demo.seed import DEMO_ACCOUNTS
from db.models import Account, AuditLog
from tests.conftest import ROOT
from tests.ui.conftest import APP, logged_in_app, texts
from ui.navigation import PAGES


def log_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "Log in").click()
    return at.run()


def test_the_login_screen_lists_the_demo_accounts_in_demo_mode(demo):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = at.table[0].value
    assert list(shown["username"]) == [a.username for a in DEMO_ACCOUNTS]


def test_the_login_screen_hides_demo_accounts_outside_demo_mode(demo, monkeypatch):
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.setenv("COOKIE_KEY", "a-real-secret-key-that-is-long-enough-123")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.table and not at.exception


def test_a_demo_account_logs_in_with_its_password(demo):
    at = log_in(AppTest.from_file(APP, default_timeout=60).run(), "admin", "admin-demo-1")
    after = AppTest.from_file(APP, default_timeout=60)  # the session the browser continues with
    after.session_state["session_token"] = at.session_state["session_token"]
    assert "Uploads" in texts(after.run())


def test_a_wrong_password_is_refused_and_audit_logged(demo):
    at = log_in(AppTest.from_file(APP, default_timeout=60).run(), "admin", "wrong-password")
    assert any("incorrect" in e.value for e in at.error)
    assert "session_token" not in at.session_state
    assert demo.scalar(select(AuditLog.details).where(AuditLog.action == "login.failed"))["username"] == "admin"


def test_the_sixth_wrong_password_is_throttled_with_the_wait(demo):
    at = AppTest.from_file(APP, default_timeout=60).run()
    for _ in range(6):
        at = log_in(at, "admin", "wrong-password")
    assert any("Too many failed logins. Try again in" in e.value for e in at.error)


def test_logging_out_revokes_the_session_token(demo):
    at = logged_in_app("admin").run()
    token = at.session_state["session_token"]
    next(b for b in at.button if b.label == "Log out").click().run()
    assert "session_token" not in at.session_state
    again = AppTest.from_file(APP, default_timeout=60)
    again.session_state["session_token"] = token
    again.run()
    assert any(b.label == "Log in" for b in again.button)
    demo.expire_all()
    assert demo.scalar(select(Account.session_version).where(Account.username == "admin")) == 2


def test_the_app_refuses_to_start_outside_demo_mode_with_the_default_cookie_key(demo, monkeypatch):
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("COOKIE_KEY" in e.value for e in at.error)
    assert not at.text_input


def test_an_attendee_cannot_navigate_to_an_admin_page(demo):
    at = logged_in_app("attendee").run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/uploads.py")


@pytest.mark.parametrize("username", ["attendee", "organizer", "admin", "staff"])
def test_each_demo_role_is_offered_exactly_its_own_pages(demo, username):
    at = logged_in_app(username).run()
    own = [spec.path for spec in PAGES[Role(username)]]
    for path in own:
        at.switch_page(path)  # raises if the menu lacks it
    others = {spec.path for role, specs in PAGES.items() if role.value != username for spec in specs} - set(own)
    for path in others:
        with pytest.raises(ValueError):
            at.switch_page(path)


def test_an_admin_page_refuses_a_user_without_the_admin_role(demo):
    at = logged_in_app("staff", str(ROOT / "pages/users.py")).run()
    assert any("do not have access" in e.value for e in at.error)
    assert not at.dataframe
