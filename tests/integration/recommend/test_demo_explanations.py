"""Every demo attendee's people list reads as ten different cards: varied first reasons and starters, one
adjacent-interest card, and scores shown in order (real model, the demo's 300 attendees)."""
import csv
import io
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo.generate import generate_demo_attendees
from core.jobs.uploads import import_dataset
from core.recommend.people import refresh_recommendations
from db.models import Event, Person, Recommendation, RecommendationKind, RecommendationSlot
from tests.conftest import empty_database

K = 10


@pytest.fixture(scope="module")
def demo_lists(engine, real_embedder):
    """Each demo attendee's stored top 10 as (candidate first name, recommendation), in rank order."""
    from core.platform.clock import FixedClock
    from tests.conftest import FIXED_NOW

    clock = FixedClock(FIXED_NOW)
    empty_database(engine)
    rows = generate_demo_attendees()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    with Session(engine, expire_on_commit=False) as db:
        report = import_dataset(db, kind="attendees", data=buffer.getvalue().encode(), filename="demo.csv",
                                event_slug="demo", actor_id=None, clock=clock, max_mb=50)
        assert report.rows_valid == len(rows)
        db.commit()
        event = db.scalar(select(Event).where(Event.slug == "demo"))
        refresh_recommendations(db, event=event, embedder=real_embedder, clock=clock)
        db.commit()
        stored = db.execute(
            select(Recommendation, Person.first_name).join(Person, Person.id == Recommendation.target_person_id)
            .where(Recommendation.kind == RecommendationKind.PERSON)
            .order_by(Recommendation.user_id, Recommendation.rank)).all()
    lists: dict[int, list] = {}
    for recommendation, first_name in stored:
        lists.setdefault(recommendation.user_id, []).append((first_name, recommendation))
    yield {viewer: cards[:K] for viewer, cards in lists.items()}
    empty_database(engine)


def without_name(text: str, name: str) -> str:
    return re.sub(rf"\b{re.escape(name)}\b", "{name}", text)


def test_every_demo_list_has_ten_cards(demo_lists):
    assert len(demo_lists) == 300 and all(len(cards) == K for cards in demo_lists.values())


def test_every_demo_top_ten_has_at_least_three_distinct_first_reasons(demo_lists):
    fewest = min(len({without_name(r.reasons[0], name) for name, r in cards}) for cards in demo_lists.values())
    assert fewest >= 3


def test_every_demo_top_ten_has_at_least_eight_distinct_starters(demo_lists):
    fewest = min(len({s for _, r in cards for s in r.starters}) for cards in demo_lists.values())
    assert fewest >= 8


def test_no_demo_list_has_more_than_one_adjacent_interest_card(demo_lists):
    assert all(sum(r.slot == RecommendationSlot.ADJACENT_INTEREST for _, r in cards) <= 1
               for cards in demo_lists.values())


def test_most_demo_lists_hold_an_adjacent_interest_card(demo_lists):
    holding = sum(any(r.slot == RecommendationSlot.ADJACENT_INTEREST for _, r in cards)
                  for cards in demo_lists.values())
    assert holding >= 0.8 * len(demo_lists)


def test_displayed_scores_never_rise_down_a_demo_list(demo_lists):
    assert all([r.score for _, r in cards] == sorted((r.score for _, r in cards), reverse=True)
               for cards in demo_lists.values())
