"""The login screen and the role guard."""
import pytest
from streamlit.testing.v1 import AppTest

from core.demo.seed import DEMO_ACCOUNTS
from db.models import Role
from tests.ui.conftest import APP, logged_in_app, texts
from ui.navigation import PAGES


def test_the_login_screen_lists_the_demo_accounts_in_demo_mode(demo):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = at.table[0].value
    assert list(shown["username"]) == [a.username for a in DEMO_ACCOUNTS]


def test_the_login_screen_hides_demo_accounts_outside_demo_mode(demo, monkeypatch):
    monkeypatch.setenv("DEMO_MODE", "false")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.table


def test_a_demo_account_logs_in_with_its_password(demo):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("admin")
    at.text_input[1].input("admin-demo-1")
    at.button[0].click().run()
    assert at.session_state["authentication_status"] is True
    assert "Uploads" in texts(at)


def test_a_wrong_password_is_refused(demo):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("admin")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert any("incorrect" in e.value for e in at.error)
    assert not at.session_state["authentication_status"]


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
    others = [spec.path for role, specs in PAGES.items() if role.value != username for spec in specs]
    for path in others:
        with pytest.raises(ValueError):
            at.switch_page(path)


def test_an_admin_page_refuses_a_user_without_the_admin_role(demo):
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages/users.py"), default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "staff"
    at.run()
    assert any("do not have access" in e.value for e in at.error)
    assert not at.dataframe
