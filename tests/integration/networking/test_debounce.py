"""The server-side debounce on outreach, on a real Postgres: the same send by the same person to the same target
within 2 seconds is refused as a double click (a RapidRepeat the page shows as information), even at once."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.agenda.meetings import RepeatedMeetingRequest, request_meeting, respond_to_meeting
from core.networking.messages import MessageError, RepeatedMessage, send_message
from core.networking.requests import RepeatedRequest, refuse_repeat, respond_to_request, send_ping
from core.platform.clock import FixedClock
from core.platform.debounce import RapidRepeat
from core.recommend.actions import RepeatedAction, record_action
from db.models import ConnectionRequest, Message, Recommendation
from tests.integration.agenda.test_meeting_races import count, race
from tests.integration.networking.test_blocks import TEN, pair  # noqa: F401  (the fixture)


def test_two_threads_sending_the_same_message_at_once_send_one(db, engine, clock, pair):  # noqa: F811
    event_id, ana, bo = pair
    send_ping(db, sender_id=ana, recipient_id=bo, event_id=event_id, body="Hi", clock=clock)  # opens the thread
    db.commit()
    later = FixedClock(clock.now() + timedelta(minutes=1))
    outcomes = race(engine, *[lambda s: send_message(s, ana, bo, "Shall we meet at ten?", later).id] * 2,
                    refusal=MessageError)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert "You just did that" in next(message for kind, message in outcomes if kind == "refused")
    assert count(db, Message, Message.body == "Shall we meet at ten?") == 1


def test_a_repeated_message_is_refused_as_a_double_click_and_allowed_after_two_seconds(db, clock, pair):  # noqa: F811
    event_id, ana, bo = pair
    send_ping(db, sender_id=ana, recipient_id=bo, event_id=event_id, body="Hi", clock=clock)
    send_message(db, ana, bo, "Hello", clock)
    with pytest.raises(RepeatedMessage) as repeated:
        send_message(db, ana, bo, "Hello", FixedClock(clock.now() + timedelta(seconds=1)))
    assert isinstance(repeated.value, RapidRepeat)
    send_message(db, ana, bo, "And another line", clock)  # a different line is no double click
    send_message(db, ana, bo, "Hello", FixedClock(clock.now() + timedelta(seconds=2)))
    assert [m.body for m in db.scalars(select(Message).order_by(Message.id))] == [
        "Hi", "Hello", "And another line", "Hello"]


def test_a_repeated_request_to_the_same_person_is_refused_as_a_double_click(db, clock, pair):  # noqa: F811
    _, ana, bo = pair
    refuse_repeat(db, person_id=ana, action_key=f"request:{bo}", now=clock.now())
    with pytest.raises(RepeatedRequest, match="You just did that"):
        refuse_repeat(db, person_id=ana, action_key=f"request:{bo}", now=clock.now() + timedelta(seconds=1))
    refuse_repeat(db, person_id=bo, action_key=f"request:{ana}", now=clock.now())  # another person: allowed


def test_a_meeting_request_repeated_within_two_seconds_is_refused_as_a_double_click(db, clock, pair):  # noqa: F811
    event_id, ana, bo = pair
    meeting = request_meeting(db, event_id=event_id, requester_id=ana, recipient_id=bo, slots=[TEN], clock=clock)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ana, action="cancel", clock=clock)
    with pytest.raises(RepeatedMeetingRequest, match="You just did that"):
        request_meeting(db, event_id=event_id, requester_id=ana, recipient_id=bo, slots=[TEN],
                        clock=FixedClock(clock.now() + timedelta(seconds=1)))


def test_connect_on_for_you_repeated_within_two_seconds_is_refused_as_information(db, clock, pair):  # noqa: F811
    _, ana, bo = pair
    rec_id = db.scalar(select(Recommendation.id).where(Recommendation.user_id == ana))
    record_action(db, recommendation_id=rec_id, person_id=ana, action="connect", clock=clock)
    request_id = db.scalar(select(ConnectionRequest.id))
    respond_to_request(db, request_id=request_id, person_id=ana, action="withdraw", clock=clock)
    with pytest.raises(RepeatedAction, match="You just did that"):
        record_action(db, recommendation_id=rec_id, person_id=ana, action="connect",
                      clock=FixedClock(clock.now() + timedelta(seconds=1)))
