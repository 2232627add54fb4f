"""Seed 002's worked example: Sarah's enriched profile on 2024-02-10 equals the seed's expected output."""
from datetime import date

import pytest

from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.profiles import compute_profiles
from db.models import ReengagementDecision
from tests.unit.reengagement.seed_example import AS_OF, SAMPLE_USER, seed_frames

EXPECTED = {
    "friends": ["Mike Jones", "Jenny Kim"],
    "event_history_hosts": ["Chef Mario", "Chef Ploy"],
    "event_history": [
        {"name": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault"},
        {"name": "Thai Cooking Class", "date": "2024-01-22", "venue": "Culinary Studio"},
        {"name": "Farm to Table Dinner", "date": "2024-02-05", "venue": "The Vault"},
    ],
    "venue_history": ["The Vault", "Culinary Studio"],
    "number_of_events_attended": 3,
    "last_event_date": date(2024, 2, 5),
    "days_since_last_event": 5,
    "has_queued_messages": True,
    "queued_message_count": 1,
    "has_sent_messages": True,
    "last_message_sent_date": date(2024, 1, 25),
    "days_since_last_message": 16,
    "total_messages_sent": 1,
    "can_send_new_message": True,
    "has_enough_fields_to_personalize": True,
    "is_first_time_user": False,
    "should_request_more_details": False,
    "is_healthy_active_user": True,
    "is_on_team": False,
    "personalization_score": 85,
}
# Every fact the seed's example summary mentions about her.
SUMMARY_FACTS = ("32", "software engineer", "Mission District", "SOMA", "vegetarian", "hiking", "photography",
                 "cooking", "communal", "3 events", "5 days ago", "The Vault", "Chef Mario", "Italian", "Thai",
                 "Mike Jones", "Jenny Kim")


@pytest.fixture(scope="module")
def sarah() -> dict:
    profiles = compute_profiles(seed_frames(), as_of=AS_OF, cooldown_days=14)
    return profiles[profiles["email"] == "sarah.chen@email.com"].to_dict("records")[0]


@pytest.mark.parametrize("field", sorted(EXPECTED))
def test_sarahs_field_equals_the_seeds_expected_output(sarah, field):
    assert sarah[field] == EXPECTED[field]
    assert type(sarah[field]) is type(EXPECTED[field])


def test_sarah_keeps_her_own_fields(sarah):
    assert {name: sarah[name] for name in SAMPLE_USER} == SAMPLE_USER


def test_sarah_gets_every_calculated_field_of_the_seed(sarah):
    assert set(CALCULATED_FIELDS) <= set(sarah)


def test_sarahs_decision_is_to_send_a_personalised_message(sarah):
    assert sarah["decision"] is ReengagementDecision.SEND_PERSONALISED_MESSAGE
    assert sarah["decision_reason"] == "Can be messaged and has enough fields"


@pytest.mark.parametrize("fact", SUMMARY_FACTS)
def test_sarahs_summary_mentions_each_fact_of_the_seeds_summary(sarah, fact):
    assert fact in sarah["summary"]


def test_sarahs_summary_speaks_of_her_as_the_seed_does(sarah):
    assert sarah["summary"].startswith("Sarah is a 32-year-old software engineer living in Mission District who works "
                                       "in SOMA. She's a vegetarian interested in hiking, photography, and cooking")
