"""A real Streamlit server on the demo data, driven by Debian's Chromium through Playwright."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from core.demo.seed import seed_demo
from core.platform.clock import FixedClock
from tests.conftest import APP_NOW, EMPTY_SCHEMA, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Where the journeys keep the screenshots a person looks at after a run.
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/globalconnect-screenshots"))
# A loaded machine (the suite runs on one worker per core) can take longer than Playwright's 5 s default to rerun a
# page; assertions wait as long as the pages' own actions do.
EXPECT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session", autouse=True)
def patient_assertions():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The demo conference is seeded once per test process into this template database.
DEMO_CONFERENCE = "e2e_demo_conference"


def copy_database(postgres_url: str, template: str, name: str) -> str:
    """Create database `name` as a copy of `template` on the same server (a file copy, far quicker than seeding)
    and return its URL."""
    server = create_engine(make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                           poolclass=NullPool)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    server.dispose()
    return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def demo_conference(postgres) -> str:
    """The template database with the demo conference the journeys start from (60 attendees, 200 alumni)."""
    from db.engine import make_engine

    engine = make_engine(copy_database(postgres, EMPTY_SCHEMA, DEMO_CONFERENCE))
    with Session(engine) as session:
        seed_demo(session, clock=FixedClock(APP_NOW), attendees=60, alumni=200)
        session.commit()
    engine.dispose()  # a template must have no connections
    return DEMO_CONFERENCE


@pytest.fixture(scope="module")
def database_url(postgres, request):
    """This module's own database, exported as DATABASE_URL while the module runs: a copy of the demo conference, or
    of the empty schema where the module sets `STARTS_EMPTY = True`. Journeys never see each other's changes, and
    nothing is seeded or emptied per module."""
    empty = getattr(request.module, "STARTS_EMPTY", False)
    template = EMPTY_SCHEMA if empty else request.getfixturevalue("demo_conference")
    url = copy_database(postgres, template, f"e2e_{request.module.__name__.rsplit('.', 1)[-1]}")
    previous, os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL"), url
    yield url
    os.environ["DATABASE_URL"] = previous or postgres


@pytest.fixture(scope="module")
def engine(database_url):
    """An engine on the module's own database."""
    from db.engine import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app_url(database_url, tmp_path_factory):
    """Serve app.py over HTTP on the module's copy of the demo conference."""
    server, url = start_app(database_url, tmp_path_factory.mktemp("streamlit") / "server.log")
    try:
        yield url
    finally:
        stop(server)


def stop(process: subprocess.Popen) -> None:
    """End a server or worker of a journey at once: its database is the module's own and is thrown away, so there is
    no work to let it finish (a worker would first finish the job it is running)."""
    process.kill()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def new_page(browser):
    """A page in a fresh browser context (its own cookies: a second person's login)."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    return page


def screenshot(page, name: str) -> None:
    """The whole page under SCREENSHOTS: Streamlit scrolls inside its own container, so the window is made as tall as
    the content first."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(max(height + 300, 1000), 6000)})
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
    page.set_viewport_size({"width": 1400, "height": 1000})


def bubble(page, text: str):
    """The chat bubble that shows `text` (the thread list shows a preview of it too)."""
    return page.get_by_test_id("stChatMessage").filter(has_text=text)


def send_message(page, text: str) -> None:
    """Write `text` in the open conversation and send it."""
    page.get_by_text("Running...").wait_for(state="hidden")
    page.get_by_role("textbox", name="Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


# The first page of a fresh app server imports the whole app; on a loaded machine that alone can take half a minute.
FIRST_PAGE_TIMEOUT_MS = 90_000


def log_in(page, url: str, username: str, password: str, path: str = "") -> None:
    """Open `url/path` (the login form shows there when logged out), log in, and wait for the app."""
    page.goto(f"{url}/{path}")
    page.get_by_role("textbox", name="Username").wait_for(timeout=FIRST_PAGE_TIMEOUT_MS)
    fill_login(page, username, password)
    page.get_by_text("Log out").wait_for(timeout=FIRST_PAGE_TIMEOUT_MS)


def fill_login(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def start_app(database_url: str, log_path, port: int | None = None, **env: str) -> tuple[subprocess.Popen, str]:
    """A Streamlit server for app.py on `port` (default: a free one), healthy; the caller terminates it."""
    port = port or _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.server", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url, **env}, stdout=log_path.open("w"),
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    pytest.fail("the Streamlit server did not become healthy within 60 s")
