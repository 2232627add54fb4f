"""The outreach cap on real Postgres: requests, pings and meeting requests all count, and the refusal says when
the cap resets."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.jobs.uploads import import_dataset
from core.networking.outreach import OutreachLimits, OutreachRefused, check_outreach, outreach_record
from db.models import Account, ConnectionRequest, Event, Meeting, Message, MessageThread, Person
from tests.integration.events.test_attendee_import import HEADER, row

LIMITS = OutreachLimits(daily=3, new_account_daily=2, new_account_days=7, low_response_share=0.2,
                        low_response_min_sent=10)


@pytest.fixture
def people(db, clock):
    data = HEADER + "".join(row(f"p{i}@x.io", f"P{i}") for i in range(8))
    import_dataset(db, kind="attendees", data=data.encode(), filename="a.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    db.commit()
    return list(db.scalars(select(Person.id).order_by(Person.id)))


def request(db, sender, recipient, at, status="pending"):
    db.add(ConnectionRequest(event_id=db.scalar(select(Event.id)), requester_id=sender, recipient_id=recipient,
                             origin="recommendation", note="", status=status, created_at=at))
    db.flush()


def test_the_request_past_the_cap_is_refused_with_when_the_cap_resets(db, clock, people):
    sender, *others = people
    now = clock.now()  # 09:00 UTC
    for recipient in others[:3]:
        request(db, sender, recipient, now - timedelta(minutes=5))
    with pytest.raises(OutreachRefused, match=r"limit of 3 .* resets at 00:00 UTC, in 15 h 0 min"):
        check_outreach(db, person_id=sender, now=now, limits=LIMITS)


def test_requests_pings_and_meeting_requests_count_together(db, clock, people):
    sender, a, b, c = people[:4]
    now = clock.now()
    request(db, sender, a, now - timedelta(hours=1))
    db.add(Meeting(event_id=db.scalar(select(Event.id)), requester_id=sender, recipient_id=b, status="pending",
                   proposed_by=sender, proposed_slots=[], message="", created_at=now - timedelta(hours=1)))
    thread = MessageThread(person_a_id=min(sender, c), person_b_id=max(sender, c), created_at=now)
    db.add(thread)
    db.flush()
    db.add(Message(thread_id=thread.id, sender_id=sender, kind="ping", body="Hi!", created_at=now))
    db.flush()
    assert outreach_record(db, sender, now).sent_today == 3
    with pytest.raises(OutreachRefused):
        check_outreach(db, person_id=sender, now=now, limits=LIMITS)


def test_yesterdays_outreach_does_not_count_against_today(db, clock, people):
    sender, *others = people
    for recipient in others[:3]:
        request(db, sender, recipient, clock.now() - timedelta(days=1))
    check_outreach(db, person_id=sender, now=clock.now(), limits=LIMITS)


def test_a_new_account_reaches_its_smaller_cap_first(db, clock, people):
    sender, *others = people
    db.add(Account(username="new", email="new@x.io", display_name="New", password_hash="x", person_id=sender,
                   created_at=clock.now() - timedelta(days=1)))
    for recipient in others[:2]:
        request(db, sender, recipient, clock.now())
    with pytest.raises(OutreachRefused, match="limit of 2 "):
        check_outreach(db, person_id=sender, now=clock.now(), limits=LIMITS)


def test_earlier_requests_that_were_accepted_count_as_answered(db, clock, people):
    sender, *others = people
    for index, recipient in enumerate(others):
        request(db, sender, recipient, clock.now() - timedelta(days=2), status="accepted" if index < 3 else "declined")
    record = outreach_record(db, sender, clock.now())
    assert (record.sent_before_today, record.answered_before_today, record.sent_today) == (7, 3, 0)


def test_a_connection_request_past_the_cap_is_refused_and_not_stored(db, clock, people):
    from core.networking.requests import RequestError, send_request

    sender, *others = people
    for recipient in others[:3]:
        send_request(db, requester_id=sender, recipient_id=recipient, event_id=None, clock=clock, outreach=LIMITS)
    with pytest.raises(RequestError, match=r"limit of 3 .*resets at 00:00 UTC"):
        send_request(db, requester_id=sender, recipient_id=others[3], event_id=None, clock=clock, outreach=LIMITS)
    assert db.scalar(select(func.count()).select_from(ConnectionRequest)) == 3
