"""In a real browser: the demo attendee opens Capsules, reads one (a view), likes it, and sees the trending list;
capsules are stored as their upload stores them and ranked by the ranking job's code."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.community.capsule_ranking import rank_readers
from core.community.capsules import record_view, store_capsules
from core.platform.clock import FixedClock, SystemClock
from db.models import Account, KnowledgeCapsule, Person
from tests.e2e.conftest import log_in
from tests.e2e.test_careers_in_browser import screenshot

TOPICS = ["Docker", "Kubernetes", "Go", "Rust", "Figma", "Kafka", "Terraform", "Product discovery"]


@pytest.fixture(scope="module")
def capsules_ranked(app_url, engine):
    """Capsules on the attendee's own skills and others, a week of views on one, and the attendee's ranking."""
    now = SystemClock().now()
    with Session(engine) as session:
        attendee = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
        skills = session.get(Person, attendee).skills_offered[:2]
        rows = [{"title": f"Getting started with {topic}", "content": f"Three habits that make {topic} easier: "
                 "small steps, written notes and a colleague to ask.", "tags": [topic], "category": "Skills",
                 "author_name": f"Author {n}", "author_email": None, "duration_minutes": 4 + n,
                 "created_at": now - timedelta(days=3 * n)}
                for n, topic in enumerate([*skills, *TOPICS])]
        store_capsules(session, None, rows, now)
        readers = session.scalars(select(Person.id).where(Person.id != attendee).limit(6)).all()
        trending = session.scalar(select(KnowledgeCapsule.id).where(KnowledgeCapsule.title.like("%Kafka")))
        for reader in readers:
            record_view(session, capsule_id=trending, person_id=reader, clock=FixedClock(now - timedelta(days=1)))
        for reader in readers[:2]:
            record_view(session, capsule_id=trending, person_id=reader, clock=FixedClock(now - timedelta(days=9)))
        rank_readers(session, person_ids=[attendee], clock=SystemClock())
        session.commit()
    return app_url, len(rows)


def test_an_attendee_reads_and_likes_a_capsule_and_sees_what_is_trending(capsules_ranked, page):
    url, stored = capsules_ranked
    log_in(page, url, "attendee", "attendee-demo-1", path="capsules")
    page.get_by_role("heading", name="Capsules", exact=True).wait_for()
    first = page.locator("[class*='st-key-capsule_card_']").first
    expect(first).to_contain_text("matches your skills")
    expect(page.locator("[class*='st-key-capsule_card_']")).to_have_count(min(stored, 10))  # the first page
    screenshot(page, "capsules_for_you.png")

    first.get_by_role("button", name="Read").click()
    expect(first.get_by_text("Three habits that make")).to_be_visible()
    expect(first).to_contain_text("1 view ·")
    first.get_by_role("button", name="Like").click()
    expect(first.get_by_role("button", name="Unlike")).to_be_visible()
    expect(first).to_contain_text("1 like ·")
    screenshot(page, "capsules_read_and_liked.png")

    page.get_by_text("Trending", exact=True).click()
    page.get_by_role("heading", name="Trending this week").wait_for()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    screenshot(page, "capsules_trending.png")
