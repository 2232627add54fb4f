"""Shared by the benchmarks: an app logged in under Streamlit's AppTest, and the warm render time of one page."""
from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def logged_in_app(url: str, username: str) -> AppTest:
    """The app under AppTest with `username`'s session token, as after a login, against the database at `url`."""
    from core.accounts.sessions import token_for
    from core.platform.settings import Settings
    from db.engine import sqlalchemy_url

    os.environ["DATABASE_URL"] = url  # the app under AppTest reads its settings from the environment
    engine = create_engine(sqlalchemy_url(url))
    with Session(engine) as session:
        token = token_for(session, username=username, key=Settings().cookie_key.get_secret_value(),
                          now=datetime.now(UTC))
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["session_token"] = token
    return at


def warm_render(url: str, username: str, page: str) -> tuple[float, AppTest]:
    """Seconds of a second (warm) run of `page`, logged in as `username`, against the database at `url`."""
    at = logged_in_app(url, username)
    at.run()
    at.switch_page(page)
    at.run()
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page} failed: {[e.message for e in at.exception]}")
    return seconds, at
