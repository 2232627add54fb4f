"""Connection requests, answers and pings on a real Postgres: a connection exists only once the other person accepts,
every step notifies the right person, and clicks at the same moment leave one consistent outcome."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.jobs.uploads import import_dataset
from core.networking.connections import (
    ActivityKind,
    ConnectionStrength,
    NetworkError,
    my_connections,
    record_interaction,
    set_connection_note,
)
from core.networking.notifications import NotificationKind
from core.networking.requests import (
    RequestError,
    RequestState,
    incoming_requests,
    outgoing_requests,
    request_states,
    respond_to_request,
    send_ping,
    send_request,
)
from core.platform.clock import FixedClock
from core.recommend.actions import ActionError, record_action
from core.recommend.program import record_session_action, session_recommendations
from db.models import (
    ClickDebounce,
    Connection,
    ConnectionActivity,
    ConnectionRequest,
    Event,
    MatchControl,
    Message,
    MessageThread,
    Notification,
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
)
from tests.integration.agenda.test_meeting_races import ROUNDS, count, race
from tests.integration.events.test_attendee_import import HEADER, row

PROGRAM = "id,title,start,end,room\ns1,Morning talk,2026-12-01 09:00,2026-12-01 10:00,A\n"


@pytest.fixture
def trio(db, clock):
    """Ana, Bo and Cy at one event; Ana and Bo are recommended to each other. Returns (event_id, ids, recs)."""
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana") + row("b@x.io", "Bo")
                                               + row("c@x.io", "Cy")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    event_id = db.scalar(select(Event.id))
    ids = {p.first_name.lower(): p.id for p in db.scalars(select(Person))}
    recs = {}
    for user, target in (("ana", "bo"), ("bo", "ana")):
        rec = Recommendation(event_id=event_id, user_id=ids[user], kind=RecommendationKind.PERSON,
                             target_person_id=ids[target], rank=1, score=80, reasons=["why"],
                             starters=["What are you hiring for?"], strategy="algorithmic",
                             generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1))
        db.add(rec)
        db.flush()
        recs[user] = rec.id
    db.commit()
    return event_id, ids, recs


def ask(db, clock, trio, requester="ana", recipient="bo", note=""):
    event_id, ids, recs = trio
    return send_request(db, requester_id=ids[requester], recipient_id=ids[recipient], event_id=event_id,
                        origin="recommendation", note=note,
                        recommendation_id=recs.get(requester) if {requester, recipient} == {"ana", "bo"} else None,
                        clock=clock)


def notifications(db, person_id):
    return db.scalars(select(Notification).where(Notification.person_id == person_id)
                      .execution_options(populate_existing=True)).all()


def test_a_request_makes_no_connection_until_it_is_accepted(db, clock, trio):
    sent = ask(db, clock, trio)
    assert sent.request.status == "pending" and not sent.accepted_theirs
    assert count(db, Connection) == 0
    assert db.get(Recommendation, trio[2]["ana"]).connected_at is None


def test_the_recipient_is_notified_of_a_request_with_a_link_to_their_network(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio, note="Loved your talk.")
    [note] = notifications(db, ids["bo"])
    assert (note.kind, note.link, note.actor_id, note.dedupe_key) == (
        NotificationKind.CONNECTION_REQUEST, "my-network?tab=requests", ids["ana"], f"request:{sent.request.id}")
    assert note.title == "Ana Silva wants to connect" and note.body == "Loved your talk."
    assert notifications(db, ids["ana"]) == []


def test_a_note_is_stored_on_the_request_and_opens_the_pairs_thread(db, clock, trio):
    sent = ask(db, clock, trio, note="  Loved your talk.  ")
    assert sent.request.note == "Loved your talk."
    [message] = db.scalars(select(Message)).all()
    assert (message.kind, message.body, message.sender_id) == ("request", "Loved your talk.", trio[1]["ana"])


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_answering_a_request_marks_its_note_read_in_the_thread(db, clock, trio, action):
    sent = ask(db, clock, trio, note="Loved your talk.")
    respond_to_request(db, request_id=sent.request.id, person_id=trio[1]["bo"], action=action, clock=clock)
    [message] = db.scalars(select(Message)).all()
    assert message.read_at == clock.now()


def test_a_note_over_500_characters_is_refused_and_says_so(db, clock, trio):
    with pytest.raises(RequestError, match="at most 500 characters; yours has 501"):
        ask(db, clock, trio, note="x" * 501)
    assert count(db, ConnectionRequest) == 0


def test_accepting_creates_the_connection_with_the_requests_origin_and_a_first_interaction(db, clock, trio):
    _, ids, recs = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)
    connection = db.scalar(select(Connection))
    assert (connection.source, connection.interaction_count, connection.strength) == ("recommendation", 1, "weak")
    assert connection.last_interaction_at == clock.now()
    assert list(db.scalars(select(ConnectionActivity.kind))) == ["connected"]
    assert db.get(Recommendation, recs["ana"], populate_existing=True).connected_at == clock.now()


def test_accepting_notifies_the_requester(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)
    [note] = notifications(db, ids["ana"])
    assert (note.kind, note.link, note.actor_id) == (
        NotificationKind.REQUEST_ACCEPTED, "my-network?tab=connections", ids["bo"])
    assert note.title == "Bo Silva accepted your request to connect"


def test_declining_makes_no_connection_and_tells_the_requester_nothing(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="decline", clock=clock)
    assert count(db, Connection) == 0 and notifications(db, ids["ana"]) == []
    assert incoming_requests(db, ids["bo"]) == [] and outgoing_requests(db, ids["ana"]) == []


def test_after_a_decline_the_requester_may_ask_again_only_after_30_days(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="decline", clock=clock)
    with pytest.raises(RequestError, match="did not accept your last request. You can ask again from 31 Dec 2026"):
        ask(db, clock, trio)
    assert ask(db, FixedClock(clock.now() + timedelta(days=31)), trio).request.status == "pending"


def test_only_the_recipient_answers_and_only_the_requester_withdraws(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    with pytest.raises(RequestError, match="Only the person you asked"):
        respond_to_request(db, request_id=sent.request.id, person_id=ids["ana"], action="accept", clock=clock)
    with pytest.raises(RequestError, match="Only the person who sent a request can withdraw"):
        respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="withdraw", clock=clock)
    with pytest.raises(RequestError, match="does not exist"):
        respond_to_request(db, request_id=sent.request.id, person_id=ids["cy"], action="accept", clock=clock)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["ana"], action="withdraw", clock=clock)
    assert db.get(ConnectionRequest, sent.request.id).status == "withdrawn"


def test_answering_a_request_that_was_already_answered_says_what_happened(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["ana"], action="withdraw", clock=clock)
    with pytest.raises(RequestError, match="This request was just withdrawn."):
        respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)


def test_asking_yourself_is_refused(db, clock, trio):
    with pytest.raises(RequestError, match="cannot connect with yourself"):
        ask(db, clock, trio, recipient="ana")


def test_asking_someone_you_are_connected_with_is_refused(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)
    with pytest.raises(RequestError, match="already connected with Bo Silva"):
        ask(db, clock, trio)


def test_asking_twice_is_refused_while_the_first_request_is_pending(db, clock, trio):
    ask(db, clock, trio)
    with pytest.raises(RequestError, match="already asked Bo Silva"):
        ask(db, clock, trio)
    assert count(db, ConnectionRequest) == 1


def test_connecting_with_someone_who_already_asked_you_accepts_their_request(db, clock, trio):
    _, ids, _ = trio
    theirs = ask(db, clock, trio, requester="bo", recipient="ana")
    mine = ask(db, clock, trio)
    assert mine.accepted_theirs and mine.request.id == theirs.request.id and mine.request.status == "accepted"
    assert "had already asked to connect with you" in mine.message
    assert count(db, ConnectionRequest) == 1 and count(db, Connection) == 1


@pytest.mark.parametrize("blocker", ["ana", "bo"])
def test_a_blocked_pair_cannot_connect_whoever_blocked(db, clock, trio, blocker):
    _, ids, _ = trio
    other = "bo" if blocker == "ana" else "ana"
    db.add(MatchControl(person_id=ids[blocker], target_person_id=ids[other], kind="block"))
    db.flush()
    with pytest.raises(RequestError, match="cannot connect with this person"):
        ask(db, clock, trio)
    with pytest.raises(RequestError, match="cannot ping this person"):
        send_ping(db, sender_id=ids["ana"], recipient_id=ids["bo"], event_id=trio[0], body="Hi", clock=clock)


def test_request_states_tell_requested_incoming_and_connected_apart(db, clock, trio):
    _, ids, _ = trio
    ask(db, clock, trio)
    assert request_states(db, ids["ana"], [ids["bo"], ids["cy"]]) == {ids["bo"]: RequestState.REQUESTED}
    assert request_states(db, ids["bo"], [ids["ana"]]) == {ids["ana"]: RequestState.INCOMING}
    respond_to_request(db, request_id=incoming_requests(db, ids["bo"])[0].request.id, person_id=ids["bo"],
                       action="accept", clock=clock)
    assert request_states(db, ids["ana"], [ids["bo"]]) == {ids["bo"]: RequestState.CONNECTED}


def test_connect_on_a_recommendation_sends_a_request_with_its_note(db, clock, trio):
    _, ids, recs = trio
    message = record_action(db, recommendation_id=recs["ana"], person_id=ids["ana"], action="connect", clock=clock,
                            text="See you at the keynote")
    assert message == "Request sent to Bo Silva. You are connected once they accept."
    request = db.scalar(select(ConnectionRequest))
    assert (request.note, request.recommendation_id, request.origin) == ("See you at the keynote", recs["ana"],
                                                                         "recommendation")
    with pytest.raises(ActionError, match="already asked Bo Silva"):
        record_action(db, recommendation_id=recs["ana"], person_id=ids["ana"], action="connect", clock=clock)


def test_a_ping_is_a_message_in_the_pairs_thread_and_notifies_the_recipient(db, clock, trio):
    _, ids, recs = trio
    record_action(db, recommendation_id=recs["ana"], person_id=ids["ana"], action="ping", clock=clock,
                  text="What are you hiring for?")
    thread = db.scalar(select(MessageThread))
    [message] = db.scalars(select(Message)).all()
    assert (message.thread_id, message.kind, message.body) == (thread.id, "ping", "What are you hiring for?")
    assert thread.last_message_at == clock.now()
    assert db.get(Recommendation, recs["ana"], populate_existing=True).pinged_at == clock.now()
    [note] = notifications(db, ids["bo"])
    assert (note.kind, note.title, note.body, note.actor_id) == (
        NotificationKind.PING, "Ana Silva pinged you", "What are you hiring for?", ids["ana"])


def test_a_ping_without_a_line_sends_a_greeting(db, clock, trio):
    _, ids, recs = trio
    record_action(db, recommendation_id=recs["ana"], person_id=ids["ana"], action="ping", clock=clock)
    assert db.scalar(select(Message.body)).startswith("Hi! We were matched")


def test_a_ping_over_300_characters_is_refused(db, clock, trio):
    _, ids, _ = trio
    with pytest.raises(RequestError, match="A ping is at most 300 characters; yours has 301"):
        send_ping(db, sender_id=ids["ana"], recipient_id=ids["bo"], event_id=trio[0], body="y" * 301, clock=clock)


def test_a_second_ping_to_the_same_person_the_same_day_is_refused(db, clock, trio):
    _, ids, _ = trio
    send_ping(db, sender_id=ids["ana"], recipient_id=ids["bo"], event_id=trio[0], body="Hi", clock=clock)
    with pytest.raises(RequestError, match="already today"):
        send_ping(db, sender_id=ids["ana"], recipient_id=ids["bo"], event_id=trio[0], body="Hi?", clock=clock)
    tomorrow = FixedClock(clock.now() + timedelta(days=1))
    send_ping(db, sender_id=ids["ana"], recipient_id=ids["bo"], event_id=trio[0], body="Hi again", clock=tomorrow)
    assert count(db, Message) == 2 and count(db, MessageThread) == 1


def test_a_ping_to_a_connection_counts_as_an_interaction_and_strengthens_it(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)
    later = FixedClock(clock.now() + timedelta(hours=2))
    send_ping(db, sender_id=ids["bo"], recipient_id=ids["ana"], event_id=trio[0], body="Coffee?", clock=later)
    connection = db.scalar(select(Connection).execution_options(populate_existing=True))
    assert (connection.interaction_count, connection.strength) == (2, ConnectionStrength.MODERATE)
    assert connection.last_interaction_at == later.now()


def test_an_interaction_between_people_who_are_not_connected_creates_no_connection(db, clock, trio):
    _, ids, _ = trio
    assert record_interaction(db, ids["ana"], ids["cy"], ActivityKind.PING, clock.now()) is None
    assert count(db, Connection) == 0 and count(db, ConnectionActivity) == 0


def test_a_private_note_on_a_connection_is_seen_only_by_its_writer(db, clock, trio):
    _, ids, _ = trio
    sent = ask(db, clock, trio)
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)
    [mine] = my_connections(db, ids["ana"])
    set_connection_note(db, connection_id=mine.connection.id, person_id=ids["ana"], note=" Met at the bar ",
                        now=clock.now())
    assert my_connections(db, ids["ana"])[0].note == "Met at the bar"
    [theirs] = my_connections(db, ids["bo"])
    assert (theirs.note, theirs.other.id, theirs.origin) == ("", ids["ana"], "recommendation")
    with pytest.raises(NetworkError, match="not one of yours"):
        set_connection_note(db, connection_id=mine.connection.id, person_id=ids["cy"], note="x", now=clock.now())
    with pytest.raises(NetworkError, match="at most 2,000 characters"):
        set_connection_note(db, connection_id=mine.connection.id, person_id=ids["ana"], note="x" * 2001,
                            now=clock.now())


def test_a_pending_request_does_not_count_as_a_connection_going_to_a_session(db, clock, trio):
    event_id, ids, _ = trio
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    talk = db.scalar(select(ProgramSession.id))
    db.add(Recommendation(event_id=event_id, user_id=ids["ana"], kind=RecommendationKind.SESSION,
                          target_session_id=talk, rank=1, score=70, reasons=["why"], strategy="algorithmic",
                          generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
    record_session_action(db, person_id=ids["bo"], session_id=talk, action="bookmark", clock=clock)
    sent = ask(db, clock, trio)

    def going() -> int:
        [card] = session_recommendations(db, event_id=event_id, person_id=ids["ana"], now=clock.now())
        return card.connections_going

    assert going() == 0
    respond_to_request(db, request_id=sent.request.id, person_id=ids["bo"], action="accept", clock=clock)
    assert going() == 1


# Clicks at the same moment, each in its own transaction.

def reset(db) -> None:
    db.rollback()
    for model in (ConnectionActivity, Connection, Notification, Message, MessageThread, ConnectionRequest,
                  ClickDebounce):  # each round repeats the same sends at the same fixed time
        db.execute(delete(model))
    db.execute(update(Recommendation).values(connected_at=None, pinged_at=None))
    db.commit()


def pending(db, clock, trio) -> int:
    request_id = ask(db, clock, trio).request.id
    db.commit()
    return request_id


def answer(request_id: int, person_id: int, action: str, clock):
    def act(session: Session) -> str:
        return respond_to_request(session, request_id=request_id, person_id=person_id, action=action,
                                  clock=clock).status
    return act


def connect(trio, requester: str, recipient: str, clock):
    event_id, ids, _ = trio

    def act(session: Session) -> str:
        return send_request(session, requester_id=ids[requester], recipient_id=ids[recipient], event_id=event_id,
                            origin="recommendation", clock=clock).request.status
    return act


def test_an_accept_and_a_withdrawal_at_once_have_one_winner(db, engine, clock, trio):
    _, ids, _ = trio
    for _ in range(ROUNDS):
        reset(db)
        request_id = pending(db, clock, trio)
        accept, withdraw = race(engine, answer(request_id, ids["bo"], "accept", clock),
                                answer(request_id, ids["ana"], "withdraw", clock), refusal=RequestError)
        status = db.get(ConnectionRequest, request_id, populate_existing=True).status
        if accept[0] == "ok":
            assert withdraw == ("refused", "This request was just accepted: you are connected.")
            assert status == "accepted" and count(db, Connection) == 1 and count(db, ConnectionActivity) == 1
        else:
            assert (accept, withdraw) == (("refused", "This request was just withdrawn."), ("ok", "withdrawn"))
            assert status == "withdrawn" and count(db, Connection) == 0 and count(db, ConnectionActivity) == 0


def test_requests_both_ways_at_once_end_in_one_connection(db, engine, clock, trio):
    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, connect(trio, "ana", "bo", clock), connect(trio, "bo", "ana", clock),
                        refusal=RequestError)
        assert sorted(outcomes) == [("ok", "accepted"), ("ok", "pending")], outcomes
        assert count(db, ConnectionRequest) == 1 and count(db, Connection) == 1
        assert count(db, ConnectionActivity) == 1


def test_a_double_click_on_connect_sends_one_request(db, engine, clock, trio):
    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, connect(trio, "ana", "bo", clock), connect(trio, "ana", "bo", clock),
                        refusal=RequestError)
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        assert count(db, ConnectionRequest) == 1 and count(db, Connection) == 0
        assert count(db, Notification) == 1


def test_two_pings_at_once_send_one(db, engine, clock, trio):
    event_id, ids, _ = trio

    def ping(session: Session) -> int:
        return send_ping(session, sender_id=ids["ana"], recipient_id=ids["bo"], event_id=event_id, body="Hi",
                         clock=clock).id

    for _ in range(ROUNDS):
        reset(db)
        outcomes = race(engine, ping, ping, refusal=RequestError)
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        assert count(db, Message) == 1 and count(db, MessageThread) == 1
