"""Seed 000 §7.3's follow-up priority and its parts: interactions, huddles, shared problems and aligned goals."""
from datetime import UTC, date, datetime

from core.knowledge.skills import concepts_of
from core.networking.follow_ups import (
    PairContext,
    clean_llm_message,
    event_end,
    follow_up_priority,
    goals_align,
    shares_problem,
    template_body,
)
from db.models import Person


def test_each_interaction_is_worth_ten_points():
    assert follow_up_priority(interaction_count=3, met_at_huddle=False, shared_problem=False,
                              goal_alignment=False) == 30


def test_a_huddle_a_shared_problem_and_aligned_goals_add_twenty_thirty_and_forty():
    assert follow_up_priority(interaction_count=1, met_at_huddle=True, shared_problem=True,
                              goal_alignment=True) == 10 + 20 + 30 + 40


def test_hiring_and_job_seeking_align_either_way_but_two_hirers_do_not():
    assert goals_align(["HIRE"], ["LEARN", "GET_HIRED"]) and goals_align(["GET_MENTORED"], ["MENTOR"])
    assert goals_align(["FIND_INVESTORS"], ["INVEST"])
    assert not goals_align(["HIRE"], ["HIRE", "NETWORK"]) and not goals_align(None, ["GET_HIRED"])


def test_problem_statements_share_a_problem_when_they_name_a_common_concept():
    a = concepts_of("Scaling our Kubernetes clusters without burning the budget")
    b = concepts_of("We struggle to run Kubernetes in production")
    c = concepts_of("Finding a good product designer")
    assert shares_problem(a, b) and not shares_problem(a, c)


def test_an_event_ends_at_midnight_after_its_last_day_in_its_own_time_zone():
    assert event_end(date(2026, 11, 29), None, "Europe/Lisbon") == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    assert event_end(None, date(2026, 11, 29), "America/New_York") == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    assert event_end(None, None, "UTC") is None


def test_the_template_cites_how_they_met_the_event_what_they_share_their_challenge_and_a_next_step():
    author = Person(first_name="Ana", last_name="Silva", interests=["AI/ML"], goals=["HIRE"])
    recipient = Person(first_name="Bo", last_name="Lee", interests=["ai/ml", "Design"], goals=["GET_HIRED"],
                       problem_statement="Moving our data team   to real-time pipelines")
    context = PairContext(event_name="Lisbon Summit", origin="huddle", interaction_count=2, met_at_huddle=True,
                          shared_interests=["AI/ML"], author_offers=[], recipient_offers=[], shared_problem=False,
                          goal_pairs=[("HIRE", "GET_HIRED")])
    body = template_body(author, recipient, context)
    assert body.startswith("Hi Bo, it was great to connect in our huddle at Lisbon Summit.")
    assert "AI/ML" in body and '"Moving our data team to real-time pipelines"' in body
    assert "short call next week about the role" in body and body.endswith("Best,\nAna")
    assert context.reason == "You met at a huddle at Lisbon Summit."


def test_an_llm_message_loses_links_markup_and_emojis_and_a_placeholder_is_refused():
    cleaned = clean_llm_message("Great **chat** about pipelines 🚀 — see https://evil.example/x for my deck.")
    assert cleaned == "Great chat about pipelines — see for my deck."
    assert clean_llm_message("Dear [name], nice to meet you at the event today.") is None
    assert clean_llm_message("Too short") is None
