"""The Huddles tab of the organizer's analytics: the §6.8 figures beside their targets, the upcoming huddles with a
confirmed cancel, and the venue areas attendees can share."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.analytics.event_analytics import refresh_event_analytics
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.huddles.huddles import HuddlePlan, create_huddle
from db.models import AuditLog, Event, Huddle, HuddleKind, HuddleParticipant, Registration
from tests.conftest import APP_NOW
from tests.ui.conftest import page_app, texts

PAGE = "pages/analytics.py"
AT = (APP_NOW + timedelta(days=7)).replace(hour=11, minute=0)  # upcoming, as the page reads the real clock


@pytest.fixture
def page(demo, clock):
    """The demo event with one upcoming problem huddle (two of four accepted) and fresh analytics."""
    event = get_event(demo, DEMO_EVENT_SLUG)
    people = list(demo.scalars(select(Registration.person_id).where(Registration.event_id == event.id)
                               .order_by(Registration.person_id).limit(4)))
    huddle = create_huddle(demo, event_id=event.id, now=clock.now(), plan=HuddlePlan(
        kind=HuddleKind.PROBLEM, topic="Hiring ML engineers", invitee_ids=tuple(people), starts_at=AT,
        location_name="Lobby"))
    for participant in demo.scalars(select(HuddleParticipant).where(HuddleParticipant.huddle_id == huddle.id)
                                    .order_by(HuddleParticipant.person_id).limit(2)):
        participant.status = "accepted"
    demo.flush()
    refresh_event_analytics(demo, event_id=event.id, now=clock.now())
    demo.commit()
    return page_app("organizer", PAGE)


def test_the_huddles_tab_shows_the_figures_beside_the_targets(page):
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Huddles formed"] == "1" and metrics["Invitations"] == "4"
    assert metrics["Invite → accept rate"] == "50%" and metrics["Average huddle size"] == "2"
    targets = [c.value for c in page.caption if c.value.startswith("Target ")]
    assert targets == ["Target 40%+ · :green[:material/check_circle: Met]",
                       "Target 70%+ · :gray[:material/help: No data]",
                       "Target 4–6 · :orange[:material/cancel: Not met]",
                       "Target 1+ · :gray[:material/help: No data]",
                       "Target 30%+ · :orange[:material/cancel: Not met]"]


def test_the_upcoming_huddles_are_listed_with_kind_time_place_and_people(page):
    frame = next(d.value for d in page.dataframe if "Topic" in d.value.columns)
    assert frame.to_dict("records") == [{"Topic": "Hiring ML engineers", "Kind": "Shared problem",
                                         "When (UTC)": f"{AT:%a %d %b %H:%M}", "Where": "Lobby", "People": "2 of 8",
                                         "Status": "Forming"}]


def test_cancelling_needs_a_reason_and_the_confirmation(demo, page):
    next(s for s in page.selectbox if s.label == "Huddle").select_index(0)
    next(b for b in page.button if b.label == "Cancel huddle").click().run()
    assert "Choose the huddle, give a reason and tick the confirmation" in texts(page)
    demo.expire_all()
    assert demo.scalar(select(Huddle.status)) == "forming"


def test_a_confirmed_cancel_cancels_the_huddle_with_its_reason_and_audits_it(demo, page):
    next(s for s in page.selectbox if s.label == "Huddle").select_index(0)
    next(t for t in page.text_input if t.label.startswith("Reason")).input("Room needed for the keynote")
    next(c for c in page.checkbox if c.label.startswith("Yes, cancel")).check()
    next(b for b in page.button if b.label == "Cancel huddle").click().run()
    assert not page.exception
    demo.expire_all()
    huddle = demo.scalar(select(Huddle))
    assert (huddle.status, huddle.cancel_reason) == ("cancelled", "Room needed for the keynote")
    assert demo.scalar(select(AuditLog.action).where(AuditLog.action == "huddle.cancel")) == "huddle.cancel"
    assert "Huddle cancelled: Hiring ML engineers. Everyone invited is told." in texts(page)


def test_the_organizer_saves_venue_areas_that_become_shareable_zones(demo, page):
    area_box = next(t for t in page.text_area if t.label == "Venue areas")
    area_box.input("Lobby\n lobby \nCoffee bar")
    next(b for b in page.button if b.label == "Save areas").click().run()
    assert not page.exception
    demo.expire_all()
    assert demo.scalar(select(Event.venue_areas).where(Event.slug == DEMO_EVENT_SLUG)) == ["Lobby", "Coffee bar"]
    assert "2 venue areas saved." in texts(page)
    assert any("Coffee bar" in c.value and c.value.startswith("Zones attendees can share now")
               for c in page.caption)
