"""Shared venue zones on a real Postgres: the event's zones, sharing one for 30 minutes, stopping at once, the purge
of expired shares and of events over 90 days ago, and the organizer's venue areas."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.huddles.location import (
    AREA_NAME_LIMIT,
    MAX_VENUE_AREAS,
    LocationError,
    active_shares,
    clear_location,
    current_share,
    purge_location_shares,
    set_venue_areas,
    share_location,
    venue_zones,
)
from core.jobs.maintenance import apply_retention_policy
from core.platform.job_context import JobContext
from db.models import Account, AuditLog, Event, EventOrganizer, LocationShare, Person, ProgramSession
from tests.integration.agenda.test_meeting_races import race

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def make_event(db, slug: str, *, rooms=(), areas=(), ends_on: date = date(2026, 12, 2)) -> int:
    event = Event(slug=slug, name=slug.title(), starts_on=ends_on - timedelta(days=1), ends_on=ends_on,
                  timezone="UTC", venue_areas=list(areas))
    db.add(event)
    db.flush()
    for index, room in enumerate(rooms):
        db.add(ProgramSession(event_id=event.id, external_id=f"{slug}-{index}", title=f"Talk {index}", room=room,
                              starts_at=NOW, ends_at=NOW + timedelta(hours=1)))
    db.flush()
    return event.id


def make_person(db, first: str) -> int:
    someone = Person(email=f"{first.lower()}@x.io", first_name=first, last_name="Doe", interests=[], goals=[],
                     skills_offered=[], skills_needed=[])
    db.add(someone)
    db.flush()
    return someone.id


def make_account(db, username: str, *, organizes: int | None = None, roles=("organizer",)) -> int:
    account = Account(username=username, email=f"{username}@x.io", display_name=username.title(),
                      password_hash="x", roles=list(roles))
    db.add(account)
    db.flush()
    if organizes is not None:
        db.add(EventOrganizer(event_id=organizes, account_id=account.id))
        db.flush()
    return account.id


@pytest.fixture
def summit(db):
    """An event with rooms Hall A (twice), Room 2 and a blank room, plus the areas Lobby and Coffee bar; and Ana."""
    event_id = make_event(db, "summit", rooms=("Hall A", "Room 2", "Hall A", "  "), areas=("Lobby", "Coffee bar"))
    return event_id, make_person(db, "Ana")


def shares(db) -> int:
    return db.scalar(select(func.count()).select_from(LocationShare))


def test_the_zones_are_the_distinct_rooms_and_the_venue_areas_sorted_by_name(db, summit):
    event_id, _ = summit
    assert venue_zones(db, event_id) == ["Coffee bar", "Hall A", "Lobby", "Room 2"]


def test_a_zone_outside_the_event_is_refused(db, clock, summit):
    event_id, ana = summit
    with pytest.raises(LocationError, match="rooms or areas"):
        share_location(db, person_id=ana, event_id=event_id, zone="Rooftop", clock=clock)
    assert shares(db) == 0


def test_a_share_expires_thirty_minutes_after_it_was_made(db, clock, summit):
    event_id, ana = summit
    share = share_location(db, person_id=ana, event_id=event_id, zone=" Hall  A ", clock=clock)
    assert (share.zone, share.expires_at) == ("Hall A", clock.now() + timedelta(minutes=30))
    clock.at = clock.now() + timedelta(minutes=29)
    assert current_share(db, person_id=ana, event_id=event_id, clock=clock).zone == "Hall A"
    clock.at = clock.now() + timedelta(minutes=1)
    assert current_share(db, person_id=ana, event_id=event_id, clock=clock) is None
    assert active_shares(db, event_id=event_id, clock=clock) == {}


def test_sharing_again_moves_the_zone_and_restarts_the_thirty_minutes(db, clock, summit):
    event_id, ana = summit
    share_location(db, person_id=ana, event_id=event_id, zone="Hall A", clock=clock)
    clock.at = clock.now() + timedelta(minutes=20)
    share_location(db, person_id=ana, event_id=event_id, zone="Lobby", clock=clock)
    assert shares(db) == 1
    assert active_shares(db, event_id=event_id, clock=clock) == {ana: "Lobby"}
    assert current_share(db, person_id=ana, event_id=event_id, clock=clock).expires_at == \
        clock.now() + timedelta(minutes=30)


def test_stopping_removes_the_share_at_once(db, clock, summit):
    event_id, ana = summit
    share_location(db, person_id=ana, event_id=event_id, zone="Lobby", clock=clock)
    assert clear_location(db, person_id=ana, event_id=event_id) is True
    assert shares(db) == 0 and current_share(db, person_id=ana, event_id=event_id, clock=clock) is None
    assert clear_location(db, person_id=ana, event_id=event_id) is False


def test_the_purge_deletes_shares_expired_over_a_day_ago_and_keeps_newer_ones(db, clock, summit):
    event_id, ana = summit
    bo = make_person(db, "Bo")
    share_location(db, person_id=ana, event_id=event_id, zone="Lobby", clock=clock)
    clock.at = NOW + timedelta(hours=2)
    share_location(db, person_id=bo, event_id=event_id, zone="Lobby", clock=clock)
    clock.at = NOW + timedelta(minutes=30) + timedelta(days=1, seconds=1)  # Ana's expired a day and a second ago
    assert purge_location_shares(db, clock=clock) == 1
    assert list(db.scalars(select(LocationShare.person_id))) == [bo]


def test_the_purge_deletes_every_share_of_an_event_that_ended_over_90_days_ago(db, clock):
    old = make_event(db, "old", areas=("Lobby",), ends_on=date(2026, 9, 1))
    recent = make_event(db, "recent", areas=("Lobby",), ends_on=date(2026, 9, 3))
    ana = make_person(db, "Ana")
    # Live rows (not yet expired) so only the event rule can remove them.
    for event_id in (old, recent):
        db.add(LocationShare(person_id=ana, event_id=event_id, zone="Lobby", shared_at=NOW,
                             expires_at=NOW + timedelta(minutes=30)))
    db.flush()
    assert purge_location_shares(db, clock=clock) == 1  # 2026-09-01 is 91 days before 2026-12-01; 09-03 is 89
    assert list(db.scalars(select(LocationShare.event_id))) == [recent]


def test_the_retention_job_purges_location_shares(db, clock, summit):
    event_id, ana = summit
    share_location(db, person_id=ana, event_id=event_id, zone="Lobby", clock=clock)
    clock.at = NOW + timedelta(days=3)
    result = apply_retention_policy(JobContext(session=db, clock=clock, event_id=None))
    assert result["location_shares_purged"] == 1 and shares(db) == 0


def test_sharing_twice_at_once_leaves_one_share_and_no_error(db, engine, clock, summit):
    event_id, ana = summit
    db.commit()

    def share(zone: str):
        return lambda session: share_location(session, person_id=ana, event_id=event_id, zone=zone,
                                              clock=clock).zone

    outcomes = race(engine, share("Lobby"), share("Hall A"), refusal=LocationError)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "ok"], outcomes
    db.expire_all()
    assert shares(db) == 1 and db.scalar(select(LocationShare.zone)) in {"Lobby", "Hall A"}


def test_venue_areas_are_trimmed_and_deduplicated_ignoring_case(db, clock, summit):
    event_id, _ = summit
    organizer = make_account(db, "org", organizes=event_id)
    saved = set_venue_areas(db, event_id=event_id, areas=["  Expo   hall ", "expo hall", "", "Lobby", "LOBBY "],
                            actor_account_id=organizer, clock=clock)
    assert saved == ["Expo hall", "Lobby"]
    assert db.get(Event, event_id).venue_areas == ["Expo hall", "Lobby"]


def test_too_many_venue_areas_are_refused(db, clock, summit):
    event_id, _ = summit
    with pytest.raises(LocationError, match=f"at most {MAX_VENUE_AREAS}"):
        set_venue_areas(db, event_id=event_id, areas=[f"Area {n}" for n in range(MAX_VENUE_AREAS + 1)],
                        actor_account_id=None, clock=clock)


def test_a_venue_area_name_over_the_limit_is_refused(db, clock, summit):
    event_id, _ = summit
    with pytest.raises(LocationError, match=f"{AREA_NAME_LIMIT} characters"):
        set_venue_areas(db, event_id=event_id, areas=["x" * (AREA_NAME_LIMIT + 1)], actor_account_id=None,
                        clock=clock)


def test_changing_venue_areas_is_audited_with_before_and_after(db, clock, summit):
    event_id, _ = summit
    organizer = make_account(db, "org", organizes=event_id)
    set_venue_areas(db, event_id=event_id, areas=["Terrace"], actor_account_id=organizer, clock=clock)
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "event.venue_areas"))
    assert (entry.actor_account_id, entry.target_id, entry.details) == (
        organizer, str(event_id), {"before": ["Lobby", "Coffee bar"], "after": ["Terrace"]})


def test_only_an_organizer_of_the_event_can_change_its_venue_areas(db, clock, summit):
    event_id, _ = summit
    stranger = make_account(db, "stranger")
    with pytest.raises(LocationError, match="Only an organizer"):
        set_venue_areas(db, event_id=event_id, areas=["Terrace"], actor_account_id=stranger, clock=clock)
    assert db.get(Event, event_id).venue_areas == ["Lobby", "Coffee bar"]
