"""A learning path from an alumnus's current role to a target role: the missing skills by priority, courses that
teach them with a time estimate, and alumni who made the same move."""
from __future__ import annotations

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from core.careers.alumni_search import match_alumni, visible_alumni
from core.careers.histories import career_steps, current_family
from core.careers.results import AlumniViewer, CourseOption, LearningPath, LearningStep
from core.careers.roles import role_family
from core.careers.skill_labels import SkillLabels
from core.knowledge.skill_names import skill_key, skill_keys
from db.models import Alumnus
from db.models.careers import CareerMove, CareerRoleSkill, SkillCourse

HIGH_PRIORITY = 0.45  # priority (core/careers/paths.py) at or above: "high"
MEDIUM_PRIORITY = 0.20  # at or above: "medium"; below: "low"
COURSES_PER_STEP = 3
MOVERS_SHOWN = 5
MOVER_SEARCH_SKILLS = 5  # the target role's top skills the similar movers are matched on
MOVER_CANDIDATES = 300  # movers ranked by the skill match, those holding the most of those skills exactly


def priority_label(priority: float) -> str:
    """'high', 'medium' or 'low' for a role-skill priority."""
    if priority >= HIGH_PRIORITY:
        return "high"
    return "medium" if priority >= MEDIUM_PRIORITY else "low"


def _courses(session: Session, skills: list[str]) -> dict[str, list[CourseOption]]:
    by_skill: dict[str, list[CourseOption]] = {}
    rows = session.scalars(select(SkillCourse).where(SkillCourse.skill.in_(skills)).order_by(
        SkillCourse.skill, SkillCourse.completions.desc(), SkillCourse.hours, SkillCourse.course_name))
    for row in rows:
        options = by_skill.setdefault(row.skill, [])
        if len(options) < COURSES_PER_STEP:
            options.append(CourseOption(row.course_name, row.hours, row.hours_estimated, row.completions))
    return by_skill


def learning_path(session: Session, *, alumnus_id: int, target_role: str, viewer: AlumniViewer) -> LearningPath:
    """The skills the alumnus lacks for the target role (highest priority first) with up to three courses each
    (most completed first), the hours of the first course of every step, and the alumni who moved from the
    alumnus's role (any role when it is unknown) to the target that the viewer may see. A target without data
    gives an empty path."""
    alumnus = session.get(Alumnus, alumnus_id)
    if alumnus is None:
        raise LookupError(f"no alumnus with id {alumnus_id}")
    target = role_family(target_role) or " ".join((target_role or "").split())
    current = current_family(career_steps(alumnus.role_history, alumnus.current_role, alumnus.current_company),
                             alumnus.current_role)
    keys = list(alumnus.skill_keys or []) or skill_keys(list(alumnus.skills or []))
    label = SkillLabels(session, keys)
    current_skills = [label(k) for k in keys]
    held = set(keys)
    role_skills = session.scalars(select(CareerRoleSkill).where(CareerRoleSkill.role == target).order_by(
        CareerRoleSkill.priority.desc(), CareerRoleSkill.skill)).all()
    missing = [row for row in role_skills if skill_key(row.skill) not in held]
    courses = _courses(session, [row.skill for row in missing])
    steps = [LearningStep(skill=row.skill, priority=priority_label(row.priority), mover_share=row.mover_share,
                          demand=row.demand, courses=courses.get(row.skill, [])) for row in missing]
    query = select(CareerMove.alumnus_id).where(CareerMove.to_role == target, CareerMove.alumnus_id != alumnus_id)
    if current is not None:
        query = query.where(CareerMove.from_role == current)
    movers_of = query.distinct().subquery()
    movers_count = session.scalar(select(func.count()).select_from(movers_of)) or 0
    search = [row.skill for row in role_skills[:MOVER_SEARCH_SKILLS]]
    movers = match_alumni(session, skills=search, viewer=viewer, limit=MOVERS_SHOWN,
                          among=_candidates(session, movers_of, search, viewer)) if movers_count and search else []
    return LearningPath(current_role=current, target_role=target, current_skills=current_skills, steps=steps,
                        total_hours=round(sum(step.courses[0].hours for step in steps if step.courses), 1),
                        movers_count=movers_count, movers=movers)


def _candidates(session: Session, movers_of, skills: list[str], viewer: AlumniViewer) -> list[int]:
    """The visible movers holding the most of the skills exactly (at most MOVER_CANDIDATES), so the skill match
    ranks hundreds rather than every mover of a popular move."""
    keys = [key for key in dict.fromkeys(map(skill_key, skills)) if key]
    exact = sum((case((Alumnus.skill_keys.contains([key]), 1), else_=0) for key in keys), literal(0))
    return list(session.scalars(select(Alumnus.id).where(Alumnus.id.in_(select(movers_of.c.alumnus_id)),
                                                         visible_alumni(viewer))
                                .order_by(exact.desc(), Alumnus.name, Alumnus.id).limit(MOVER_CANDIDATES)))
