"""Alumni uploads (seed 003's schema): validation, cleaning of messy exports, offline geocoding, bulk upsert."""
from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy.orm import Session

from core.ingest.fields import FieldError, column_limits, is_email, shown, split_list
from core.ingest.pipeline import DatasetKind
from core.knowledge.geocode import locate_rows
from core.knowledge.skill_names import skill_keys
from db.bulk import upsert_rows
from db.models import AlumniVisibility, Alumnus

REQUIRED_COLUMNS = ["email", "name"]
OPTIONAL_COLUMNS = ["batch_year", "department", "current_company", "current_role", "industry", "location", "skills",
                    "linkedin_url", "role_history", "visibility"]
COLUMN_SYNONYMS = {
    "e_mail": "email", "email_address": "email", "mail": "email",
    "full_name": "name", "alumni_name": "name",
    "batch": "batch_year", "graduation_year": "batch_year", "class_of": "batch_year", "year": "batch_year",
    "dept": "department", "major": "department", "program": "department",
    "company": "current_company", "employer": "current_company", "organisation": "current_company",
    "organization": "current_company",
    "role": "current_role", "job_title": "current_role", "title": "current_role", "position": "current_role",
    "sector": "industry",
    "city": "location", "current_location": "location", "based_in": "location",
    "linkedin": "linkedin_url", "linkedin_profile": "linkedin_url",
    "history": "role_history", "career_history": "role_history",
    "directory_visibility": "visibility", "profile_visibility": "visibility", "search_visibility": "visibility",
}
# What a visibility cell may say, in words people write, and what it means.
VISIBILITY_WORDS = {
    "community": AlumniVisibility.COMMUNITY, "public": AlumniVisibility.COMMUNITY,
    "members": AlumniVisibility.COMMUNITY, "everyone": AlumniVisibility.COMMUNITY, "yes": AlumniVisibility.COMMUNITY,
    "organizers": AlumniVisibility.ORGANIZERS, "organisers": AlumniVisibility.ORGANIZERS,
    "staff": AlumniVisibility.ORGANIZERS,
    "hidden": AlumniVisibility.HIDDEN, "private": AlumniVisibility.HIDDEN, "none": AlumniVisibility.HIDDEN,
    "no": AlumniVisibility.HIDDEN,
}
# "Acme Corp 3.9★", "Acme Corp\n3.9", "Acme Corp (4.1)": a rating that job boards glue onto company names.
RATING_SUFFIX = re.compile(r"\s+(?:[(\[]\s*\d[.,]\d\s*[)\]]|\d[.,]\d(?:\s*(?:★|stars?|/\s*5))?"
                           r"|\d\s*(?:★|stars?|/\s*5))\s*$",
                           re.I)
STORED = ("email", "name", "batch_year", "department", "current_company", "current_role", "industry", "location",
          "lat", "lon", "skills", "skill_keys", "linkedin_url", "role_history", "visibility")
# Each cell's limit: the alumni table's column sizes, and a short one for the year.
CELL_LIMITS = {**column_limits(Alumnus, ["email", "name", "department", "current_company", "current_role", "industry",
                                         "location", "linkedin_url"]), "batch_year": 20, "visibility": 20}


def clean_company(value: str) -> str:
    """A company name without a trailing rating or stray whitespace."""
    value = " ".join((value or "").split())
    cleaned = RATING_SUFFIX.sub("", value).strip(" -·|,")
    return cleaned or value


def validate_alumnus(values: dict[str, str]) -> tuple[dict | None, list]:
    """One alumni row -> a clean record, or what is wrong with it."""
    errors: list[FieldError] = []
    email = values.get("email", "").strip().lower()
    name = " ".join(values.get("name", "").split())
    if not email:
        errors.append(FieldError("email", "is empty"))
    elif not is_email(email):
        errors.append(FieldError("email", f"'{shown(email)}' is not an email address"))
    if not name:
        errors.append(FieldError("name", "is empty"))
    batch_year = None
    if values.get("batch_year", "").strip():
        this_year = datetime.now().year
        try:
            batch_year = int(float(values["batch_year"]))
        except ValueError:
            batch_year = -1
        if not 1900 <= batch_year <= this_year + 6:
            errors.append(FieldError("batch_year", f"'{shown(values['batch_year'])}' is not a year between 1900 "
                                                   f"and {this_year + 6}"))
    history = []
    if values.get("role_history", "").strip():
        try:
            history = json.loads(values["role_history"])
            if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
                raise ValueError
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            errors.append(FieldError("role_history", "must be a JSON list of objects, e.g. "
                                                     '[{"company": "X", "role": "Y", "from": 2019}]'))
    linkedin = values.get("linkedin_url", "").strip()
    if linkedin and not re.match(r"^(https?://)?([\w-]+\.)?linkedin\.com/", linkedin, re.I):
        errors.append(FieldError("linkedin_url", "must be a linkedin.com address"))
    visibility_cell = values.get("visibility", "").strip().lower()
    visibility = VISIBILITY_WORDS.get(visibility_cell or "organizers")
    if visibility is None:
        errors.append(FieldError("visibility", f"'{shown(visibility_cell)}' is not one of community, organizers, "
                                               "hidden"))
    if errors:
        return None, errors
    skills = split_list(values.get("skills", "").replace(",", ";"))
    return {"email": email, "name": name[:200], "batch_year": batch_year,
            "department": values.get("department", "").strip()[:120] or None,
            "current_company": clean_company(values.get("current_company", ""))[:200] or None,
            "current_role": " ".join(values.get("current_role", "").split())[:200] or None,
            "industry": values.get("industry", "").strip()[:120] or None,
            "location": " ".join(values.get("location", "").split())[:200] or None,
            "skills": skills[:50], "skill_keys": skill_keys(skills[:50]),
            "linkedin_url": linkedin[:300] or None, "role_history": history,
            "visibility": visibility.value}, []


def store_alumni(session: Session, event_id: int | None, rows: list[dict], now) -> dict[str, int]:
    """Upsert (rows carry lat/lon from the processing stage) by email."""
    inserted, updated = upsert_rows(session, "alumni", "email", STORED, (
        [json.dumps(row[c]) if c == "role_history" else row[c] for c in STORED] for row in rows))
    return {"inserted": inserted, "updated": updated, "unchanged": len(rows) - inserted - updated}


def locate_upload_rows(rows: list[dict]) -> dict[str, int]:
    """Offline geocoding of each distinct location; rows whose place is unknown are counted, not rejected."""
    return {"unlocated": locate_rows(rows)}


ALUMNI_UPLOAD = DatasetKind(
    name="alumni",
    label="Alumni",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    synonyms=COLUMN_SYNONYMS,
    validate=validate_alumnus,
    key=lambda row: row["email"],
    store=store_alumni,
    needs_event=False,
    process=locate_upload_rows,
    follow_up_jobs=("geocode-locations", "talent-clusters", "skill-graph", "career-model"),
    limits=CELL_LIMITS,
    hint="Skills may be separated by ';' or ','. Locations such as 'Albuquerque, NM' or 'Pune, India' are "
         "placed on the map offline; ratings glued to company names ('Acme 3.9★') are removed. visibility "
         "(community, organizers or hidden; organizers when absent) says who may find the alumnus in a search by "
         "skills.",
)
