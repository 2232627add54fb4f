"""Attendee import on a real Postgres: full loads, re-loads, partial loads and rejected files."""
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from core.ingest.pipeline import upload_errors
from core.jobs.uploads import import_dataset
from db.models import AuditLog, DatasetUpload, Event, Person, Registration
from tests.conftest import EVAL_ATTENDEES

HEADER = ("email,first_name,last_name,company,role,industry,company_size,years_experience,interests,goals,"
          "skills_offered,skills_needed,bio,problem_statement,city,country,allow_enrichment\n")


def row(email: str, first: str = "Ana", goals: str = "HIRE", interests: str = "ai") -> str:
    return (f"{email},{first},Silva,Acme,CTO,Fintech,SMALL_11_50,9,{interests},{goals},python,,Hi.,,"
            "Lisbon,Portugal,true\n")


def load(db, clock, data: bytes, filename: str = "people.csv", event: str = "expo"):
    return import_dataset(db, kind="attendees", data=data, filename=filename, event_slug=event, actor_id=None,
                          clock=clock, max_mb=50)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_the_public_eval_file_loads_720_people_with_no_errors(db, clock):
    report = load(db, clock, EVAL_ATTENDEES.read_bytes(), "attendees.csv", event="eval")
    assert (report.status, report.rows_valid, report.rows_invalid, report.inserted) == ("completed", 720, 0, 720)
    assert count(db, Person) == 720 and count(db, Registration) == 720


def test_loading_the_same_file_twice_changes_nothing(db, clock):
    load(db, clock, EVAL_ATTENDEES.read_bytes(), event="eval")
    before = db.execute(select(Person.id, Person.updated_at).order_by(Person.id)).all()
    report = load(db, clock, EVAL_ATTENDEES.read_bytes(), event="eval")
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 720)
    assert db.execute(select(Person.id, Person.updated_at).order_by(Person.id)).all() == before
    assert count(db, Registration) == 720


def test_a_changed_row_updates_that_person_only(db, clock):
    load(db, clock, (HEADER + row("a@x.io") + row("b@x.io")).encode())
    report = load(db, clock, (HEADER + row("a@x.io", first="Anabela") + row("b@x.io")).encode())
    assert (report.updated, report.unchanged) == (1, 1)
    assert db.scalar(select(Person.first_name).where(Person.email == "a@x.io")) == "Anabela"


def test_people_get_coordinates_from_their_city(db, clock):
    load(db, clock, (HEADER + row("a@x.io")).encode())
    lat, lon = db.execute(select(Person.lat, Person.lon)).one()
    assert 38 < lat < 39.5 and -10 < lon < -8.5  # Lisbon


def test_bad_rows_are_reported_by_line_and_good_rows_load(db, clock):
    data = HEADER + row("good1@x.io") + row("not-an-email") + row("good2@x.io", goals="FLY") + row("good3@x.io")
    report = load(db, clock, data.encode())
    assert (report.rows_valid, report.rows_invalid) == (2, 2)
    assert [(p.line, p.column) for p in report.problems] == [(3, "email"), (4, "goals")]
    assert "FLY" in report.problems[1].message
    assert count(db, Person) == 2
    stored = upload_errors(db, report.upload_id)
    assert [(e.line, e.column) for e in stored] == [(3, "email"), (4, "goals")]


def test_a_repeated_email_in_one_file_is_reported_on_the_later_line(db, clock):
    report = load(db, clock, (HEADER + row("a@x.io") + row("A@x.io", first="Other")).encode())
    assert report.rows_valid == 1 and "duplicates line 2" in report.problems[0].message


def test_latin1_file_keeps_accented_names_intact(db, clock):
    load(db, clock, (HEADER + row("j@x.io", first="José-Ñuño")).encode("latin-1"))
    assert db.scalar(select(Person.first_name)) == "José-Ñuño"


def _assert_rejected_without_writes(db, report, fragment: str) -> None:
    assert report.status == "rejected" and fragment in report.message
    assert count(db, Person) == 0 and count(db, Registration) == 0 and count(db, Event) == 0
    assert db.scalar(select(DatasetUpload.status)) == "rejected"
    assert db.scalar(select(AuditLog.action)) == "upload.rejected"


def test_a_file_missing_a_required_column_is_rejected_and_writes_nothing(db, clock):
    data = (HEADER.replace("goals,", "")
            + "a@x.io,Ana,Silva,Acme,CTO,Fintech,SMALL_11_50,9,ai,py,,,,Lisbon,Portugal,true\n")
    report = load(db, clock, data.encode())
    _assert_rejected_without_writes(db, report, "Missing required column(s): goals")


def test_a_binary_file_is_rejected_and_writes_nothing(db, clock):
    report = load(db, clock, bytes(range(256)) * 100, "attendees.csv")
    _assert_rejected_without_writes(db, report, "not a text table")


def test_a_60_mb_file_is_rejected_and_writes_nothing(db, clock):
    data = (HEADER + row("a@x.io")).encode()
    data += b"x" * (60 * 1024 * 1024 - len(data))
    report = load(db, clock, data)
    _assert_rejected_without_writes(db, report, "60.0 MB, over the 50 MB limit")


def test_an_xlsx_with_an_empty_sheet_is_rejected_and_writes_nothing(db, clock):
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    report = load(db, clock, buffer.getvalue(), "attendees.xlsx")
    _assert_rejected_without_writes(db, report, "is empty")


def test_an_xlsx_with_attendees_loads(db, clock):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.strip().split(","))
    workbook.active.append(row("x@x.io").strip().split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = load(db, clock, buffer.getvalue(), "attendees.xlsx")
    assert report.inserted == 1 and db.scalar(select(Person.years_experience)) == 9


def test_a_file_where_every_row_is_bad_is_rejected(db, clock):
    report = load(db, clock, (HEADER + row("nope") + row("nope2")).encode())
    _assert_rejected_without_writes(db, report, "None of the 2 rows is valid")


def test_an_unknown_dataset_kind_is_refused(db, clock):
    with pytest.raises(ValueError, match="Unknown dataset kind"):
        import_dataset(db, kind="pets", data=b"a", filename="a.csv", event_slug="x", actor_id=None, clock=clock,
                       max_mb=1)
