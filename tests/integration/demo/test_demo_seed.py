"""The demo conference loads into an empty database only."""
import pytest
from sqlalchemy import func, select

from core.demo.seed import DEMO_ACCOUNTS, DEMO_EVENT_SLUG, seed_demo
from core.events.events import get_event
from db.models import Account, Alumnus, Person, ProgramSession, Registration, Speaker


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_the_demo_has_a_conference_of_300_with_program_alumni_and_one_account_per_role(db, clock):
    seed_demo(db, clock=clock)
    assert count(db, Person) == 300 and count(db, Registration) == 300
    assert count(db, ProgramSession) == 40 and count(db, Speaker) >= 20
    assert count(db, Alumnus) == 3000
    assert db.scalar(select(func.count()).select_from(Alumnus).where(Alumnus.lat.is_(None))) == 0
    assert sorted(db.scalars(select(Account.username))) == sorted(a.username for a in DEMO_ACCOUNTS)


def test_the_demo_attendee_account_is_linked_to_a_registered_person(db, clock):
    seed_demo(db, clock=clock, attendees=40, alumni=10)
    person_id = db.scalar(select(Account.person_id).where(Account.username == "attendee"))
    assert db.scalar(select(Registration.event_id).where(Registration.person_id == person_id)) is not None


def test_sessions_in_the_demo_program_have_speakers_and_tracks(db, clock):
    seed_demo(db, clock=clock, attendees=40, alumni=10)
    sessions = db.scalars(select(ProgramSession)).all()
    assert all(s.speakers and s.track and s.starts_at < s.ends_at for s in sessions)


def test_seeding_refuses_a_database_that_already_holds_data(db, clock):
    seed_demo(db, clock=clock, attendees=40, alumni=10)
    with pytest.raises(RuntimeError, match="already holds data"):
        seed_demo(db, clock=clock)
    assert count(db, Person) == 40


def test_the_demo_event_slug_is_stable(db, clock):
    seed_demo(db, clock=clock, attendees=40, alumni=10)
    assert get_event(db, DEMO_EVENT_SLUG).name == "GlobalTech Summit 2026"


def test_demo_activity_gives_the_analytics_a_funnel_and_spares_the_demo_attendee(db, clock):
    from core.analytics.event_analytics import compute_event_analytics
    from core.demo.seed import seed_demo_activity
    from core.events.events import get_event
    from core.recommend.people import refresh_recommendations
    from core.recommend.program import refresh_program_recommendations
    from db.models import Account, Recommendation
    from tests.fakes import FakeEmbedder

    seed_demo(db, clock=clock, attendees=60, alumni=10)
    event = get_event(db, DEMO_EVENT_SLUG)
    refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    spare = db.scalar(select(Account.person_id).where(Account.username == "attendee"))
    counts = seed_demo_activity(db, event_id=event.id, clock=clock, spare_person_id=spare)
    funnel = compute_event_analytics(db, event_id=event.id, now=clock.now())["networking"]["funnel"]
    assert funnel["viewed"] == counts["views"] > funnel["pinged"] == counts["pings"] > 0
    assert db.scalar(select(Recommendation.viewed_at).where(Recommendation.user_id == spare,
                                                            Recommendation.viewed_at.is_not(None))) is None
