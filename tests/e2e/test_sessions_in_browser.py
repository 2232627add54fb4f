"""Logged-in sessions in a real browser: reloads and deep links stay put, and forged cookies log nobody in."""
import time

import jwt

from core.platform.settings import DEV_COOKIE_KEY
from tests.e2e.conftest import fill_login, log_in
from ui.auth import COOKIE_NAME

PAGES = [("for-you", "For you"), ("my-agenda", "My agenda"), ("program", "Program")]


def on_page(page, path: str) -> bool:
    """Whether the browser shows `path` (For you is the default page, served at the root too)."""
    url = page.url.rstrip("/")
    return url.endswith(f"/{path}") or (path == PAGES[0][0] and url.count("/") == 2)


def test_twenty_reloads_of_three_pages_keep_the_user_logged_in_on_the_reloaded_page(app_url, page):
    log_in(page, app_url, "attendee", "attendee-demo-1")
    logouts, elsewhere = 0, []
    for n in range(20):
        path, title = PAGES[n % len(PAGES)]
        # Opened from the menu: a rerun of this browser session, cheaper than loading the page afresh (which the
        # reload below does, and test_each_reload_lands_on_the_page_that_was_reloaded does with goto).
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title, exact=True).click()
        page.get_by_role("heading", name=title, exact=True).wait_for()
        page.reload()
        heading = page.get_by_role("heading", name=title, exact=True)
        heading.or_(page.get_by_role("button", name="Log in")).first.wait_for()
        if page.get_by_role("button", name="Log in").count():
            logouts += 1
            fill_login(page, "attendee", "attendee-demo-1")
        elif not on_page(page, path) or not heading.count():
            elsewhere.append((path, page.url))
    assert logouts == 0 and elsewhere == []


def test_each_reload_lands_on_the_page_that_was_reloaded(app_url, page):
    log_in(page, app_url, "attendee", "attendee-demo-1")
    for path, title in PAGES:
        page.goto(f"{app_url}/{path}")
        page.get_by_role("heading", name=title, exact=True).wait_for()
        page.reload()
        page.get_by_role("heading", name=title, exact=True).wait_for()
        assert on_page(page, path)


def test_a_deep_link_opens_its_page_once_logged_in(app_url, page):
    page.goto(f"{app_url}/my-agenda")
    fill_login(page, "attendee", "attendee-demo-1")
    page.get_by_role("heading", name="My agenda", exact=True).wait_for()
    assert page.url.rstrip("/").endswith("my-agenda")


def test_the_old_forgeable_cookie_signed_with_the_default_key_logs_nobody_in(app_url, page):
    forged = jwt.encode({"username": "admin", "exp_date": time.time() + 3600}, DEV_COOKIE_KEY, algorithm="HS256")
    for name in (COOKIE_NAME, "globalconnect_auth"):
        page.context.add_cookies([{"name": name, "value": forged, "url": app_url}])
    page.goto(f"{app_url}/uploads")
    page.get_by_role("button", name="Log in").wait_for()
    assert page.get_by_text("Log out").count() == 0


def test_the_login_form_is_drawn_by_the_first_run_without_a_cookie_component(app_url, page):
    page.goto(app_url)
    page.get_by_role("button", name="Log in").wait_for()
    # The old login waited for a cookie-manager component (an iframe) and reran before drawing the form.
    assert page.locator('iframe[title*="cookie" i], iframe[src*="extra_streamlit_components"]').count() == 0
