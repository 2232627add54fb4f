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

ADJACENT = "From a field next to yours"


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
    page.wait_for_function("document.querySelectorAll('[data-testid=stMain] [data-testid=stMetricValue]').length >= 10")
    yield page
    page.close()


CARDS = """() => Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stMetricValue]')).map(m => {
    let card = m;
    while (card && !(card.querySelector('h3') && card.querySelector('li'))) card = card.parentElement;
    return card ? [card.querySelector('h3').innerText, card.querySelector('li').innerText, m.innerText] : null;
}).filter(Boolean)"""


def cards(page):
    """Each person card in order: the first name in its heading, its first reason and its match score."""
    return [(heading.split()[0], reason, int(score)) for heading, reason, score in page.evaluate(CARDS)]


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
