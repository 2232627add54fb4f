"""The attendee "For you" page over stored recommendations."""
import pytest
from sqlalchemy import select

from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.recommend.people import refresh_recommendations
from db.models import Account, Connection, ConnectionFeedback, Recommendation, RecommendationFeedback
from tests.fakes import FakeEmbedder
from tests.ui.conftest import page_app, texts


@pytest.fixture
def recommended(demo, clock):
    refresh_recommendations(demo, event=get_event(demo, DEMO_EVENT_SLUG), embedder=FakeEmbedder(), clock=clock)
    demo.commit()
    return demo


def attendee_person_id(db) -> int:
    return db.scalar(select(Account.person_id).where(Account.username == "attendee"))


def test_without_recommendations_the_page_offers_to_generate_them(demo):
    at = page_app("attendee", "pages/for_you.py")
    assert not at.exception
    assert "No recommendations yet" in texts(at)
    assert any(b.label == "Generate now" for b in at.button)


def test_each_card_shows_score_reasons_and_value(recommended):
    at = page_app("attendee", "pages/for_you.py")
    assert not at.exception
    assert len(at.metric) == 10
    assert "Potential value" in texts(at)


def test_the_page_says_the_algorithmic_matcher_is_in_use_without_a_key(recommended, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    at = page_app("attendee", "pages/for_you.py")
    assert "algorithmic matcher" in texts(at)


def test_viewing_the_page_records_views(recommended):
    page_app("attendee", "pages/for_you.py")
    recommended.expire_all()
    viewed = recommended.scalars(select(Recommendation.viewed_at).where(
        Recommendation.user_id == attendee_person_id(recommended))).all()
    assert viewed and all(viewed)


def test_connect_persists_and_shows_after_reload(recommended):
    at = page_app("attendee", "pages/for_you.py")
    next(b for b in at.button if b.label == "Connect").click().run()
    assert any("Connected" in s.value for s in at.success)
    recommended.expire_all()
    assert recommended.scalar(select(Connection)) is not None
    reloaded = page_app("attendee", "pages/for_you.py")
    assert any("You connected" in c.value for c in reloaded.caption)


def test_a_rating_given_on_a_card_is_stored_for_that_recommendation(recommended):
    at = page_app("attendee", "pages/for_you.py")
    first = recommended.scalar(select(Recommendation).where(
        Recommendation.user_id == attendee_person_id(recommended), Recommendation.rank == 1))
    at.radio(key=f"rating-{first.id}").set_value(4)
    next(b for b in at.button if b.key == f"feedback-{first.id}").click().run()
    assert any("Thanks" in s.value for s in at.success)
    assert recommended.scalar(select(RecommendationFeedback.rating).where(
        RecommendationFeedback.recommendation_id == first.id)) == 4


def test_after_connecting_the_attendee_can_rate_the_connection(recommended):
    at = page_app("attendee", "pages/for_you.py")
    next(b for b in at.button if b.label == "Connect").click().run()
    form_radio = next(r for r in at.radio if r.label == "How valuable was meeting them?")
    form_radio.set_value(5)
    next(b for b in at.button if b.label == "Save feedback").click().run()
    assert any("Feedback saved" in s.value for s in at.success)
    assert recommended.scalar(select(ConnectionFeedback.rating)) == 5
