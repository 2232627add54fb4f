"""The attendee's "My network" page: requests to answer or withdraw, and connections with a private note."""
import pytest
from sqlalchemy import select

from core.networking.requests import respond_to_request, send_request
from db.models import Connection, ConnectionNote, ConnectionRequest, Person
from tests.ui.conftest import me, page_app, texts

PAGE = "pages/network.py"


@pytest.fixture
def others(demo):
    """Two other demo attendees."""
    return list(demo.scalars(select(Person).where(Person.id != me(demo)).order_by(Person.id).limit(2)))


def request(db, clock, requester: int, recipient: int, note: str = "") -> int:
    sent = send_request(db, requester_id=requester, recipient_id=recipient, event_id=None, origin="recommendation",
                        note=note, clock=clock)
    db.commit()
    return sent.request.id


def status(db, request_id: int) -> str:
    db.expire_all()
    return db.get(ConnectionRequest, request_id).status


def test_with_nothing_yet_both_tabs_say_where_requests_and_connections_come_from(demo):
    at = page_app("attendee", PAGE)
    assert not at.exception
    assert "No requests waiting for you" in texts(at)
    assert "No connections yet" in texts(at)


def test_an_incoming_request_shows_who_asked_and_their_note_as_typed(demo, clock, others):
    request(demo, clock, others[0].id, me(demo), note="Loved your [talk](http://evil.example) **a lot**")
    at = page_app("attendee", PAGE)
    shown = texts(at)
    assert others[0].last_name in shown
    assert r"\[talk\]" in shown and r"\*\*a lot\*\*" in shown


def test_accepting_an_incoming_request_connects_both(demo, clock, others):
    request_id = request(demo, clock, others[0].id, me(demo))
    at = page_app("attendee", PAGE)
    at.button(key=f"accept-{request_id}").click().run()
    assert any("you are connected" in s.value for s in at.success)
    assert status(demo, request_id) == "accepted"
    assert demo.scalar(select(Connection)) is not None
    assert "No requests waiting for you" in texts(at)


def test_declining_asks_for_confirmation_and_makes_no_connection(demo, clock, others):
    request_id = request(demo, clock, others[0].id, me(demo))
    at = page_app("attendee", PAGE)
    assert at.button(key=f"decline-{request_id}").label == "Yes, decline"
    at.button(key=f"decline-{request_id}").click().run()
    assert any("Request declined" in s.value for s in at.success)
    assert status(demo, request_id) == "declined" and demo.scalar(select(Connection)) is None


def test_a_sent_request_can_be_withdrawn(demo, clock, others):
    request_id = request(demo, clock, me(demo), others[1].id)
    at = page_app("attendee", PAGE)
    assert "Sent by you (1)" in texts(at)
    at.button(key=f"withdraw-{request_id}").click().run()
    assert any("Request withdrawn" in s.value for s in at.success)
    assert status(demo, request_id) == "withdrawn"


def test_answering_a_request_withdrawn_meanwhile_says_so(demo, clock, others):
    request_id = request(demo, clock, others[0].id, me(demo))
    at = page_app("attendee", PAGE)
    respond_to_request(demo, request_id=request_id, person_id=others[0].id, action="withdraw", clock=clock)
    demo.commit()
    at.button(key=f"accept-{request_id}").click().run()
    assert any("This request was just withdrawn" in e.value for e in at.error)
    assert demo.scalar(select(Connection)) is None


def test_a_connection_shows_origin_strength_interactions_and_last_interaction(demo, clock, others):
    request_id = request(demo, clock, me(demo), others[0].id)
    respond_to_request(demo, request_id=request_id, person_id=others[0].id, action="accept", clock=clock)
    demo.commit()
    at = page_app("attendee", PAGE)
    shown = texts(at)
    assert others[0].last_name in shown and "Weak" in shown
    assert f"From a recommendation · 1 interaction, last on {clock.now():%d %b %Y}" in shown


def test_a_private_note_on_a_connection_is_saved_and_shown_again(demo, clock, others):
    request_id = request(demo, clock, me(demo), others[0].id)
    respond_to_request(demo, request_id=request_id, person_id=others[0].id, action="accept", clock=clock)
    demo.commit()
    connection_id = demo.scalar(select(Connection.id))
    at = page_app("attendee", PAGE)
    at.text_area(key=f"note-{connection_id}").input("Follow up about the data team")
    next(b for b in at.button if b.label == "Save note").click().run()
    assert any("Note saved" in s.value for s in at.success)
    assert demo.scalar(select(ConnectionNote.note)) == "Follow up about the data team"
    assert page_app("attendee", PAGE).text_area(key=f"note-{connection_id}").value == "Follow up about the data team"
