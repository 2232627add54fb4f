"""Analytics participation (seed 000 §11.4) on a hand-built event: who turned it off counts only in the total."""
import pytest

from core.analytics.event_analytics import compute_event_analytics
from db.models import Connection, Event, Person, ProgramSession, Registration


@pytest.fixture
def event(db):
    event = Event(slug="ap", name="Participation")
    db.add(event)
    db.flush()
    people = {key: Person(email=f"{key}@x.io", first_name=key.upper(), last_name="T", interests=interests,
                          goals=goals, industry=industry, consents=consents)
              for key, interests, goals, industry, consents in (
                  ("a", ["quantum"], ["HIRE"], "Energy", {}),
                  ("b", ["quantum"], ["GET_HIRED"], "Health", {"analytics_participation": True}),
                  ("c", ["quantum", "opera"], ["INVEST"], "Opera", {"analytics_participation": False}),
                  ("d", ["opera"], ["FIND_INVESTORS"], "Opera", {}))}
    db.add_all(people.values())
    db.flush()
    db.add_all(Registration(event_id=event.id, person_id=p.id) for p in people.values())
    db.add(ProgramSession(event_id=event.id, external_id="s", title="Closing remarks"))
    a, b, c, d = (people[k].id for k in "abcd")
    db.add_all([Connection(event_id=event.id, person_a_id=min(a, b), person_b_id=max(a, b), status="active"),
                Connection(event_id=event.id, person_a_id=min(c, d), person_b_id=max(c, d), status="active")])
    db.flush()
    return event


def test_a_person_who_opted_out_still_counts_in_the_attendee_total(db, event, clock):
    assert compute_event_analytics(db, event_id=event.id, now=clock.now())["networking"]["attendees"] == 4


def test_the_connections_of_a_person_who_opted_out_feed_no_goal_pair(db, event, clock):
    pairs = compute_event_analytics(db, event_id=event.id, now=clock.now())["networking"]["top_goal_pairs"]
    assert [p["pair"] for p in pairs] == ["GET_HIRED + HIRE"]


def test_the_interests_of_a_person_who_opted_out_feed_no_content_gap(db, event, clock):
    gaps = compute_event_analytics(db, event_id=event.id, now=clock.now())["sessions"]["content_gaps"]
    assert gaps == [{"interest": "quantum", "attendees": 2}]


def test_a_person_who_opted_out_is_left_out_of_the_diversity_figures(db, event, clock):
    networking = compute_event_analytics(db, event_id=event.id, now=clock.now())["networking"]
    assert networking["diversity_industries"] == 2 and networking["event_industries"] == 3
    assert networking["people_with_connections"] == 2
