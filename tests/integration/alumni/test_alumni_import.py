"""Alumni uploads on a real Postgres: messy real-world exports, bad rows, rejected files, idempotent reloads."""
from sqlalchemy import func, select

from core.alumni.alumni import clean_company
from core.jobs.uploads import import_dataset
from db.models import Alumnus

HEADER = "Email,Full Name,Graduation Year,Department,Company,Job Title,Industry,City,Skills,LinkedIn\n"


def load(db, clock, data: bytes, filename: str = "alumni.csv"):
    return import_dataset(db, kind="alumni", data=data, filename=filename, event_slug=None, actor_id=None, clock=clock,
                          max_mb=50)


def test_a_messy_export_is_cleaned_and_placed_on_the_map(db, clock):
    data = (HEADER
            + 'ana@x.io,Ana Silva,2018,CS,"Sandia National Laboratories\n3.9",Engineer,Defense,"Albuquerque, NM",'
              '"Python, C++",https://www.linkedin.com/in/ana\n'
            + "raj@x.io,Raj Rao,2015,EE,Infosys 4.1★,Lead,IT,Bangalore,Java;Spark,\n").encode("utf-8-sig")
    report = load(db, clock, data)
    assert report.ok and report.inserted == 2
    ana = db.scalar(select(Alumnus).where(Alumnus.email == "ana@x.io"))
    assert ana.current_company == "Sandia National Laboratories" and ana.skills == ["Python", "C++"]
    assert abs(ana.lat - 35.08) < 0.1 and abs(ana.lon + 106.65) < 0.1
    raj = db.scalar(select(Alumnus).where(Alumnus.email == "raj@x.io"))
    assert raj.current_company == "Infosys" and abs(raj.lat - 12.97) < 0.1


def test_a_latin1_file_keeps_its_accents(db, clock):
    data = (HEADER + "jose@x.io,José Núñez,2019,Law,Telefónica,Counsel,Telecom,\"Madrid, Spain\",,\n").encode("latin-1")
    assert load(db, clock, data).ok
    assert db.scalar(select(Alumnus.name)) == "José Núñez"


def test_bad_rows_are_reported_by_line_and_the_good_ones_load(db, clock):
    data = (HEADER + "ok@x.io,Ok Person,2020,,,,,,,\n"
            + "not-an-email,Bad Email,2020,,,,,,,\n"
            + "year@x.io,Bad Year,19xx,,,,,,,\n"
            + "link@x.io,Bad Link,2020,,,,,,,https://example.com/me\n").encode()
    report = load(db, clock, data)
    assert report.rows_valid == 1
    assert [(p.line, p.column) for p in report.problems] == [(3, "email"), (4, "batch_year"), (5, "linkedin_url")]


def test_a_file_without_names_is_rejected_and_nothing_is_written(db, clock):
    report = load(db, clock, b"email,company\na@x.io,Acme\n")
    assert not report.ok and "Missing required column(s): name" in report.message
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 0


def test_reloading_the_same_file_changes_nothing_and_a_changed_row_is_updated(db, clock):
    data = (HEADER + "ana@x.io,Ana Silva,2018,CS,Acme,Engineer,Software,\"Berlin, Germany\",Go,\n").encode()
    load(db, clock, data)
    again = load(db, clock, data)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    changed = load(db, clock, data.replace(b"Engineer", b"Staff Engineer"))
    assert (changed.inserted, changed.updated) == (0, 1)


def test_company_ratings_are_stripped_but_numbers_in_names_are_kept():
    assert clean_company("Acme Corp 3.9★") == "Acme Corp"
    assert clean_company("Acme Corp (4.2)") == "Acme Corp"
    assert clean_company("3M") == "3M"
    assert clean_company("Studio 54") == "Studio 54"
