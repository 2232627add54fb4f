"""The alumni visibility, posting date and course hours columns of the alumni, job-market and educational uploads."""
from datetime import date

from core.alumni.alumni import validate_alumnus
from core.alumni.educational import validate_completion
from core.alumni.job_market import validate_posting


def test_an_alumnus_without_a_visibility_cell_is_visible_to_organizers_only():
    row, errors = validate_alumnus({"email": "a@x.io", "name": "Ana"})
    assert errors == [] and row["visibility"] == "organizers"


def test_visibility_words_people_write_map_to_the_three_levels():
    seen = {word: validate_alumnus({"email": "a@x.io", "name": "Ana", "visibility": word})[0]["visibility"]
            for word in ("Public", "community", "members", "Organisers", "private", "hidden")}
    assert seen == {"Public": "community", "community": "community", "members": "community",
                    "Organisers": "organizers", "private": "hidden", "hidden": "hidden"}


def test_an_unknown_visibility_is_a_row_error_naming_the_choices():
    row, errors = validate_alumnus({"email": "a@x.io", "name": "Ana", "visibility": "friends"})
    assert row is None and errors[0].column == "visibility"
    assert "community, organizers, hidden" in errors[0].message


def test_a_posting_date_is_read_and_a_bad_one_is_a_row_error():
    row, _ = validate_posting({"job_title": "Data Analyst", "posted_date": "2024-03-05"})
    assert row["posted_on"] == date(2024, 3, 5)
    assert validate_posting({"job_title": "Data Analyst"})[0]["posted_on"] is None
    row, errors = validate_posting({"job_title": "Data Analyst", "posted_date": "soon"})
    assert row is None and errors[0].column == "posted_date"


def test_course_hours_are_read_with_or_without_a_unit():
    for cell in ("12", "12h", "12 hours", "12.0"):
        row, errors = validate_completion({"student_id": "s1", "course_name": "SQL", "duration_hours": cell})
        assert errors == [] and row["duration_hours"] == 12.0


def test_course_hours_that_are_not_a_positive_number_are_a_row_error():
    for cell in ("-3", "0", "lots", "5000"):
        row, errors = validate_completion({"student_id": "s1", "course_name": "SQL", "duration_hours": cell})
        assert row is None and errors[0].column == "duration_hours"
