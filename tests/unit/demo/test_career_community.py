"""Unit tests for the planted-rule career community generator (core.demo.careers)."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from core.alumni.alumni import validate_alumnus
from core.careers.roles import role_family
from core.demo.careers import (
    AS_OF,
    COURSES,
    PLANTED_SKILL_RULE,
    PLANTED_TRANSITIONS,
    POSTINGS_FROM,
    TRENDING_SKILLS,
    CareerCommunity,
    generate_career_community,
)


@pytest.fixture(scope="module")
def community() -> CareerCommunity:
    return generate_career_community(alumni=4000, postings=2000, completions=3000, seed=3)


def test_the_same_seed_generates_the_same_community() -> None:
    first = generate_career_community(alumni=300, postings=100, seed=5)
    second = generate_career_community(alumni=300, postings=100, seed=5)
    assert first == second


def test_another_seed_generates_another_community() -> None:
    assert generate_career_community(alumni=50, postings=10, seed=1).alumni != \
        generate_career_community(alumni=50, postings=10, seed=2).alumni


def test_the_counts_are_as_asked_and_completions_default_to_a_third_of_the_alumni() -> None:
    community = generate_career_community(alumni=600, postings=40)
    assert (len(community.alumni), len(community.postings), len(community.completions)) == (600, 40, 200)


def test_planted_transition_rows_are_distributions() -> None:
    for weights in PLANTED_TRANSITIONS.values():
        assert sum(weights.values()) == pytest.approx(1.0)


def test_alumni_rows_survive_the_upload_validation_unchanged(community: CareerCommunity) -> None:
    import json
    for row in community.alumni[:300]:
        cells = {k: "" if v is None else (json.dumps(v) if k == "role_history" else
                                          ";".join(v) if isinstance(v, list) else str(v)) for k, v in row.items()}
        clean, errors = validate_alumnus(cells)
        assert errors == []
        assert clean == row


def test_histories_are_dated_in_order_and_end_in_the_open_current_role(community: CareerCommunity) -> None:
    for row in community.alumni:
        history = row["role_history"]
        assert history[-1]["to"] is None and history[-1]["role"] == row["current_role"]
        assert all(step["to"] == after["from"] for step, after in zip(history, history[1:], strict=False))
        assert history[0]["from"] >= f"{row['batch_year']}-01"
        assert history[-1]["from"] <= f"{AS_OF:%Y-%m}"


def test_every_step_of_a_history_is_a_planted_move_between_families(community: CareerCommunity) -> None:
    for row in community.alumni:
        families = [role_family(step["role"]) for step in row["role_history"]]
        for before, after in zip(families, families[1:], strict=False):
            assert after in PLANTED_TRANSITIONS[before]


def test_titles_are_messy_so_that_normalisation_matters(community: CareerCommunity) -> None:
    titles = Counter(row["current_role"] for row in community.alumni)
    families = Counter(role_family(title) for title in titles.elements())
    assert len(titles) > 2 * len(families)


def test_about_half_the_data_analysts_hold_the_rule_skill(community: CareerCommunity) -> None:
    analysts = [row for row in community.alumni if role_family(row["current_role"]) == PLANTED_SKILL_RULE.from_role]
    share = sum(PLANTED_SKILL_RULE.skill in row["skills"] for row in analysts) / len(analysts)
    assert share == pytest.approx(PLANTED_SKILL_RULE.share_with, abs=0.07)


def test_postings_have_unique_keys_family_titles_and_dates_in_range(community: CareerCommunity) -> None:
    assert len({row["natural_key"] for row in community.postings}) == len(community.postings)
    assert all(role_family(row["title"]) in {*PLANTED_TRANSITIONS, *(t for w in PLANTED_TRANSITIONS.values()
                                                                     for t in w)} for row in community.postings)
    assert all(POSTINGS_FROM <= row["posted_on"] <= AS_OF for row in community.postings)


def test_trending_skills_are_asked_for_more_often_in_recent_postings(community: CareerCommunity) -> None:
    middle = date.fromordinal((POSTINGS_FROM.toordinal() + AS_OF.toordinal()) // 2)
    for skill in TRENDING_SKILLS:
        early = [skill in row["skills"] for row in community.postings if row["posted_on"] < middle]
        late = [skill in row["skills"] for row in community.postings if row["posted_on"] >= middle]
        assert sum(late) / len(late) > 2 * sum(early) / len(early)


def test_completions_belong_to_alumni_and_carry_hours_only_for_courses_that_state_them(
        community: CareerCommunity) -> None:
    emails = {row["email"] for row in community.alumni}
    assert all(row["email"] in emails for row in community.completions)
    assert len({(row["student_id"], row["course_name"]) for row in community.completions}) == \
        len(community.completions)
    for row in community.completions:
        skills, hours = COURSES[row["course_name"]]
        assert row["skills_learned"] == list(skills)
        assert row["duration_hours"] in (None, hours)
    assert any(row["duration_hours"] for row in community.completions)


# --------------------------------------------------------------------------------------------- the demo conference

@pytest.fixture(scope="module")
def demo_alumni() -> list[dict]:
    from core.demo.generate import generate_demo_alumni

    return generate_demo_alumni(1500)


def test_demo_alumni_histories_end_in_their_open_current_role(demo_alumni: list[dict]) -> None:
    for row in demo_alumni:
        assert row["role_history"][-1] == {**row["role_history"][-1], "role": row["current_role"], "to": None,
                                           "company": row["current_company"]}


def test_demo_histories_fit_in_the_years_since_graduation(demo_alumni: list[dict]) -> None:
    for row in demo_alumni:
        assert row["role_history"][0]["from"] >= f"{row['batch_year']}-01"


def test_demo_histories_lead_to_the_current_role_through_earlier_roles(demo_alumni: list[dict]) -> None:
    with_moves = [row for row in demo_alumni if len(row["role_history"]) > 1]
    assert len(with_moves) > len(demo_alumni) / 2
    families = {role_family(step["role"]) for row in with_moves for step in row["role_history"][:-1]}
    assert {"Software Engineer", "Data Analyst", "Product Manager"} <= families


def test_most_demo_alumni_are_visible_to_the_community(demo_alumni: list[dict]) -> None:
    shares = Counter(row["visibility"] for row in demo_alumni)
    assert shares["community"] > 0.6 * len(demo_alumni) and shares["hidden"] > 0 and shares["organizers"] > 0


def test_demo_alumni_carry_their_canonical_skill_keys(demo_alumni: list[dict]) -> None:
    from core.knowledge.skill_names import skill_keys

    assert all(row["skill_keys"] == skill_keys(row["skills"]) for row in demo_alumni[:200])


def test_the_demo_histories_do_not_change_the_other_demo_alumni_fields() -> None:
    from core.demo.generate import generate_demo_alumni

    first, more = generate_demo_alumni(20), generate_demo_alumni(21)
    assert [row["email"] for row in first] == [row["email"] for row in more[:20]]


def test_an_attendee_becomes_a_located_community_alumnus_with_a_history() -> None:
    from core.demo.careers import alumnus_for_attendee

    profile = {"email": "sana.choi@example.com", "first_name": "Sana", "last_name": "Choi", "company": "Vitalnote",
               "role": "Senior Data Scientist", "industry": "Healthtech", "city": "Accra", "country": "Ghana",
               "skills_offered": ["Python", "Clinical workflows"], "years_experience": 9}
    record = alumnus_for_attendee(profile)
    assert (record["email"], record["visibility"], record["current_role"]) == (
        "sana.choi@example.com", "community", "Senior Data Scientist")
    assert [role_family(step["role"]) for step in record["role_history"]][-2:] == [
        "Data Scientist", "Senior Data Scientist"]
    assert record["lat"] is not None and record["skill_keys"] == ["python", "clinical workflows"]
