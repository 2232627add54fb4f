"""Per-category snooze (seed 004 §5) on a real Postgres: a snoozed category leaves For you until it ends."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.platform.clock import FixedClock
from core.recommend.feed import unified_feed
from core.recommend.people import current_recommendations, refresh_recommendations
from core.recommend.signals import (
    MatchCategory,
    SignalError,
    categories_of,
    signals_of,
    snooze_category,
    unsnooze_category,
)
from db.models import CategorySnooze, Event, Person, Registration
from tests.fakes import FakeEmbedder


@pytest.fixture
def event(db, clock):
    event = Event(slug="cats", name="Category fair")
    db.add(event)
    db.flush()
    people = [Person(email=f"{name}@x.io", first_name=name.title(), last_name="T", role=role, goals=goals,
                     interests=["fintech payments"])
              for name, role, goals in (("founder", "Founder", ["FIND_INVESTORS"]),
                                        ("ivan", "Partner", ["INVEST"]), ("pat", "Product lead", ["NETWORK"]))]
    db.add_all(people)
    db.flush()
    db.add_all(Registration(event_id=event.id, person_id=p.id) for p in people)
    db.flush()
    refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    return event


def person(db, email) -> Person:
    return db.scalar(select(Person).where(Person.email == email))


def shown(db, event, viewer, now) -> set[str]:
    return {c.person.email for c in current_recommendations(db, event_id=event.id, person_id=viewer.id, now=now)}


def test_categories_come_from_goals_and_roles(db):
    assert categories_of(Person(goals=["INVEST"], role="")) == {MatchCategory.INVESTORS}
    assert categories_of(Person(goals=[], role="Senior Recruiter")) == {MatchCategory.RECRUITERS}


def test_a_snoozed_category_is_hidden_from_for_you(db, event, clock):
    founder = person(db, "founder@x.io")
    assert "ivan@x.io" in shown(db, event, founder, clock.now())
    snooze_category(db, person_id=founder.id, category="investors", clock=clock)
    assert shown(db, event, founder, clock.now()) == {"pat@x.io"}


def test_a_snoozed_category_is_hidden_from_the_unified_feed(db, event, clock):
    founder = person(db, "founder@x.io")
    snooze_category(db, person_id=founder.id, category="investors", clock=clock)
    feed = unified_feed(db, event_id=event.id, person_id=founder.id, now=clock.now())
    assert "Ivan T" not in {item.title for item in feed if item.kind == "person"}


def test_a_category_snooze_ends_after_30_days(db, event, clock):
    founder = person(db, "founder@x.io")
    until = snooze_category(db, person_id=founder.id, category="investors", clock=clock)
    assert until == clock.now() + timedelta(days=30)
    assert "ivan@x.io" not in shown(db, event, founder, clock.now() + timedelta(days=29, hours=23))
    later = clock.now() + timedelta(days=30, minutes=1)
    # the stored lists expire after a day, so a month later the attendee sees a fresh refresh
    refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=FixedClock(later))
    assert "ivan@x.io" in shown(db, event, founder, later)


def test_unsnoozing_shows_the_category_again(db, event, clock):
    founder = person(db, "founder@x.io")
    snooze_category(db, person_id=founder.id, category="investors", clock=clock)
    unsnooze_category(db, person_id=founder.id, category="investors")
    assert "ivan@x.io" in shown(db, event, founder, clock.now())


def test_a_running_snooze_is_listed_among_the_signals(db, event, clock):
    founder = person(db, "founder@x.io")
    snooze_category(db, person_id=founder.id, category="investors", clock=clock)
    listed = [s for s in signals_of(db, founder.id, now=clock.now()) if s.key == "category:investors"]
    assert listed and listed[0].value == "Investors"


def test_an_unknown_category_is_refused(db, event, clock):
    with pytest.raises(SignalError, match="not a category"):
        snooze_category(db, person_id=person(db, "founder@x.io").id, category="aliens", clock=clock)


def test_two_snoozes_of_the_same_category_at_once_keep_one_row(db, engine, clock):
    someone = Person(email="race@x.io", first_name="Race", last_name="T")
    db.add(someone)
    db.commit()
    person_id = someone.id
    barrier, errors = threading.Barrier(2), []

    def snooze():
        with Session(engine) as session:
            try:
                barrier.wait()
                snooze_category(session, person_id=person_id, category="investors", clock=clock)
                session.commit()
            except Exception as exc:  # noqa: BLE001 - the test reports any failure
                errors.append(exc)

    threads = [threading.Thread(target=snooze) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = db.scalar(select(func.count()).select_from(CategorySnooze).where(CategorySnooze.person_id == person_id))
    assert errors == [] and rows == 1
