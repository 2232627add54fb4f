"""Unit tests for reading role histories into dated career steps (core.careers.histories)."""
from __future__ import annotations

from datetime import date

import pytest

from core.careers.histories import career_steps, current_family, months_between, parse_month, years_of_experience


@pytest.mark.parametrize(("value", "month"), [
    (2019, date(2019, 1, 1)), ("2019", date(2019, 1, 1)), ("2019-03", date(2019, 3, 1)),
    ("2019-03-15", date(2019, 3, 1)), ("03/2019", date(2019, 3, 1)), ("Mar 2019", date(2019, 3, 1)),
    ("September 2021", date(2021, 9, 1)), (2019.0, date(2019, 1, 1)),
])
def test_a_date_in_any_common_form_reads_as_its_month(value: object, month: date) -> None:
    assert parse_month(value) == month


@pytest.mark.parametrize("value", [None, "", "present", "Current", "soon", "2019-13", 12, True, [2019]])
def test_open_or_unreadable_dates_read_as_none(value: object) -> None:
    assert parse_month(value) is None


def test_months_between_counts_whole_months_and_refuses_a_reversed_order() -> None:
    assert months_between(date(2019, 3, 1), date(2021, 1, 1)) == 22
    assert months_between(date(2021, 1, 1), date(2019, 3, 1)) is None
    assert months_between(None, date(2019, 3, 1)) is None


def test_a_history_becomes_family_steps_ending_in_the_open_current_role() -> None:
    history = [{"company": "A", "role": "Jr. Data Analyst", "from": "2018-06", "to": "2019-12"},
               {"company": "B", "role": "Data Analyst - Marketing", "from": "2019-12", "to": "2022-03"}]
    steps = career_steps(history, "Sr. Data Scientist II", "C")
    assert [(s.family, s.start, s.end, s.company) for s in steps] == [
        ("Junior Data Analyst", date(2018, 6, 1), date(2019, 12, 1), "A"),
        ("Data Analyst", date(2019, 12, 1), date(2022, 3, 1), "B"),
        ("Senior Data Scientist", date(2022, 3, 1), None, "C")]


def test_a_history_that_already_ends_in_the_current_role_does_not_repeat_it() -> None:
    history = [{"role": "Software Developer", "from": 2015, "to": 2018},
               {"role": "Senior Software Engineer", "from": 2018, "to": "present"}]
    steps = career_steps(history, "Sr. Software Engineer")
    assert [s.family for s in steps] == ["Software Engineer", "Senior Software Engineer"]
    assert steps[-1].end is None


def test_unsorted_entries_with_title_keys_and_junk_are_sorted_and_skipped() -> None:
    history = [{"title": "Product Manager", "start": "2020-01-05"}, "junk", {"role": ""}, {"company": "X"},
               {"title": "Programmer", "start": "2016-02", "end": "2020-01"}, 42, {"role": None, "from": 2010}]
    steps = career_steps(history, None)
    assert [(s.family, s.start, s.end) for s in steps] == [
        ("Software Engineer", date(2016, 2, 1), date(2020, 1, 1)), ("Product Manager", date(2020, 1, 1), None)]


def test_a_missing_end_is_the_next_start() -> None:
    steps = career_steps([{"role": "Data Analyst", "from": 2017}, {"role": "Data Scientist", "from": 2020}], None)
    assert steps[0].end == date(2020, 1, 1)


def test_consecutive_steps_in_one_family_merge_into_one_stretch() -> None:
    steps = career_steps([{"role": "Software Engineer", "from": 2015, "to": 2017},
                          {"role": "Software Developer II", "from": 2017, "to": 2019},
                          {"role": "Engineering Manager", "from": 2019}], None)
    assert [(s.family, s.start, s.end) for s in steps] == [
        ("Software Engineer", date(2015, 1, 1), date(2019, 1, 1)), ("Engineering Manager", date(2019, 1, 1), None)]


def test_a_history_that_is_not_a_list_leaves_only_the_current_role() -> None:
    steps = career_steps({"role": "x"}, "Data Analyst")
    assert [(s.family, s.start) for s in steps] == [("Data Analyst", None)]
    assert career_steps(None, None) == []


def test_years_of_experience_count_from_the_first_dated_step() -> None:
    steps = career_steps([{"role": "Data Analyst", "from": "2016-11"}], "Data Scientist")
    assert years_of_experience(steps, date(2026, 11, 1)) == pytest.approx(10.0, abs=0.01)
    assert years_of_experience(career_steps(None, "Data Analyst"), date(2026, 1, 1)) is None


def test_the_current_family_is_the_current_role_when_the_history_ends_in_an_open_earlier_role():
    steps = career_steps([{"role": "Data Analyst", "from": 2018}], "Data Scientist")
    assert current_family(steps, "Data Scientist") == "Data Scientist"


def test_the_current_family_is_the_current_role_when_every_step_has_ended():
    steps = career_steps([{"role": "Data Analyst", "from": 2018, "to": 2020}], None)
    assert current_family(steps, "Sr. Data Scientist") == "Senior Data Scientist"
