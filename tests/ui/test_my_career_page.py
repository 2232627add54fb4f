"""The My career page under AppTest: a person with no alumni record, an alumnus before the first model run, their
stored predictions and advice, a learning path, alumni found by skills, and hostile text shown as typed."""
import json

import pytest

from core.accounts.accounts import create_account
from db.models import AdviceSource
from tests.integration.careers.test_overview import (
    add_alumnus,
    add_career_paths,
    add_model,
    add_person,
    add_prediction,
    add_skill_graph,
    prediction,
)
from tests.ui.conftest import page_app, texts
from ui.text import plain

PAGE = "pages/my_career.py"
EMAIL = "dana.lee@example.org"
TOP = [prediction("Data Scientist", 0.42, ("Python", "Machine Learning")), prediction("Senior Data Analyst", 0.3),
       prediction("Product Manager", 0.12, ("Negotiation",)), prediction("Data Engineer", 0.08),
       prediction("Head of Data", 0.04)]


@pytest.fixture
def attendee(db):
    """An attendee account whose person has the email `EMAIL`."""
    person = add_person(db, EMAIL.upper())
    create_account(db, actor_id=None, username="dana", email="dana@accounts.example", display_name="Dana Lee",
                   password="attendee-pass-1", roles=["attendee"], person_id=person)
    db.commit()
    return db


def test_a_person_who_is_no_alumnus_is_told_why_the_page_is_empty(attendee):
    at = page_app("dana", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "no alumni record with your email" in shown and "Your likely next roles" not in shown


def test_an_alumnus_before_the_first_model_run_is_told_when_predictions_appear(attendee):
    add_alumnus(attendee, EMAIL)
    attendee.commit()
    at = page_app("dana", PAGE)
    assert not at.exception
    assert any("Predictions appear after the nightly career model run" in i.value for i in at.info)
    assert any("Data Analyst" in m.value for m in at.markdown)


def test_an_alumnus_sees_five_predictions_with_their_gap_and_the_advice_labelled_as_ai(attendee):
    alumnus = add_alumnus(attendee, EMAIL)
    add_prediction(attendee, alumnus, EMAIL, TOP, model_id=add_model(attendee, 1), source=AdviceSource.LLM,
                   advice="Deepen your Python and machine learning.")
    attendee.commit()
    at = page_app("dana", PAGE)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "next role" in d.value.columns)
    assert list(table["next role"]) == [p["role"] for p in TOP]
    assert table["skills gap"][0] == "Python, Machine Learning" and table["alumni who made this move"][0] == 12
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert list(bars["y"]) == [p["role"] for p in TOP]
    assert any(m.value == plain("Deepen your Python and machine learning.") for m in at.markdown)
    assert any("Written by AI" in c.value for c in at.caption)


def test_template_advice_is_labelled_as_a_template(attendee):
    alumnus = add_alumnus(attendee, EMAIL)
    add_prediction(attendee, alumnus, EMAIL, TOP, advice="Learn Python.", source=AdviceSource.TEMPLATE)
    attendee.commit()
    at = page_app("dana", PAGE)
    assert any("template" in c.value for c in at.caption) and not any("Written by AI" in c.value for c in at.caption)


def test_hostile_advice_and_role_names_are_shown_as_typed(attendee):
    hostile = "<b>Evil</b> [click](http://evil.example) ![x](http://evil.example/x.png)"
    alumnus = add_alumnus(attendee, EMAIL, role=hostile)
    add_prediction(attendee, alumnus, EMAIL, [prediction(hostile, 0.5)], advice=hostile)
    attendee.commit()
    at = page_app("dana", PAGE)
    assert not at.exception
    markdown = "\n".join(m.value for m in at.markdown)
    assert "](http" not in markdown and "<b>" not in markdown and plain(hostile) in markdown
    bars = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec)["data"], ensure_ascii=False)
    assert "<b>Evil" not in bars and "&lt;b&gt;Evil" in bars


def test_the_learning_path_to_the_top_prediction_lists_missing_skills_with_courses(attendee):
    from db.models import CareerMove, CareerRoleSkill, SkillCourse

    alumnus = add_alumnus(attendee, EMAIL, skills=("SQL", "Excel"))
    mover = add_alumnus(attendee, "mover@example.org", name="Mo Ver", role="Data Scientist",
                        skills=("Python", "Machine Learning", "SQL"))
    add_career_paths(attendee)
    attendee.add_all([CareerRoleSkill(role="Data Scientist", skill="Python", mover_share=0.9, demand=0.8, priority=0.9),
                      CareerRoleSkill(role="Data Scientist", skill="Machine Learning", mover_share=0.7, demand=0.6,
                                      priority=0.7),
                      CareerRoleSkill(role="Data Scientist", skill="SQL", mover_share=0.8, demand=0.7, priority=0.8),
                      SkillCourse(skill="Python", course_name="Python for Data", completions=30, hours=40.0,
                                  hours_estimated=False),
                      CareerMove(alumnus_id=mover, from_role="Data Analyst", to_role="Data Scientist", months=24.0,
                                 moved_year=2022)])
    add_prediction(attendee, alumnus, EMAIL, TOP)
    attendee.commit()
    at = page_app("dana", PAGE)
    assert not at.exception
    assert at.selectbox(key="my_career_target").value == "Data Scientist"
    steps = next(d.value for d in at.dataframe if "courses" in d.value.columns)
    assert list(steps["skill"]) == ["Python", "Machine Learning"]
    assert "Python for Data (40 h)" in steps["courses"][0]
    assert "Alumni who made this move" in texts(at)


def test_alumni_found_by_skills_are_only_those_who_share_with_the_community(attendee):
    from db.models import AlumniVisibility

    add_skill_graph(attendee)
    add_alumnus(attendee, "open@example.org", name="Open Alumna", skills=("Python", "SQL"))
    add_alumnus(attendee, "closed@example.org", name="Closed Alumnus", skills=("Python", "SQL"),
                visibility=AlumniVisibility.ORGANIZERS)
    attendee.commit()
    at = page_app("dana", PAGE)
    at.multiselect(key="my_career_find_alumni").set_value(["Python", "SQL"]).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "matching skills" in d.value.columns)
    assert list(table["name"]) == ["Open Alumna"]
