"""The demo conference's career data: alumni histories, job postings, course completions, and the demo attendee's
own alumni record (real Postgres)."""
from __future__ import annotations

from sqlalchemy import func, select

from core.careers.paths import rebuild_career_paths
from core.demo.seed import seed_demo
from db.models import Account, Alumnus, CourseCompletion, JobPosting, Person
from db.models.careers import CareerTransition


def test_the_demo_attendee_is_also_a_community_alumnus_with_a_history(db, clock) -> None:
    seed_demo(db, clock=clock, attendees=40, alumni=30)
    person_id = db.scalar(select(Account.person_id).where(Account.username == "attendee"))
    email = db.get(Person, person_id).email
    alumnus = db.scalar(select(Alumnus).where(Alumnus.email == email))
    assert alumnus.visibility == "community" and alumnus.role_history
    assert alumnus.role_history[-1]["role"] == alumnus.current_role
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 30


def test_the_demo_has_job_postings_and_course_completions_by_its_alumni(db, clock) -> None:
    counts = seed_demo(db, clock=clock, attendees=40, alumni=200)
    assert counts["job postings"] == db.scalar(select(func.count()).select_from(JobPosting)) > 100
    assert counts["course completions"] == db.scalar(select(func.count()).select_from(CourseCompletion)) == 400
    strangers = db.scalar(select(func.count()).select_from(CourseCompletion).where(
        CourseCompletion.email.not_in(select(Alumnus.email))))
    assert strangers == 0


def test_the_demo_alumni_give_the_career_paths_transitions(db, clock) -> None:
    seed_demo(db, clock=clock, attendees=40, alumni=300)
    summary = rebuild_career_paths(db, clock=clock)
    assert summary["moves"] > 100
    assert db.scalar(select(CareerTransition.probability).where(
        CareerTransition.from_role == "Senior Product Manager", CareerTransition.to_role == "Head of Product")) > 0
