"""The location-sharing control: explained, share a zone for 30 minutes, see it with its expiry, stop at once."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.models import Event, LocationShare, Person


def control(person_id: int, event_id: int) -> None:
    from ui.huddle_location import render_location_share

    render_location_share(person_id, event_id)


@pytest.fixture
def venue(db):
    """An event with the areas Lobby and Coffee bar, and Ana. Returns (person_id, event_id)."""
    event = Event(slug="summit", name="Summit", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2),
                  timezone="UTC", venue_areas=["Lobby", "Coffee bar"])
    ana = Person(email="ana@x.io", first_name="Ana", last_name="Doe", interests=[], goals=[], skills_offered=[],
                 skills_needed=[])
    db.add_all([event, ana])
    db.commit()
    return ana.id, event.id


def app(venue) -> AppTest:
    person_id, event_id = venue
    return AppTest.from_function(control, args=(person_id, event_id), default_timeout=30).run()


def the_share(db) -> LocationShare | None:
    db.expire_all()
    return db.scalar(select(LocationShare))


def test_the_control_explains_that_only_the_zone_is_shared_for_30_minutes(venue):
    at = app(venue)
    assert not at.exception
    assert "Only the zone is shared, never your position." in at.caption[0].value
    assert at.selectbox[0].options == ["Coffee bar", "Lobby"]
    assert [b.label for b in at.button] == ["Share for 30 minutes"]


def test_sharing_a_zone_shows_it_with_its_expiry_and_a_stop_button(db, venue):
    at = app(venue)
    at.selectbox[0].select("Lobby").run()
    before = datetime.now(UTC)
    at.button[0].click().run()
    share = the_share(db)
    assert share.zone == "Lobby"
    assert before + timedelta(minutes=29) < share.expires_at <= datetime.now(UTC) + timedelta(minutes=30)
    shown = "\n".join(m.value for m in at.markdown)
    assert f"until {share.expires_at:%H:%M} UTC" in shown and "**Lobby**" in shown
    assert "Stop sharing" in [b.label for b in at.button]


def test_stop_sharing_removes_the_share_at_once(db, venue):
    at = app(venue)
    at.selectbox[0].select("Lobby").run()
    at.button[0].click().run()
    next(b for b in at.button if b.label == "Stop sharing").click().run()
    assert the_share(db) is None
    assert "You stopped sharing your zone." in [s.value for s in at.success]
    assert "Stop sharing" not in [b.label for b in at.button]


def test_sharing_without_a_zone_says_to_choose_one(db, venue):
    at = app(venue)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Choose the room or area you are in first."]
    assert the_share(db) is None


def test_an_event_without_rooms_or_areas_says_there_is_nothing_to_share(db, venue):
    person_id, event_id = venue
    db.get(Event, event_id).venue_areas = []
    db.commit()
    at = app(venue)
    assert "nothing to share" in at.info[0].value and not at.selectbox
