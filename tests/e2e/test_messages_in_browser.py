"""Messages in a real browser: the demo attendee messages one of their matches, who accepts an invitation, sees the
unread count and replies; the attendee sees the reply."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.tokens import generate_invitations
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.platform.clock import FixedClock
from core.platform.settings import Settings
from core.recommend.people import refresh_recommendations
from db.models import Account, Person, Recommendation, RecommendationKind
from tests.conftest import APP_NOW
from tests.e2e.conftest import bubble, log_in, new_page, send_message, start_app, stop
from tests.fakes import FakeEmbedder


@pytest.fixture(scope="module")
def matched_app(engine, database_url, tmp_path_factory):
    """The demo conference with everyone's matches stored, served over HTTP; yields the app's address, the demo
    attendee's top match (a person without an account yet) and that person's invitation link."""
    clock = FixedClock(APP_NOW)
    with Session(engine, expire_on_commit=False) as session:
        event = get_event(session, DEMO_EVENT_SLUG)
        refresh_recommendations(session, event=event, embedder=FakeEmbedder(), clock=clock)
        attendee = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
        match = session.scalar(select(Person).join(Recommendation, Recommendation.target_person_id == Person.id)
                               .where(Recommendation.user_id == attendee,
                                      Recommendation.kind == RecommendationKind.PERSON)
                               .order_by(Recommendation.rank).limit(1))
        session.commit()
    server, url = start_app(database_url, tmp_path_factory.mktemp("messages") / "server.log")
    with Session(engine) as session:  # the links must point at this server
        links = generate_invitations(session, event_id=event.id, actor_id=None, clock=clock,
                                     key=Settings().cookie_key.get_secret_value(), base_url=url, days=14, send=False)
        session.commit()
    [link] = [invitation.link for invitation in links if invitation.email == match.email]
    try:
        yield url, match, link
    finally:
        stop(server)


def test_a_message_to_a_match_is_answered_and_the_reply_is_seen(matched_app, browser):
    url, match, link = matched_app
    sender = new_page(browser)
    log_in(sender, url, "attendee", "attendee-demo-1")
    sender.goto(f"{url}/messages?with={match.id}")
    sender.get_by_role("heading", name=match.full_name).wait_for()
    send_message(sender, "Hi! Coffee before the keynote?")
    expect(bubble(sender, "Hi! Coffee before the keynote?")).to_be_visible()

    recipient = new_page(browser)
    recipient.goto(link)
    recipient.get_by_role("textbox", name="Username").fill("match")
    recipient.get_by_role("textbox", name="Password", exact=True).fill("match-password-1")
    recipient.get_by_role("textbox", name="Password again").fill("match-password-1")
    recipient.get_by_role("button", name="Create my account").click()
    recipient.get_by_role("heading", name="For you", exact=True).wait_for()
    recipient.get_by_role("link", name="Messages").click()
    expect(recipient.get_by_role("heading", name="Messages")).to_contain_text("1 unread")
    recipient.get_by_role("button", name="· 1 new").click()
    expect(bubble(recipient, "Hi! Coffee before the keynote?")).to_be_visible()
    expect(recipient.get_by_role("heading", name="Messages")).not_to_contain_text("unread")
    send_message(recipient, "Yes, 9:30 by the registration desk.")
    expect(bubble(recipient, "Yes, 9:30 by the registration desk.")).to_be_visible()

    sender.reload()
    expect(sender.get_by_role("heading", name="Messages")).to_contain_text("1 unread")
    sender.get_by_role("button", name="· 1 new").click()
    expect(bubble(sender, "Yes, 9:30 by the registration desk.")).to_be_visible()
