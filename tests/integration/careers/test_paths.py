"""Career paths rebuilt from a generated community with planted rules (real Postgres): the stored transition
matrix, time in role, common skills, role statistics, role-skill priorities and the course index recover them."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.careers.paths import DEMAND_WEIGHT, MOVER_WEIGHT, export_transitions_csv, rebuild_career_paths
from core.careers.roles import role_family
from core.demo.careers import (
    COURSES,
    PLANTED_MEAN_MONTHS,
    PLANTED_SKILL_RULE,
    PLANTED_TRANSITIONS,
    CareerCommunity,
    generate_career_community,
    store_career_community,
)
from core.knowledge.skill_names import skill_key
from core.platform.clock import FixedClock
from db.models.careers import CareerMove, CareerRole, CareerRoleSkill, CareerTransition, SkillCourse
from tests.conftest import FIXED_NOW, empty_database


@dataclass
class Built:
    session: Session
    community: CareerCommunity
    summary: dict


@pytest.fixture(scope="module")
def built(engine):
    empty_database(engine)
    community = generate_career_community(alumni=20000, postings=4000, completions=6000, seed=11)
    with Session(engine, expire_on_commit=False) as session:
        store_career_community(session, community, FIXED_NOW)
        summary = rebuild_career_paths(session, clock=FixedClock(FIXED_NOW))
        session.commit()
        yield Built(session, community, summary)
    empty_database(engine)


def transitions(session: Session) -> dict[tuple[str, str], CareerTransition]:
    return {(row.from_role, row.to_role): row for row in session.scalars(select(CareerTransition))}


def test_the_stored_matrix_recovers_every_planted_transition_within_five_points(built: Built) -> None:
    stored = transitions(built.session)
    misses = {(before, after): (planted, stored[(before, after)].probability if (before, after) in stored else None)
              for before, weights in PLANTED_TRANSITIONS.items() for after, planted in weights.items()
              if (before, after) not in stored or abs(stored[(before, after)].probability - planted) > 0.05}
    assert misses == {}


def test_no_transition_appears_that_was_not_planted(built: Built) -> None:
    assert {pair for pair in transitions(built.session)} <= {
        (before, after) for before, weights in PLANTED_TRANSITIONS.items() for after in weights}


def test_probabilities_out_of_each_role_sum_to_one(built: Built) -> None:
    sums = built.session.execute(select(CareerTransition.from_role, func.sum(CareerTransition.probability))
                                 .group_by(CareerTransition.from_role)).all()
    assert sums and all(total == pytest.approx(1.0, abs=1e-5) for _, total in sums)


def test_mean_months_in_a_role_recover_the_planted_stay_within_ten_percent(built: Built) -> None:
    roles = {row.role: row for row in built.session.scalars(select(CareerRole))}
    for role, months in PLANTED_MEAN_MONTHS.items():
        assert roles[role].mean_months_in_role == pytest.approx(months, rel=0.10), role
    for row in transitions(built.session).values():
        assert row.mean_months == pytest.approx(PLANTED_MEAN_MONTHS[row.from_role], rel=0.10)


def test_moves_count_consecutive_family_changes_of_the_histories(built: Built) -> None:
    expected = sum(len(row["role_history"]) - 1 for row in built.community.alumni)
    assert built.session.scalar(select(func.count()).select_from(CareerMove)) == expected == built.summary["moves"]


def test_the_rule_skill_is_a_common_skill_of_the_move_it_favours(built: Built) -> None:
    rule = PLANTED_SKILL_RULE
    assert rule.skill in transitions(built.session)[(rule.from_role, rule.to_role)].common_skills


def test_common_skills_are_held_by_at_least_thirty_percent_of_the_movers_most_held_first(built: Built) -> None:
    for row in transitions(built.session).values():
        assert 1 <= len(row.common_skills) <= 8


def test_role_statistics_count_current_holders_and_movers(built: Built) -> None:
    roles = {row.role: row for row in built.session.scalars(select(CareerRole))}
    holders = Counter(role_family(row["current_role"]) for row in built.community.alumni)
    assert {role: row.alumni_count for role, row in roles.items() if row.alumni_count} == dict(holders)
    moves_in = Counter(to for _, to in built.session.execute(select(CareerMove.from_role, CareerMove.to_role)))
    assert {role: row.movers_in for role, row in roles.items() if row.movers_in} == dict(moves_in)


def test_mean_years_of_experience_count_from_the_first_role(built: Built) -> None:
    role = "Director of Engineering"
    years = [(FIXED_NOW.date() - date.fromisoformat(row["role_history"][0]["from"] + "-01")
              ).days / 365.25 for row in built.community.alumni if role_family(row["current_role"]) == role]
    stored = built.session.get(CareerRole, role).mean_years_experience
    assert stored == pytest.approx(statistics.mean(years), abs=0.01)


def test_a_roles_required_skills_are_those_of_at_least_a_tenth_of_its_holders_most_common_first(
        built: Built) -> None:
    holders = [row for row in built.community.alumni if role_family(row["current_role"]) == "Data Engineer"]
    counts = Counter(key for row in holders for key in set(row["skill_keys"]))
    expected = [key for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 0.1 * len(holders)]
    stored = built.session.get(CareerRole, "Data Engineer").required_skills
    assert [skill_key(label) for label in stored] == expected[:8]


def test_role_skill_priority_is_the_documented_mix_of_mover_share_and_demand(built: Built) -> None:
    rows = built.session.scalars(select(CareerRoleSkill)).all()
    assert rows
    for row in rows:
        assert row.priority == pytest.approx(MOVER_WEIGHT * row.mover_share + DEMAND_WEIGHT * row.demand, abs=1e-5)


def test_role_skill_demand_is_the_share_of_the_roles_postings_asking_for_it(built: Built) -> None:
    postings = [row for row in built.community.postings if role_family(row["title"]) == "Data Scientist"]
    asked = sum(any(skill_key(s) == "python" for s in row["skills"]) for row in postings) / len(postings)
    stored = built.session.get(CareerRoleSkill, ("Data Scientist", "Python"))
    assert stored.demand == pytest.approx(asked, abs=1e-4)


def test_machine_learning_ranks_high_for_becoming_a_data_scientist(built: Built) -> None:
    ranked = built.session.scalars(select(CareerRoleSkill.skill).where(CareerRoleSkill.role == "Data Scientist")
                                   .order_by(CareerRoleSkill.priority.desc())).all()
    assert "Machine Learning" in ranked[:3]
    assert len(ranked) <= 20


def test_a_course_with_stated_durations_takes_their_median(built: Built) -> None:
    row = built.session.get(SkillCourse, ("SQL", "SQL for Data Analysis"))
    assert (row.hours, row.hours_estimated) == (COURSES["SQL for Data Analysis"][1], False)
    taken = sum(1 for row in built.community.completions if row["course_name"] == "SQL for Data Analysis")
    assert row.completions == taken


def test_a_course_without_durations_is_estimated_from_the_hours_per_skill_of_the_others(built: Built) -> None:
    per_skill = statistics.median(hours / len({skill_key(s) for s in skills})
                                  for skills, hours in COURSES.values() if hours is not None)
    row = built.session.get(SkillCourse, ("Statistics", "Statistics for Data Science"))
    assert (row.hours, row.hours_estimated) == (round(per_skill, 1), True)
    two_skills = built.session.get(SkillCourse, ("Deep Learning", "Deep Learning Specialization"))
    assert two_skills.hours == round(2 * per_skill, 1)


def test_every_skill_a_course_teaches_lists_it(built: Built) -> None:
    courses = built.session.scalars(select(SkillCourse.course_name).where(SkillCourse.skill == "Machine Learning"))
    assert "Machine Learning Foundations" in set(courses)


def test_the_export_lists_every_transition_under_the_exact_header(built: Built) -> None:
    lines = export_transitions_csv(built.session).splitlines()
    assert lines[0] == "from_role,to_role,count,probability,mean_months"
    assert len(lines) - 1 == len(transitions(built.session))
