"""Bookmarks, agenda keep/drop and match controls clicked twice (or two ways) at the same moment on a real Postgres:
each ends in one row, never a traceback."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.agenda.personal import AgendaError, set_override
from core.jobs.uploads import import_dataset
from core.recommend.actions import ActionError, record_action
from core.recommend.program import SessionActionError, record_session_action
from db.models import Event, MatchControl, Person, ProgramSession, Recommendation, RecommendationKind, SessionAction
from tests.integration.agenda.test_meeting_races import ROUNDS, race
from tests.integration.events.test_attendee_import import HEADER, row

PROGRAM = "id,title,start,end,room\ns1,Morning talk,2026-12-01 09:00,2026-12-01 10:00,A\n"


@pytest.fixture
def attendee(db, clock):
    """Ana, registered for an event with one session, and her recommendation of Bo."""
    clock.at = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana") + row("b@x.io", "Bo")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    event_id = db.scalar(select(Event.id))
    ana, bo = (db.scalar(select(Person.id).where(Person.email == email)) for email in ("a@x.io", "b@x.io"))
    rec = Recommendation(event_id=event_id, user_id=ana, kind=RecommendationKind.PERSON, target_person_id=bo, rank=1,
                         score=80, reasons=["why"], strategy="algorithmic", generated_at=clock.now(),
                         expires_at=clock.now() + timedelta(days=1))
    db.add(rec)
    db.commit()
    return ana, db.scalar(select(ProgramSession.id)), rec.id


def reset(db) -> None:
    db.rollback()
    db.execute(delete(SessionAction))
    db.execute(delete(MatchControl))
    db.commit()


@pytest.mark.parametrize(("action", "verb"), [("bookmark", "Bookmarked"), ("dismiss", "Dismissed")])
def test_a_double_click_on_a_session_action_stores_it_once(db, engine, clock, attendee, action, verb):
    ana, session_id, _ = attendee

    def act(session: Session) -> str:
        return record_session_action(session, person_id=ana, session_id=session_id, action=action, clock=clock)

    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, act, act, refusal=SessionActionError)
        assert outcomes == [("ok", f"{verb} “Morning talk”.")] * 2
        assert list(db.scalars(select(SessionAction.kind))) == [action]


@pytest.mark.parametrize("choices", [("keep", "keep"), ("keep", "drop"), ("drop", "keep"), ("drop", "drop")])
def test_two_agenda_overrides_at_once_leave_one(db, engine, clock, attendee, choices):
    ana, session_id, _ = attendee

    def choose(choice: str):
        def act(session: Session) -> None:
            set_override(session, person_id=ana, session_id=session_id, choice=choice, clock=clock)
        return act

    for _ in range(ROUNDS):
        reset(db)
        assert race(engine, *map(choose, choices), refusal=AgendaError) == [("ok", None)] * 2
        assert list(db.scalars(select(SessionAction.kind))) in ([choices[0]], [choices[1]])


def control(rec_id: int, ana: int, action: str, clock):
    def act(session: Session) -> str:
        return record_action(session, recommendation_id=rec_id, person_id=ana, action=action, clock=clock)
    return act


@pytest.mark.parametrize("action", ["dismiss", "snooze", "more_like", "less_like"])
def test_a_double_click_on_a_match_control_stores_it_once(db, engine, clock, attendee, action):
    ana, _, rec_id = attendee
    for _ in range(ROUNDS):
        reset(db)
        first, second = race(engine, control(rec_id, ana, action, clock), control(rec_id, ana, action, clock),
                             refusal=ActionError)
        assert first == second and first[0] == "ok"
        assert list(db.scalars(select(MatchControl.kind))) == [action]


def test_more_and_less_like_this_at_once_leave_one_of_them(db, engine, clock, attendee):
    ana, _, rec_id = attendee
    for _ in range(4 * ROUNDS):  # the window between the other's insert and its delete is narrow: try it more often
        reset(db)
        race(engine, control(rec_id, ana, "more_like", clock), control(rec_id, ana, "less_like", clock),
             refusal=ActionError)
        assert list(db.scalars(select(MatchControl.kind))) in (["more_like"], ["less_like"])
