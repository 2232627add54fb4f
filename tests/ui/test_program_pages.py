"""The attendee's sessions, speakers, feed and agenda, and the organizer's analytics, rendered with AppTest."""
from datetime import timedelta

from sqlalchemy import select

from core.agenda.meetings import free_slots, request_meeting
from core.analytics.event_analytics import refresh_event_analytics
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from db.models import (
    AgendaItem,
    Meeting,
    Person,
    Recommendation,
    RecommendationKind,
    Registration,
    SessionAction,
)
from tests.ui.conftest import for_you, me, page_app, texts


def test_the_sessions_tab_lists_recommended_sessions_and_a_bookmark_persists(recommended):
    at = for_you("Sessions")
    bookmark = next(b for b in at.button if b.label == "Bookmark")
    bookmark.click().run()
    assert any("Bookmarked" in s.value for s in at.success)
    assert recommended.scalar(select(SessionAction.kind).where(SessionAction.person_id == me(recommended))) == \
        "bookmark"


def test_the_feed_mixes_people_sessions_and_speakers_by_score(recommended):
    at = page_app("attendee", "pages/for_you.py")
    feed = [m.value for m in at.markdown if " · match **" in m.value and m.value.startswith(":material/")]
    kinds = {line.split(" · ")[1] for line in feed}
    assert {"person", "session"} <= kinds
    scores = [float(line.rsplit("**", 2)[-2]) for line in feed]
    assert scores == sorted(scores, reverse=True)


def test_planning_the_agenda_shows_it_and_offers_a_calendar_download(recommended):
    at = page_app("attendee", "pages/my_agenda.py")
    assert "Your agenda is empty" in texts(at)
    next(b for b in at.button if b.label == "Plan my agenda").click().run()
    assert not at.exception
    assert any("Planned" in s.value for s in at.success)
    assert recommended.scalar(select(AgendaItem.id).where(AgendaItem.person_id == me(recommended))) is not None
    assert at.get("download_button")


def test_an_incoming_meeting_request_is_accepted_on_the_agenda_page(recommended, clock):
    event = get_event(recommended, DEMO_EVENT_SLUG)
    other = recommended.scalar(select(Person.id).join(Registration, Registration.person_id == Person.id)
                               .where(Registration.event_id == event.id, Person.id != me(recommended)))
    slot = free_slots(recommended, event_id=event.id, person_ids=[me(recommended), other], now=clock.now())[0]
    request_meeting(recommended, event_id=event.id, requester_id=other, recipient_id=me(recommended), slots=[slot],
                    clock=clock, message="Coffee?")
    recommended.commit()
    at = page_app("attendee", "pages/my_agenda.py")
    next(b for b in at.button if b.label == "Accept").click().run()
    assert any("Meeting accepted" in s.value for s in at.success)
    recommended.expire_all()
    meeting = recommended.scalar(select(Meeting))
    assert (meeting.status, meeting.starts_at, meeting.ends_at - meeting.starts_at) == (
        "accepted", slot, timedelta(minutes=30))


def test_the_analytics_page_offers_to_compute_when_nothing_is_cached(demo):
    at = page_app("organizer", "pages/analytics.py")
    assert "No analytics yet" in texts(at)
    next(b for b in at.button if b.label == "Compute now").click().run()
    assert not at.exception
    assert any(m.label == "Attendees" for m in at.metric)


def test_the_analytics_page_renders_the_cached_numbers_and_both_exports(recommended, clock):
    event = get_event(recommended, DEMO_EVENT_SLUG)
    data = refresh_event_analytics(recommended, event_id=event.id, now=clock.now())
    recommended.commit()
    at = page_app("organizer", "pages/analytics.py")
    assert not at.exception
    attendees = next(m for m in at.metric if m.label == "Attendees")
    assert attendees.value == f"{data['networking']['attendees']:,}"
    assert len(at.get("download_button")) == 2
    assert any(chart for chart in at.get("plotly_chart"))


def test_a_meeting_request_from_a_person_card_proposes_a_slot_free_for_both(recommended):
    at = for_you("People")
    first = recommended.scalar(select(Recommendation.id).where(Recommendation.user_id == me(recommended),
                                                               Recommendation.kind == RecommendationKind.PERSON,
                                                               Recommendation.rank == 1))
    at.session_state[f"meet-open-person-{first}"] = True
    slots = next(g for g in at.run().get("button_group") if g.proto.label == "Propose up to 3 slots")
    slots.select(slots.proto.options[0].content)
    submit = next(b for b in at.button if b.label == "Send request")
    submit.click().run()
    assert any("Meeting request sent" in s.value for s in at.success)
    meeting = recommended.scalar(select(Meeting))
    assert (meeting.status, meeting.requester_id, len(meeting.proposed_slots)) == ("pending", me(recommended), 1)
