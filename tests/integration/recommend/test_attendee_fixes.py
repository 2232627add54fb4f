"""What the attendee's lists show, in which order, and when a session may be marked attended (real Postgres)."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.events.attendees import upsert_attendees
from core.events.events import get_event
from core.jobs.uploads import import_dataset
from core.recommend.feed import unified_feed
from core.recommend.people import current_recommendations, refresh_recommendations
from core.recommend.program import (
    SessionActionError,
    record_session_action,
    refresh_program_recommendations,
    session_has_ended,
    session_recommendations,
    speaker_recommendations,
)
from db.models import Person, ProgramSession, Recommendation, RecommendationKind, Speaker
from tests.conftest import FIXED_NOW
from tests.fakes import FakeEmbedder
from tests.samples import SCHEDULE


def attendee(email: str, interests: list[str], goals: list[str]) -> dict:
    return {"email": email, "first_name": email.split("@")[0].title(), "last_name": "Test", "company": "Acme",
            "role": "Engineer", "interests": interests, "goals": goals, "skills_offered": ["python"],
            "skills_needed": ["python"]}


@pytest.fixture
def event(db, clock):
    """The sample schedule (sessions at 08:00–08:45, 09:00–10:30 and 08:00–08:30 UTC on the clock's day, now 09:00)
    with three attendees and their people and program recommendations."""
    import_dataset(db, kind="sessions", data=json.dumps(SCHEDULE).encode(), filename="schedule.json",
                   event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    event = get_event(db, "conf")
    upsert_attendees(db, event.id, [attendee("ana@x.io", ["data", "python", "keynote"], ["LEARN"]),
                                    attendee("bo@x.io", ["data", "python"], ["NETWORK"]),
                                    attendee("cy@x.io", ["python", "security"], ["LEARN"])], clock.now())
    db.commit()
    refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    return event


def ana(db) -> int:
    return db.scalar(select(Person.id).where(Person.email == "ana@x.io"))


def session_by_external_id(db, external_id: str) -> ProgramSession:
    return db.scalar(select(ProgramSession).where(ProgramSession.external_id == external_id))


def recommendation(db, event, *, kind: RecommendationKind, rank: int, score: float, **target) -> Recommendation:
    row = Recommendation(event_id=event.id, user_id=ana(db), kind=kind, rank=rank, score=score, reasons=["why"],
                         chips=[], starters=[], potential_value="", strategy="llm", generated_at=FIXED_NOW,
                         expires_at=FIXED_NOW + timedelta(hours=24), **target)
    db.add(row)
    return row


def test_marking_a_session_attended_before_it_has_ended_is_refused(db, clock, event):
    running = session_by_external_id(db, "a2")  # 09:00–10:30 UTC, and it is 09:00
    with pytest.raises(SessionActionError, match="has not ended"):
        record_session_action(db, person_id=ana(db), session_id=running.id, action="attended", clock=clock)


def test_a_session_that_has_ended_can_be_marked_attended(db, clock, event):
    over = session_by_external_id(db, "a1")  # 08:00–08:45 UTC
    message = record_session_action(db, person_id=ana(db), session_id=over.id, action="attended", clock=clock)
    assert message.startswith("Marked as attended")


def test_a_session_without_an_end_time_has_ended_once_it_has_started():
    item = ProgramSession(title="Lightning talks", starts_at=FIXED_NOW - timedelta(minutes=1), ends_at=None)
    assert session_has_ended(item, FIXED_NOW)
    assert not session_has_ended(ProgramSession(title="TBA", starts_at=None, ends_at=None), FIXED_NOW)


def test_people_are_listed_by_displayed_score_when_an_llm_rank_disagrees(db, clock, event):
    first, second = current_recommendations(db, event_id=event.id, person_id=ana(db), now=clock.now())[:2]
    first.recommendation.score, second.recommendation.score = 84.0, 85.0
    db.flush()
    shown = current_recommendations(db, event_id=event.id, person_id=ana(db), now=clock.now())
    assert [c.recommendation.score for c in shown[:2]] == [85.0, 84.0]


def test_people_with_the_same_displayed_score_keep_their_rank(db, clock, event):
    first, second = current_recommendations(db, event_id=event.id, person_id=ana(db), now=clock.now())[:2]
    first.recommendation.score, second.recommendation.score = 84.6, 85.4  # both shown as 85
    db.flush()
    shown = current_recommendations(db, event_id=event.id, person_id=ana(db), now=clock.now())
    assert [c.recommendation.rank for c in shown[:2]] == [1, 2]


def test_sessions_are_listed_by_displayed_score_when_the_rank_disagrees(db, clock, event):
    db.execute(Recommendation.__table__.delete().where(Recommendation.kind == RecommendationKind.SESSION))
    low, high = session_by_external_id(db, "a1"), session_by_external_id(db, "b1")
    recommendation(db, event, kind=RecommendationKind.SESSION, rank=1, score=84.0, target_session_id=low.id)
    recommendation(db, event, kind=RecommendationKind.SESSION, rank=2, score=85.0, target_session_id=high.id)
    db.flush()
    shown = session_recommendations(db, event_id=event.id, person_id=ana(db), now=clock.now())
    assert [c.session.id for c in shown] == [high.id, low.id]


def test_speakers_are_listed_by_displayed_score_when_the_rank_disagrees(db, clock, event):
    db.execute(Recommendation.__table__.delete().where(Recommendation.kind == RecommendationKind.SPEAKER))
    first, second = db.scalars(select(Speaker).order_by(Speaker.id)).all()[:2]
    recommendation(db, event, kind=RecommendationKind.SPEAKER, rank=1, score=84.0, target_speaker_id=first.id)
    recommendation(db, event, kind=RecommendationKind.SPEAKER, rank=2, score=85.0, target_speaker_id=second.id)
    db.flush()
    shown = speaker_recommendations(db, event_id=event.id, person_id=ana(db), now=clock.now())
    assert [c.speaker.id for c in shown] == [second.id, first.id]


def test_the_feed_breaks_a_tie_in_displayed_score_by_rank_whatever_the_kind(db, clock, event):
    db.execute(Recommendation.__table__.delete().where(Recommendation.user_id == ana(db)))
    bo = db.scalar(select(Person.id).where(Person.email == "bo@x.io"))
    recommendation(db, event, kind=RecommendationKind.PERSON, rank=3, score=85.4, target_person_id=bo)
    recommendation(db, event, kind=RecommendationKind.SESSION, rank=1, score=84.6,
                   target_session_id=session_by_external_id(db, "a1").id)
    db.flush()
    feed = unified_feed(db, event_id=event.id, person_id=ana(db), now=clock.now())
    assert [(item.kind, round(item.score)) for item in feed] == [("session", 85), ("person", 85)]
