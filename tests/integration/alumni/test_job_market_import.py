"""Job-market uploads on a real Postgres: a real public export, messy rows, rejected files, reloads."""
from sqlalchemy import func, select

from core.jobs.uploads import import_dataset
from db.models import JobPosting
from tests.conftest import SHARED

GOOGLE_JOBS = SHARED / "data" / "jobs" / "google_job_skills_2018.csv"
HEADER = "Job Title,Company Name,Industry,Location,Salary Estimate,Skills,Experience\n"


def load(db, clock, data: bytes, filename: str = "jobs.csv"):
    return import_dataset(db, kind="job_market", data=data, filename=filename, event_slug=None, actor_id=None,
                          clock=clock, max_mb=50)


def test_the_google_jobs_export_loads_with_places_and_skills_read_from_the_qualifications(db, clock):
    report = load(db, clock, GOOGLE_JOBS.read_bytes(), GOOGLE_JOBS.name)
    assert report.ok and report.inserted == report.rows_valid > 1000
    reasons = [(p.column, p.message) for p in report.problems]
    assert reasons.count(("job_title", "is empty")) == 1  # the one posting the export left without a title
    assert all(m.startswith("duplicates line") for c, m in reasons if c != "job_title")  # reposted jobs
    located = db.scalar(select(func.count()).select_from(JobPosting).where(JobPosting.lat.is_not(None)))
    assert located / report.rows_valid > 0.9
    with_skills = db.scalar(select(func.count()).select_from(JobPosting).where(func.cardinality(JobPosting.skills) > 0))
    assert with_skills / report.rows_valid > 0.5
    mountain_view = db.scalar(select(JobPosting).where(JobPosting.location == "Mountain View, CA, United States")
                              .limit(1))
    assert abs(mountain_view.lat - 37.39) < 0.1


def test_reloading_the_export_changes_nothing(db, clock):
    load(db, clock, GOOGLE_JOBS.read_bytes(), GOOGLE_JOBS.name)
    again = load(db, clock, GOOGLE_JOBS.read_bytes(), GOOGLE_JOBS.name)
    assert again.inserted == again.updated == 0 and again.unchanged == again.rows_valid


def test_salary_strings_and_rated_company_names_are_cleaned(db, clock):
    data = (HEADER + 'Data Scientist,"Sandia National Laboratories\n3.9",Defense,"Albuquerque, NM",$53K-$91K (est.),'
            '"Python, SQL",Mid\n').encode()
    assert load(db, clock, data).ok
    job = db.scalar(select(JobPosting))
    assert (job.company, job.salary_min, job.salary_max, job.skills) == ("Sandia National Laboratories", 53_000,
                                                                          91_000, ["Python", "SQL"])
    assert abs(job.lat - 35.08) < 0.1


def test_rows_without_a_title_or_with_an_unreadable_salary_are_reported_and_the_rest_load(db, clock):
    data = (HEADER + "Engineer,Acme,Software,Berlin,$90K,,\n,Acme,Software,Berlin,,,\n"
            + "Analyst,Acme,Finance,London,competitive,,\n").encode()
    report = load(db, clock, data)
    assert report.rows_valid == 1 and [(p.line, p.column) for p in report.problems] == [(3, "job_title"),
                                                                                       (4, "salary")]


def test_a_file_without_job_titles_is_rejected_and_nothing_is_written(db, clock):
    report = load(db, clock, b"company,location\nAcme,Berlin\n")
    assert not report.ok and "job_title" in report.message
    assert db.scalar(select(func.count()).select_from(JobPosting)) == 0


def test_a_reposted_job_is_reported_as_a_duplicate_of_its_first_line(db, clock):
    data = (HEADER + "Engineer,Acme,Software,Berlin,,,\n" + "Engineer,Acme,Software,Berlin,,,\n").encode()
    report = load(db, clock, data)
    assert report.rows_valid == 1
    assert report.problems[0].message == "duplicates line 2 (Engineer at Acme, Berlin)"
