"""A huddle in a real browser: the demo attendee sees an invitation, accepts and sees the count rise, checks in at
the huddle's time, and once the huddle is over (the status job runs with the clock moved) the people who came are
connected; the organizer's huddle numbers change."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.huddles.huddles import HuddlePlan, create_huddle
from core.huddles.lifecycle import huddle_status_job
from core.huddles.responses import check_in_at_huddle, respond_to_huddle
from core.platform.clock import FixedClock, SystemClock
from core.platform.job_context import JobContext
from db.models import Connection, HuddleKind, Person, Registration
from tests.e2e.conftest import SCREENSHOTS, log_in, new_page
from tests.ui.conftest import me

TOPIC = "Hiring senior engineers in a tight market"


@pytest.fixture(scope="module")
def huddle(app_url, engine):
    """A problem huddle starting in 3 minutes for the demo attendee and three others, two of whom already accepted."""
    now = SystemClock().now()
    with Session(engine, expire_on_commit=False) as session:
        event = get_event(session, DEMO_EVENT_SLUG)
        attendee = me(session)
        others = session.scalars(select(Person.id).join(Registration, Registration.person_id == Person.id)
                                 .where(Registration.event_id == event.id, Person.id != attendee)
                                 .order_by(Person.id).limit(3)).all()
        plan = HuddlePlan(kind=HuddleKind.PROBLEM, topic=TOPIC, invitee_ids=(attendee, *others),
                          starts_at=now + timedelta(minutes=3), location_name="Coffee bar, Hall B",
                          problem_statement="We cannot hire senior engineers fast enough.")
        created = create_huddle(session, event_id=event.id, plan=plan, now=now)
        for person_id in others[:2]:
            respond_to_huddle(session, huddle_id=created.id, person_id=person_id, response="accept",
                              clock=FixedClock(now))
        session.commit()
    return created, attendee, others, event


def test_an_invitation_accepted_and_checked_in_ends_in_connections_and_organizer_numbers(app_url, browser, engine,
                                                                                         huddle):
    created, attendee, others, event = huddle
    organizer = new_page(browser)
    log_in(organizer, app_url, "organizer", "organizer-demo-1", path="analytics")
    organizer.get_by_role("button", name="Compute now").click()
    organizer.get_by_text("Analytics recomputed.").wait_for()
    organizer.get_by_role("tab", name="Huddles").click()
    completed = organizer.get_by_test_id("stMetric").filter(has_text="Completed")
    expect(completed).to_contain_text("0")

    page = new_page(browser)
    log_in(page, app_url, "attendee", "attendee-demo-1", path="huddles")
    page.get_by_role("heading", name="Huddles").first.wait_for()
    page.get_by_text(TOPIC).first.wait_for()
    expect(page.get_by_text("2 of 8 spots filled")).to_be_visible()
    page.get_by_role("button", name="I'll be there").click()
    page.get_by_text("You're in.").wait_for()
    expect(page.get_by_text("3 of 8 spots filled")).to_be_visible()
    page.get_by_role("button", name="Check in").click()  # open from 5 minutes before the start
    page.get_by_text("You're checked in.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "huddle-checked-in.png"), full_page=True)

    # One of the others checks in too; the status job runs 20 minutes after the start (the clock moved).
    with Session(engine) as session:
        check_in_at_huddle(session, huddle_id=created.id, person_id=others[0], clock=FixedClock(created.starts_at))
        session.commit()
    with Session(engine) as session:
        huddle_status_job(JobContext(session=session, clock=FixedClock(created.starts_at + timedelta(minutes=20)),
                                     event_id=None))
        session.commit()
    with Session(engine) as session:
        pair = sorted((attendee, others[0]))
        connection = session.scalar(select(Connection).where(Connection.person_a_id == pair[0],
                                                             Connection.person_b_id == pair[1]))
        assert connection is not None and connection.source == "huddle"

    page.reload()
    page.get_by_text("Past (1)").wait_for()
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="My network").click()
    page.get_by_role("tab", name="Connections").click()
    expect(page.get_by_text("Met at a huddle").first).to_be_visible()

    organizer.get_by_role("button", name="Recompute now").click()
    organizer.get_by_text("Analytics recomputed.").wait_for()
    organizer.get_by_role("tab", name="Huddles").click()
    expect(completed).to_contain_text("1")
    organizer.screenshot(path=str(SCREENSHOTS / "huddle-analytics.png"), full_page=True)
