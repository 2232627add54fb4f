"""The notification centre on a real Postgres: unread counts, read marks, once-per-key, email preferences that default
to the sign-up consents, email through a real SMTP server only for people who want it, and meeting answers."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agenda.meetings import request_meeting, respond_to_meeting
from core.jobs.registry import get_job
from core.jobs.uploads import import_dataset
from core.networking.notifications import (
    EMAIL_JOB,
    POST_EVENT_FOLLOW_UP,
    NotificationKind,
    consent_of,
    email_pending_notifications,
    email_preferences,
    mark_read,
    notification_feed,
    notify,
    set_email_preferences,
    unread_count,
)
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from core.platform.mail import SmtpMailer, deliver_outbox
from core.platform.settings import Settings
from db.models import Event, Notification, OutboxMessage, Person
from tests.integration.agenda.test_meetings import PROGRAM, TEN
from tests.integration.events.test_attendee_import import HEADER, row

MESSAGE, FOLLOW_UP = NotificationKind.MESSAGE, NotificationKind.FOLLOW_UP_REMINDER


def person(db, name: str, **consents: bool) -> int:
    row = Person(email=f"{name}@x.io", first_name=name.title(), last_name="Test", consents=consents)
    db.add(row)
    db.flush()
    return row.id


def note(db, clock, person_id: int, kind=MESSAGE, key: str | None = None, minutes_ago: int = 0, **extra) -> int | None:
    return notify(db, person_id=person_id, kind=kind, title=f"{kind.value} for {person_id}", link="messages",
                  now=clock.now() - timedelta(minutes=minutes_ago), dedupe_key=key, **extra)


def run_email_job(db, clock, settings: Settings) -> dict:
    return get_job(EMAIL_JOB).body(JobContext(session=db, clock=clock, event_id=None, settings=settings))


def test_the_unread_count_counts_only_this_persons_unread_notifications(db, clock):
    ana, bo = person(db, "ana"), person(db, "bo")
    first = note(db, clock, ana)
    note(db, clock, ana)
    note(db, clock, bo)
    mark_read(db, person_id=ana, now=clock.now(), notification_ids=[first])
    assert unread_count(db, ana) == 1
    assert unread_count(db, bo) == 1


def test_marking_one_read_leaves_the_others_unread_and_mark_all_reads_the_rest(db, clock):
    ana = person(db, "ana")
    ids = [note(db, clock, ana, minutes_ago=m) for m in range(3)]
    assert mark_read(db, person_id=ana, now=clock.now(), notification_ids=[ids[1]]) == 1
    feed = notification_feed(db, ana)
    assert [(n.id, n.unread) for n in feed] == [(ids[0], True), (ids[1], False), (ids[2], True)]
    assert mark_read(db, person_id=ana, now=clock.now()) == 2
    assert unread_count(db, ana) == 0


def test_one_person_cannot_mark_another_persons_notification_read(db, clock):
    ana, bo = person(db, "ana"), person(db, "bo")
    theirs = note(db, clock, bo)
    assert mark_read(db, person_id=ana, now=clock.now(), notification_ids=[theirs]) == 0
    assert unread_count(db, bo) == 1


def test_the_same_dedupe_key_twice_writes_one_notification(db, clock):
    ana = person(db, "ana")
    assert note(db, clock, ana, key="follow-up:event-1") is not None
    assert note(db, clock, ana, key="follow-up:event-1") is None
    assert db.scalar(select(func.count()).select_from(Notification)) == 1


def test_two_concurrent_notifications_with_one_key_write_one(db, engine, clock):
    ana = person(db, "ana")
    db.commit()
    barrier, outcomes = threading.Barrier(2), []

    def write() -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                outcomes.append(note(session, clock, ana, key="reminder:1"))
                session.commit()
            except Exception as exc:  # noqa: BLE001 (the assertion below names it)
                outcomes.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o is None for o in outcomes) == [False, True]
    assert db.scalar(select(func.count()).select_from(Notification)) == 1


def test_the_feed_names_who_each_notification_is_from(db, clock):
    ana, bo = person(db, "ana"), person(db, "bo")
    note(db, clock, ana, actor_id=bo)
    [item] = notification_feed(db, ana)
    assert (item.actor_name, item.label, item.link) == ("Bo Test", "Message", "messages")


def test_email_preferences_default_from_the_sign_up_consents(db):
    both = person(db, "ana", recommendation_emails=True, post_event_follow_up=True)
    follow_ups_only = person(db, "bo", recommendation_emails=False, post_event_follow_up=True)
    imported = person(db, "cy")  # registered by the organizer's upload: no consents given
    assert set(email_preferences(db, both).values()) == {True}
    choices = email_preferences(db, follow_ups_only)
    after_the_event = {k for k in choices if consent_of(k) == POST_EVENT_FOLLOW_UP}
    assert FOLLOW_UP in after_the_event and NotificationKind.FEEDBACK_REQUEST in after_the_event
    assert {k for k, v in choices.items() if v} == after_the_event
    assert set(email_preferences(db, imported).values()) == {False}


def test_a_stored_email_choice_overrides_the_consent_for_that_kind_only(db):
    ana = person(db, "ana", recommendation_emails=True)
    choices = set_email_preferences(db, person_id=ana, choices={MESSAGE.value: False})
    assert choices[MESSAGE] is False and choices[NotificationKind.PING] is True
    assert db.get(Person, ana).notification_preferences == {"message": {"email": False}}


def test_an_unknown_kind_is_refused_when_saving_preferences(db):
    ana = person(db, "ana")
    with pytest.raises(ValueError, match="Unknown notification kinds: spam"):
        set_email_preferences(db, person_id=ana, choices={"spam": True})


def test_notifications_are_emailed_only_to_people_who_want_them(db, clock, smtp_server, mail_settings):
    keen = person(db, "keen", recommendation_emails=True)
    follow_ups = person(db, "fup", post_event_follow_up=True)
    silent = person(db, "silent")
    opted_out = person(db, "optout", recommendation_emails=True)
    set_email_preferences(db, person_id=opted_out, choices={MESSAGE.value: False})
    for someone in (keen, follow_ups, silent, opted_out):
        note(db, clock, someone, MESSAGE)
        note(db, clock, someone, FOLLOW_UP)
    assert run_email_job(db, clock, mail_settings) == {"emailed": 2, "smtp_configured": 1}
    assert deliver_outbox(db, mailer=SmtpMailer(mail_settings), clock=clock) == {"sent": 2, "failed": 0}
    [to_keen] = smtp_server.inbox.to("keen@x.io")
    [to_follow_ups] = smtp_server.inbox.to("fup@x.io")
    assert len(smtp_server.inbox.messages) == 2
    assert to_keen["Subject"] == f"GlobalConnect: message for {keen}"
    assert "http://127.0.0.1:8501/messages" in to_keen.get_body(("plain",)).get_content()
    assert to_follow_ups["Subject"] == f"GlobalConnect: follow_up_reminder for {follow_ups}"
    assert db.scalar(select(func.count()).where(Notification.emailed_at.is_not(None))) == 2


def test_a_notification_is_emailed_once_however_often_the_job_runs(db, clock, mail_settings):
    keen = person(db, "keen", recommendation_emails=True)
    note(db, clock, keen)
    assert run_email_job(db, clock, mail_settings)["emailed"] == 1
    assert run_email_job(db, clock, mail_settings)["emailed"] == 0
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_two_email_passes_at_once_queue_each_mail_once(db, engine, clock, mail_settings):
    people_ids = [person(db, f"p{n}", recommendation_emails=True) for n in range(20)]
    for someone in people_ids:
        note(db, clock, someone)
    db.commit()
    barrier, outcomes = threading.Barrier(2), []

    def email_pass() -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                outcomes.append(email_pending_notifications(session, clock=clock, base_url="http://app"))
                session.commit()
            except Exception as exc:  # noqa: BLE001
                outcomes.append(exc)

    threads = [threading.Thread(target=email_pass) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(outcomes) == 20, outcomes
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 20


def test_without_smtp_nothing_is_queued_and_the_notifications_wait(db, clock):
    keen = person(db, "keen", recommendation_emails=True)
    note(db, clock, keen)
    assert run_email_job(db, clock, Settings(smtp_host=None)) == {"emailed": 0, "smtp_configured": 0}
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.scalar(select(Notification.emailed_at)) is None


def test_a_notification_older_than_a_day_is_never_emailed(db, clock, mail_settings):
    keen = person(db, "keen", recommendation_emails=True)
    note(db, clock, keen, minutes_ago=25 * 60)
    assert run_email_job(db, clock, mail_settings)["emailed"] == 0


def test_notify_with_a_base_url_queues_the_mail_at_once(db, clock):
    keen, silent = person(db, "keen", recommendation_emails=True), person(db, "silent")
    for someone in (keen, silent):
        note(db, clock, someone, email_base_url="https://gc.example/")
    outbox = db.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in outbox] == ["keen@x.io"]
    assert "https://gc.example/messages" in outbox[0].text_body


def test_a_deleted_person_gets_no_email(db, clock, mail_settings):
    gone = person(db, "gone", recommendation_emails=True)
    db.get(Person, gone).deleted_at = clock.now()
    note(db, clock, gone)
    assert run_email_job(db, clock, mail_settings)["emailed"] == 0


@pytest.fixture
def people(db, clock):
    """Two attendees of one event with a morning program, at 08:00 on its day."""
    clock.at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    import_dataset(db, kind="sessions", data=PROGRAM.encode(), filename="p.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "A") + row("b@x.io", "B")).encode(),
                   filename="a.csv", event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    return db.scalar(select(Event.id)), {p.email[0]: p.id for p in db.scalars(select(Person))}


def meeting_notes(db, person_id: int) -> list[tuple[str, str, int | None, str]]:
    return [(n.kind, n.title, n.actor_id, n.link) for n in db.scalars(
        select(Notification).where(Notification.person_id == person_id).order_by(Notification.id))]


def test_a_meeting_request_notifies_the_recipient_with_a_link_to_my_agenda(db, clock, people):
    event_id, ids = people
    request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN], clock=clock,
                    message="Coffee?")
    [(kind, title, actor, link)] = meeting_notes(db, ids["b"])
    assert (kind, actor, link) == ("meeting_answer", ids["a"], "my-agenda")
    assert "asked you for a 1:1 meeting" in title
    assert "Coffee?" in db.scalar(select(Notification.body))
    assert meeting_notes(db, ids["a"]) == []


@pytest.mark.parametrize(("action", "said"), [("accept", "accepted"), ("decline", "declined"),
                                              ("reschedule", "proposed other times"), ("cancel", "declined")])
def test_each_meeting_answer_notifies_the_other_person(db, clock, people, action, said):
    event_id, ids = people
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN],
                              clock=clock)
    later = FixedClock(clock.now() + timedelta(minutes=1))
    other_slot = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["b"], action=action, clock=later, slot=TEN,
                       new_slots=[other_slot])
    [(kind, title, actor, link)] = meeting_notes(db, ids["a"])
    assert (kind, actor, link) == ("meeting_answer", ids["b"], "my-agenda")
    assert said in title


def test_cancelling_an_accepted_meeting_notifies_the_other_person(db, clock, people):
    event_id, ids = people
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN],
                              clock=clock)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["b"], action="accept", slot=TEN, clock=clock)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["a"], action="cancel", clock=clock)
    titles = [title for _, title, _, _ in meeting_notes(db, ids["b"])]
    assert len(titles) == 2 and "cancelled your 1:1 meeting" in titles[1]


def test_a_requester_withdrawing_a_pending_request_notifies_the_recipient(db, clock, people):
    event_id, ids = people
    meeting = request_meeting(db, event_id=event_id, requester_id=ids["a"], recipient_id=ids["b"], slots=[TEN],
                              clock=clock)
    respond_to_meeting(db, meeting_id=meeting.id, person_id=ids["a"], action="cancel", clock=clock)
    assert "withdrew their 1:1 meeting request" in meeting_notes(db, ids["b"])[-1][1]
