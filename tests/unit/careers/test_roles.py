"""Unit tests for the job-title rule (core.careers.roles)."""
from __future__ import annotations

import pytest

from core.careers.roles import role_family
from core.demo.careers import TITLE_SUFFIXES, TITLES
from core.demo.vocabulary import ROLES

REAL_TITLES = [
    ("Sr. Software Engineer II", "Senior Software Engineer"),
    ("Snr Software Engineer", "Senior Software Engineer"),
    ("Senior Software Engineer – Payments", "Senior Software Engineer"),
    ("Software Engineer Level 2", "Software Engineer"),
    ("SDE II", "Software Engineer"),
    ("SWE", "Software Engineer"),
    ("Software Developer", "Software Engineer"),
    ("Programmer", "Software Engineer"),
    ("Full-Stack Developer (Remote)", "Software Engineer"),
    ("Frontend Dev", "Software Engineer"),
    ("Software Engineer @ Google", "Software Engineer"),
    ("software engineer at Acme", "Software Engineer"),
    ("Jr. Software Engineer", "Junior Software Engineer"),
    ("Graduate Software Engineer", "Junior Software Engineer"),
    ("Staff Engineer", "Staff Software Engineer"),
    ("Principal Engineer", "Principal Software Engineer"),
    ("Tech Lead", "Lead Software Engineer"),
    ("Eng Mgr", "Engineering Manager"),
    ("Manager, Software Engineering, EMEA", "Engineering Manager"),
    ("Senior Eng Manager", "Senior Engineering Manager"),
    ("Engineering Director", "Director of Engineering"),
    ("Director, Engineering", "Director of Engineering"),
    ("Vice President of Engineering", "VP of Engineering"),
    ("VP Engineering", "VP of Engineering"),
    ("Sr. Data Analyst II", "Senior Data Analyst"),
    ("SENIOR DATA ANALYST", "Senior Data Analyst"),
    ("Data Analyst - Marketing", "Data Analyst"),
    ("Data Analyst | Finance", "Data Analyst"),
    ("BI Analyst", "Data Analyst"),
    ("Business Intelligence Analyst, APAC", "Data Analyst"),
    ("Data Scientist III", "Data Scientist"),
    ("Applied Scientist", "Data Scientist"),
    ("Data Scientist Lead", "Lead Data Scientist"),
    ("ML Engineer", "Machine Learning Engineer"),
    ("MLE L4", "Machine Learning Engineer"),
    ("ETL Developer (Contract)", "Data Engineer"),
    ("Head of Data Science", "Head of Data"),
    ("Head of Analytics", "Head of Data"),
    ("PM", "Product Manager"),
    ("Product Owner", "Product Manager"),
    ("Sr. PM", "Senior Product Manager"),
    ("Manager, Product Management", "Product Manager"),
    ("VP, Product", "VP of Product"),
    ("UI/UX Designer", "Product Designer"),
    ("CTO", "Chief Technology Officer"),
    ("Founder & CEO", "Founder"),
    ("Editor-in-Chief", "Editor-in-Chief"),
    ("MSc Student", "MSc Student"),
    ("procurement lead", "Procurement Lead"),
]


@pytest.mark.parametrize(("title", "family"), REAL_TITLES)
def test_a_real_looking_title_normalises_to_its_family(title: str, family: str) -> None:
    assert role_family(title) == family


@pytest.mark.parametrize("title", [None, "", "   "])
def test_no_title_has_no_family(title: str | None) -> None:
    assert role_family(title) is None


def test_every_generated_title_with_every_suffix_normalises_to_its_planted_family() -> None:
    wrong = [(title + suffix, family, role_family(title + suffix))
             for family, titles in TITLES.items() for title in titles for suffix in ("", *TITLE_SUFFIXES)
             if role_family(title + suffix) != family]
    assert wrong == []


def test_the_demo_role_titles_keep_their_seniority_and_merge_nothing_unrelated() -> None:
    families = {template.title: role_family(template.title) for template in ROLES}
    assert families["Senior Software Engineer"] == "Senior Software Engineer"
    assert families["Junior Data Analyst"] == "Junior Data Analyst"
    assert families["Sales Director"] == "Director of Sales"
    assert families["Bootcamp Graduate"] == "Bootcamp Graduate"
    assert all(family for family in families.values())


def test_a_family_is_a_fixed_point_of_the_rule() -> None:
    for family in TITLES:
        assert role_family(role_family(family)) == family
