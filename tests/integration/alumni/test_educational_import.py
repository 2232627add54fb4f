"""Educational uploads on a real Postgres: course completions, bad rows, rejected files, reloads."""
from datetime import date

from sqlalchemy import func, select

from core.jobs.uploads import import_dataset
from db.models import CourseCompletion

HEADER = "Student ID,Email,Course,Grade,Completed On,Skills,Instructor\n"


def load(db, clock, data: bytes):
    return import_dataset(db, kind="educational", data=data, filename="courses.csv", event_slug=None, actor_id=None,
                          clock=clock, max_mb=5)


def test_course_completions_load_with_dates_grades_and_skills(db, clock):
    report = load(db, clock, (HEADER + 'STD001,student@edu.com,Machine Learning,A,2024-05-15,"Python,TensorFlow",'
                                       "Dr. Smith\n").encode())
    assert report.ok and report.inserted == 1
    row = db.scalar(select(CourseCompletion))
    assert (row.grade, row.completion_date, row.skills_learned) == ("A", date(2024, 5, 15), ["Python", "TensorFlow"])


def test_bad_rows_are_reported_and_the_good_ones_load(db, clock):
    data = (HEADER + "STD001,,Statistics,B+,15/05/2024,,\n" + ",x@edu.com,Statistics,A,,,\n"
            + "STD003,,Statistics,excellent,,,\n" + "STD004,,Statistics,A,someday,,\n").encode()
    report = load(db, clock, data)
    assert report.rows_valid == 1
    assert [(p.line, p.column) for p in report.problems] == [(3, "student_id"), (4, "grade"), (5, "completion_date")]


def test_a_file_without_courses_is_rejected_and_nothing_is_written(db, clock):
    report = load(db, clock, b"student_id,grade\nSTD1,A\n")
    assert not report.ok and "course_name" in report.message
    assert db.scalar(select(func.count()).select_from(CourseCompletion)) == 0


def test_reloading_changes_nothing_and_a_new_grade_updates_the_row(db, clock):
    data = (HEADER + "STD001,,Statistics,B,2024-05-15,,\n").encode()
    load(db, clock, data)
    assert (load(db, clock, data).unchanged, load(db, clock, data.replace(b",B,", b",A,")).updated) == (1, 1)
