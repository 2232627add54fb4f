"""Engagement scores on real Postgres: actions raise a score by the documented points, history only on change, the
leaderboards (all-time, monthly, per event) and who is left off them, badges once with one notification, also when
two recalculations race, and the job for one person or everyone."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.community import engagement as E
from core.community.badges import Badge, badges_of
from core.community.engagement import Factor, recalculate, recalculate_one, score_of
from core.community.leaderboards import Timeframe, leaderboard, place_of
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from db.models import (
    Connection,
    EngagementHistory,
    EngagementScore,
    Event,
    KnowledgeCapsule,
    Meeting,
    Notification,
    Person,
    PersonBadge,
    Registration,
)
from tests.conftest import FIXED_NOW

LONG_AGO = FIXED_NOW - timedelta(days=200)  # before the activity window: no streak, no recency points


def add_person(db, name: str, **fields) -> int:
    person = Person(email=f"{name.lower()}@example.org", first_name=name, last_name="Tester", **fields)
    db.add(person)
    db.flush()
    return person.id


def add_event(db, slug: str = "conf", *, starts_on=None) -> int:
    event = Event(slug=slug, name=slug.title(), starts_on=starts_on)
    db.add(event)
    db.flush()
    return event.id


def attend(db, person_id: int, event_id: int, *, checked_in_at=LONG_AGO) -> None:
    db.add(Registration(event_id=event_id, person_id=person_id, registered_at=LONG_AGO, checked_in_at=checked_in_at))
    db.flush()


def connect(db, one: int, other: int) -> None:
    low, high = sorted((one, other))
    db.add(Connection(person_a_id=low, person_b_id=high, status="active", created_at=LONG_AGO))
    db.flush()


def meet(db, one: int, other: int, event_id: int) -> None:
    db.add(Meeting(event_id=event_id, requester_id=one, recipient_id=other, status="accepted", proposed_by=one,
                   proposed_slots=[], starts_at=LONG_AGO, ends_at=LONG_AGO + timedelta(minutes=30),
                   created_at=LONG_AGO))
    db.flush()


def write_capsule(db, author_id: int, title: str = "Vector search in practice", *, views=0, likes=0) -> None:
    db.add(KnowledgeCapsule(natural_key=f"{author_id}:{title}", title=title, content="...", author_person_id=author_id,
                            author_name="Ann", duration_minutes=5, source="written", created_at=LONG_AGO,
                            views_count=views, likes_count=likes))
    db.flush()


def factors(db, person_id: int) -> dict[str, float]:
    return db.get(EngagementScore, person_id).factors


def test_attending_connecting_meeting_and_writing_a_capsule_raise_the_score_by_the_documented_points(db, clock):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    event = add_event(db)
    recalculate(db, clock=clock)
    assert score_of(db, ann).total == 0
    attend(db, ann, event)
    connect(db, ann, bob)
    meet(db, ann, bob, event)
    write_capsule(db, ann, views=4, likes=1)
    recalculate(db, clock=clock)
    assert factors(db, ann)[Factor.EVENTS] == E.EVENT_POINTS + E.CHECK_IN_POINTS
    assert factors(db, ann)[Factor.CONNECTIONS] == E.CONNECTION_POINTS
    assert factors(db, ann)[Factor.MEETINGS] == E.MEETING_POINTS
    assert factors(db, ann)[Factor.KNOWLEDGE] == E.CAPSULE_POINTS + 4 * E.VIEW_POINTS + E.LIKE_POINTS
    assert factors(db, ann)[Factor.ACTIVITY] == -E.DECAY_CAP  # nothing done for 200 days
    assert score_of(db, ann).total == 25 + 5 + 10 + 52 + 5 - 50


def test_profile_points_come_from_the_filled_fields_a_social_handle_and_a_verified_alumni_record(db, clock):
    from db.models import Alumnus

    ann = add_person(db, "Ann", skills_offered=["Python"], skills_needed=["Sales"], bio="Builder", industry="Fintech",
                     github_username="ann")
    db.add(Alumnus(email="ANN@example.org", name="Ann Tester", verified_at=LONG_AGO))
    db.flush()
    recalculate(db, clock=clock)
    assert factors(db, ann)[Factor.PROFILE] == 4 / 6 * E.PROFILE_COMPLETE_POINTS + E.SOCIAL_POINTS + E.VERIFIED_POINTS


def test_a_registration_for_an_event_that_has_started_counts_as_attended_without_a_check_in(db, clock):
    ann = add_person(db, "Ann")
    attend(db, ann, add_event(db, starts_on=FIXED_NOW.date()), checked_in_at=None)
    recalculate(db, clock=clock)
    assert factors(db, ann)[Factor.EVENTS] == E.EVENT_POINTS


def test_a_registration_for_an_event_still_to_come_earns_nothing_until_it_starts(db, clock):
    ann = add_person(db, "Ann")
    attend(db, ann, add_event(db, starts_on=FIXED_NOW.date() + timedelta(days=1)), checked_in_at=None)
    recalculate(db, clock=clock)
    assert factors(db, ann)[Factor.EVENTS] == 0


def test_activity_today_earns_the_streak_and_weekly_points_instead_of_the_decay(db, clock):
    ann = add_person(db, "Ann")
    attend(db, ann, add_event(db), checked_in_at=FIXED_NOW - timedelta(hours=1))
    recalculate(db, clock=clock)
    assert factors(db, ann)[Factor.ACTIVITY] == E.STREAK_POINTS + E.WEEKLY_ACTIVE_POINTS
    assert db.get(EngagementScore, ann).streak_days == 1


def test_the_leaderboard_follows_the_scores_and_stores_each_rank(db, clock):
    ann, bob, cai = add_person(db, "Ann"), add_person(db, "Bob"), add_person(db, "Cai")
    for n in range(3):
        write_capsule(db, bob, f"Bob {n}")  # 150 for capsules, 50 off for 200 days without activity
    for n in range(2):
        write_capsule(db, cai, f"Cai {n}")
    recalculate(db, clock=clock)
    board = leaderboard(db, timeframe=Timeframe.ALL_TIME, now=FIXED_NOW)
    assert [(row.person_id, row.points) for row in board] == [(bob, 100), (cai, 50), (ann, 0)]
    assert [db.get(EngagementScore, p).rank for p in (bob, cai, ann)] == [1, 2, 3]
    assert board[0].points_to_next == 51 and board[1].points_to_next == 1


def test_the_own_place_on_the_all_time_board_of_everyone_is_the_stored_rank(db, clock):
    ann = add_person(db, "Ann")
    recalculate(db, clock=clock)
    db.get(EngagementScore, ann).rank = 7  # as a recalculation stored it; not ranked again on reading
    db.flush()
    assert place_of(db, person_id=ann, timeframe=Timeframe.ALL_TIME, now=FIXED_NOW).rank == 7


def test_people_who_said_no_to_analytics_or_are_not_live_are_left_off_the_leaderboards(db, clock):
    ann = add_person(db, "Ann")
    shy = add_person(db, "Shy", consents={"analytics_participation": False})
    gone = add_person(db, "Gone")
    for person in (ann, shy, gone):
        write_capsule(db, person, f"Capsule of {person}")
    recalculate(db, clock=clock)
    db.get(Person, gone).deletion_requested_at = FIXED_NOW
    E.update_ranks(db)
    board = leaderboard(db, timeframe=Timeframe.ALL_TIME, now=FIXED_NOW)
    assert [row.person_id for row in board] == [ann]
    assert place_of(db, person_id=shy, timeframe=Timeframe.ALL_TIME, now=FIXED_NOW) is None
    assert db.get(EngagementScore, shy).rank is None and db.get(EngagementScore, gone).rank is None


def test_an_event_leaderboard_lists_only_the_events_people(db, clock):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    event, other = add_event(db), add_event(db, "other")
    attend(db, ann, event)
    attend(db, bob, other)
    write_capsule(db, bob)
    recalculate(db, clock=clock)
    assert [r.person_id for r in leaderboard(db, timeframe=Timeframe.ALL_TIME, now=FIXED_NOW, event_id=event)] == [ann]


def test_the_monthly_leaderboard_counts_the_points_gained_since_the_month_began(db):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    for n in range(2):
        write_capsule(db, bob, f"Bob {n}")
    recalculate(db, clock=FixedClock(datetime(2026, 11, 20, tzinfo=UTC)))  # Bob starts December with 50
    for n in range(2):
        write_capsule(db, ann, f"Ann {n}")
    write_capsule(db, bob, "Bob again")
    recalculate(db, clock=FixedClock(FIXED_NOW))
    month = leaderboard(db, timeframe=Timeframe.MONTH, now=FIXED_NOW)
    assert sorted((r.person_id, r.points, r.rank) for r in month) == [(ann, 50, 1), (bob, 50, 1)]
    assert [(r.person_id, r.points) for r in leaderboard(db, timeframe=Timeframe.ALL_TIME, now=FIXED_NOW)] == [
        (bob, 100), (ann, 50)]


def test_a_recalculation_that_changes_nothing_appends_no_history(db, clock):
    ann = add_person(db, "Ann")
    write_capsule(db, ann)
    recalculate(db, clock=clock)
    report = recalculate(db, clock=clock)
    assert report.changed == 0
    assert db.scalar(select(func.count()).select_from(EngagementHistory)) == 1


def test_a_badge_is_awarded_once_with_one_notification_over_many_recalculations(db, clock):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    connect(db, ann, bob)
    recalculate(db, clock=clock)
    recalculate(db, clock=clock)
    assert Badge.FIRST_CONNECTION in {b.badge for b in badges_of(db, ann)}
    notes = db.scalars(select(Notification.title).where(Notification.person_id == ann)).all()
    assert notes == ["New badge: First connection"]


def test_two_recalculations_at_once_award_one_badge_and_one_notification(engine, db, clock):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    connect(db, ann, bob)
    db.commit()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            with Session(engine) as session:
                barrier.wait()
                recalculate(session, clock=clock, person_ids=[ann])
                session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert db.scalar(select(func.count()).select_from(PersonBadge).where(PersonBadge.person_id == ann)) == 1
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.person_id == ann)) == 1
    assert db.scalar(select(func.count()).select_from(EngagementHistory).where(EngagementHistory.person_id == ann)) == 1


def test_one_person_is_recalculated_by_email_and_everyone_else_is_left_alone(db, clock):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    recalculate_one(db, clock=clock, email="ANN@example.org ")
    assert db.get(EngagementScore, ann) is not None and db.get(EngagementScore, bob) is None
    assert recalculate_one(db, clock=clock, email="nobody@example.org") is None


@pytest.mark.parametrize("person", [True, False])
def test_the_job_recalculates_the_requested_person_or_everyone(db, clock, person):
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    result = E.engagement_job(JobContext(session=db, clock=clock, event_id=None, person_id=ann if person else None))
    assert result["people"] == (1 if person else 2)
    assert (db.get(EngagementScore, bob) is None) is person


def test_a_queued_recalculation_of_one_person_is_run_by_the_worker_for_that_person_only(engine, db, clock):
    from core.jobs.runner import run_queued_work
    from core.platform.settings import Settings

    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    assert E.request_recalculation(db, clock=clock, reason="test", person_id=E.person_by_email(db, "ann@example.org"))
    db.commit()
    run_queued_work(engine, clock=clock, settings=Settings())
    db.expire_all()
    assert db.get(EngagementScore, ann) is not None and db.get(EngagementScore, bob) is None


def test_a_queued_recalculation_of_everyone_is_run_by_the_worker(engine, db, clock):
    from core.jobs.runner import run_queued_work
    from core.platform.settings import Settings

    ann = add_person(db, "Ann")
    assert E.request_recalculation(db, clock=clock, reason="test")
    assert not E.request_recalculation(db, clock=clock, reason="test again")
    db.commit()
    run_queued_work(engine, clock=clock, settings=Settings())
    assert db.get(EngagementScore, ann) is not None
