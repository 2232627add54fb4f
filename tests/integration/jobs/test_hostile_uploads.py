"""Hostile files through the worker's path on a real Postgres (queue_upload, then the worker's claim and processing):
each is answered with a message that says what was wrong, within the limits the settings give, and at most 1,000 row
problems are stored while all of them are counted. Timings are measured by `python -m bench.hostile_files`."""
import io
import json
import zipfile

import openpyxl
from sqlalchemy import func, select

from core.ingest.pipeline import MAX_STORED_PROBLEMS, errors_csv, upload_errors, upload_report
from core.ingest.tabular import MB, ReadLimits
from core.jobs.runner import run_queued_work
from core.jobs.uploads import process_claimed_upload, queue_upload
from core.platform.queue import claim_upload
from core.platform.settings import Settings
from db.models import Alumnus, Person, ProgramSession, Speaker, UploadPayload, UploadRowError
from tests.fakes import FakeEmbedder
from tests.integration.events.test_attendee_import import HEADER, row

ALUMNI_HEADER = b"email,name\n"


def queue(db, clock, kind: str, data: bytes, filename: str, event_slug: str | None = "expo"):
    upload = queue_upload(db, kind=kind, data=data, filename=filename, event_slug=event_slug, actor_id=None,
                          clock=clock, max_mb=50)
    db.commit()
    return upload


def process(db, clock, kind: str, data: bytes, filename: str, settings: Settings | None = None,
            event_slug: str | None = "expo"):
    """The Uploads page queues the file; a worker claims and processes it with the settings' limits."""
    upload = queue(db, clock, kind, data, filename, event_slug)
    assert claim_upload(db, clock, upload.id) == upload.id
    db.commit()
    report = process_claimed_upload(db, upload.id, clock=clock, max_mb=50,
                                    limits=ReadLimits.from_settings(settings or Settings()))
    db.commit()
    return report


def worker_pass(engine, clock, settings: Settings) -> dict:
    return run_queued_work(engine, clock=clock, settings=settings, embedder=FakeEmbedder())


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def xlsx_bomb(unpacked_mb: int) -> bytes:
    """A valid workbook whose one sheet unpacks to `unpacked_mb` MB: one header row, then one row repeated."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["email", "name"])
    template = io.BytesIO()
    workbook.save(template)
    bomb = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED,
                                                               compresslevel=9) as target:
        for member in source.infolist():
            text = source.read(member)
            if member.filename != "xl/worksheets/sheet1.xml":
                target.writestr(member.filename, text)
                continue
            head, tail = text.split(b"</sheetData>")
            with target.open(member.filename, "w") as sheet:
                sheet.write(head)
                cell = b'<c t="inlineStr"><is><t>a@x.io</t></is></c>'
                chunk = (b"<row>" + cell * 2 + b"</row>") * 4096
                for _ in range(unpacked_mb * MB // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</sheetData>" + tail)
    return bomb.getvalue()


# ----------------------------------------------------------------------------------------------- oversized cells

def test_a_megabyte_email_cell_is_a_row_problem_and_the_other_rows_load(db, clock):
    data = (HEADER + row("good@x.io") + row("x" * MB + "@a.b.c") + row("also.good@x.io")).encode()
    report = process(db, clock, "attendees", data, "people.csv")
    assert report.status == "completed" and (report.rows_valid, report.rows_invalid) == (2, 1)
    problem = report.problems[0]
    assert (problem.line, problem.column) == (3, "email")
    assert "1,048,582 characters long; the maximum for email is 254" in problem.message
    assert len(problem.message) < 200  # the cell itself is never repeated in the report
    assert count(db, Person) == 2


def test_a_megabyte_value_in_a_json_upload_is_a_row_problem(db, clock):
    good = dict(zip(HEADER.strip().split(","), row("good@x.io").strip().split(","), strict=True))
    data = json.dumps([good, {**good, "email": "a@" + "b." * (MB // 2)}]).encode()
    report = process(db, clock, "attendees", data, "people.json")
    assert report.status == "completed" and report.rows_valid == 1
    assert (report.problems[0].line, report.problems[0].column) == (2, "email")
    assert "the maximum for email is 254" in report.problems[0].message


def test_an_email_built_to_stall_the_pattern_is_refused_by_its_length(db, clock):
    data = b"name,email\nAda,ada@x.io\nEve,a@" + b"b." * 20_000 + b"@\n"
    report = process(db, clock, "speakers", data, "speakers.csv")
    assert report.status == "completed" and report.rows_valid == 1
    assert report.problems[0].column == "email" and "the maximum for email is 254" in report.problems[0].message


def test_a_201_character_speaker_title_is_a_row_problem_not_a_failed_upload(db, clock):
    data = ("name,email,title\nAda,ada@x.io," + "T" * 201 + "\nBob,bob@x.io,CTO\n").encode()
    report = process(db, clock, "speakers", data, "speakers.csv")
    assert report.status == "completed" and (report.rows_valid, report.rows_invalid) == (1, 1)
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (2, "title", "is 201 characters long; the maximum for title is 200")]
    assert list(db.scalars(select(Speaker.email))) == ["bob@x.io"]


def test_a_long_pretalx_affiliation_is_a_row_problem_naming_the_column_and_the_limit(db, clock):
    def talk(guid: str, person: dict) -> dict:
        return {"guid": guid, "id": 1, "date": "2026-12-01T09:00:00+01:00", "duration": "00:30", "room": "A",
                "title": f"Talk {guid}", "persons": [person]}

    schedule = {"schedule": {"conference": {"title": "C", "days": [{"date": "2026-12-01", "rooms": {"A": [
        talk("g1", {"code": "P1", "public_name": "Ada Byron", "affiliation": "Analytical Engines " * 13}),
        talk("g2", {"code": "P2", "public_name": "Alan Church", "affiliation": "Lambda Labs"})]}}]}}}
    report = process(db, clock, "sessions", json.dumps(schedule).encode(), "schedule.json")
    assert report.status == "completed" and (report.rows_valid, report.rows_invalid) == (1, 1)
    problem = report.problems[0]
    assert (problem.line, problem.column) == (1, "speakers")
    assert "'Ada Byron': the affiliation is 246 characters long" in problem.message
    assert "the maximum for a speaker's company is 200" in problem.message
    assert list(db.scalars(select(ProgramSession.external_id))) == ["g2"]


# ----------------------------------------------------------------------------------------------- whole-file limits

def test_a_zip_bomb_is_rejected_by_the_worker_before_it_is_unpacked(db, engine, clock):
    data = xlsx_bomb(30)
    assert len(data) < MB
    upload = queue(db, clock, "alumni", data, "alumni.xlsx", None)
    worker_pass(engine, clock, Settings(upload_max_unpacked_mb=5))
    report = upload_report(db, upload.id)
    assert report.status == "rejected"
    assert "unpacks to 30 MB" in report.message and "over the 5 MB limit" in report.message
    assert "UPLOAD_MAX_UNPACKED_MB" in report.message
    assert db.get(UploadPayload, upload.id) is None and count(db, Alumnus) == 0


def test_a_file_with_more_rows_than_allowed_is_rejected_naming_the_limit(db, engine, clock):
    upload = queue(db, clock, "alumni", ALUMNI_HEADER + b"a@x.io,A\n" * 3000, "alumni.csv", None)
    worker_pass(engine, clock, Settings(upload_max_rows=1000))
    report = upload_report(db, upload.id)
    assert report.status == "rejected"
    assert "more than 1,000 data rows" in report.message and "UPLOAD_MAX_ROWS" in report.message
    assert count(db, Alumnus) == 0


def test_the_default_row_limit_stops_a_file_of_millions_of_rows(db, clock):
    report = process(db, clock, "alumni", ALUMNI_HEADER + b"a\n" * 1_000_001, "alumni.csv", event_slug=None)
    assert report.status == "rejected" and "more than 1,000,000 data rows" in report.message


def test_a_workbook_wider_than_allowed_is_rejected_naming_the_limit(db, engine, clock):
    workbook = openpyxl.Workbook()
    workbook.active.append(["email", "name", *[f"extra {i}" for i in range(10)]])
    workbook.active.append(["a@x.io", "Ana", *range(10)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = queue(db, clock, "alumni", buffer.getvalue(), "alumni.xlsx", None)
    worker_pass(engine, clock, Settings(upload_max_columns=5))
    report = upload_report(db, upload.id)
    assert report.status == "rejected"
    assert "12 columns, more than the 5" in report.message and "UPLOAD_MAX_COLUMNS" in report.message


def test_a_deeply_nested_json_is_rejected_not_a_failed_upload(db, clock):
    report = process(db, clock, "alumni", b"[" * 100_000 + b"]" * 100_000, "alumni.json", event_slug=None)
    assert report.status == "rejected" and "nested too deeply" in report.message


# ----------------------------------------------------------------------------------------------- many bad rows

def test_at_most_1000_problems_are_stored_and_all_are_counted(db, clock):
    bad = b"".join(b"not-an-email-%d,Nobody\n" % i for i in range(2500))
    report = process(db, clock, "alumni", ALUMNI_HEADER + b"ada@x.io,Ada\n" + bad, "alumni.csv", event_slug=None)
    assert report.status == "completed" and (report.rows_valid, report.rows_invalid) == (1, 2500)
    assert report.errors_total == 2500 and len(report.problems) == MAX_STORED_PROBLEMS
    assert count(db, UploadRowError) == MAX_STORED_PROBLEMS
    assert [e.line for e in upload_errors(db, report.upload_id)] == list(range(3, 1003))
    assert "Showing the first 1,000 of 2,500 problems" in report.summary()
    stored = upload_report(db, report.upload_id)
    assert stored.errors_total == 2500 and "Showing the first 1,000 of 2,500 problems" in stored.message
    assert len(errors_csv(upload_errors(db, report.upload_id)).splitlines()) == 1 + MAX_STORED_PROBLEMS
    assert count(db, Alumnus) == 1


def test_a_file_with_no_valid_row_says_how_many_problems_it_had(db, clock):
    bad = b"".join(b"not-an-email-%d,Nobody\n" % i for i in range(1500))
    report = process(db, clock, "alumni", ALUMNI_HEADER + bad, "alumni.csv", event_slug=None)
    assert report.status == "rejected"
    assert "None of the 1,500 rows is valid" in report.message and "1,500 problems" in report.message
    assert "line 2, email: 'not-an-email-0' is not an email address" in report.message
