"""Learning paths from stored career paths (real Postgres): missing skills by priority, courses, hours, and the
alumni who made the same move."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.careers.alumni_search import match_alumni
from core.careers.learning_path import learning_path, priority_label
from core.careers.paths import rebuild_career_paths
from core.careers.results import AlumniViewer
from core.careers.roles import role_family
from core.demo.careers import PLANTED_SKILL_RULE, generate_career_community, store_career_community
from core.knowledge.skill_names import skill_key
from core.platform.clock import FixedClock
from db.models import Alumnus
from db.models.careers import CareerMove, CareerRoleSkill, SkillCourse
from tests.conftest import FIXED_NOW, empty_database

ATTENDEE = AlumniViewer(person_id=None)
ORGANIZER = AlumniViewer(person_id=None, organizer_view=True)


@pytest.fixture(scope="module")
def db(engine):
    """A community of 3000 with built career paths, shared by this module's tests (which leave it unchanged)."""
    empty_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        store_career_community(session, generate_career_community(alumni=3000, postings=600, completions=2500,
                                                                  seed=9), FIXED_NOW)
        rebuild_career_paths(session, clock=FixedClock(FIXED_NOW))
        session.commit()
        yield session
        session.rollback()
    empty_database(engine)


@pytest.fixture(scope="module")
def analyst(db) -> Alumnus:
    """An analyst without machine-learning skills."""
    for row in db.scalars(select(Alumnus).order_by(Alumnus.id)):
        if role_family(row.current_role) == "Data Analyst" and PLANTED_SKILL_RULE.skill not in row.skills:
            return row
    raise AssertionError("the community has no analyst without machine learning")


def test_the_steps_are_the_targets_skills_the_alumnus_lacks_highest_priority_first(db, analyst) -> None:
    path = learning_path(db, alumnus_id=analyst.id, target_role="Sr. Data Scientist - Growth", viewer=ATTENDEE)
    stored = db.scalars(select(CareerRoleSkill).where(CareerRoleSkill.role == "Senior Data Scientist")
                        .order_by(CareerRoleSkill.priority.desc(), CareerRoleSkill.skill)).all()
    held = set(analyst.skill_keys)
    assert (path.current_role, path.target_role) == ("Data Analyst", "Senior Data Scientist")
    assert [step.skill for step in path.steps] == [row.skill for row in stored if skill_key(row.skill) not in held]
    assert all(skill_key(step.skill) not in held for step in path.steps)
    assert [priority_label(row.priority) for row in stored if skill_key(row.skill) not in held] == [
        step.priority for step in path.steps]


def test_machine_learning_is_a_high_priority_step_towards_data_scientist(db, analyst) -> None:
    path = learning_path(db, alumnus_id=analyst.id, target_role="Data Scientist", viewer=ATTENDEE)
    step = next(step for step in path.steps if step.skill == "Machine Learning")
    assert step.priority == "high" and step.mover_share > 0.5


def test_each_step_offers_up_to_three_courses_most_completed_first(db, analyst) -> None:
    path = learning_path(db, alumnus_id=analyst.id, target_role="Data Scientist", viewer=ATTENDEE)
    step = next(step for step in path.steps if step.skill == "Machine Learning")
    courses = db.scalars(select(SkillCourse).where(SkillCourse.skill == "Machine Learning")
                         .order_by(SkillCourse.completions.desc())).all()
    assert [c.course_name for c in step.courses] == [c.course_name for c in courses][:3]
    assert all(len(s.courses) <= 3 for s in path.steps)
    assert [c.completions for c in step.courses] == sorted((c.completions for c in step.courses), reverse=True)


def test_total_hours_add_up_the_first_course_of_every_step(db, analyst) -> None:
    path = learning_path(db, alumnus_id=analyst.id, target_role="Data Scientist", viewer=ATTENDEE)
    assert path.total_hours == pytest.approx(sum(s.courses[0].hours for s in path.steps if s.courses))
    assert path.total_hours > 0


def test_movers_are_counted_from_the_alumnus_role_and_only_visible_ones_are_listed(db, analyst) -> None:
    ids = set(db.scalars(select(CareerMove.alumnus_id).where(CareerMove.from_role == "Data Analyst",
                                                             CareerMove.to_role == "Data Scientist")))
    path = learning_path(db, alumnus_id=analyst.id, target_role="Data Scientist", viewer=ATTENDEE)
    assert path.movers_count == len(ids - {analyst.id})
    assert 0 < len(path.movers) <= 5
    for match in path.movers:
        assert match.alumnus_id in ids
        assert db.get(Alumnus, match.alumnus_id).visibility == "community"


def test_the_listed_movers_are_the_best_skill_matches_among_all_movers(db, analyst) -> None:
    ids = list(db.scalars(select(CareerMove.alumnus_id).where(CareerMove.from_role == "Data Analyst",
                                                              CareerMove.to_role == "Data Scientist").distinct()))
    top = db.scalars(select(CareerRoleSkill.skill).where(CareerRoleSkill.role == "Data Scientist")
                     .order_by(CareerRoleSkill.priority.desc(), CareerRoleSkill.skill).limit(5)).all()
    path = learning_path(db, alumnus_id=analyst.id, target_role="Data Scientist", viewer=ATTENDEE)
    assert path.movers == match_alumni(db, list(top), viewer=ATTENDEE, among=ids, limit=5)


def test_an_organizer_also_sees_movers_visible_to_organizers(db, analyst) -> None:
    organizer = learning_path(db, alumnus_id=analyst.id, target_role="Data Scientist", viewer=ORGANIZER)
    visibilities = {db.get(Alumnus, m.alumnus_id).visibility for m in organizer.movers}
    assert visibilities <= {"community", "organizers"}


def test_a_target_without_data_gives_an_empty_path(db, analyst) -> None:
    path = learning_path(db, alumnus_id=analyst.id, target_role="Chief Happiness Officer", viewer=ATTENDEE)
    assert (path.steps, path.total_hours, path.movers_count, path.movers) == ([], 0.0, 0, [])
    assert path.current_role == "Data Analyst" and path.current_skills


def test_an_alumnus_without_a_known_role_counts_movers_from_any_role(db) -> None:
    newcomer = Alumnus(email="new@x.org", name="New Comer", skills=["SQL"], skill_keys=["sql"])
    db.add(newcomer)
    db.flush()
    ids = set(db.scalars(select(CareerMove.alumnus_id).where(CareerMove.to_role == "Head of Data")))
    path = learning_path(db, alumnus_id=newcomer.id, target_role="Head of Data", viewer=ATTENDEE)
    db.rollback()
    assert path.current_role is None and path.movers_count == len(ids)
