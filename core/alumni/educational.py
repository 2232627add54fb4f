"""Educational uploads (seed 003's schema): course completions with grades, dates and skills learned."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from core.ingest.fields import FieldError, column_limits, is_email, shown, split_list
from core.ingest.pipeline import DatasetKind
from core.ingest.tabular import parse_datetime
from db.bulk import upsert_rows
from db.models import CourseCompletion

REQUIRED_COLUMNS = ["student_id", "course_name"]
OPTIONAL_COLUMNS = ["email", "grade", "completion_date", "skills_learned", "instructor", "duration_hours"]
COLUMN_SYNONYMS = {
    "student": "student_id", "student_number": "student_id", "learner_id": "student_id", "id": "student_id",
    "e_mail": "email", "email_address": "email",
    "course": "course_name", "course_title": "course_name", "subject": "course_name",
    "mark": "grade", "result": "grade",
    "completed": "completion_date", "completed_on": "completion_date", "date": "completion_date",
    "skills": "skills_learned", "skills_gained": "skills_learned",
    "teacher": "instructor", "lecturer": "instructor", "professor": "instructor",
    "hours": "duration_hours", "duration": "duration_hours", "course_hours": "duration_hours",
}
GRADE = re.compile(r"^(?:[A-F][+-]?|\d{1,3}(?:\.\d+)?%?|pass|fail|p|f)$", re.I)
STORED = ("student_id", "email", "course_name", "grade", "completion_date", "skills_learned", "instructor",
          "duration_hours")
# Each cell's limit: the course_completions table's column sizes, and a short one for the date.
CELL_LIMITS = {**column_limits(CourseCompletion, ["student_id", "email", "course_name", "grade", "instructor"]),
               "completion_date": 64, "duration_hours": 20}


def validate_completion(values: dict[str, str]) -> tuple[dict | None, list]:
    """One course row -> a clean completion, or what is wrong with it."""
    errors: list[FieldError] = []
    student = values.get("student_id", "").strip()
    course = " ".join(values.get("course_name", "").split())
    email = values.get("email", "").strip().lower()
    grade = values.get("grade", "").strip()
    if not student:
        errors.append(FieldError("student_id", "is empty"))
    if not course:
        errors.append(FieldError("course_name", "is empty"))
    if email and not is_email(email):
        errors.append(FieldError("email", f"'{shown(email)}' is not an email address"))
    if grade and not GRADE.match(grade):
        errors.append(FieldError("grade", f"'{shown(grade)}' is not a grade (A–F with +/-, a score, or pass/fail)"))
    hours = None
    if values.get("duration_hours", "").strip():
        try:
            hours = float(values["duration_hours"].strip().lower().removesuffix("h").removesuffix("hours"))
        except ValueError:
            hours = -1.0
        if not 0 < hours <= 2000:
            errors.append(FieldError("duration_hours", f"'{shown(values['duration_hours'])}' is not a number of "
                                                       "hours between 0 and 2000"))
    completed = parse_datetime(values.get("completion_date", ""))
    if values.get("completion_date", "").strip() and completed is None:
        errors.append(FieldError("completion_date", f"'{shown(values['completion_date'])}' is not a date"))
    if errors:
        return None, errors
    return {"student_id": student[:120], "email": email or None, "course_name": course[:300],
            "grade": grade.upper()[:10] or None, "completion_date": completed.date() if completed else None,
            "skills_learned": split_list(values.get("skills_learned", "").replace(",", ";"))[:50],
            "instructor": " ".join(values.get("instructor", "").split())[:200] or None, "duration_hours": hours}, []


def store_completions(session: Session, event_id: int | None, rows: list[dict], now) -> dict[str, int]:
    """Upsert by student and course."""
    inserted, updated = upsert_rows(session, "course_completions", ("student_id", "course_name"), STORED,
                                    ([row[c] for c in STORED] for row in rows))
    return {"inserted": inserted, "updated": updated, "unchanged": len(rows) - inserted - updated}


EDUCATIONAL_UPLOAD = DatasetKind(
    name="educational",
    label="Educational (course completions)",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    synonyms=COLUMN_SYNONYMS,
    validate=validate_completion,
    key=lambda row: f"{row['student_id']} / {row['course_name']}",
    store=store_completions,
    needs_event=False,
    limits=CELL_LIMITS,
    follow_up_jobs=("skill-graph", "career-model"),
    hint="skills_learned may be separated by ';' or ','. duration_hours, when given, sets each course's time "
         "estimate in learning paths.",
)
