"""Row validation of the attendee upload format."""
from core.events.attendees import validate_attendee
from core.ingest.fields import split_list

GOOD = {
    "email": "Ana.Silva@Example.org", "first_name": "Ana", "last_name": "Silva", "company": "Acme", "role": "CTO",
    "industry": "Fintech", "company_size": "STARTUP_1_10", "years_experience": "12", "interests": "ai; payments",
    "goals": "hire;find investors", "skills_offered": "python", "skills_needed": "", "bio": "Builds things.",
    "problem_statement": "", "city": "Lisbon", "country": "Portugal", "allow_enrichment": "true",
}


def columns_with_errors(**changes) -> set[str]:
    _, errors = validate_attendee({**GOOD, **changes})
    return {e.column for e in errors}


def test_a_good_row_is_cleaned():
    clean, errors = validate_attendee(GOOD)
    assert errors == []
    assert clean["email"] == "ana.silva@example.org"
    assert clean["goals"] == ["HIRE", "FIND_INVESTORS"]
    assert clean["interests"] == ["ai", "payments"] and clean["years_experience"] == 12
    assert clean["allow_enrichment"] is True and clean["skills_needed"] == []


def test_invest_is_an_accepted_goal():
    assert columns_with_errors(goals="INVEST") == set()


def test_unknown_goal_is_reported_with_the_allowed_values():
    _, errors = validate_attendee({**GOOD, "goals": "WORLD_DOMINATION"})
    assert errors[0].column == "goals" and "GET_MENTORED" in errors[0].message


def test_invalid_email_is_reported():
    assert columns_with_errors(email="not-an-email") == {"email"}


def test_interests_must_have_between_one_and_ten_items():
    assert columns_with_errors(interests="") == {"interests"}
    assert columns_with_errors(interests=";".join(f"topic {i}" for i in range(11))) == {"interests"}


def test_bio_over_500_characters_is_reported():
    assert columns_with_errors(bio="x" * 501) == {"bio"}


def test_missing_required_name_is_reported():
    assert columns_with_errors(first_name="  ") == {"first_name"}


def test_years_of_experience_must_be_a_whole_number():
    assert columns_with_errors(years_experience="ten") == {"years_experience"}


def test_company_size_outside_the_enum_is_reported():
    assert columns_with_errors(company_size="huge") == {"company_size"}


def test_list_items_are_trimmed_and_deduplicated_case_insensitively():
    assert split_list(" AI ; ai;  machine   learning ;;") == ["AI", "machine learning"]
