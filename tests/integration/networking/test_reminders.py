"""Session and meeting reminders and the morning agenda digest on a real Postgres: each once per person and session,
meeting or day, however often the job runs, and only for people with something planned."""
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.jobs.registry import get_job
from core.networking.notifications import NotificationKind
from core.networking.reminders import AGENDA_DIGEST_JOB, SESSION_REMINDERS_JOB
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from db.models import AgendaItem, Meeting, Notification, Person, ProgramSession, SessionAction
from tests.integration.networking.test_retention import NOW, event, person

LISBON_DAY = date(2026, 12, 1)


def program_session(db, event_id: int, title: str, starts_at: datetime, room: str | None = "Room A") -> int:
    row = ProgramSession(event_id=event_id, external_id=title, title=title, starts_at=starts_at,
                         ends_at=starts_at + timedelta(hours=1), room=room)
    db.add(row)
    db.flush()
    return row.id


def plan(db, person_id: int, event_id: int, session_id: int) -> None:
    db.add(AgendaItem(event_id=event_id, person_id=person_id, session_id=session_id, score=1.0, planned_at=NOW))
    db.flush()


def bookmark(db, person_id: int, session_id: int, kind: str = "bookmark") -> None:
    db.add(SessionAction(person_id=person_id, session_id=session_id, kind=kind, created_at=NOW))
    db.flush()


def meeting(db, event_id: int, a: int, b: int, starts_at: datetime, status: str = "accepted") -> int:
    row = Meeting(event_id=event_id, requester_id=a, recipient_id=b, status=status, proposed_by=a,
                  proposed_slots=[starts_at.isoformat()], starts_at=starts_at,
                  ends_at=starts_at + timedelta(minutes=30), created_at=NOW - timedelta(days=1))
    db.add(row)
    db.flush()
    return row.id


def run(db, job_id: str, at: datetime = NOW) -> dict:
    return get_job(job_id).body(JobContext(session=db, clock=FixedClock(at), event_id=None))


def notes(db, kind: NotificationKind, person_id: int) -> list[Notification]:
    return list(db.scalars(select(Notification).where(Notification.kind == kind.value,
                                                      Notification.person_id == person_id)))


def test_a_planned_or_bookmarked_session_is_reminded_once_within_fifteen_minutes_of_its_start(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    expo = event(db, "expo", LISBON_DAY, timezone="Europe/Lisbon")
    keynote = program_session(db, expo, "Keynote", NOW + timedelta(minutes=12))
    plan(db, ana, expo, keynote)
    bookmark(db, bo, keynote)
    bookmark(db, cy, keynote, kind="dismiss")
    assert run(db, SESSION_REMINDERS_JOB)["sessions"] == 2
    assert run(db, SESSION_REMINDERS_JOB, at=NOW + timedelta(minutes=5))["sessions"] == 0
    [note] = notes(db, NotificationKind.SESSION_REMINDER, ana)
    assert note.title == "Starting soon: Keynote"
    assert note.body == "Starts at 09:12 in Room A." and note.link == "my-agenda"
    assert notes(db, NotificationKind.SESSION_REMINDER, cy) == []


def test_a_session_further_away_or_already_started_is_not_reminded(db):
    ana = person(db, "ana")
    expo = event(db, "expo", LISBON_DAY)
    plan(db, ana, expo, program_session(db, expo, "Later", NOW + timedelta(minutes=40)))
    plan(db, ana, expo, program_session(db, expo, "Started", NOW - timedelta(minutes=1)))
    assert run(db, SESSION_REMINDERS_JOB) == {"sessions": 0, "meetings": 0}


def test_an_accepted_meeting_reminds_both_people_once_and_a_pending_one_nobody(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    expo = event(db, "expo", LISBON_DAY, timezone="Asia/Tokyo")
    accepted = meeting(db, expo, ana, bo, NOW + timedelta(minutes=10))
    meeting(db, expo, ana, cy, NOW + timedelta(minutes=10), status="pending")
    assert run(db, SESSION_REMINDERS_JOB)["meetings"] == 2
    assert run(db, SESSION_REMINDERS_JOB)["meetings"] == 0
    [to_ana] = notes(db, NotificationKind.MEETING_REMINDER, ana)
    [to_bo] = notes(db, NotificationKind.MEETING_REMINDER, bo)
    assert to_ana.title == "Meeting with Bo Test at 18:10"  # Tokyo time
    assert to_bo.actor_id == ana and to_bo.dedupe_key == f"meeting-reminder:{accepted}"
    assert notes(db, NotificationKind.MEETING_REMINDER, cy) == []


def test_the_agenda_digest_goes_at_seven_local_time_once_per_person_and_day(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    # New York is UTC-5 in December: 07:00 local is 12:00 UTC.
    expo = event(db, "expo", LISBON_DAY, timezone="America/New_York")
    talk = program_session(db, expo, "Opening", datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
    tomorrow = program_session(db, expo, "Tomorrow", datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    plan(db, ana, expo, talk)
    bookmark(db, cy, tomorrow)
    meeting(db, expo, ana, bo, datetime(2026, 12, 1, 16, 30, tzinfo=UTC))
    seven = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert run(db, AGENDA_DIGEST_JOB, at=seven - timedelta(hours=1))["digests"] == 0
    assert run(db, AGENDA_DIGEST_JOB, at=seven)["digests"] == 2
    assert run(db, AGENDA_DIGEST_JOB, at=seven + timedelta(minutes=30))["digests"] == 0
    [to_ana] = notes(db, NotificationKind.AGENDA_DIGEST, ana)
    assert to_ana.title == "Today at Expo: 2 things planned"
    assert to_ana.body == "09:00 Opening (Room A)  \n11:30 Meeting with Bo Test"
    assert notes(db, NotificationKind.AGENDA_DIGEST, cy) == []  # nothing planned today


def test_a_deleted_person_gets_no_reminder(db):
    ana = person(db, "ana")
    expo = event(db, "expo", LISBON_DAY)
    plan(db, ana, expo, program_session(db, expo, "Keynote", NOW + timedelta(minutes=5)))
    db.get(Person, ana).deleted_at = NOW
    db.flush()
    assert run(db, SESSION_REMINDERS_JOB)["sessions"] == 0
