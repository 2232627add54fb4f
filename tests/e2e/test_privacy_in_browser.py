"""Privacy in a real browser: the demo attendee downloads their data, excludes a skill on "Audit my signals",
refreshes their matches (the worker runs the queued refresh) and the reason that cited the skill is gone; then they
request deletion, see the deadline, and cancel it."""
import json
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.platform.clock import SystemClock
from core.recommend.people import current_recommendations, refresh_recommendations
from core.recommend.signals import SignalGroup, signals_of
from tests.conftest import ROOT
from tests.e2e.conftest import SCREENSHOTS, log_in, new_page
from tests.fakes import FakeEmbedder
from tests.ui.conftest import me


def reasons_of(session, event_id: int, person_id: int) -> list[str]:
    return [reason for rec in current_recommendations(session, event_id=event_id, person_id=person_id,
                                                      now=SystemClock().now())
            for reason in rec.recommendation.reasons]


@pytest.fixture(scope="module")
def cited_skill(app_url, engine):
    """The demo attendee's matches, and one of their skills or needs that a reason cites by name."""
    with Session(engine, expire_on_commit=False) as session:
        event = get_event(session, DEMO_EVENT_SLUG)
        refresh_recommendations(session, event=event, embedder=FakeEmbedder(), clock=SystemClock())
        session.commit()
        person_id = me(session)
        reasons = reasons_of(session, event.id, person_id)
        signal = next(s for s in signals_of(session, person_id) if s.group == SignalGroup.SKILLS
                      and not s.key.startswith("concept:") and any(s.value in r for r in reasons))
    return event, person_id, signal


def test_export_exclude_a_skill_then_request_and_cancel_deletion(app_url, browser, engine, database_url, cited_skill,
                                                                 tmp_path):
    event, person_id, signal = cited_skill
    page = new_page(browser)
    log_in(page, app_url, "attendee", "attendee-demo-1", path="privacy")
    page.get_by_role("heading", name="Privacy").first.wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    exported = json.loads(download.value.path().read_text())
    assert exported["data"] and "people" in json.dumps(exported)

    page.goto(f"{app_url}/my-signals")
    page.get_by_role("heading", name="Audit my signals").wait_for()
    row = (page.get_by_test_id("stHorizontalBlock").filter(has_text=f"{signal.label}: {signal.value}")
           .filter(has=page.get_by_role("button", name="Exclude")).last)
    row.get_by_role("button", name="Exclude").click()
    expect(page.get_by_text("excluded from matching").first).to_be_visible()
    page.get_by_role("button", name="Refresh my matches now").click()
    page.get_by_text("Your matches are being refreshed").wait_for()
    subprocess.run([sys.executable, "-m", "jobs", "work-queue"], cwd=ROOT, check=True, timeout=300,
                   env={**os.environ, "DATABASE_URL": database_url}, capture_output=True)
    with Session(engine) as session:
        assert not any(signal.value in reason for reason in reasons_of(session, event.id, person_id))

    page.goto(f"{app_url}/privacy")
    page.get_by_role("heading", name="Privacy").first.wait_for()
    page.get_by_role("textbox", name="Type DELETE to confirm").fill("DELETE")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account and data will be deleted on").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "privacy-deletion-requested.png"), full_page=True)
    page.get_by_role("button", name="Cancel deletion").click()
    expect(page.get_by_role("button", name="Delete my account")).to_be_visible()
    expect(page.get_by_text("Your account and data will be deleted on")).to_have_count(0)
