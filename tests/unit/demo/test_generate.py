"""Unit tests for the synthetic demo-data generators (core.demo)."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date
from datetime import time as clock
from itertools import combinations

import pytest

from core.demo.generate import (
    generate_demo_alumni,
    generate_demo_attendees,
    generate_demo_program,
)
from core.demo.vocabulary import ATTENDEE_COLUMNS, COMPANY_SIZES, COMPLEMENTARY_GOALS, GOALS
from core.knowledge.geocode import get_gazetteer


@pytest.fixture(scope="module")
def attendees() -> list[dict[str, str]]:
    return generate_demo_attendees()


@pytest.fixture(scope="module")
def program() -> tuple[list[dict], list[dict]]:
    return generate_demo_program()


@pytest.fixture(scope="module")
def alumni() -> list[dict]:
    return generate_demo_alumni()


def split(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


# --------------------------------------------------------------------------------------------- attendees

def test_attendees_are_identical_for_the_same_seed():
    assert generate_demo_attendees(50, seed=3) == generate_demo_attendees(50, seed=3)


def test_attendees_differ_between_seeds():
    assert generate_demo_attendees(50, seed=3) != generate_demo_attendees(50, seed=4)


def test_attendee_count_matches_n(attendees):
    assert len(attendees) == 300
    assert len(generate_demo_attendees(17)) == 17


def test_attendee_rows_have_exactly_the_upload_columns(attendees):
    assert all(tuple(row) == ATTENDEE_COLUMNS for row in attendees)


def test_attendee_values_are_all_strings(attendees):
    assert all(isinstance(v, str) for row in attendees for v in row.values())


def test_attendee_emails_are_unique(attendees):
    emails = [row["email"] for row in attendees]
    assert len(set(emails)) == len(emails)


def test_attendee_emails_use_reserved_example_domains(attendees):
    assert all(row["email"].endswith("@example.com") and row["email"].isascii() for row in attendees)


def test_every_attendee_goal_is_in_the_goal_enum(attendees):
    assert {g for row in attendees for g in split(row["goals"])} <= set(GOALS)


def test_attendees_have_one_to_three_distinct_goals(attendees):
    for row in attendees:
        goals = split(row["goals"])
        assert 1 <= len(goals) <= 3 and len(set(goals)) == len(goals)


@pytest.mark.parametrize("pair", COMPLEMENTARY_GOALS, ids="/".join)
def test_both_sides_of_each_complementary_goal_pair_are_well_represented(attendees, pair):
    counts = Counter(g for row in attendees for g in split(row["goals"]))
    assert counts[pair[0]] >= 10 and counts[pair[1]] >= 10


def test_nobody_both_hires_and_seeks_a_job(attendees):
    assert not any({"HIRE", "GET_HIRED"} <= set(split(row["goals"])) for row in attendees)


def test_interests_number_one_to_five(attendees):
    assert all(1 <= len(split(row["interests"])) <= 5 for row in attendees)


def test_skills_offered_and_needed_number_one_to_four(attendees):
    for row in attendees:
        assert 1 <= len(split(row["skills_offered"])) <= 4
        assert 1 <= len(split(row["skills_needed"])) <= 4


def test_bios_fit_in_500_characters(attendees):
    assert max(len(row["bio"]) for row in attendees) <= 500


def test_bio_mentions_role_or_company(attendees):
    for row in attendees:
        assert row["company"] in row["bio"] or row["role"].lower() in row["bio"].lower()


def test_company_size_is_in_the_enum(attendees):
    assert {row["company_size"] for row in attendees} <= set(COMPANY_SIZES)


def test_years_experience_is_between_0_and_30(attendees):
    assert all(0 <= int(row["years_experience"]) <= 30 for row in attendees)


def test_junior_roles_have_little_experience(attendees):
    juniors = [row for row in attendees if row["role"].startswith("Junior")]
    assert juniors and all(int(row["years_experience"]) <= 3 for row in juniors)


def test_vp_engineering_has_at_least_12_years(attendees):
    vps = [row for row in generate_demo_attendees(1000) if row["role"] == "VP Engineering"]
    assert vps and all(int(row["years_experience"]) >= 12 for row in vps)


def test_about_half_have_a_problem_statement(attendees):
    share = sum(bool(row["problem_statement"]) for row in attendees) / len(attendees)
    assert 0.3 <= share <= 0.7


def test_allow_enrichment_is_a_boolean_string(attendees):
    assert {row["allow_enrichment"] for row in attendees} == {"true", "false"}


def test_at_least_ten_industries_appear(attendees):
    assert len({row["industry"] for row in attendees}) >= 10


def test_every_attendee_city_is_geocodable(attendees):
    gaz = get_gazetteer()
    places = {(row["city"], row["country"]) for row in attendees}
    assert all(gaz.locate(city, country) is not None for city, country in places)


# --------------------------------------------------------------------------------------------- program

def test_program_is_identical_for_the_same_seed():
    assert generate_demo_program(seed=11) == generate_demo_program(seed=11)


def test_program_has_about_forty_sessions_and_thirty_speakers(program):
    sessions, speakers = program
    assert 35 <= len(sessions) <= 45
    assert 25 <= len(speakers) <= 35


def test_program_has_five_tracks(program):
    assert len({s["track"] for s in program[0]}) == 5


def test_sessions_in_the_same_room_do_not_overlap(program):
    sessions = program[0]
    for a, b in combinations(sessions, 2):
        if a["room"] == b["room"]:
            assert a["ends_at"] <= b["starts_at"] or b["ends_at"] <= a["starts_at"], (a["title"], b["title"])


def test_sessions_in_the_same_room_do_not_overlap_when_squeezed_into_one_day():
    sessions, _ = generate_demo_program(days=1)
    for a, b in combinations(sessions, 2):
        if a["room"] == b["room"]:
            assert a["ends_at"] <= b["starts_at"] or b["ends_at"] <= a["starts_at"]


def test_sessions_run_between_nine_and_half_past_five_utc(program):
    for s in program[0]:
        assert s["starts_at"].tzinfo == UTC
        assert s["starts_at"].time() >= clock(9, 0) and s["ends_at"].time() <= clock(17, 30)


def test_sessions_last_thirty_to_sixty_minutes(program):
    assert all(30 <= (s["ends_at"] - s["starts_at"]).total_seconds() / 60 <= 60 for s in program[0])


def test_sessions_fall_on_the_requested_days():
    sessions, _ = generate_demo_program(days=3, start=date(2027, 3, 1))
    assert {s["starts_at"].date() for s in sessions} == {date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)}


def test_every_session_speaker_exists_among_speakers(program):
    sessions, speakers = program
    known = {sp["email"] for sp in speakers}
    assert all(1 <= len(s["speaker_emails"]) <= 2 and set(s["speaker_emails"]) <= known for s in sessions)


def test_every_speaker_gives_at_least_one_session(program):
    sessions, speakers = program
    used = {e for s in sessions for e in s["speaker_emails"]}
    assert {sp["email"] for sp in speakers} <= used


def test_speaker_emails_are_unique(program):
    emails = [sp["email"] for sp in program[1]]
    assert len(set(emails)) == len(emails)


def test_session_external_ids_are_unique(program):
    ids = [s["external_id"] for s in program[0]]
    assert len(set(ids)) == len(ids)


def test_session_enums_use_the_documented_values(program):
    for s in program[0]:
        assert s["session_type"] in {"talk", "workshop", "panel"}
        assert s["difficulty"] in {"beginner", "intermediate", "advanced"}


def test_session_descriptions_have_two_or_three_sentences(program):
    assert all(2 <= s["description"].count(". ") + 1 <= 3 for s in program[0])


# --------------------------------------------------------------------------------------------- alumni

def test_alumni_are_identical_for_the_same_seed():
    assert generate_demo_alumni(200, seed=5) == generate_demo_alumni(200, seed=5)


def test_every_alumnus_has_lat_and_lon(alumni):
    assert all(isinstance(a["lat"], float) and isinstance(a["lon"], float) for a in alumni)


def test_alumni_sit_within_five_hundredths_of_a_degree_of_their_city(alumni):
    gaz = get_gazetteer()
    for a in alumni[:500]:
        city, country = a["location"].rsplit(", ", 1)
        lat, lon = gaz.locate(city, country)
        assert abs(a["lat"] - lat) <= 0.05 and abs(a["lon"] - lon) <= 0.05


def test_alumni_emails_are_unique(alumni):
    emails = [a["email"] for a in alumni]
    assert len(set(emails)) == len(emails)


def test_batch_years_span_1995_to_2025(alumni):
    years = {a["batch_year"] for a in alumni}
    assert min(years) >= 1995 and max(years) <= 2025


def test_hub_cities_are_denser_than_small_ones(alumni):
    counts = Counter(a["location"] for a in alumni)
    assert counts["Bengaluru, India"] > 5 * counts["Kathmandu, Nepal"]


def test_alumni_span_many_cities(alumni):
    assert len({a["location"] for a in alumni}) >= 50


def test_linkedin_urls_are_absent_or_example_profiles(alumni):
    urls = [a["linkedin_url"] for a in alumni]
    assert None in urls
    assert all(u is None or u.startswith("https://www.linkedin.com/in/example-") for u in urls)
