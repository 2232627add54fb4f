"""Shared by the benchmarks: the warm render time of one page under Streamlit's AppTest."""
from __future__ import annotations

import os
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest


def warm_render(url: str, username: str, page: str) -> tuple[float, AppTest]:
    """Seconds of a second (warm) run of `page`, logged in as `username`, against the database at `url`."""
    os.environ["DATABASE_URL"] = url  # the app under AppTest reads its settings from the environment
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.run()
    at.switch_page(page)
    at.run()
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page} failed: {[e.message for e in at.exception]}")
    return seconds, at
