"""An attendee's people list in a real browser reads as ten different cards: each opens with its own reason, one is
marked as an adjacent interest, and the match scores run down in order (the real model ranks the demo event)."""
import re

import pytest
from sqlalchemy.orm import Session

from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.platform.clock import SystemClock
from core.recommend.people import refresh_recommendations
from tests.e2e.conftest import log_in, screenshot

ADJACENT = "Picked from a field next to yours"


@pytest.fixture(scope="module")
def ranked(engine, real_embedder):
    """The demo event ranked with the real model, as the nightly refresh would."""
    with Session(engine, expire_on_commit=False) as session:
        refresh_recommendations(session, event=get_event(session, DEMO_EVENT_SLUG), embedder=real_embedder,
                                clock=SystemClock())
        session.commit()


@pytest.fixture(scope="module")
def people_tab(app_url, ranked, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, app_url, "attendee", "attendee-demo-1")
    page.get_by_role("heading", name="For you", exact=True).wait_for()
    page.get_by_role("tab", name="People").click()
    page.get_by_text("Conversation starters").first.wait_for()
    yield page
    page.close()


def cards(page):
    """Each person card: its name, its first reason and its match score."""
    found = []
    for card in page.get_by_test_id("stVerticalBlockBorderWrapper").filter(has=page.get_by_text("Match")).all():
        name = card.get_by_role("heading").first.inner_text().split()[0]
        reasons = card.locator("li").all_inner_texts()
        score = card.get_by_test_id("stMetricValue").first.inner_text()
        if reasons and score.isdigit():
            found.append((name, reasons[0], int(score)))
    return found


def test_the_cards_open_with_different_reasons(people_tab):
    shown = cards(people_tab)
    screenshot(people_tab, "varied-matches.png")
    firsts = {re.sub(rf"\b{re.escape(name)}\b", "{name}", reason) for name, reason, _ in shown}
    assert len(shown) >= 8 and len(firsts) >= 3


def test_one_card_is_marked_as_an_adjacent_interest(people_tab):
    assert people_tab.get_by_text(ADJACENT).count() == 1


def test_the_match_scores_run_down_the_list_in_order(people_tab):
    scores = [score for _, _, score in cards(people_tab)]
    assert scores == sorted(scores, reverse=True)
