"""The one visible-people rule on a real Postgres: a person waiting for deletion and a person hidden from matching
are left out of every listing and export of other people (seed 000 §11.2, seed 004 §5)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.agenda.meetings import MeetingError, meetings_of, request_meeting
from core.analytics.event_analytics import compute_event_analytics
from core.events.visibility import DELETED_USER_LABEL, live_person
from core.huddles.export import export_huddles_csv
from core.huddles.responses import my_huddles
from core.networking.activity import activity_feed
from core.networking.follow_ups import my_follow_ups
from core.networking.messages import thread_between, threads_of
from core.networking.notifications import notification_feed, unread_count
from core.networking.requests import incoming_requests, outgoing_requests, send_request
from core.networking.visibility import visible_to
from core.privacy.deletion import request_deletion
from core.recommend.people import current_recommendations, export_recommendations_csv
from core.recommend.program import session_recommendations, similar_attendees
from db.models import (
    Block,
    Connection,
    ConnectionRequest,
    Event,
    FollowUpDraft,
    Huddle,
    HuddleParticipant,
    Meeting,
    MeetingStatus,
    Notification,
    Person,
    PersonEmbedding,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    Registration,
    SessionAction,
    SessionActionKind,
)
from tests.integration.privacy.test_deletion import person


@pytest.fixture
def crowd(db, clock):
    """Ana views; Bo asked for deletion, Cy is hidden from matching, Di is an ordinary attendee. Every one of them
    is recommended to Ana, invited to her huddle and asked her to connect. Returns (event_id, ids)."""
    event = Event(slug="summit", name="Summit", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2), timezone="UTC")
    db.add(event)
    db.flush()
    ids = {"ana": person(db, "Ana"), "bo": person(db, "Bo"), "cy": person(db, "Cy", matching_visible=False),
           "di": person(db, "Di")}
    db.add_all([Registration(event_id=event.id, person_id=p, registered_at=clock.now()) for p in ids.values()])
    huddle = Huddle(event_id=event.id, topic="Pipelines", starts_at=clock.now() + timedelta(hours=2))
    db.add(huddle)
    db.flush()
    for rank, name in enumerate(("bo", "cy", "di"), start=1):
        db.add(Recommendation(event_id=event.id, user_id=ids["ana"], kind=RecommendationKind.PERSON,
                              target_person_id=ids[name], rank=rank, score=0.9, strategy="algorithmic",
                              generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
        db.add(HuddleParticipant(huddle_id=huddle.id, person_id=ids[name], status="accepted"))
        send_request(db, requester_id=ids[name], recipient_id=ids["ana"], event_id=event.id, clock=clock)
    request_deletion(db, person_id=ids["bo"], clock=clock)
    db.flush()
    return event.id, ids


def test_recommendations_leave_out_people_waiting_for_deletion_and_hidden_people(db, clock, crowd):
    event_id, ids = crowd
    cards = current_recommendations(db, event_id=event_id, person_id=ids["ana"], now=clock.now())
    assert [card.recommendation.target_person_id for card in cards] == [ids["di"]]


def test_the_recommendations_export_leaves_them_out(db, clock, crowd):
    event_id, _ = crowd
    exported = export_recommendations_csv(db, event_id, clock.now())
    assert "di@x.io" in exported and "bo@x.io" not in exported and "cy@x.io" not in exported


def test_the_huddle_export_leaves_out_a_person_waiting_for_deletion(db, crowd):
    event_id, _ = crowd
    exported = export_huddles_csv(db, event_id)
    assert "di@x.io" in exported and "bo@x.io" not in exported


def test_incoming_requests_leave_out_a_person_waiting_for_deletion(db, crowd):
    _, ids = crowd
    assert {view.request.requester_id for view in incoming_requests(db, ids["ana"])} == {ids["cy"], ids["di"]}


def test_analytics_counts_leave_out_a_person_waiting_for_deletion(db, clock, crowd):
    event_id, _ = crowd
    result = compute_event_analytics(db, event_id=event_id, now=clock.now())
    assert result["networking"]["attendees"] == 3


def test_visible_to_keeps_only_live_unblocked_matchable_people(db, clock, crowd):
    _, ids = crowd
    db.add(Block(blocker_id=ids["di"], blocked_id=ids["ana"], created_at=clock.now()))
    eve = person(db, "Eve")
    shown = set(db.scalars(select(Person.id).where(Person.id != ids["ana"], visible_to(ids["ana"], Person.id))))
    assert shown == {eve}


def test_visible_to_without_matching_keeps_a_hidden_person(db, crowd):
    _, ids = crowd
    shown = set(db.scalars(select(Person.id).where(Person.id != ids["ana"],
                                                   visible_to(ids["ana"], Person.id, matching=False))))
    assert shown == {ids["cy"], ids["di"]}


def test_live_person_treats_the_old_soft_delete_like_a_deletion_request(db, clock, crowd):
    _, ids = crowd
    db.get(Person, ids["di"]).deleted_at = clock.now()
    db.flush()
    requesters = set(db.scalars(select(ConnectionRequest.requester_id).where(
        live_person(ConnectionRequest.requester_id))))
    assert requesters == {ids["cy"]}


OTHERS = ("bo", "cy", "di")


@pytest.fixture
def connected(db, clock, crowd):
    """Ana is connected to Bo, Cy and Di (Ana has the lowest id, so she is always person_a)."""
    event_id, ids = crowd
    connections = {name: Connection(person_a_id=ids["ana"], person_b_id=ids[name], event_id=event_id)
                   for name in OTHERS}
    db.add_all(connections.values())
    db.flush()
    return event_id, ids, {name: c.id for name, c in connections.items()}


def test_outgoing_requests_leave_out_a_person_waiting_for_deletion(db, clock, crowd):
    _, ids = crowd
    eve = person(db, "Eve")
    db.add_all([ConnectionRequest(requester_id=eve, recipient_id=ids[name], origin="search", status="pending",
                                  created_at=clock.now()) for name in OTHERS])
    db.flush()
    assert {view.request.recipient_id for view in outgoing_requests(db, eve)} == {ids["cy"], ids["di"]}


def test_program_social_proof_counts_only_live_matchable_connections(db, clock, connected):
    event_id, ids, _ = connected
    talk = ProgramSession(event_id=event_id, external_id="t1", title="Pipelines at scale",
                          starts_at=clock.now() + timedelta(days=1), ends_at=clock.now() + timedelta(days=1, hours=1))
    db.add(talk)
    db.flush()
    db.add(Recommendation(event_id=event_id, user_id=ids["ana"], kind=RecommendationKind.SESSION,
                          target_session_id=talk.id, rank=1, score=80, strategy="algorithmic",
                          generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
    db.add_all([SessionAction(person_id=ids[name], session_id=talk.id, kind=SessionActionKind.BOOKMARK,
                              created_at=clock.now()) for name in OTHERS])
    db.flush()
    [card] = session_recommendations(db, event_id=event_id, person_id=ids["ana"], now=clock.now())
    assert card.connections_going == 1 and card.bookmarks == 3


def test_similar_attendees_leave_out_a_person_waiting_for_deletion_and_a_hidden_person(db, crowd):
    event_id, ids = crowd
    db.add_all([PersonEmbedding(person_id=p, content_hash=str(p), model="fake", embedding=[1.0] + [0.0] * 383)
                for p in ids.values()])
    db.flush()
    assert similar_attendees(db, event_id, ids["ana"]) == [ids["di"]]


def test_the_threads_list_shows_a_person_waiting_for_deletion_as_a_deleted_user(db, clock, crowd):
    event_id, ids = crowd
    for name in OTHERS:
        thread_between(db, ids["ana"], ids[name], event_id, clock.now())
    names = {summary.other.id: (summary.other_name, summary.other_live) for summary in threads_of(db, ids["ana"])}
    assert names[ids["bo"]] == (DELETED_USER_LABEL, False)
    assert names[ids["cy"]] == ("Cy Doe", True) and names[ids["di"]] == ("Di Doe", True)


def test_meetings_show_a_person_waiting_for_deletion_as_a_deleted_user_and_refuse_new_requests(db, clock, crowd):
    event_id, ids = crowd
    db.add_all([Meeting(event_id=event_id, requester_id=ids[name], recipient_id=ids["ana"],
                        status=MeetingStatus.PENDING, proposed_by=ids[name], proposed_slots=[],
                        created_at=clock.now()) for name in OTHERS])
    db.flush()
    views = {view.other.id: view for view in meetings_of(db, event_id=event_id, person_id=ids["ana"])}
    assert (views[ids["bo"]].other_name, views[ids["bo"]].other_live) == (DELETED_USER_LABEL, False)
    assert views[ids["cy"]].other_name == "Cy Doe" and views[ids["di"]].other_live
    with pytest.raises(MeetingError, match="cannot request a meeting"):
        request_meeting(db, event_id=event_id, requester_id=ids["di"], recipient_id=ids["bo"], slots=[], clock=clock)


def test_notifications_leave_out_those_from_a_person_waiting_for_deletion_or_blocked(db, clock, crowd):
    _, ids = crowd
    eve = person(db, "Eve")
    db.add(Block(blocker_id=ids["ana"], blocked_id=eve, created_at=clock.now()))
    db.execute(Notification.__table__.delete().where(Notification.person_id == ids["ana"]))
    db.add_all([Notification(person_id=ids["ana"], kind="request", title=f"From {p}", actor_id=p,
                             created_at=clock.now()) for p in (ids["bo"], ids["cy"], ids["di"], eve)])
    db.flush()
    assert {item.title for item in notification_feed(db, ids["ana"])} == {f"From {ids['cy']}", f"From {ids['di']}"}
    assert unread_count(db, ids["ana"]) == 2


def test_the_activity_feed_leaves_out_a_person_waiting_for_deletion(db, clock, connected):
    _, ids, _ = connected
    for name in OTHERS:
        db.get(Person, ids[name]).role_changed_at = clock.now() - timedelta(days=1)
    db.flush()
    assert {item.person_id for item in activity_feed(db, ids["ana"], now=clock.now())} == {ids["cy"], ids["di"]}


def test_follow_ups_leave_out_a_person_waiting_for_deletion(db, clock, connected):
    event_id, ids, connection_of = connected
    db.add_all([FollowUpDraft(connection_id=connection_of[name], event_id=event_id, author_id=ids["ana"],
                              recipient_id=ids[name], body="Hi", source="template", created_at=clock.now())
                for name in OTHERS])
    db.flush()
    assert {view.recipient.id for view in my_follow_ups(db, ids["ana"], clock.now())} == {ids["cy"], ids["di"]}


def test_huddle_cards_leave_out_a_person_waiting_for_deletion_among_those_going(db, clock, crowd):
    event_id, ids = crowd
    huddle_id = db.scalar(select(Huddle.id).where(Huddle.event_id == event_id))
    db.add(HuddleParticipant(huddle_id=huddle_id, person_id=ids["ana"], status="accepted"))
    db.flush()
    [card] = my_huddles(db, event_id=event_id, person_id=ids["ana"], now=clock.now()).going
    assert {a.name for a in card.first_going} == {"Cy Doe", "Di Doe"}
