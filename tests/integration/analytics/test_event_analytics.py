"""Organizer analytics on a hand-built event where every number is known, on a real Postgres."""
import csv
import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from core.analytics.event_analytics import (
    analytics_csv,
    analytics_report_pdf,
    cached_analytics,
    compute_event_analytics,
    refresh_event_analytics,
)
from db.models import (
    Connection,
    EnrichmentStatus,
    Event,
    Huddle,
    HuddleParticipant,
    Meeting,
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    Registration,
    SessionAction,
    Speaker,
)

DAY1, DAY2 = datetime(2026, 12, 1, 10, tzinfo=UTC), datetime(2026, 12, 2, 10, tzinfo=UTC)


@pytest.fixture
def event(db, clock):
    event = Event(slug="hb", name="Hand-built")
    db.add(event)
    db.flush()
    spec = {"a": (["ai", "data"], ["HIRE"], True, EnrichmentStatus.COMPLETED),
            "b": (["ai", "web"], ["GET_HIRED"], True, EnrichmentStatus.FAILED),
            "c": (["data", "quantum"], ["LEARN"], False, EnrichmentStatus.PENDING),
            "d": (["ai", "quantum"], ["LEARN"], True, EnrichmentStatus.OPTED_OUT)}
    people = {}
    for key, (interests, goals, allow, status) in spec.items():
        people[key] = Person(email=f"{key}@x.io", first_name=key.upper(), last_name="T", interests=interests,
                             goals=goals, allow_enrichment=allow, enrichment_status=status)
    db.add_all(people.values())
    db.flush()
    db.add_all(Registration(event_id=event.id, person_id=p.id) for p in people.values())
    a, b, c, d = (people[k].id for k in "abcd")
    sessions = {key: ProgramSession(event_id=event.id, external_id=key, title=title, track=track)
                for key, title, track in (("s1", "Applied AI", "AI"), ("s2", "Web apps", "Web"),
                                          ("s3", "Data pipelines", "Data"), ("s4", "Closing remarks", None))}
    speakers = {key: Speaker(event_id=event.id, name=name) for key, name in (("x", "Xia"), ("y", "Yves"))}
    db.add_all([*sessions.values(), *speakers.values()])
    db.flush()

    def rec(user, kind, score, rank=1, **target):
        return Recommendation(event_id=event.id, user_id=user, kind=kind, score=score, rank=rank, reasons=[],
                              strategy="algorithmic", generated_at=DAY1, expires_at=DAY2, **target)

    person = RecommendationKind.PERSON
    db.add_all([rec(a, person, 90, target_person_id=b, viewed_at=DAY1, pinged_at=DAY1, connected_at=DAY2),
                rec(a, person, 80, 2, target_person_id=c, viewed_at=DAY1),
                rec(b, person, 85, target_person_id=a, viewed_at=DAY2),
                rec(c, person, 60, target_person_id=d)])
    session_kind = RecommendationKind.SESSION
    s1, s2, s3 = (sessions[k].id for k in ("s1", "s2", "s3"))
    db.add_all([rec(a, session_kind, 80, 1, target_session_id=s1), rec(a, session_kind, 60, 2, target_session_id=s3),
                rec(b, session_kind, 70, 1, target_session_id=s1), rec(b, session_kind, 50, 2, target_session_id=s2),
                rec(c, session_kind, 40, 1, target_session_id=s3)])
    db.add_all([SessionAction(person_id=a, session_id=s1, kind="bookmark", created_at=DAY1),
                SessionAction(person_id=a, session_id=s1, kind="attended", created_at=DAY2),
                SessionAction(person_id=b, session_id=s2, kind="dismiss", created_at=DAY1),
                SessionAction(person_id=c, session_id=s2, kind="bookmark", created_at=DAY2)])
    x, y = speakers["x"].id, speakers["y"].id
    speaker_kind = RecommendationKind.SPEAKER
    db.add_all([rec(a, speaker_kind, 90, target_speaker_id=x), rec(b, speaker_kind, 70, target_speaker_id=x),
                rec(a, speaker_kind, 50, 2, target_speaker_id=y)])
    db.add(Connection(person_a_id=min(a, b), person_b_id=max(a, b), event_id=event.id, created_at=DAY2))
    db.add_all([Meeting(event_id=event.id, requester_id=a, recipient_id=b, speaker_id=x, status="accepted",
                        proposed_by=a, proposed_slots=[], created_at=DAY1),
                Meeting(event_id=event.id, requester_id=c, recipient_id=d, status="pending", proposed_by=c,
                        proposed_slots=[], created_at=DAY2)])
    huddle = Huddle(event_id=event.id, topic="AI hiring")
    db.add(huddle)
    db.flush()
    db.add_all([HuddleParticipant(huddle_id=huddle.id, person_id=a, status="accepted"),
                HuddleParticipant(huddle_id=huddle.id, person_id=b, status="attended"),
                HuddleParticipant(huddle_id=huddle.id, person_id=c, status="invited")])
    db.commit()
    return event


def test_networking_metrics_are_exact(db, clock, event):
    net = compute_event_analytics(db, event_id=event.id, now=clock.now())["networking"]
    assert (net["attendees"], net["opted_in_enrichment"], net["enriched"], net["enrichment_rate"]) == (4, 2, 1, 0.5)
    assert net["funnel"] == {"generated": 4, "viewed": 3, "pinged": 1, "connected": 1}
    assert (net["connections"], net["connections_per_attendee"]) == (1, 0.25)
    assert (net["meetings_requested"], net["meetings_accepted"], net["meeting_accept_rate"]) == (2, 1, 0.5)
    assert (net["huddles_formed"], net["huddle_invites"], net["huddle_accept_rate"], net["huddle_attend_rate"],
            net["avg_huddle_size"]) == (1, 3, 0.6667, 0.5, 2.0)
    assert net["top_interests"] == [{"interest": "ai", "count": 1}]
    assert net["top_goal_pairs"] == [{"pair": "GET_HIRED + HIRE", "count": 1}]


def test_session_metrics_are_exact(db, clock, event):
    sessions = compute_event_analytics(db, event_id=event.id, now=clock.now())["sessions"]
    assert sessions["overview"] == {"recommendations": 5, "users": 3, "bookmark_rate": 0.2, "attendance_rate": 0.2,
                                    "dismiss_rate": 0.2}
    assert [r["session"] for r in sessions["top_sessions"]][:3] == ["Applied AI", "Web apps", "Data pipelines"]
    assert sessions["top_sessions"][0] == {"session": "Applied AI", "track": "AI", "recommended": 2,
                                              "bookmarked": 1, "attended": 1, "dismissed": 0,
                                              "avg_match_score": 75.0, "capacity": None}
    assert [(r["session"], r["reason"]) for r in sessions["underperforming"]] == [
        ("Closing remarks", "Recommended to nobody: no attendee's interests or goals match it.")]
    assert sessions["content_gaps"] == [{"interest": "quantum", "attendees": 2}]
    distribution = sessions["score_distribution"]
    assert (distribution["mean"], distribution["median"]) == (60.0, 60.0)
    assert distribution["bands"] == {"low (0–50)": 2, "medium (51–75)": 2, "high (76–100)": 1}
    assert sessions["diversity"] == {"catalog_coverage": 0.75, "avg_tracks_in_top_10": 1.67}


def test_speaker_metrics_are_exact(db, clock, event):
    speakers = compute_event_analytics(db, event_id=event.id, now=clock.now())["speakers"]
    assert (speakers["recommendations"], speakers["users"], speakers["contact_rate"], speakers["meeting_rate"]) == (
        3, 2, 0.3333, 0.3333)
    assert speakers["top_speakers"] == [
        {"speaker": "Xia", "recommended": 2, "contacted": 1, "meetings": 1, "avg_match_score": 80.0},
        {"speaker": "Yves", "recommended": 1, "contacted": 0, "meetings": 0, "avg_match_score": 50.0}]


def test_activity_is_counted_per_day(db, clock, event):
    activity = compute_event_analytics(db, event_id=event.id, now=clock.now())["activity"]
    assert activity == [{"day": "2026-12-01", "views": 2, "pings": 1, "connections": 0, "meetings": 1, "bookmarks": 1},
                        {"day": "2026-12-02", "views": 1, "pings": 0, "connections": 1, "meetings": 1, "bookmarks": 1}]


def test_refreshing_caches_the_analytics_and_a_second_refresh_replaces_them(db, clock, event):
    refresh_event_analytics(db, event_id=event.id, now=clock.now())
    db.commit()
    later = clock.now() + timedelta(hours=1)
    refresh_event_analytics(db, event_id=event.id, now=later)
    db.commit()
    db.expire_all()
    assert cached_analytics(db, event.id).computed_at == later


def test_the_csv_export_opens_in_pandas_with_every_section(db, clock, event):
    data = compute_event_analytics(db, event_id=event.id, now=clock.now())
    frame = pd.read_csv(io.StringIO(analytics_csv(data)))
    assert list(frame.columns) == ["section", "item", "metric", "value"]
    assert set(frame["section"]) == {"networking", "sessions", "speakers", "activity"}
    row = frame[(frame.section == "networking") & (frame.metric == "connections_per_attendee")]
    assert float(row.value.iloc[0]) == 0.25
    assert len(list(csv.reader(io.StringIO(analytics_csv(data))))) == len(frame) + 1


def test_the_pdf_report_has_pages(db, clock, event):
    pdf = analytics_report_pdf("Hand-built", compute_event_analytics(db, event_id=event.id, now=clock.now()))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2
