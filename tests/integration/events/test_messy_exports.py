"""Messy real exports load on a real Postgres, with the odd column ignored and named in the report's warnings: a
dataframe's unnamed index column, empty columns at the right, and frab/pretalx schedules whose numeric ids repeat
across rooms while their guids are unique. The files are written here in those shapes."""
import csv
import io
import json

from sqlalchemy import func, select

from core.jobs.uploads import import_dataset
from db.models import Person, ProgramSession, Speaker
from tests.integration.events.test_attendee_import import HEADER, row


def load(db, clock, kind: str, data: bytes, filename: str):
    return import_dataset(db, kind=kind, data=data, filename=filename, event_slug="conf", actor_id=None, clock=clock,
                          max_mb=50)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def with_index_column(text: str, name: str) -> bytes:
    """The CSV as pandas' `to_csv()` writes it: a first column holding the row index, named `name`."""
    lines = text.splitlines()
    return "\n".join([f"{name},{lines[0]}", *(f"{i},{line}" for i, line in enumerate(lines[1:]))]).encode() + b"\n"


def test_a_dataframe_csv_with_an_unnamed_index_column_loads(db, clock):
    data = with_index_column(HEADER + row("ana@x.io") + row("bo@x.io", first="Bo"), "")
    assert data.startswith(b",email,")
    report = load(db, clock, "attendees", data, "people.csv")
    assert report.ok and (report.rows_valid, report.rows_invalid, report.inserted) == (2, 0, 2)
    assert any("first column with an empty name" in w and "row index" in w for w in report.warnings)
    assert db.scalar(select(Person.first_name).where(Person.email == "bo@x.io")) == "Bo"


def test_a_dataframe_csv_read_and_written_again_with_unnamed_0_loads(db, clock):
    data = with_index_column(HEADER + row("ana@x.io"), "Unnamed: 0")
    report = load(db, clock, "attendees", data, "people.csv")
    assert report.ok and report.inserted == 1
    assert any("'Unnamed: 0'" in w and "row index" in w for w in report.warnings)
    assert not any("unnamed_0" in w for w in report.warnings)  # not reported as an unknown column as well


def test_a_csv_with_empty_columns_at_the_right_loads_and_names_them(db, clock):
    lines = (HEADER + row("ana@x.io") + row("bo@x.io")).splitlines()
    data = ("\n".join(line + ",,," for line in lines) + "\n").encode()
    report = load(db, clock, "attendees", data, "people.csv")
    assert report.ok and (report.rows_valid, report.rows_invalid) == (2, 0)
    assert "Ignored 3 column(s) with no name at the end of the header (columns 18–20)." in report.warnings


def test_a_speakers_export_with_an_index_and_empty_trailing_columns_loads(db, clock):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["", "Name", "E-mail", "Affiliation", "", ""])
    writer.writerow([0, "Ada Byron", "ada@x.io", "Analytical", "", ""])
    writer.writerow([1, "Alan Church", "alan@x.io", "Lambda Labs", "", ""])
    report = load(db, clock, "speakers", buffer.getvalue().encode(), "speakers.csv")
    assert report.ok and report.inserted == 2
    assert sorted(report.warnings) == [
        "Ignored 2 column(s) with no name at the end of the header (columns 5–6).",
        "Ignored the first column with an empty name: an unnamed row index, as dataframe libraries write it."]
    assert sorted(db.scalars(select(Speaker.company))) == ["Analytical", "Lambda Labs"]


def frab_schedule() -> dict:
    """A schedule.json whose numeric ids restart in each room (sessions and speakers alike); guids are unique."""
    def talk(number: int, room: str, hour: int) -> dict:
        guid = f"{room.lower()}-{number}-0000-4000-8000-000000000000"
        return {"id": number, "guid": guid, "date": f"2026-12-01T{hour:02d}:00:00+01:00", "start": f"{hour:02d}:00",
                "duration": "00:45", "room": room, "title": f"{room} talk {number}", "type": "Talk",
                "persons": [{"id": number, "guid": f"person-{guid}", "public_name": f"Speaker {room} {number}"}]}

    return {"schedule": {"version": "1.0", "conference": {"acronym": "messy", "title": "Messy Conf", "days": [
        {"index": 1, "date": "2026-12-01", "rooms": {
            "Hall A": [talk(1, "Hall A", 9), talk(2, "Hall A", 10)],
            "Hall B": [talk(1, "Hall B", 9), talk(2, "Hall B", 10)]}}]}}}


def test_a_schedule_whose_ids_repeat_across_rooms_is_keyed_by_guid(db, clock):
    report = load(db, clock, "sessions", json.dumps(frab_schedule()).encode(), "schedule.json")
    assert report.ok and (report.rows_valid, report.rows_invalid, report.inserted) == (4, 0, 4)
    assert sorted(db.scalars(select(ProgramSession.external_id))) == [
        "hall a-1-0000-4000-8000-000000000000", "hall a-2-0000-4000-8000-000000000000",
        "hall b-1-0000-4000-8000-000000000000", "hall b-2-0000-4000-8000-000000000000"]
    assert count(db, Speaker) == 4  # four people, though their numeric ids are 1, 2, 1, 2
    talk = db.scalar(select(ProgramSession).where(ProgramSession.title == "Hall B talk 1"))
    assert [s.name for s in talk.speakers] == ["Speaker Hall B 1"]
    assert any("numeric 'id'" in w and "repeats across rooms" in w and "guid" in w for w in report.warnings)


def test_loading_such_a_schedule_twice_changes_nothing(db, clock):
    load(db, clock, "sessions", json.dumps(frab_schedule()).encode(), "schedule.json")
    again = load(db, clock, "sessions", json.dumps(frab_schedule()).encode(), "schedule.json")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4) and count(db, Speaker) == 4


def test_a_flat_session_list_with_repeating_ids_and_unique_guids_is_keyed_by_guid(db, clock):
    sessions = [{"id": 1, "guid": f"g{i}", "title": f"Talk {i}", "start": f"2026-12-01 {9 + i}:00", "room": room}
                for i, room in enumerate(["A", "B", "C"])]
    report = load(db, clock, "sessions", json.dumps(sessions).encode(), "sessions.json")
    assert report.ok and (report.rows_valid, report.rows_invalid) == (3, 0)
    assert sorted(db.scalars(select(ProgramSession.external_id))) == ["g0", "g1", "g2"]
