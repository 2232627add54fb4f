"""The Activity tab content of My network, rendered on the demo: the feed with its actions, events the network
attends, the first-event welcome, and the connection feedback asked for after an event."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.models import Connection, ConnectionFeedback, Event, Person, Registration
from tests.ui.conftest import logged_in_app, me, texts

PAGE = "pages/network.py"


def render(person_id: int) -> AppTest:
    """My network as the demo attendee, on the Activity tab."""
    at = logged_in_app("attendee").run()
    at.switch_page(PAGE)
    at.session_state["network_tab"] = "Activity"
    return at.run()


@pytest.fixture
def friend(demo):
    """Another demo attendee at the demo event, connected to the demo attendee there."""
    mine = me(demo)
    event_id = demo.scalar(select(Registration.event_id).where(Registration.person_id == mine))
    other = demo.scalar(select(Person).join(Registration, Registration.person_id == Person.id)
                        .where(Registration.event_id == event_id, Person.id != mine).order_by(Person.id).limit(1))
    low, high = sorted((mine, other.id))
    demo.add(Connection(person_a_id=low, person_b_id=high, event_id=event_id, source="recommendation",
                        status="active", created_at=datetime.now(UTC)))
    demo.commit()
    return other


def test_a_first_timer_without_connections_gets_the_welcome_and_an_empty_feed(demo):
    at = render(me(demo))
    assert not at.exception
    shown = texts(at)
    assert "Welcome to your first event" in shown and "For you" in shown
    assert "Nothing new in your network yet" in shown
    assert "None of your connections is registered for an upcoming event yet" in shown


def test_a_connections_role_change_shows_as_typed_with_a_link_to_congratulate_them(demo, friend):
    friend.role, friend.company = "[Chief](http://evil.example) **Officer**", "Acme"
    friend.role_changed_at = datetime.now(UTC) - timedelta(days=1)
    demo.commit()
    at = render(me(demo))
    assert not at.exception
    shown = texts(at)
    assert r"Now \[Chief\]\(http" in shown and r"\*\*Officer\*\*" in shown
    assert "Welcome to your first event" not in shown  # they have a connection now
    [link] = [link.proto for link in at.get("page_link") if link.proto.label == "Congratulate them"]
    assert link.page.endswith("messages") and link.query_string == f"with={friend.id}"


def test_after_the_campaign_the_person_rates_a_connection_from_that_event(demo, friend):
    event = demo.scalar(select(Event).join(Registration).where(Registration.person_id == me(demo)))
    event.feedback_campaign_sent_at = datetime.now(UTC) - timedelta(hours=2)
    demo.commit()
    at = render(me(demo))
    assert "How were your connections?" in texts(at)
    key = f"activity-feedback-{demo.scalar(select(Connection.id))}"
    at.radio(key=f"{key}-rating").set_value(4)
    at.checkbox(key=f"{key}-valuable").check()
    at.button(key=f"{key}-save").click().run()
    assert not at.exception
    demo.expire_all()
    feedback = demo.scalar(select(ConnectionFeedback))
    assert (feedback.rating, feedback.valuable, feedback.person_id) == (4, True, me(demo))
    assert "How were your connections?" not in texts(at)  # nothing left to rate
