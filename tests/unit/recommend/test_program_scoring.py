"""Seed 001's session and speaker formulas, pinned on hand-computed cases, and their semantic matching."""
import numpy as np
import pytest

from core.recommend.program_scoring import (
    AttendeeTerms,
    SessionTerms,
    SpeakerTerms,
    TermSpace,
    exact_similarity,
    score_session,
    score_speaker,
    soft_jaccard,
    template_starters,
)

ATTENDEE = AttendeeTerms(interests=["AI", "Python", "Data"], goals=["LEARN", "HIRE"], role="Engineer",
                         skills_needed=["Kubernetes"], difficulty="intermediate", industry="Fintech")
SESSION = SessionTerms(session_id=1, topics=["ai", "python", "cloud"], outcomes=["Kubernetes"],
                       outcomes_text="Kubernetes: understand model serving", audience=["engineer"],
                       difficulty="intermediate")


def test_the_session_formula_matches_a_hand_computed_score():
    # interests: Jaccard 2/4 = 0.5 -> 0.20; goals: LEARN ("understand") -> 0.3 -> 0.09; audience -> 0.20;
    # difficulty -> 0.10; skills bonus: Kubernetes -> 0.05. Total 0.64.
    scored = score_session(ATTENDEE, SESSION, exact_similarity)
    assert scored.score == pytest.approx(0.64)
    assert scored.match_score == 64
    assert scored.reasons == ["Shared interests: AI, Python", "Aligns with your learn goal", "Designed for Engineers",
                              "Matches your intermediate level", "Teaches: Kubernetes"]


def test_an_intermediate_session_earns_half_the_difficulty_weight_for_other_levels():
    beginner = AttendeeTerms(**{**ATTENDEE.__dict__, "difficulty": "beginner"})
    assert score_session(beginner, SESSION, exact_similarity).score == pytest.approx(0.64 - 0.05)


def test_the_speaker_formula_matches_a_hand_computed_score():
    # expertise: 1 of 2 interests -> 0.25; skills exchange -> 0.30; mentorship for GET_MENTORED -> 0.15;
    # same industry -> 0.05. Total 0.75.
    person = AttendeeTerms(interests=["ai", "python"], goals=["GET_MENTORED"], role="Analyst", skills_needed=["rust"],
                           difficulty=None, industry="Fintech")
    speaker = SpeakerTerms(speaker_id=7, expertise=["AI", "Rust"], offerings=["mentorship"], title="CTO",
                           industry="fintech")
    scored = score_speaker(person, speaker, exact_similarity)
    assert scored.score == pytest.approx(0.75)
    assert scored.reasons == ["Expert in: AI", "Can help with: rust", "Offers mentorship - aligns with your goal",
                              "Same industry: fintech"]


def test_similar_terms_count_as_shared_interests():
    vectors = {"ML": np.array([1.0, 0.0]), "machine learning": np.array([0.8, 0.6]), "cooking": np.array([0.0, 1.0])}
    overlap, pairs = soft_jaccard(["ML"], ["machine learning", "cooking"], TermSpace(vectors).similarity_from(["ML"]))
    assert pairs == [("ML", "machine learning")] and overlap == pytest.approx(1 / 2)


def test_session_text_relevance_stands_in_for_missing_tags():
    untagged = SessionTerms(session_id=2, topics=[], outcomes=[], outcomes_text="", audience=[], difficulty=None)
    scored = score_session(ATTENDEE, untagged, exact_similarity, relevance=0.8, relevance_reason="About AI")
    assert scored.score == pytest.approx(0.32) and scored.reasons == ["About AI"]


def test_template_starters_are_three_and_mention_the_shared_interest_and_session():
    starters = template_starters(["ai"], ["LEARN"], "Ada Byron", ["AI"], [], ["Engines of thought"], "Analytical",
                                exact_similarity)
    assert len(starters) == 3
    assert "interest in AI" in starters[0] and "Engines of thought" in starters[1]
