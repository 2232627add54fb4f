"""Blocks on a real Postgres: a blocked pair never sees each other in any list, nothing new passes between them
whoever blocked, and a block closes what was pending between them."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.agenda.meetings import MeetingError, meetings_of, request_meeting
from core.jobs.uploads import import_dataset
from core.networking.connections import get_or_create_connection
from core.networking.messages import MessageError, send_message, threads_of, unread_messages
from core.networking.moderation import ModerationError, block_person, my_blocks, unblock_person
from core.networking.notifications import notification_feed, unread_count
from core.networking.requests import RequestError, incoming_requests, outgoing_requests, send_ping, send_request
from core.recommend.people import current_recommendations
from core.recommend.program import session_recommendations
from db.models import (
    ConnectionRequest,
    Event,
    Meeting,
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    SessionAction,
)
from tests.integration.events.test_attendee_import import HEADER, row

PROGRAM = ("id,title,start,end,room\n"
           "s1,Morning talk,2026-12-01 09:00,2026-12-01 10:00,A\n"
           "s2,Closing talk,2026-12-01 11:00,2026-12-01 12:00,A\n")
TEN = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def pair(db, clock):
    """Ana and Bo at one event with a program, recommended to each other. Returns (event_id, ana, bo)."""
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana") + row("b@x.io", "Bo")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    event_id = db.scalar(select(Event.id))
    ana, bo = (db.scalar(select(Person.id).where(Person.email == email)) for email in ("a@x.io", "b@x.io"))
    for user, target in ((ana, bo), (bo, ana)):
        db.add(Recommendation(event_id=event_id, user_id=user, kind=RecommendationKind.PERSON,
                              target_person_id=target, rank=1, score=80, reasons=["why"], strategy="algorithmic",
                              generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
    db.flush()
    return event_id, ana, bo


def block(db, clock, blocker: int, blocked: int):
    return block_person(db, blocker_id=blocker, blocked_id=blocked, clock=clock)


@pytest.mark.parametrize("blocker", [0, 1])
def test_a_blocked_pair_never_sees_each_other_in_recommendations(db, clock, pair, blocker):
    event_id, ana, bo = pair
    assert [c.person.id for c in current_recommendations(db, event_id=event_id, person_id=ana, now=clock.now())] == [bo]
    block(db, clock, *((ana, bo) if blocker == 0 else (bo, ana)))
    for viewer in (ana, bo):
        assert current_recommendations(db, event_id=event_id, person_id=viewer, now=clock.now()) == []


def test_a_blocked_connection_no_longer_counts_in_the_programs_social_proof(db, clock, pair):
    event_id, ana, bo = pair
    get_or_create_connection(db, person_ids=(ana, bo), event_id=event_id, source="meeting", now=clock.now())
    talk = db.scalar(select(ProgramSession.id).where(ProgramSession.title == "Closing talk"))
    db.add(SessionAction(person_id=bo, session_id=talk, kind="bookmark", created_at=clock.now()))
    db.add(Recommendation(event_id=event_id, user_id=ana, kind=RecommendationKind.SESSION, target_session_id=talk,
                          rank=1, score=70, reasons=["why"], strategy="algorithmic", generated_at=clock.now(),
                          expires_at=clock.now() + timedelta(days=1)))
    db.flush()
    [card] = session_recommendations(db, event_id=event_id, person_id=ana, now=clock.now())
    assert card.connections_going == 1
    block(db, clock, bo, ana)
    [card] = session_recommendations(db, event_id=event_id, person_id=ana, now=clock.now())
    assert card.connections_going == 0


def test_a_blocked_pair_never_sees_each_other_in_threads_or_notifications(db, clock, pair):
    event_id, ana, bo = pair
    send_ping(db, sender_id=bo, recipient_id=ana, event_id=event_id, body="Hi Ana", clock=clock)
    assert [t.other.id for t in threads_of(db, ana)] == [bo] and unread_count(db, ana) == 1
    block(db, clock, ana, bo)
    assert threads_of(db, ana) == [] and threads_of(db, bo) == []
    assert notification_feed(db, ana) == [] and unread_count(db, ana) == 0 and unread_messages(db, ana) == 0


def test_a_block_closes_pending_requests_and_meetings_and_hides_them(db, clock, pair):
    event_id, ana, bo = pair
    send_request(db, requester_id=bo, recipient_id=ana, event_id=event_id, clock=clock)
    request_meeting(db, event_id=event_id, requester_id=bo, recipient_id=ana, slots=[TEN], clock=clock)
    outcome = block(db, clock, ana, bo)
    assert (outcome.created, outcome.closed_requests, outcome.closed_meetings) == (True, 1, 1)
    assert db.scalar(select(ConnectionRequest.status)) == "declined"
    assert db.scalar(select(Meeting.status)) == "cancelled"
    assert incoming_requests(db, ana) == [] and outgoing_requests(db, bo) == []
    assert meetings_of(db, event_id=event_id, person_id=ana) == []
    assert meetings_of(db, event_id=event_id, person_id=bo) == []


@pytest.mark.parametrize("blocker", [0, 1])
def test_a_request_ping_message_or_meeting_request_between_a_blocked_pair_is_refused(db, clock, pair, blocker):
    event_id, ana, bo = pair
    block(db, clock, *((ana, bo) if blocker == 0 else (bo, ana)))
    with pytest.raises(RequestError, match="cannot connect with this person"):
        send_request(db, requester_id=ana, recipient_id=bo, event_id=event_id, clock=clock)
    with pytest.raises(RequestError, match="cannot ping this person"):
        send_ping(db, sender_id=ana, recipient_id=bo, event_id=event_id, body="Hi", clock=clock)
    with pytest.raises(MessageError, match="blocked this person|not accepting messages"):
        send_message(db, ana, bo, "Hello?", clock)
    with pytest.raises(MeetingError, match="cannot request a meeting with this person"):
        request_meeting(db, event_id=event_id, requester_id=ana, recipient_id=bo, slots=[TEN], clock=clock)


def test_the_blocker_is_told_how_to_undo_the_block_and_the_blocked_person_is_not_told_who(db, clock, pair):
    event_id, ana, bo = pair
    block(db, clock, ana, bo)
    with pytest.raises(RequestError, match="you blocked them. Unblock them under Blocked people"):
        send_request(db, requester_id=ana, recipient_id=bo, event_id=event_id, clock=clock)
    with pytest.raises(RequestError) as refused:
        send_request(db, requester_id=bo, recipient_id=ana, event_id=event_id, clock=clock)
    assert str(refused.value) == "You cannot connect with this person."


def test_blocking_twice_keeps_one_block_and_unblocking_lists_no_one(db, clock, pair):
    _, ana, bo = pair
    assert block(db, clock, ana, bo).created
    assert not block(db, clock, ana, bo).created
    assert [b.person_id for b in my_blocks(db, ana)] == [bo] and my_blocks(db, bo) == []
    assert unblock_person(db, blocker_id=ana, blocked_id=bo)
    assert my_blocks(db, ana) == [] and not unblock_person(db, blocker_id=ana, blocked_id=bo)


def test_after_an_unblock_the_pair_can_connect_again(db, clock, pair):
    event_id, ana, bo = pair
    block(db, clock, ana, bo)
    unblock_person(db, blocker_id=ana, blocked_id=bo)
    assert send_request(db, requester_id=ana, recipient_id=bo, event_id=event_id, clock=clock).request.status \
        == "pending"


def test_nobody_can_block_themselves(db, clock, pair):
    _, ana, _ = pair
    with pytest.raises(ModerationError, match="yourself"):
        block(db, clock, ana, ana)
