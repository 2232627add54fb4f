"""Retention triggers on a real Postgres: "also attending", "connections here", the monthly digest and the feedback
campaign each fire once per person per trigger, however often their job runs, and never for people without one."""
import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.jobs.registry import get_job
from core.networking.notifications import NotificationKind, set_email_preferences
from core.networking.retention import ARRIVALS_JOB, DIGEST_JOB, FEEDBACK_JOB, send_feedback_campaigns
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from core.platform.mail import SmtpMailer, deliver_outbox
from db.models import Block, Connection, Event, Notification, Person, Registration

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def person(db, name: str, **consents: bool) -> int:
    row = Person(email=f"{name}@x.io", first_name=name.title(), last_name="Test", consents=consents)
    db.add(row)
    db.flush()
    return row.id


def event(db, slug: str, starts_on: date, ends_on: date | None = None, timezone: str = "UTC") -> int:
    row = Event(slug=slug, name=slug.title(), starts_on=starts_on, ends_on=ends_on or starts_on, timezone=timezone)
    db.add(row)
    db.flush()
    return row.id


def register(db, person_id: int, event_id: int, at: datetime, checked_in: datetime | None = None) -> None:
    db.add(Registration(person_id=person_id, event_id=event_id, registered_at=at, checked_in_at=checked_in))
    db.flush()


def connect(db, a: int, b: int, event_id: int | None = None, at: datetime = NOW - timedelta(days=90),
            interactions: int = 1) -> int:
    low, high = sorted((a, b))
    row = Connection(person_a_id=low, person_b_id=high, event_id=event_id, source="recommendation", status="active",
                     created_at=at, interaction_count=interactions)
    db.add(row)
    db.flush()
    return row.id


def run(db, job_id: str, at: datetime = NOW) -> dict:
    return get_job(job_id).body(JobContext(session=db, clock=FixedClock(at), event_id=None))


def notes(db, kind: NotificationKind, person_id: int | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.kind == kind.value)
    if person_id is not None:
        query = query.where(Notification.person_id == person_id)
    return list(db.scalars(query.order_by(Notification.id)))


def test_a_new_registrant_hears_once_about_each_connection_already_attending(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    summit, origin = event(db, "summit", date(2027, 3, 1)), event(db, "origin", date(2026, 5, 1))
    connect(db, ana, bo, origin)
    register(db, bo, summit, NOW - timedelta(days=10))
    register(db, ana, summit, NOW - timedelta(hours=2))
    register(db, cy, summit, NOW - timedelta(hours=1))
    assert run(db, ARRIVALS_JOB)["attending"] == 1
    assert run(db, ARRIVALS_JOB)["attending"] == 0
    [note] = notes(db, NotificationKind.CONNECTION_ATTENDING)
    assert note.person_id == ana and note.actor_id == bo
    assert note.title == "Bo Test is also attending"
    assert note.body == "Your connection from Origin is going to Summit too."


def test_the_connection_who_registered_first_is_not_told_about_the_newcomer(db):
    ana, bo = person(db, "ana"), person(db, "bo")
    summit = event(db, "summit", date(2027, 3, 1))
    connect(db, ana, bo)
    register(db, bo, summit, NOW - timedelta(days=10))
    register(db, ana, summit, NOW - timedelta(hours=2))
    run(db, ARRIVALS_JOB)
    assert notes(db, NotificationKind.CONNECTION_ATTENDING, bo) == []


def test_a_registration_older_than_the_lookback_or_a_blocked_connection_notifies_nobody(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    summit = event(db, "summit", date(2027, 3, 1))
    connect(db, ana, bo)
    connect(db, cy, bo)
    db.add(Block(blocker_id=bo, blocked_id=cy, created_at=NOW))
    register(db, bo, summit, NOW - timedelta(days=10))
    register(db, ana, summit, NOW - timedelta(days=3))
    register(db, cy, summit, NOW - timedelta(hours=1))
    assert run(db, ARRIVALS_JOB)["attending"] == 0


def test_a_check_in_tells_the_person_once_how_many_connections_are_there(db):
    ana, bo, cy, dee = person(db, "ana"), person(db, "bo"), person(db, "cy"), person(db, "dee")
    summit = event(db, "summit", date(2026, 12, 1))
    connect(db, ana, bo)
    connect(db, ana, cy)
    for someone in (bo, cy, dee):
        register(db, someone, summit, NOW - timedelta(days=5), checked_in=NOW - timedelta(hours=1))
    register(db, ana, summit, NOW - timedelta(days=5), checked_in=NOW - timedelta(minutes=3))
    assert run(db, ARRIVALS_JOB)["here"] == 3  # Ana (2 connections), Bo and Cy (Ana each); Dee has none
    assert run(db, ARRIVALS_JOB)["here"] == 0
    [note] = notes(db, NotificationKind.CONNECTION_HERE, ana)
    assert note.title == "2 of your connections are here"
    assert "Bo Test" in note.body and "Cy Test" in note.body and note.link == "my-network?tab=activity"
    assert notes(db, NotificationKind.CONNECTION_HERE, dee) == []


def test_the_monthly_digest_goes_once_to_people_with_news_only(db):
    ana, bo, cy, dee, eve = (person(db, n) for n in ("ana", "bo", "cy", "dee", "eve"))
    summit = event(db, "summit", date(2027, 3, 1))
    connect(db, ana, bo, at=NOW - timedelta(days=5), interactions=4)  # new this month
    connect(db, cy, dee, at=NOW - timedelta(days=200))  # old, and Dee attends an upcoming event
    connect(db, eve, person(db, "fay"), at=NOW - timedelta(days=200))  # old, nothing upcoming
    register(db, dee, summit, NOW - timedelta(days=40))
    assert run(db, DIGEST_JOB)["digests"] == 3  # Ana, Bo and Cy; not Dee, Eve or Fay
    assert run(db, DIGEST_JOB)["digests"] == 0
    [to_ana] = notes(db, NotificationKind.DIGEST, ana)
    assert to_ana.title == "Your network in December"
    assert to_ana.body == "1 new connection this month (1 in all). Most in touch: Bo Test."
    [to_cy] = notes(db, NotificationKind.DIGEST, cy)
    assert "1 upcoming event where your connections are going." in to_cy.body
    assert notes(db, NotificationKind.DIGEST, eve) == []


def test_the_next_month_brings_a_new_digest(db):
    ana, bo = person(db, "ana"), person(db, "bo")
    connect(db, ana, bo, at=NOW - timedelta(days=5))
    run(db, DIGEST_JOB)
    assert run(db, DIGEST_JOB, at=NOW + timedelta(days=31))["digests"] == 0  # no news any more
    connect(db, ana, person(db, "cy"), at=NOW + timedelta(days=20))
    assert run(db, DIGEST_JOB, at=NOW + timedelta(days=31))["digests"] == 2


def ended_event(db, name: str = "summit", days_ago: int = 1, **kwargs) -> int:
    """An event whose last day was `days_ago` days before NOW's date (it ended at the following midnight)."""
    day = NOW.date() - timedelta(days=days_ago + 1)
    return event(db, name, day - timedelta(days=1), day, **kwargs)


def test_the_feedback_campaign_asks_each_attendee_with_connections_there_once(db):
    ana, bo, cy, dee = (person(db, n) for n in ("ana", "bo", "cy", "dee"))
    summit, other = ended_event(db), event(db, "other", date(2026, 6, 1))
    connect(db, ana, bo, summit)
    connect(db, ana, cy, summit)
    connect(db, dee, bo, other)
    assert run(db, FEEDBACK_JOB) == {"events": 1, "requests": 3}
    assert run(db, FEEDBACK_JOB) == {"events": 0, "requests": 0}
    [to_ana] = notes(db, NotificationKind.FEEDBACK_REQUEST, ana)
    assert to_ana.title == "How were your connections?"
    assert to_ana.body == "You met 2 people at Summit. Quick feedback helps us improve."
    assert notes(db, NotificationKind.FEEDBACK_REQUEST, dee) == []
    assert db.get(Event, summit).feedback_campaign_sent_at == NOW


def test_the_campaign_waits_a_day_after_the_event_and_skips_events_ended_over_two_days_ago(db):
    ana, bo = person(db, "ana"), person(db, "bo")
    today = event(db, "today", NOW.date())
    long_ago = ended_event(db, "long-ago", days_ago=3)
    connect(db, ana, bo, today)
    connect(db, ana, person(db, "cy"), long_ago)
    assert run(db, FEEDBACK_JOB) == {"events": 0, "requests": 0}
    assert run(db, FEEDBACK_JOB, at=NOW + timedelta(days=2)) == {"events": 1, "requests": 2}


def test_the_campaign_uses_the_events_own_time_zone(db):
    # The last day ended at midnight in Honolulu, 10:00 UTC on 29 November: 47 hours before NOW, inside the window
    # (read as UTC it would have ended 57 hours ago, outside it).
    honolulu = event(db, "honolulu", date(2026, 11, 28), timezone="Pacific/Honolulu")
    connect(db, person(db, "ana"), person(db, "bo"), honolulu)
    assert run(db, FEEDBACK_JOB)["events"] == 1


def test_two_workers_running_the_campaign_at_once_send_it_once(db, engine):
    ana, bo = person(db, "ana"), person(db, "bo")
    connect(db, ana, bo, ended_event(db))
    db.commit()
    barrier, results = threading.Barrier(2), []

    def worker() -> None:
        with Session(engine) as session, session.begin():
            barrier.wait(timeout=10)
            results.append(send_feedback_campaigns(session, now=NOW))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r["events"] for r in results) == [0, 1]
    assert db.scalar(select(func.count()).select_from(Notification)) == 2


def test_the_campaign_email_reaches_only_the_people_who_consented(db, clock, smtp_server, mail_settings):
    keen, quiet, opted_out = (person(db, "keen", post_event_follow_up=True), person(db, "quiet"),
                              person(db, "optout", post_event_follow_up=True))
    set_email_preferences(db, person_id=opted_out, choices={NotificationKind.FEEDBACK_REQUEST.value: False})
    summit = ended_event(db)
    connect(db, keen, quiet, summit)
    connect(db, opted_out, quiet, summit)
    clock.at = NOW
    run(db, FEEDBACK_JOB)
    emailed = get_job("email-notifications").body(JobContext(session=db, clock=clock, event_id=None,
                                                             settings=mail_settings))
    assert emailed == {"emailed": 1, "smtp_configured": 1}
    assert deliver_outbox(db, mailer=SmtpMailer(mail_settings), clock=clock) == {"sent": 1, "failed": 0}
    [mail] = smtp_server.inbox.to("keen@x.io")
    assert len(smtp_server.inbox.messages) == 1
    assert mail["Subject"] == "GlobalConnect: How were your connections?"
    assert "You met 1 person at Summit." in mail.get_body(("plain",)).get_content()
