"""Two scans at the same moment on a real Postgres: the session's huddles form once and nobody is invited twice."""
from datetime import timedelta

from sqlalchemy import delete, func, select

from core.huddles.generate import generate_problem_huddles, generate_session_huddles
from db.models import Huddle, HuddleParticipant, Notification, SessionAction
from tests.fakes import FakeEmbedder
from tests.integration.agenda.test_meeting_races import ROUNDS, race
from tests.integration.huddles.test_generate import NOW, add_session, make_event, problem_people


def reset(db) -> None:
    db.rollback()
    for model in (Notification, HuddleParticipant, Huddle):
        db.execute(delete(model))
    db.commit()


def test_two_session_scans_at_once_form_one_set_of_huddles(db, engine, clock):
    event_id = make_event(db)
    talk = add_session(db, event_id, "Talk", NOW - timedelta(minutes=45))
    people = problem_people(db, event_id, 7)
    db.add_all(SessionAction(person_id=p, session_id=talk, kind="attended", created_at=NOW) for p in people)
    db.commit()

    def scan(session):
        return generate_session_huddles(session, event_id=event_id, session_id=talk, clock=clock,
                                        embedder=FakeEmbedder())["huddles"]
    for _ in range(ROUNDS):
        outcomes = race(engine, scan, scan, refusal=ValueError)
        assert sorted(outcomes) == [("ok", 0), ("ok", 1)]
        assert db.scalar(select(func.count()).select_from(Huddle)) == 1
        reset(db)


def test_two_problem_scans_at_once_invite_nobody_twice(db, engine, clock):
    event_id = make_event(db)
    problem_people(db, event_id, 5)
    db.commit()

    def scan(session):
        return generate_problem_huddles(session, event_id=event_id, clock=clock, embedder=FakeEmbedder())["huddles"]
    for _ in range(ROUNDS):
        outcomes = race(engine, scan, scan, refusal=ValueError)
        assert sorted(outcomes) == [("ok", 0), ("ok", 1)]
        twice = db.scalar(select(func.count()).select_from(select(HuddleParticipant.person_id)
                          .group_by(HuddleParticipant.person_id).having(func.count() > 1).subquery()))
        assert twice == 0
        reset(db)
