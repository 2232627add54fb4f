"""In a real browser, each demo role sees exactly its own pages and cannot reach others by URL."""
import pytest

from core.accounts import Role
from core.demo.seed import DEMO_ACCOUNTS
from tests.e2e.conftest import log_in
from ui.navigation import PAGES

ALL_TITLES = {spec.title for specs in PAGES.values() for spec in specs}


def menu_titles(page) -> set[str]:
    links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    return {t for t in ALL_TITLES if any(t in link for link in links)}


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_each_demo_role_sees_exactly_its_own_pages(app_url, page, account):
    log_in(page, app_url, account.username, account.password)
    own = [spec for role in account.roles for spec in PAGES[Role(role)]]
    page.get_by_role("heading", name=own[0].title, exact=True).wait_for()
    assert menu_titles(page) == {spec.title for spec in own}


def test_an_attendee_opening_an_admin_url_gets_no_admin_page(app_url, page):
    log_in(page, app_url, "attendee", "attendee-demo-1")
    page.goto(f"{app_url}/uploads")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2500)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_role("heading", name="Uploads", exact=True).count() == 0


def test_an_admin_page_url_without_login_shows_the_login_form(app_url, page):
    page.goto(f"{app_url}/users")
    page.get_by_role("textbox", name="Password").wait_for()
    assert page.get_by_role("heading", name="Users", exact=True).count() == 0


def test_the_attendee_lands_on_for_you_and_can_open_the_profile(app_url, page):
    log_in(page, app_url, "attendee", "attendee-demo-1")
    page.get_by_role("heading", name="For you", exact=True).wait_for()
    page.get_by_role("link", name="My profile").click()
    page.get_by_role("heading", name="My profile", exact=True).wait_for()
    page.get_by_role("heading", name="Edit profile").wait_for()
    page.get_by_role("button", name="Save profile").wait_for()
    assert page.get_by_role("button", name="Save profile").count() == 1
