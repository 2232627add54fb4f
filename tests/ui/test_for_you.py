"""The attendee "For you" page over stored recommendations."""
import pytest
from sqlalchemy import select

from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.networking.requests import respond_to_request, send_request
from core.recommend.people import refresh_recommendations
from db.models import (
    Account,
    Connection,
    ConnectionFeedback,
    ConnectionRequest,
    Message,
    Recommendation,
    RecommendationFeedback,
)
from tests.fakes import FakeEmbedder
from tests.ui.conftest import for_you, opened, page_app, texts
from ui.cards import human


@pytest.fixture
def recommended(demo, clock):
    refresh_recommendations(demo, event=get_event(demo, DEMO_EVENT_SLUG), embedder=FakeEmbedder(), clock=clock)
    demo.commit()
    return demo


def attendee_person_id(db) -> int:
    return db.scalar(select(Account.person_id).where(Account.username == "attendee"))


def test_without_recommendations_the_page_offers_to_generate_them(demo):
    at = for_you("People")
    assert not at.exception
    assert "No recommendations yet" in texts(at)
    assert any(b.label == "Generate now" for b in at.button)


def test_each_card_shows_score_reasons_and_value(recommended):
    at = for_you("People")
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


def first_recommendation(db) -> Recommendation:
    return db.scalar(select(Recommendation).where(Recommendation.user_id == attendee_person_id(db),
                                                  Recommendation.rank == 1))


def send_connection_request(at, rec_id: int, note: str = "") -> None:
    opened(at, f"connect-open-{rec_id}")
    at.text_area(key=f"connect-note-{rec_id}").input(note)
    next(b for b in at.button if b.key == f"FormSubmitter:connect-form-{rec_id}-Send connection request").click().run()


def test_connect_sends_a_request_with_a_note_and_makes_no_connection_yet(recommended):
    at = for_you("People")
    first = first_recommendation(recommended)
    send_connection_request(at, first.id, "Loved your **talk**")
    assert not at.exception
    assert any("Request sent to" in s.value for s in at.success)
    recommended.expire_all()
    request = recommended.scalar(select(ConnectionRequest))
    assert (request.recipient_id, request.note, request.status) == (first.target_person_id, "Loved your **talk**",
                                                                    "pending")
    assert recommended.scalar(select(Connection)) is None


def test_a_card_draws_its_connect_form_only_once_its_popover_is_opened(recommended):
    first = first_recommendation(recommended)
    at = for_you("People")
    assert not [t for t in at.text_area if t.key == f"connect-note-{first.id}"]
    assert [t for t in opened(at, f"connect-open-{first.id}").text_area if t.key == f"connect-note-{first.id}"]


def test_a_pending_request_shows_requested_on_the_card_after_reload(recommended):
    at = for_you("People")
    first = first_recommendation(recommended)
    send_connection_request(at, first.id)
    reloaded = for_you("People")
    assert any("Request sent: waiting for their answer" in c.value for c in reloaded.caption)
    requested = reloaded.button(key=f"connect-{first.id}")
    assert requested.label == "Requested" and requested.disabled


def test_a_request_from_the_other_person_is_accepted_from_the_card(recommended, clock):
    first = first_recommendation(recommended)
    send_request(recommended, requester_id=first.target_person_id, recipient_id=first.user_id,
                 event_id=first.event_id, origin="recommendation", clock=clock)
    recommended.commit()
    at = for_you("People")
    at.button(key=f"connect-{first.id}").click().run()
    assert any("had already asked to connect with you" in s.value for s in at.success)
    recommended.expire_all()
    assert recommended.scalar(select(Connection)) is not None
    assert at.button(key=f"connect-{first.id}").label == "Connected"


def test_a_ping_sends_the_chosen_starter_and_the_card_shows_pinged(recommended):
    at = for_you("People")
    first = first_recommendation(recommended)
    opened(at, f"ping-open-{first.id}").radio(key=f"ping-starter-{first.id}").set_value(0)
    next(b for b in at.button if b.key == f"FormSubmitter:ping-form-{first.id}-Send ping").click().run()
    assert any("Ping sent" in s.value for s in at.success)
    recommended.expire_all()
    message = recommended.scalar(select(Message))
    assert (message.kind, message.body) == ("ping", human(first.starters[0]))
    pinged = at.button(key=f"ping-{first.id}")
    assert pinged.label == "Pinged" and pinged.disabled


def test_a_ping_with_an_own_line_sends_that_line(recommended):
    at = for_you("People")
    first = first_recommendation(recommended)
    opened(at, f"ping-open-{first.id}").text_input(key=f"ping-line-{first.id}").input("Coffee after the keynote?")
    next(b for b in at.button if b.key == f"FormSubmitter:ping-form-{first.id}-Send ping").click().run()
    recommended.expire_all()
    assert recommended.scalar(select(Message.body)) == "Coffee after the keynote?"


def test_a_rating_given_on_a_card_is_stored_for_that_recommendation(recommended):
    at = for_you("People")
    first = recommended.scalar(select(Recommendation).where(
        Recommendation.user_id == attendee_person_id(recommended), Recommendation.rank == 1))
    opened(at, f"feedback-open-{first.id}").radio(key=f"rating-{first.id}").set_value(4)
    next(b for b in at.button if b.key == f"feedback-{first.id}").click().run()
    assert any("Thanks" in s.value for s in at.success)
    assert recommended.scalar(select(RecommendationFeedback.rating).where(
        RecommendationFeedback.recommendation_id == first.id)) == 4


def test_once_a_request_is_accepted_the_attendee_can_rate_the_connection(recommended, clock):
    at = for_you("People")
    first = first_recommendation(recommended)
    send_connection_request(at, first.id)
    request = recommended.scalar(select(ConnectionRequest))
    respond_to_request(recommended, request_id=request.id, person_id=first.target_person_id, action="accept",
                       clock=clock)
    recommended.commit()
    at = opened(for_you("People"), f"connection-open-{recommended.scalar(select(Connection.id))}")
    form_radio = next(r for r in at.radio if r.label == "How valuable was meeting them?")
    form_radio.set_value(5)
    next(b for b in at.button if b.label == "Save feedback").click().run()
    assert any("Feedback saved" in s.value for s in at.success)
    assert recommended.scalar(select(ConnectionFeedback.rating)) == 5
