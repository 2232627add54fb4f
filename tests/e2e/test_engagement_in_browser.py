"""In a real browser, on the demo conference scored by the real recalculation: the demo attendee opens My engagement
and sees their level, where their points come from and a leaderboard."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.community.engagement import recalculate
from core.platform.clock import FixedClock
from db.models import Account, KnowledgeCapsule, Person, Registration
from tests.conftest import APP_NOW
from tests.e2e.conftest import log_in, screenshot


@pytest.fixture(scope="module")
def scored(app_url, engine):
    """The demo attendee checked in an hour ago and wrote a capsule; a few others wrote capsules; everyone scored."""
    with Session(engine) as session:
        me = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
        session.execute(update(Registration).where(Registration.person_id == me)
                        .values(checked_in_at=APP_NOW - timedelta(hours=1)))
        others = session.scalars(select(Person.id).where(Person.id != me).order_by(Person.id).limit(4)).all()
        for n, author in enumerate([me, *others]):
            session.add(KnowledgeCapsule(natural_key=f"e2e-{n}", title=f"Capsule {n}", content="Notes",
                                         author_person_id=author, author_name="Author", duration_minutes=5,
                                         source="written", created_at=APP_NOW - timedelta(days=n),
                                         views_count=10 * n, likes_count=n))
        session.flush()
        recalculate(session, clock=FixedClock(APP_NOW))
        session.commit()
    return app_url


def test_an_attendee_sees_their_level_breakdown_and_a_leaderboard(scored, page):
    log_in(page, scored, "attendee", "attendee-demo-1", path="my-engagement")
    page.get_by_role("heading", name="My engagement", exact=True).wait_for()
    expect(page.get_by_test_id("stMetric").filter(has_text="Level")).to_be_visible()
    page.get_by_role("heading", name="Where your points come from").wait_for()
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".barlayer")).to_be_visible()
    expect(page.get_by_text("First knowledge capsule")).to_be_visible()
    page.get_by_role("heading", name="Leaderboards").wait_for()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "my_engagement.png")

