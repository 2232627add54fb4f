"""One-to-one messages on a real Postgres: who may message whom, unread counts and read marks, the length limit,
one thread per pair under a race, and one unread notification per thread."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from core.jobs.uploads import import_dataset
from core.networking.messages import (
    BODY_LIMIT,
    MessageError,
    can_message,
    read_thread,
    send_message,
    thread_between,
    threads_of,
    unread_messages,
)
from core.networking.notifications import NotificationKind, mark_read, notifications_of
from core.platform.clock import FixedClock
from db.models import (
    ClickDebounce,
    Connection,
    Event,
    MatchControl,
    Message,
    MessageKind,
    MessageThread,
    Notification,
    Person,
    Recommendation,
    RecommendationKind,
)
from tests.integration.agenda.test_meeting_races import ROUNDS, count, race
from tests.integration.events.test_attendee_import import HEADER, row


@pytest.fixture
def people(db, clock):
    """Ana, Bo, Cy and Di at one event; Ana was recommended Bo (one way only); nobody else matched."""
    data = HEADER + "".join(row(f"{n}@x.io", n.title()) for n in ("ana", "bo", "cy", "di"))
    import_dataset(db, kind="attendees", data=data.encode(), filename="a.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    ids = {p.email.split("@")[0]: p.id for p in db.scalars(select(Person))}
    event_id = db.scalar(select(Event.id))
    db.add(Recommendation(event_id=event_id, user_id=ids["ana"], kind=RecommendationKind.PERSON,
                          target_person_id=ids["bo"], rank=1, score=80, reasons=["why"], strategy="algorithmic",
                          generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
    db.commit()
    return ids


def later(clock: FixedClock, minutes: int = 1) -> FixedClock:
    clock.at += timedelta(minutes=minutes)
    return clock


def test_people_who_never_matched_cannot_message_each_other(db, clock, people):
    with pytest.raises(MessageError, match="matched with or are connected to"):
        send_message(db, people["ana"], people["cy"], "Hello", clock)
    assert count(db, MessageThread) == 0


def test_a_match_lets_both_people_message_whichever_side_was_recommended(db, clock, people):
    send_message(db, people["bo"], people["ana"], "Hi Ana, the matcher sent you my way.", clock)
    send_message(db, people["ana"], people["bo"], "Hi Bo!", later(clock))
    [thread] = db.scalars(select(MessageThread)).all()
    assert (thread.person_a_id, thread.person_b_id) == tuple(sorted((people["ana"], people["bo"])))
    assert thread.event_id is not None and thread.last_message_at == clock.now()


def test_connected_people_may_message_each_other_without_a_match(db, clock, people):
    low, high = sorted((people["cy"], people["di"]))
    db.add(Connection(person_a_id=low, person_b_id=high, created_at=clock.now()))
    db.flush()
    assert can_message(db, sender_id=people["cy"], recipient_id=people["di"]) is None


def test_a_thread_opened_by_a_request_or_ping_lets_them_write_back(db, clock, people):
    thread_between(db, people["cy"], people["di"], None, clock.now())
    message = send_message(db, people["di"], people["cy"], "Thanks for the ping", clock)
    assert message.body == "Thanks for the ping"


def test_a_block_either_way_refuses_messages_even_in_an_existing_thread(db, clock, people):
    send_message(db, people["ana"], people["bo"], "Hi", clock)
    db.add(MatchControl(person_id=people["bo"], target_person_id=people["ana"], kind="block"))
    db.flush()
    with pytest.raises(MessageError, match="not accepting messages"):
        send_message(db, people["ana"], people["bo"], "Hello again?", clock)
    with pytest.raises(MessageError, match="You blocked this person"):
        send_message(db, people["bo"], people["ana"], "Bye", clock)


def test_nobody_can_message_themselves(db, clock, people):
    with pytest.raises(MessageError, match="yourself"):
        send_message(db, people["ana"], people["ana"], "Note to self", clock)


def test_a_body_is_stripped_and_an_empty_or_too_long_one_is_refused_with_the_limit(db, clock, people):
    assert send_message(db, people["ana"], people["bo"], "  hi there \n", clock).body == "hi there"
    with pytest.raises(MessageError, match="empty"):
        send_message(db, people["ana"], people["bo"], " \n\t ", clock)
    with pytest.raises(MessageError, match="at most 2,000 characters; yours has 2,001"):
        send_message(db, people["ana"], people["bo"], "x" * (BODY_LIMIT + 1), clock)
    assert send_message(db, people["ana"], people["bo"], "y" * BODY_LIMIT, clock).body == "y" * BODY_LIMIT
    assert count(db, Message) == 2


def test_a_nul_character_is_dropped_rather_than_failing_the_insert(db, clock, people):
    assert send_message(db, people["ana"], people["bo"], "a\x00b", clock).body == "ab"


def test_unread_counts_follow_the_recipient_and_reading_clears_them(db, clock, people):
    for text in ("one", "two", "three"):
        send_message(db, people["ana"], people["bo"], text, later(clock))
    send_message(db, people["bo"], people["ana"], "reply", later(clock))
    assert unread_messages(db, people["bo"]) == 3
    assert unread_messages(db, people["ana"]) == 1
    [summary] = threads_of(db, people["bo"])
    assert (summary.other.id, summary.unread, summary.last_body) == (people["ana"], 3, "reply")

    messages = read_thread(db, summary.thread_id, people["bo"], later(clock).now())
    assert [m.body for m in messages] == ["one", "two", "three", "reply"]
    assert unread_messages(db, people["bo"]) == 0
    assert unread_messages(db, people["ana"]) == 1  # Bo's reading marks only Ana's messages read
    assert all(m.read_at == clock.now() for m in messages if m.sender_id == people["ana"])


def test_threads_are_listed_newest_first_with_the_other_person(db, clock, people):
    db.add(Connection(person_a_id=min(people["ana"], people["cy"]), person_b_id=max(people["ana"], people["cy"]),
                      created_at=clock.now()))
    send_message(db, people["ana"], people["bo"], "older", later(clock))
    send_message(db, people["cy"], people["ana"], "newer", later(clock))
    assert [(s.other.first_name, s.last_body) for s in threads_of(db, people["ana"])] == [("Cy", "newer"),
                                                                                        ("Bo", "older")]


def test_only_the_two_people_of_a_thread_may_read_it(db, clock, people):
    message = send_message(db, people["ana"], people["bo"], "private", clock)
    with pytest.raises(MessageError, match="not one of yours"):
        read_thread(db, message.thread_id, people["cy"], clock.now())
    assert db.get(Message, message.id).read_at is None


def test_reading_returns_the_last_page_oldest_first(db, clock, people):
    for n in range(5):
        send_message(db, people["ana"], people["bo"], f"m{n}", later(clock))
    thread_id = db.scalar(select(MessageThread.id))
    assert [m.body for m in read_thread(db, thread_id, people["bo"], clock.now(), limit=2)] == ["m3", "m4"]


def test_a_message_counts_as_an_interaction_on_their_connection(db, clock, people):
    low, high = sorted((people["ana"], people["bo"]))
    db.add(Connection(person_a_id=low, person_b_id=high, created_at=clock.now(), interaction_count=1))
    db.flush()
    send_message(db, people["ana"], people["bo"], "hi", later(clock))
    send_message(db, people["bo"], people["ana"], "hi back", later(clock))
    connection = db.scalar(select(Connection).execution_options(populate_existing=True))
    assert (connection.interaction_count, connection.last_interaction_at) == (3, clock.now())


def test_the_recipient_gets_one_unread_notification_per_thread_however_many_messages(db, clock, people):
    for text in ("one", "two", "three"):
        send_message(db, people["ana"], people["bo"], text, later(clock))
    [notice] = notifications_of(db, people["bo"])
    assert (notice.kind, notice.link, notice.actor_id) == (
        NotificationKind.MESSAGE.value, f"messages?with={people['ana']}", people["ana"])
    assert notice.title == "New message from Ana Silva" and notice.body == "one"
    assert notifications_of(db, people["ana"]) == []


def test_after_reading_the_thread_the_next_message_notifies_again(db, clock, people):
    message = send_message(db, people["ana"], people["bo"], "one", clock)
    read_thread(db, message.thread_id, people["bo"], later(clock).now())
    assert notifications_of(db, people["bo"], unread_only=True) == []  # opening the thread read its notification
    send_message(db, people["ana"], people["bo"], "two", later(clock))
    assert [n.body for n in notifications_of(db, people["bo"], unread_only=True)] == ["two"]


def test_a_notification_read_elsewhere_lets_the_next_message_notify(db, clock, people):
    send_message(db, people["ana"], people["bo"], "one", clock)
    mark_read(db, person_id=people["bo"], now=later(clock).now())
    send_message(db, people["ana"], people["bo"], "two", later(clock))
    assert count(db, Notification, Notification.person_id == people["bo"]) == 2


def test_a_ping_in_the_thread_leaves_the_notification_to_the_ping_service(db, clock, people):
    send_message(db, people["ana"], people["bo"], "Pinged you", clock, kind=MessageKind.PING)
    assert count(db, Notification) == 0
    assert db.scalar(select(Message.kind)) == "ping"


def reset(db) -> None:
    db.rollback()
    for model in (Notification, Message, MessageThread, ClickDebounce):  # rounds repeat at the same fixed time
        db.execute(delete(model))
    db.commit()


def test_two_first_messages_at_once_make_one_thread(db, engine, clock, people):
    for _ in range(ROUNDS):
        outcomes = race(engine,
                        lambda s: send_message(s, people["ana"], people["bo"], "Hi Bo", clock).thread_id,
                        lambda s: send_message(s, people["bo"], people["ana"], "Hi Ana", clock).thread_id,
                        refusal=MessageError)
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        assert outcomes[0][1] == outcomes[1][1]
        assert (count(db, MessageThread), count(db, Message)) == (1, 2)
        reset(db)


def test_two_messages_sent_at_once_to_one_person_make_one_notification(db, engine, clock, people):
    for _ in range(ROUNDS):
        outcomes = race(engine,
                        lambda s: send_message(s, people["ana"], people["bo"], "first tab", clock).id,
                        lambda s: send_message(s, people["ana"], people["bo"], "second tab", clock).id,
                        refusal=MessageError)
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        assert count(db, Notification, Notification.person_id == people["bo"]) == 1
        assert unread_messages(db, people["bo"]) == 2
        reset(db)
