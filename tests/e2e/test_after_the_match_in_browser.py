"""The whole after-the-match journey in a real browser: the demo attendee asks a recommended person to connect;
that person sees the notification and accepts; they exchange messages; after the event the follow-up job drafts a
follow-up, the attendee edits and sends it, the other person gets it, and the follow-up rate moves on My network
and in the organizer's analytics."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from core.accounts.accounts import create_account
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.networking.follow_ups import event_end, generate_follow_ups_job
from core.platform.clock import FixedClock, SystemClock
from core.platform.job_context import JobContext
from core.recommend.people import current_recommendations, refresh_recommendations
from tests.e2e.conftest import SCREENSHOTS, bubble, log_in, new_page, send_message
from tests.fakes import FakeEmbedder
from tests.ui.conftest import me

NOTE = "Loved your point on hiring; coffee after the keynote?"
HELLO = "Great to be connected! Coffee at 9:30?"
REPLY = "Yes, 9:30 by the registration desk."
FOLLOW_UP = "Thanks for the chat at the summit. Shall we continue over a call next week?"


@pytest.fixture(scope="module")
def journey(app_url, engine):
    """The demo attendee's people recommendations, a login for the person at the top of the list, and the event."""
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
    return top.full_name, top.id, me_name, event


def go(page, name: str) -> None:
    """Open a page from the sidebar menu (the unread badge above it links to Notifications too)."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name).first.wait_for()


def open_network(page) -> None:
    go(page, "My network")


def follow_up_rate(page):
    return page.get_by_test_id("stMetric").filter(has_text="Follow-up rate")


def test_a_recommendation_becomes_a_connection_a_conversation_and_a_follow_up(app_url, browser, engine, journey):
    partner, partner_id, attendee, event = journey
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # A asks to connect from a recommendation.
    asking = new_page(browser)
    log_in(asking, app_url, "attendee", "attendee-demo-1")
    asking.get_by_role("heading", name="For you", exact=True).wait_for()
    asking.get_by_role("tab", name="People").click()
    asking.get_by_role("button", name="Connect").first.click()
    asking.get_by_role("textbox", name="Add a note (optional)").fill(NOTE)
    asking.get_by_role("button", name="Send connection request").click()
    asking.get_by_text(f"Request sent to {partner}").wait_for()
    expect(asking.get_by_role("button", name="Requested").first).to_be_disabled()

    # B sees the notification, opens it (it lands on the Requests tab) and accepts.
    answering = new_page(browser)
    log_in(answering, app_url, "matchpartner", "partner-password-1")
    go(answering, "Notifications")
    answering.get_by_text(f"{attendee} wants to connect").wait_for()
    answering.screenshot(path=str(SCREENSHOTS / "journey-notification.png"), full_page=True)
    answering.get_by_role("button", name="Open").first.click()
    answering.get_by_role("heading", name="My network", exact=True).wait_for()
    answering.get_by_text(NOTE).wait_for()
    answering.get_by_role("button", name="Accept").click()
    answering.get_by_text("Request accepted: you are connected.").wait_for()
    answering.get_by_role("tab", name="Connections").click()
    expect(answering.get_by_text(attendee).first).to_be_visible()

    open_network(asking)
    asking.get_by_role("tab", name="Connections").click()
    expect(asking.get_by_text(partner).first).to_be_visible()
    expect(asking.get_by_text("From a recommendation").first).to_be_visible()

    # A messages B; B sees the unread count and replies; A sees the reply.
    asking.goto(f"{app_url}/messages?with={partner_id}")
    asking.get_by_role("heading", name=partner).wait_for()
    send_message(asking, HELLO)
    expect(bubble(asking, HELLO)).to_be_visible()
    go(answering, "Messages")
    expect(answering.get_by_role("heading", name="Messages")).to_contain_text("1 unread")
    answering.get_by_role("button", name="· 1 new").click()
    expect(bubble(answering, HELLO)).to_be_visible()
    send_message(answering, REPLY)
    asking.reload()
    asking.get_by_role("button", name="· 1 new").click()
    expect(bubble(asking, REPLY)).to_be_visible()

    # The organizer's follow-up sent rate before any follow-up.
    organizer = new_page(browser)
    log_in(organizer, app_url, "organizer", "organizer-demo-1", path="analytics")
    organizer.get_by_role("button", name="Compute now").click()  # nothing was computed for the event yet
    organizer.get_by_text("Analytics recomputed.").wait_for()
    sent_rate = organizer.get_by_test_id("stMetric").filter(has_text="Follow-up sent rate")
    expect(sent_rate).to_contain_text("0%")

    # The event ends; the worker's follow-up job runs a day and a half later (the clock moved).
    with Session(engine) as session:
        after = event_end(event.ends_on, event.starts_on, event.timezone) + timedelta(hours=36)
        result = generate_follow_ups_job(JobContext(session=session, clock=FixedClock(after), event_id=event.id))
        session.commit()
    assert result["drafts"] >= 2

    # A sees the draft for B, edits it and sends it; the follow-up rate moves.
    open_network(asking)
    expect(follow_up_rate(asking)).to_contain_text("0%")
    asking.get_by_role("tab", name="Follow-ups").click()
    expect(asking.get_by_text(partner).first).to_be_visible()
    asking.get_by_role("textbox", name="Your message").fill(FOLLOW_UP)
    asking.screenshot(path=str(SCREENSHOTS / "journey-follow-up-draft.png"), full_page=True)
    asking.get_by_role("button", name="Send follow-up").click()
    asking.get_by_text(f"Follow-up sent to {partner}").wait_for()
    expect(follow_up_rate(asking)).to_contain_text("100%")

    # B gets it, as a notification and in the thread.
    go(answering, "Notifications")
    answering.get_by_text(f"{attendee} followed up after {event.name}").wait_for()
    go(answering, "Messages")  # the conversation B had open is still open
    expect(bubble(answering, FOLLOW_UP)).to_be_visible()

    # The organizer's analytics show the follow-up.
    organizer.get_by_role("button", name="Recompute now").click()
    organizer.get_by_text("Analytics recomputed.").wait_for()
    expect(sent_rate).to_contain_text("50%")
    organizer.screenshot(path=str(SCREENSHOTS / "journey-analytics.png"), full_page=True)

