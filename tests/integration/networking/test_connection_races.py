"""Connecting from both sides, or twice from one card, at the same moment on a real Postgres: from both sides, one
request that the other side's click accepts (one connection, one "connected" activity); twice from one card, one
pending request; never a traceback."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.jobs.uploads import import_dataset
from core.recommend.actions import ActionError, record_action
from db.models import (
    ClickDebounce,
    Connection,
    ConnectionActivity,
    ConnectionRequest,
    Event,
    Message,
    MessageThread,
    Notification,
    Person,
    Recommendation,
    RecommendationKind,
)
from tests.integration.agenda.test_meeting_races import ROUNDS, count, race
from tests.integration.events.test_attendee_import import HEADER, row


@pytest.fixture
def pair(db, clock):
    """Ana and Bo, each recommended to the other."""
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana") + row("b@x.io", "Bo")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    event_id = db.scalar(select(Event.id))
    ana, bo = (db.scalar(select(Person.id).where(Person.email == email)) for email in ("a@x.io", "b@x.io"))
    recs = {}
    for user, target in ((ana, bo), (bo, ana)):
        rec = Recommendation(event_id=event_id, user_id=user, kind=RecommendationKind.PERSON, target_person_id=target,
                             rank=1, score=80, reasons=["why"], strategy="algorithmic", generated_at=clock.now(),
                             expires_at=clock.now() + timedelta(days=1))
        db.add(rec)
        db.flush()
        recs[user] = rec.id
    db.commit()
    return ana, bo, recs


def reset(db) -> None:
    db.rollback()
    for model in (ConnectionActivity, Connection, Notification, Message, MessageThread, ConnectionRequest,
                  ClickDebounce):  # each round repeats the same sends at the same fixed time
        db.execute(delete(model))
    db.execute(update(Recommendation).values(connected_at=None))
    db.commit()


def connect(recommendation_id: int, person_id: int, clock):
    def act(session: Session) -> str:
        return record_action(session, recommendation_id=recommendation_id, person_id=person_id, action="connect",
                             clock=clock)
    return act


def test_connecting_from_both_sides_at_once_makes_one_connection_and_one_activity(db, engine, clock, pair):
    ana, bo, recs = pair
    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, connect(recs[ana], ana, clock), connect(recs[bo], bo, clock), refusal=ActionError)
        assert sorted(kind for kind, _ in outcomes) == ["ok", "ok"], outcomes
        assert sum("had already asked to connect with you" in message for _, message in outcomes) == 1
        assert count(db, ConnectionRequest) == 1 and count(db, Connection) == 1
        assert list(db.scalars(select(ConnectionActivity.kind))) == ["connected"]
        assert all(db.scalars(select(Recommendation.connected_at).execution_options(populate_existing=True)))


def test_a_double_click_on_connect_sends_one_request_and_explains_the_second(db, engine, clock, pair):
    ana, bo, recs = pair
    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, connect(recs[ana], ana, clock), connect(recs[ana], ana, clock), refusal=ActionError)
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        assert any("already asked" in message for kind, message in outcomes if kind == "refused")
        assert count(db, ConnectionRequest) == 1 and count(db, Connection) == 0
