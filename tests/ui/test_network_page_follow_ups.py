"""The follow-ups, stats and filters of the "My network" page (seed 000 §7.4, §7.6)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.networking.follow_ups import generate_follow_up_drafts
from db.models import Connection, Event, FollowUpDraft, Message, Person, Registration
from tests.ui.conftest import me, page_app, texts

PAGE = "pages/network.py"


@pytest.fixture
def summit(demo, clock):
    """An event that ended a day or more ago where the demo attendee connected with two others; drafts
    generated. Returns the two other people."""
    ends_on = (clock.now() - timedelta(days=2)).date()
    event = Event(slug="summit", name="Lisbon Summit", starts_on=ends_on - timedelta(days=1), ends_on=ends_on)
    demo.add(event)
    demo.flush()
    mine = me(demo)
    others = list(demo.scalars(select(Person).where(Person.id != mine).order_by(Person.id).limit(2)))
    for pid in (mine, *(o.id for o in others)):
        demo.merge(Registration(event_id=event.id, person_id=pid, registered_at=clock.now() - timedelta(days=30)))
    for other, interactions in zip(others, (3, 1), strict=True):
        low, high = sorted((mine, other.id))
        demo.add(Connection(person_a_id=low, person_b_id=high, event_id=event.id, source="recommendation",
                            interaction_count=interactions, created_at=clock.now() - timedelta(days=3)))
    demo.flush()
    generate_follow_up_drafts(demo, event_id=event.id, clock=clock)
    demo.commit()
    return others


def my_draft(db, recipient_id: int) -> FollowUpDraft:
    db.expire_all()
    return db.scalar(select(FollowUpDraft).where(FollowUpDraft.author_id == me(db),
                                                 FollowUpDraft.recipient_id == recipient_id))


def test_without_follow_ups_there_is_no_follow_up_tab_and_the_stats_start_at_zero(demo):
    at = page_app("attendee", PAGE)
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Connections", "Requests", "Activity"]
    assert [(m.label, m.value) for m in at.metric] == [("Connections", "0"), ("Events", "0"),
                                                       ("Follow-up rate", "0%")]


def test_drafts_show_the_person_the_reason_and_an_editable_message_best_first(demo, summit):
    at = page_app("attendee", PAGE)
    assert at.tabs[0].label == "Follow-ups"
    shown = texts(at)
    assert "You connected through a recommendation at Lisbon Summit" in shown
    best, other = sorted((my_draft(demo, p.id) for p in summit), key=lambda d: -d.priority)
    assert best.priority > other.priority
    areas = [t for t in at.text_area if t.key.startswith("follow-up-body-")]
    assert [t.key for t in areas] == [f"follow-up-body-{best.id}", f"follow-up-body-{other.id}"]
    assert areas[0].value == best.body


def test_sending_an_edited_follow_up_messages_them_and_raises_the_follow_up_rate(demo, summit):
    draft = my_draft(demo, summit[0].id)
    at = page_app("attendee", PAGE)
    at.text_area(key=f"follow-up-body-{draft.id}").input("Great to meet you, coffee next week?")
    at.button(key=f"follow-up-send-{draft.id}").click().run()
    assert any("Follow-up sent to" in s.value for s in at.success)
    assert demo.scalar(select(Message.body).where(Message.kind == "follow_up")) == \
        "Great to meet you, coffee next week?"
    assert next(m.value for m in at.metric if m.label == "Follow-up rate") == "50%"
    assert f"follow-up-body-{draft.id}" not in [t.key for t in at.text_area]


def test_snoozing_and_skipping_take_the_drafts_off_the_page(demo, summit):
    first, second = my_draft(demo, summit[0].id), my_draft(demo, summit[1].id)
    at = page_app("attendee", PAGE)
    at.button(key=f"follow-up-snooze-{first.id}").click().run()
    assert any("comes back on" in s.value for s in at.success)
    at.button(key=f"follow-up-skip-{second.id}").click().run()
    assert any("will not be suggested again" in s.value for s in at.success)
    assert "Follow-ups" not in [t.label for t in at.tabs]
    assert (my_draft(demo, summit[0].id).status, my_draft(demo, summit[1].id).status) == ("snoozed", "skipped")


def test_the_need_follow_up_filter_lists_connections_without_a_follow_up(demo, summit):
    at = page_app("attendee", PAGE)
    at.segmented_control(key="network_filter").set_value("need_follow_up").run()
    assert "2 connections, made 2 to 14 days ago" in texts(at)
    at.segmented_control(key="network_filter").set_value("strong").run()
    assert "No strong connections yet" in texts(at)
