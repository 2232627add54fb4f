"""AppTest helpers: a demo-seeded database and an app logged in as a given account."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import streamlit as st
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.accounts.accounts import create_account
from core.demo.seed import DEMO_EVENT_SLUG, seed_demo
from core.platform.clock import FixedClock
from core.platform.settings import get_settings
from tests.conftest import APP_NOW, ROOT
from tests.seeded import seeded

APP = str(ROOT / "app.py")
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(autouse=True)
def fresh_resources(database_url):
    """Each AppTest starts with no cached engine, no cached reads (pages key them by build times that tests
    repeat) and settings read from this test's environment."""
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()


@pytest.fixture
def clock() -> FixedClock:
    """The time the data of a page test is dated: now, as the app under test reads it (see APP_NOW)."""
    return FixedClock(APP_NOW)


@pytest.fixture
def organizer(db):
    """The database, with an organizer account "organizer"."""
    create_account(db, actor_id=None, username="organizer", email="org@example.org", display_name="Org",
                   password="organizer-pass-1", roles=["organizer"])
    db.commit()
    return db


@pytest.fixture
def demo(db, clock):
    """The demo conference, smaller than the real demo so each test stays fast."""
    seeded(db, ("demo", clock.now()), lambda: seed_demo(db, clock=clock, attendees=60, alumni=200))
    return db


@pytest.fixture
def recommended(demo, clock):
    """The demo with everyone's people, session and speaker recommendations stored."""
    from core.events.events import get_event
    from core.recommend.people import refresh_recommendations
    from core.recommend.program import refresh_program_recommendations
    from tests.fakes import FakeEmbedder

    def refresh() -> None:
        event = get_event(demo, DEMO_EVENT_SLUG)
        refresh_recommendations(demo, event=event, embedder=FakeEmbedder(), clock=clock)
        refresh_program_recommendations(demo, event=event, embedder=FakeEmbedder(), clock=clock)

    seeded(demo, ("recommended", clock.now()), refresh)
    return demo


def me(db) -> int:
    """The demo attendee's person id."""
    from sqlalchemy import select

    from db.models import Account

    return db.scalar(select(Account.person_id).where(Account.username == "attendee"))


@pytest.fixture
def worker_pass(engine, clock):
    """One pass of the jobs worker over its queue, as the running worker makes it every few seconds."""
    from core.jobs.runner import run_queued_work
    from tests.fakes import FakeEmbedder

    return lambda: run_queued_work(engine, clock=clock, settings=get_settings(), embedder=FakeEmbedder())


def session_token(username: str) -> str:
    """The session token a login of `username` would give (the account must exist)."""
    from core.accounts.sessions import token_for
    from core.platform.settings import Settings
    from core.platform.wiring import build_engine

    engine = build_engine(Settings())
    with Session(engine) as session:
        token = token_for(session, username=username, key=Settings().cookie_key.get_secret_value(),
                          now=datetime.now(UTC))
    engine.dispose()
    return token


def logged_in_app(username: str, app: str = APP) -> AppTest:
    at = AppTest.from_file(app, default_timeout=60)
    at.session_state["session_token"] = session_token(username)
    return at


def page_app(username: str, page: str) -> AppTest:
    """The app, logged in as `username`, switched to `page` and rendered."""
    at = logged_in_app(username).run()
    at.switch_page(page)
    return at.run()


def for_you(tab: str, username: str = "attendee") -> AppTest:
    """For you, logged in as `username`, with `tab` open: the page renders only its open tab."""
    at = page_app(username, "pages/for_you.py")
    at.session_state["for_you_tab"] = tab
    return at.run()


def opened(at: AppTest, *keys: str) -> AppTest:
    """`at` rerun with the lazy popovers or expanders `keys` open: their content is drawn only while they are."""
    for key in keys:
        at.session_state[key] = True
    return at.run()


def texts(at: AppTest) -> str:
    """All visible text of a run, for loose assertions."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                  "error", "success") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)
