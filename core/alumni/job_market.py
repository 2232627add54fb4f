"""Job-market uploads (seed 003's schema): salary strings, messy company names, skills from prose, geocoding."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy.orm import Session

from core.alumni.alumni import clean_company, locate_upload_rows
from core.ingest.fields import TEXT_LIMIT, FieldError, column_limits, shown, split_list
from core.ingest.pipeline import DatasetKind
from core.ingest.tabular import parse_datetime
from core.knowledge.skills import concepts_of
from db.bulk import upsert_rows
from db.models import JobPosting

REQUIRED_COLUMNS = ["job_title"]
OPTIONAL_COLUMNS = ["company", "industry", "location", "salary_min", "salary_max", "salary", "required_skills",
                    "experience_level", "qualifications", "preferred_qualifications", "responsibilities", "posted_date"]
COLUMN_SYNONYMS = {
    "title": "job_title", "position": "job_title", "role": "job_title", "job": "job_title",
    "company_name": "company", "employer": "company", "organisation": "company", "organization": "company",
    "category": "industry", "sector": "industry",
    "city": "location", "job_location": "location",
    "salary_estimate": "salary", "salary_range": "salary", "pay": "salary", "compensation": "salary",
    "min_salary": "salary_min", "max_salary": "salary_max",
    "skills": "required_skills", "key_skills": "required_skills",
    "experience": "experience_level", "seniority": "experience_level",
    "minimum_qualifications": "qualifications", "requirements": "qualifications",
    "job_description": "responsibilities", "description": "responsibilities",
    "date_posted": "posted_date", "posted": "posted_date", "posted_on": "posted_date", "posting_date": "posted_date",
}
HOURS_PER_YEAR = 2080
AMOUNT = r"[$€£¥₹]?\s*(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?"
STORED = ("natural_key", "title", "company", "industry", "location", "lat", "lon", "salary_min", "salary_max",
          "skills", "experience_level", "posted_on")
# Each cell's limit: the job_postings table's column sizes; prose that is only read for skills gets a Text's.
CELL_LIMITS = {**column_limits(JobPosting, {"job_title": "title", "company": "company", "industry": "industry",
                                            "location": "location", "experience_level": "experience_level"}),
               "salary": 100, "salary_min": 100, "salary_max": 100, "qualifications": TEXT_LIMIT,
               "preferred_qualifications": TEXT_LIMIT, "responsibilities": TEXT_LIMIT, "posted_date": 64}


def _amount(number: str, suffix: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1)


def parse_salary(raw: str) -> tuple[float | None, float | None]:
    """'$53K-$91K (est.)' -> (53000, 91000); '$25/hr' -> yearly (52000, 52000); '' -> (None, None).

    Raises ValueError when there is text but no amount in it."""
    raw = (raw or "").strip()
    if not raw:
        return None, None
    amounts = [_amount(n, s) for n, s in re.findall(AMOUNT, raw)]
    if not amounts:
        raise ValueError(raw)
    low, high = min(amounts[:2]), max(amounts[:2])
    if re.search(r"(/\s*h(ou)?r|per\s+hour|hourly)", raw, re.I):
        low, high = low * HOURS_PER_YEAR, high * HOURS_PER_YEAR
    return low, high


def validate_posting(values: dict[str, str]) -> tuple[dict | None, list]:
    """One job row -> a clean posting, or what is wrong with it."""
    errors: list[FieldError] = []
    title = " ".join(values.get("job_title", "").split())
    if not title:
        errors.append(FieldError("job_title", "is empty"))
    low = high = None
    try:
        if values.get("salary_min", "").strip() or values.get("salary_max", "").strip():
            low = parse_salary(values.get("salary_min", ""))[0]
            high = parse_salary(values.get("salary_max", ""))[1]
        else:
            low, high = parse_salary(values.get("salary", ""))
    except ValueError as exc:
        errors.append(FieldError("salary", f"'{shown(str(exc))}' has no amount (use e.g. $53K-$91K or 120000)"))
    if low is not None and high is not None and low > high:
        errors.append(FieldError("salary_max", "is below the minimum"))
    posted = parse_datetime(values.get("posted_date", ""))
    if values.get("posted_date", "").strip() and posted is None:
        errors.append(FieldError("posted_date", f"'{shown(values['posted_date'])}' is not a date"))
    if errors:
        return None, errors
    skills = split_list(values.get("required_skills", "").replace(",", ";"))
    if not skills:  # derive them from the prose with the skill graph
        prose = " ".join(values.get(c, "") for c in ("qualifications", "preferred_qualifications", "responsibilities"))
        skills = sorted(concepts_of(prose))
    company = clean_company(values.get("company", ""))[:200] or None
    location = " ".join(values.get("location", "").split())[:200] or None
    key = hashlib.sha256("|".join([title.lower(), (company or "").lower(), (location or "").lower()]).encode())
    return {"natural_key": key.hexdigest(), "title": title[:300], "company": company,
            "industry": values.get("industry", "").strip()[:120] or None, "location": location,
            "salary_min": low, "salary_max": high, "skills": skills[:50],
            "experience_level": values.get("experience_level", "").strip()[:60] or None,
            "posted_on": posted.date() if posted else None}, []


def store_postings(session: Session, event_id: int | None, rows: list[dict], now) -> dict[str, int]:
    """Upsert (rows carry lat/lon from the processing stage) by natural key."""
    inserted, updated = upsert_rows(session, "job_postings", "natural_key", STORED,
                                    ([row[c] for c in STORED] for row in rows))
    return {"inserted": inserted, "updated": updated, "unchanged": len(rows) - inserted - updated}


JOB_MARKET_UPLOAD = DatasetKind(
    name="job_market",
    label="Job market (job postings)",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    synonyms=COLUMN_SYNONYMS,
    validate=validate_posting,
    key=lambda row: f"{row['title']} at {row['company'] or '?'}, {row['location'] or '?'}",
    store=store_postings,
    needs_event=False,
    process=locate_upload_rows,
    limits=CELL_LIMITS,
    follow_up_jobs=("geocode-locations", "skill-graph", "career-model"),
    hint="Salaries may be ranges as job boards write them ('$53K-$91K (est.)', '$25/hr'). Without a "
         "required_skills column, skills are read from the qualifications and responsibilities text. "
         "posted_date, when given, dates each posting for the skill-demand trends.",
)
