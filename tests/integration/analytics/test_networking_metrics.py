"""Networking after the match on a hand-built event where every number is known: pings, requests, introductions,
messages, follow-ups, reports per block and the industry diversity of new connections, on a real Postgres."""
import csv
import io
import math
from datetime import UTC, datetime, timedelta

import pytest

from core.analytics.benchmarks import BenchmarkStatus
from core.analytics.event_analytics import (
    analytics_csv,
    analytics_report_pdf,
    compute_event_analytics,
    industry_diversity,
)
from db.models import (
    Block,
    Connection,
    ConnectionRequest,
    Event,
    FollowUpDraft,
    Message,
    MessageThread,
    Person,
    Recommendation,
    RecommendationKind,
    Registration,
    Report,
)
from tests.unit.analytics.test_report_pdf import page_texts

AT = datetime(2026, 12, 1, 10, tzinfo=UTC)
# Ana, Cy and Eve are in fintech, Bo and Dee in health, Fay in energy (Eve gave no industry); Gus is deleted.
INDUSTRIES = {"ana": "Fintech", "bo": "Health", "cy": " fintech ", "dee": "health", "eve": None, "fay": "Energy",
              "gus": "Mining"}


@pytest.fixture
def event(db):
    """Six live attendees and a deleted one at "Hand-built", with rows at another event that must not count.

    Connections at the event: Ana–Bo (a request from a recommendation), Cy–Dee (a request), Ana–Eve (a huddle).
    """
    event, other = Event(slug="hb", name="Hand-built"), Event(slug="other", name="Other")
    db.add_all([event, other])
    db.flush()
    people = {name: Person(email=f"{name}@x.io", first_name=name.title(), last_name="T", industry=industry,
                           deleted_at=AT if name == "gus" else None) for name, industry in INDUSTRIES.items()}
    outsider = Person(email="out@x.io", first_name="Out", last_name="Sider", industry="Retail")
    db.add_all([*people.values(), outsider])
    db.flush()
    db.add_all(Registration(event_id=event.id, person_id=p.id) for p in people.values())
    ids = {name: p.id for name, p in people.items()}
    ana, bo, cy, dee, eve, fay, gus = (ids[n] for n in ("ana", "bo", "cy", "dee", "eve", "fay", "gus"))

    def rec(user, target, viewed=True):
        return Recommendation(event_id=event.id, user_id=user, kind=RecommendationKind.PERSON, score=80, rank=1,
                              reasons=[], strategy="algorithmic", generated_at=AT, expires_at=AT + timedelta(days=2),
                              target_person_id=target, viewed_at=AT if viewed else None)

    recs = {"ana>bo": rec(ana, bo), "bo>ana": rec(bo, ana), "cy>eve": rec(cy, eve), "dee>ana": rec(dee, ana, False)}
    db.add_all(recs.values())
    db.flush()

    def request(requester, recipient, status, event_id=event.id, recommendation_id=None):
        return ConnectionRequest(event_id=event_id, requester_id=requester, recipient_id=recipient, status=status,
                                 origin="recommendation" if recommendation_id else "manual",
                                 recommendation_id=recommendation_id, created_at=AT)

    db.add_all([request(ana, bo, "accepted", recommendation_id=recs["ana>bo"].id), request(cy, dee, "accepted"),
                request(eve, fay, "pending"), request(gus, ana, "pending"), request(ana, fay, "accepted", other.id)])

    def connect(a, b, source, event_id=event.id):
        return Connection(person_a_id=min(a, b), person_b_id=max(a, b), event_id=event_id, source=source,
                          created_at=AT)

    connections = {"ana-bo": connect(ana, bo, "recommendation"), "cy-dee": connect(cy, dee, "manual"),
                   "ana-eve": connect(ana, eve, "huddle"), "ana-fay": connect(ana, fay, "manual", other.id)}
    db.add_all(connections.values())

    def thread(a, b, event_id=event.id):
        return MessageThread(person_a_id=min(a, b), person_b_id=max(a, b), event_id=event_id, created_at=AT)

    threads = {"ana-bo": thread(ana, bo), "cy-eve": thread(cy, eve), "cy-dee": thread(cy, dee),
               "gus-ana": thread(gus, ana), "ana-dee": thread(ana, dee, other.id)}
    db.add_all(threads.values())
    db.flush()

    def say(pair, sender, kind="message"):
        return Message(thread_id=threads[pair].id, sender_id=sender, kind=kind, body="hi", created_at=AT)

    follow_up = say("ana-bo", ana, "follow_up")
    db.add_all([say("ana-bo", ana, "ping"), say("cy-eve", cy, "ping"), say("gus-ana", gus, "ping"),
                say("ana-dee", ana, "ping"), say("ana-bo", ana), say("ana-bo", ana), say("ana-bo", bo),
                say("cy-dee", cy), follow_up, say("cy-dee", cy, "request"), say("gus-ana", gus),
                say("ana-dee", dee)])
    db.flush()

    def draft(author, recipient, connection, status, answered=False):
        return FollowUpDraft(connection_id=connections[connection].id, event_id=event.id, author_id=author,
                             recipient_id=recipient, body="Good to meet you", source="template", status=status,
                             created_at=AT, sent_at=AT if status == "sent" else None,
                             answered_at=AT if answered else None,
                             message_id=follow_up.id if connection == "ana-bo" else None)

    db.add_all([draft(ana, bo, "ana-bo", "sent", answered=True), draft(cy, dee, "cy-dee", "sent"),
                draft(eve, ana, "ana-eve", "pending")])
    db.add_all([Block(blocker_id=eve, blocked_id=fay, created_at=AT), Block(blocker_id=gus, blocked_id=ana,
                                                                             created_at=AT),
                Block(blocker_id=ana, blocked_id=outsider.id, created_at=AT)])

    def report(reporter, reported, event_id):
        return Report(reporter_id=reporter, reported_id=reported, event_id=event_id, context="profile",
                      reason="spam", created_at=AT)

    db.add_all([report(fay, eve, event.id), report(eve, fay, None), report(ana, outsider.id, None),
                report(gus, ana, event.id), report(outsider.id, ana, other.id)])
    db.commit()
    return event


@pytest.fixture
def net(db, clock, event):
    return compute_event_analytics(db, event_id=event.id, now=clock.now())["networking"]


def test_pings_count_only_the_events_threads_between_live_attendees(net):
    assert net["pings"] == 2


def test_connection_requests_sent_and_accepted_are_counted_with_their_rate(net):
    assert (net["connection_requests_sent"], net["connection_requests_accepted"],
            net["connection_request_accept_rate"]) == (3, 2, 0.6667)


def test_an_introduction_is_accepted_by_its_request_or_by_a_connection_of_the_pair_at_the_event(net):
    # Shown: Ana>Bo (accepted through its request), Bo>Ana (the pair connected), Cy>Eve (never connected);
    # Dee>Ana was never viewed, so it was never shown.
    assert (net["introductions_shown"], net["introductions_accepted"], net["introduction_accept_rate"]) == (
        3, 2, 0.6667)


def test_messages_count_conversation_and_follow_ups_but_not_pings_or_request_notes(net):
    assert (net["messages"], net["people_messaged"]) == (5, 3)


def test_follow_up_sent_and_response_rates_count_sent_drafts_of_the_event(net):
    assert (net["follow_ups_sent"], net["follow_ups_answered"], net["follow_up_senders"],
            net["people_with_connections"]) == (2, 1, 2, 5)
    assert (net["follow_up_sent_rate"], net["follow_up_response_rate"]) == (0.4, 0.5)


def test_reports_per_block_counts_the_events_reports_and_blocks_between_attendees(net):
    assert (net["reports"], net["blocks"], net["reports_per_block"]) == (2, 1, 2.0)


def test_diversity_is_the_entropy_of_connection_industries_normalised_by_the_rooms_industries(net):
    # Sides: Ana, Bo, Cy, Dee, Ana, Eve: fintech 3, health 2, Eve unknown; the room has fintech, health, energy.
    entropy = -(0.6 * math.log2(0.6) + 0.4 * math.log2(0.4))
    assert net["diversity_index"] == round(entropy, 4) == 0.971
    assert net["diversity_index_normalised"] == round(entropy / math.log2(3), 4)
    assert (net["diversity_industries"], net["event_industries"], net["connection_sides_unknown_industry"]) == (
        2, 3, 1)


def test_active_networkers_are_attendees_who_reached_out_or_connected(net):
    assert (net["active_networkers"], net["active_networking_rate"]) == (5, 0.8333)


def test_the_existing_networking_keys_keep_their_values(net):
    assert (net["attendees"], net["connections"], net["connections_per_attendee"]) == (6, 3, 0.5)
    assert net["funnel"] == {"generated": 4, "viewed": 3, "pinged": 0, "connected": 0}


def test_without_blocks_or_connections_the_undefined_ratios_are_none():
    assert industry_diversity([], 4)["diversity_index_normalised"] is None
    assert industry_diversity(["Fintech", "fintech"], 1) == {
        "diversity_index": 0.0, "diversity_index_normalised": None, "diversity_industries": 1,
        "event_industries": 1, "connection_sides_unknown_industry": 0}


def test_the_pdf_report_shows_the_new_metrics_and_the_benchmarks(db, clock, event):
    text = "\n".join(page_texts(analytics_report_pdf("Hand-built", compute_event_analytics(
        db, event_id=event.id, now=clock.now()))))
    for expected in ("Networking after the match", "Pings", "Introductions accepted", "67%",
                     "Follow-up sent rate", "40%", "Follow-up response rate", "50%", "Reports per block", "2.00",
                     "Diversity of new connections", "0.61", "Benchmarks", "Active networking", "5-10%",
                     "Huddle participation", "No data", "Not met", "Met"):
        assert expected in text, expected


def test_the_csv_has_the_new_metrics_and_one_status_per_benchmark(db, clock, event):
    rows = list(csv.reader(io.StringIO(analytics_csv(compute_event_analytics(db, event_id=event.id,
                                                                             now=clock.now())))))
    assert ["networking", "", "follow_up_response_rate", "0.5"] in rows
    assert ["networking", "", "reports_per_block", "2.0"] in rows
    statuses = {row[1]: row[3] for row in rows if row[1].startswith("benchmark: ") and row[2] == "status"}
    assert statuses == {"benchmark: Connections per attendee": BenchmarkStatus.NOT_MET,
                        "benchmark: Active networking": "met", "benchmark: Recommendation engagement": "met",
                        "benchmark: Huddle participation": "no_data", "benchmark: Follow-up response rate": "met",
                        "benchmark: Follow-up sent rate": "met"}
