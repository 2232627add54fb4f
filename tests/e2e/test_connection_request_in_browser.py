"""In a real browser, the first part of the connection journey: the demo attendee asks a recommended person to
connect, with a note; that person logs in, sees the request on My network and accepts it; both see the connection."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from core.accounts.accounts import create_account
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.platform.clock import SystemClock
from core.recommend.people import current_recommendations, refresh_recommendations
from tests.e2e.conftest import log_in
from tests.fakes import FakeEmbedder
from tests.ui.conftest import me

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/globalconnect-screenshots"))
NOTE = "Loved your point on hiring; coffee after the keynote?"


@pytest.fixture(scope="module")
def recommended_person(app_url, engine):
    """The demo attendee's people recommendations, and a login for the person at the top of the list."""
    clock = SystemClock()
    with Session(engine, expire_on_commit=False) as session:
        event = get_event(session, DEMO_EVENT_SLUG)
        refresh_recommendations(session, event=event, embedder=FakeEmbedder(), clock=clock)
        top = current_recommendations(session, event_id=event.id, person_id=me(session), now=clock.now())[0].person
        create_account(session, actor_id=None, username="matchpartner", email="matchpartner@x.io",
                       display_name=top.full_name, password="partner-password-1", roles=["attendee"],
                       person_id=top.id)
        me_name = session.get(type(top), me(session)).full_name
        session.commit()
    return top.full_name, me_name


def new_page(browser):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    return page


def test_a_request_from_a_recommendation_becomes_a_connection_once_accepted(app_url, browser, recommended_person):
    partner, attendee = recommended_person
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    asking = new_page(browser)
    log_in(asking, app_url, "attendee", "attendee-demo-1")
    asking.get_by_role("heading", name="For you", exact=True).wait_for()
    asking.get_by_role("tab", name="People").click()
    asking.get_by_role("button", name="Connect").first.click()
    asking.get_by_role("textbox", name="Add a note (optional)").fill(NOTE)
    asking.get_by_role("button", name="Send connection request").click()
    asking.get_by_text(f"Request sent to {partner}").wait_for()
    expect(asking.get_by_role("button", name="Requested").first).to_be_disabled()
    asking.screenshot(path=str(SCREENSHOTS / "connection-request-sent.png"), full_page=True)

    answering = new_page(browser)
    log_in(answering, app_url, "matchpartner", "partner-password-1")
    answering.get_by_role("link", name="My network").click()
    answering.get_by_role("heading", name="My network", exact=True).wait_for()
    answering.get_by_text(attendee).first.wait_for()
    answering.get_by_text(NOTE).wait_for()
    answering.screenshot(path=str(SCREENSHOTS / "connection-request-received.png"), full_page=True)
    answering.get_by_role("button", name="Accept").click()
    answering.get_by_text("Request accepted: you are connected.").wait_for()
    answering.get_by_role("tab", name="Connections").click()
    expect(answering.get_by_text(attendee).first).to_be_visible()
    expect(answering.get_by_text("1 interaction").first).to_be_visible()

    asking.get_by_role("link", name="My network").click()
    asking.get_by_role("heading", name="My network", exact=True).wait_for()
    asking.get_by_role("tab", name="Connections").click()
    expect(asking.get_by_text(partner).first).to_be_visible()
    expect(asking.get_by_text("From a recommendation").first).to_be_visible()
    asking.screenshot(path=str(SCREENSHOTS / "connection-in-network.png"), full_page=True)
