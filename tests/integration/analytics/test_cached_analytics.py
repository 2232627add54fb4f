"""Analytics read back from the cache (JSONB, which keeps no key order) keep their funnel order, labels and columns."""
import csv
import io
import re
from datetime import UTC, datetime

import pytest

from core.analytics import event_analytics
from core.analytics.event_analytics import (
    FUNNEL_STAGES,
    analytics_csv,
    analytics_report_pdf,
    cached_analytics,
    funnel_steps,
    refresh_event_analytics,
)
from db.models import Connection, Event, Person, ProgramSession, Recommendation, RecommendationKind, Registration
from tests.unit.analytics.test_report_pdf import page_texts

DAY1 = datetime(2026, 12, 1, 10, tzinfo=UTC)


@pytest.fixture
def cached(db, clock):
    """An event whose person funnel is 4 generated, 3 viewed, 1 pinged, 1 connected, all on one day, with one
    connection (HIRE meets GET_HIRED over "ai"), cached and read back."""
    event = Event(slug="fx", name="Funnel expo")
    db.add(event)
    db.flush()
    people = [Person(email=f"{k}@x.io", first_name=k.upper(), last_name="T", interests=["ai"], goals=goals)
              for k, goals in (("a", ["HIRE"]), ("b", ["GET_HIRED"]), ("c", ["LEARN"]), ("d", ["LEARN"]))]
    db.add_all(people)
    talk = ProgramSession(event_id=event.id, external_id="s1", title="Applied AI", track="AI")
    db.add(talk)
    db.flush()
    db.add_all(Registration(event_id=event.id, person_id=p.id) for p in people)
    a, b, c, d = (p.id for p in people)

    def rec(user, score, **fields):
        return Recommendation(event_id=event.id, user_id=user, score=score, rank=1, reasons=[],
                              strategy="algorithmic", generated_at=DAY1, expires_at=DAY1, **fields)

    person = RecommendationKind.PERSON
    db.add_all([rec(a, 90, kind=person, target_person_id=b, viewed_at=DAY1, pinged_at=DAY1, connected_at=DAY1),
                rec(a, 80, kind=person, target_person_id=c, viewed_at=DAY1),
                rec(b, 85, kind=person, target_person_id=a, viewed_at=DAY1),
                rec(c, 60, kind=person, target_person_id=d),
                rec(a, 70, kind=RecommendationKind.SESSION, target_session_id=talk.id)])
    db.add(Connection(person_a_id=min(a, b), person_b_id=max(a, b), event_id=event.id, created_at=DAY1))
    refresh_event_analytics(db, event_id=event.id, now=clock.now())
    db.commit()
    db.expire_all()
    return cached_analytics(db, event.id).data


def test_the_cached_funnel_comes_back_in_another_key_order(cached):
    assert list(cached["networking"]["funnel"]) != list(FUNNEL_STAGES)


def test_funnel_steps_put_the_cached_stages_back_in_funnel_order(cached):
    assert funnel_steps(cached["networking"]["funnel"]) == [
        ("Generated", 4), ("Viewed", 3), ("Pinged", 1), ("Connected", 1)]


def test_a_stage_funnel_steps_do_not_know_follows_the_known_ones():
    assert funnel_steps({"met": 1, "viewed": 2, "generated": 5}) == [("Generated", 5), ("Viewed", 2), ("Met", 1)]


def test_the_pdf_funnel_runs_from_generated_to_connected_with_shares_of_the_first(cached):
    text = "\n".join(page_texts(analytics_report_pdf("Funnel expo", cached)))
    funnel = text[text.index("Recommendation funnel"):]
    positions = [funnel.index(label) for label in ("Generated", "Viewed", "Pinged", "Connected")]
    assert positions == sorted(positions)
    assert all(share in funnel for share in ("4 (100.0%)", "3 (75.0%)", "1 (25.0%)"))


def test_the_pdf_names_goal_pairs_in_words(cached, monkeypatch):
    drawn = {}
    monkeypatch.setattr(event_analytics, "analytics_pdf", lambda **kw: drawn.update(kw) or b"")
    analytics_report_pdf("Funnel expo", cached)
    pairs = next(c for c in drawn["sections"][0].charts if c.title == "Goal pairs behind connections")
    assert pairs.labels == ["Find job opportunities + Find talent to hire"]


def test_the_pdf_draws_one_day_of_activity_as_a_bar(cached, monkeypatch):
    drawn = {}
    monkeypatch.setattr(event_analytics, "analytics_pdf", lambda **kw: drawn.update(kw) or b"")
    analytics_report_pdf("Funnel expo", cached)
    activity = next(s for s in drawn["sections"] if s.title == "Activity").charts[0]
    assert (activity.kind, activity.labels, activity.values) == ("bar", ["2026-12-01"], [5])


def test_the_pdf_tables_have_readable_column_names(cached, monkeypatch):
    drawn = {}
    monkeypatch.setattr(event_analytics, "analytics_pdf", lambda **kw: drawn.update(kw) or b"")
    analytics_report_pdf("Funnel expo", cached)
    columns = [c for s in drawn["sections"] for t in s.tables for c in t.columns]
    assert "Average match score" in columns
    assert not [c for c in columns if "_" in c or c != c.strip() or not c[0].isupper()]


def test_the_csv_of_cached_analytics_lists_the_funnel_in_order(cached):
    rows = [r for r in csv.reader(io.StringIO(analytics_csv(cached))) if r[1] == "funnel"]
    assert [r[2] for r in rows] == list(FUNNEL_STAGES)


def test_the_csv_of_cached_analytics_names_each_row_by_its_label_column(cached):
    items = {r[1] for r in csv.reader(io.StringIO(analytics_csv(cached)))}
    assert "top_sessions: Applied AI" in items and "top_interests: ai" in items
    assert not [item for item in items if re.fullmatch(r"top_\w+: \d+(\.\d+)?", item)]
