"""Program uploads on a real Postgres: session CSVs, frab/pretalx schedule.json, EuroPython's export, speakers."""
import json

import pytest
from sqlalchemy import func, select

from core.jobs.uploads import import_dataset
from db.models import ProgramSession, Speaker
from tests.conftest import SHARED
from tests.samples import SCHEDULE

EUROPYTHON = SHARED / "data" / "europython2022" / "europython2022_sessions.json"
SESSION_HEADER = "Session ID,Title,Description,Start,End,Room,Track,Type,Level,Tags,Capacity,Speaker Emails\n"



def load(db, clock, kind: str, data: bytes, filename: str):
    return import_dataset(db, kind=kind, data=data, filename=filename, event_slug="conf", actor_id=None, clock=clock,
                          max_mb=50)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_the_europython_2022_program_loads_with_speakers_times_rooms_and_tracks(db, clock):
    report = load(db, clock, "sessions", EUROPYTHON.read_bytes(), EUROPYTHON.name)
    assert report.ok and report.rows_valid == 152
    assert report.rows_invalid == 1 and report.problems[0].column == "start"  # one session was never scheduled
    talk = db.scalar(select(ProgramSession).where(ProgramSession.external_id == "39YWUH"))
    assert talk.title == "Working with Audio in Python (feat. Pedalboard)"
    assert (talk.room, talk.track, talk.session_type) == ("Liffey B", "Python Libraries", "Talk")
    assert talk.starts_at.isoformat() == "2022-07-13T15:05:00+00:00" and (talk.ends_at - talk.starts_at).seconds == 1800
    assert [(s.name, s.company) for s in talk.speakers] == [("Peter Sobot", "Spotify")]


def test_loading_the_europython_program_twice_changes_nothing(db, clock):
    load(db, clock, "sessions", EUROPYTHON.read_bytes(), EUROPYTHON.name)
    speakers = count(db, Speaker)
    again = load(db, clock, "sessions", EUROPYTHON.read_bytes(), EUROPYTHON.name)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 152)
    assert count(db, Speaker) == speakers


def test_a_frab_pretalx_schedule_json_loads_sessions_and_shared_speakers(db, clock):
    report = load(db, clock, "sessions", json.dumps(SCHEDULE).encode(), "schedule.json")
    assert report.ok and report.inserted == 3
    workshop = db.scalar(select(ProgramSession).where(ProgramSession.external_id == "a2"))
    assert (workshop.room, workshop.track, workshop.session_type) == ("Main Hall", "Data", "Workshop")
    assert (workshop.ends_at - workshop.starts_at).seconds == 90 * 60
    assert sorted(s.name for s in workshop.speakers) == ["Ada Byron", "Alan Church"]
    assert count(db, Speaker) == 2


def test_a_session_csv_loads_and_links_speakers_by_email(db, clock):
    data = (SESSION_HEADER
            + "s1,Intro to RAG,Retrieval.,2026-12-01 09:00,2026-12-01 09:45,Hall A,AI,Talk,Beginner,llm;rag,120,"
              "ada@x.io\n"
            + "s2,Scaling Postgres,Tuning.,01/12/2026 10:00,01/12/2026 11:00,Hall B,Data,Talk,Advanced,,80,"
              "ada@x.io;alan@x.io\n").encode()
    report = load(db, clock, "sessions", data, "program.csv")
    assert report.ok and report.inserted == 2
    second = db.scalar(select(ProgramSession).where(ProgramSession.external_id == "s2"))
    assert second.starts_at.isoformat() == "2026-12-01T10:00:00+00:00" and second.capacity == 80
    assert sorted(s.email for s in second.speakers) == ["ada@x.io", "alan@x.io"]


def test_session_rows_with_bad_times_are_reported_by_line_and_the_good_rows_load(db, clock):
    data = (SESSION_HEADER
            + "s1,Good,,2026-12-01 09:00,2026-12-01 09:45,A,AI,Talk,,,,\n"
            + "s2,Ends first,,2026-12-01 10:00,2026-12-01 09:00,A,AI,Talk,,,,\n"
            + "s3,No time,,next tuesday,,A,AI,Talk,,,,\n"
            + "s4,Bad seats,,2026-12-01 11:00,2026-12-01 12:00,A,AI,Talk,,,lots,\n").encode()
    report = load(db, clock, "sessions", data, "program.csv")
    assert report.ok and report.rows_valid == 1
    assert [(p.line, p.column) for p in report.problems] == [(3, "end"), (4, "start"), (5, "capacity")]
    assert count(db, ProgramSession) == 1


def test_a_program_file_without_a_start_column_writes_nothing_and_says_what_is_missing(db, clock):
    report = load(db, clock, "sessions", b"title,room\nIntro,Hall A\n", "program.csv")
    assert not report.ok and "Missing required column(s): start" in report.message
    assert count(db, ProgramSession) == 0


def test_an_empty_schedule_json_is_rejected_with_a_clear_message(db, clock):
    empty = {"schedule": {"conference": {"title": "Empty", "days": []}}}
    report = load(db, clock, "sessions", json.dumps(empty).encode(), "schedule.json")
    assert not report.ok and "has no sessions" in report.message
    assert count(db, ProgramSession) == 0


def test_a_speakers_file_fills_in_speakers_a_program_only_named_by_email(db, clock):
    load(db, clock, "sessions", (SESSION_HEADER + "s1,Intro,,2026-12-01 09:00,,A,AI,Talk,,,,ada@x.io\n").encode(),
         "program.csv")
    data = (b"Name,E-mail,Job title,Affiliation,Biography,Expertise,Offerings\n"
            b"Ada Byron,ADA@x.io,Principal Engineer,Analytical,Builds engines.,compilers;math,mentoring\n"
            b"Alan Church,alan@x.io,Researcher,Lambda Labs,,logic,\n")
    report = load(db, clock, "speakers", data, "speakers.csv")
    assert report.ok and (report.inserted, report.updated) == (1, 1)
    ada = db.scalar(select(Speaker).where(Speaker.email == "ada@x.io"))
    assert (ada.name, ada.title, ada.company, ada.expertise) == ("Ada Byron", "Principal Engineer", "Analytical",
                                                                 ["compilers", "math"])
    assert [s.external_id for s in ada.sessions] == ["s1"]


def test_speaker_rows_without_a_valid_email_are_reported_and_the_others_load(db, clock):
    data = b"name,email\nAda,ada@x.io\nNobody,not-an-email\n,bob@x.io\n"
    report = load(db, clock, "speakers", data, "speakers.csv")
    assert report.rows_valid == 1 and [(p.line, p.column) for p in report.problems] == [(3, "email"), (4, "name")]


def test_a_speakers_file_missing_the_email_column_writes_nothing(db, clock):
    report = load(db, clock, "speakers", b"name,company\nAda,X\n", "speakers.csv")
    assert not report.ok and "email" in report.message and count(db, Speaker) == 0


@pytest.mark.parametrize("text", ["2026-12-01T09:00:00Z", "2026-12-01 09:00", "01/12/2026 09:00",
                                  "12/01/2026 9:00 AM", "1 Dec 2026 09:00"])
def test_common_date_formats_are_read(db, clock, text):
    report = load(db, clock, "sessions", (SESSION_HEADER + f"s1,T,,{text},,A,AI,Talk,,,,\n").encode(), "p.csv")
    assert report.ok
    starts = db.scalar(select(ProgramSession.starts_at))
    assert (starts.year, starts.month, starts.day, starts.hour) == (2026, 12, 1, 9)
