"""In-app notifications: written once per trigger, listed newest first, counted while unread; each emailed too when
the person's preference for its kind (by default their sign-up consent) allows it and SMTP is configured."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Boolean, case, cast, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from core.events.visibility import live
from core.networking.visibility import visible_to
from core.platform.clock import Clock, FixedClock
from core.platform.job_context import JobContext
from core.platform.mail import Mail, html_page, queue_mail
from core.platform.settings import get_settings
from db.models import Notification, Person

TITLE_LIMIT = 200
BODY_LIMIT = 2000


class NotificationKind(StrEnum):
    """What a notification is about; the notification centre shows each with its own label and icon."""

    CONNECTION_REQUEST = "connection_request"
    REQUEST_ACCEPTED = "request_accepted"
    PING = "ping"
    MESSAGE = "message"
    MEETING_ANSWER = "meeting_answer"
    FOLLOW_UP_REMINDER = "follow_up_reminder"
    FOLLOW_UP = "follow_up"
    CONNECTION_ATTENDING = "connection_attending"
    CONNECTION_HERE = "connection_here"
    DIGEST = "digest"
    FEEDBACK_REQUEST = "feedback_request"
    SESSION_REMINDER = "session_reminder"
    MEETING_REMINDER = "meeting_reminder"
    AGENDA_DIGEST = "agenda_digest"
    MODERATION = "moderation"
    HUDDLE_INVITATION = "huddle_invitation"
    HUDDLE_UPDATE = "huddle_update"
    PROFILE_INCOMPLETE = "profile_incomplete"
    BADGE_EARNED = "badge_earned"


def notify(session: Session, *, person_id: int, kind: NotificationKind, title: str, now: datetime, body: str = "",
           link: str = "", actor_id: int | None = None, dedupe_key: str | None = None,
           email_base_url: str | None = None) -> int | None:
    """Write one notification; with a `dedupe_key` a second call for the same person and key writes nothing.

    With `email_base_url` (pass it only when SMTP is configured) the email is queued at once if the person wants it;
    otherwise the `email-notifications` job queues it within minutes. Returns the new notification's id, or None
    when it already existed."""
    written = write_notifications(session, [NewNotification(person_id, kind, title, body, link, actor_id, dedupe_key)],
                                  now=now, email_base_url=email_base_url)
    return written[0] if written else None


@dataclass(frozen=True)
class NewNotification:
    """One notification to write (see `notify`)."""

    person_id: int
    kind: NotificationKind
    title: str
    body: str = ""
    link: str = ""
    actor_id: int | None = None
    dedupe_key: str | None = None


def write_notifications(session: Session, notifications: list[NewNotification], *, now: datetime,
                        email_base_url: str | None = None) -> list[int]:
    """Write these notifications in one statement (as `notify` writes one); returns the ids of those written."""
    if not notifications:
        return []
    rows = [dict(person_id=n.person_id, kind=n.kind.value, title=n.title[:TITLE_LIMIT], body=n.body[:BODY_LIMIT],
                 link=n.link[:200], actor_id=n.actor_id, dedupe_key=n.dedupe_key, created_at=now)
            for n in notifications]
    # the rows as parameters of one compiled statement, sent in batches (SQLAlchemy's "insertmanyvalues")
    written = list(session.scalars(insert(Notification).on_conflict_do_nothing(constraint="uq_notification_once")
                                   .returning(Notification.id), rows))
    if written and email_base_url:
        email_pending_notifications(session, clock=FixedClock(now), base_url=email_base_url,
                                    notification_ids=written)
    return written


def _shown(person_id):
    """Notifications a person (an id or the person column) sees: none from someone either of them blocked, nor from
    someone who is not live (deleted, deletion requested): the visible-people rule without matching."""
    return or_(Notification.actor_id.is_(None), visible_to(person_id, Notification.actor_id, matching=False))


def unread_count(session: Session, person_id: int) -> int:
    """How many of the person's notifications are unread."""
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.person_id == person_id, Notification.read_at.is_(None), _shown(person_id))) or 0


def notifications_of(session: Session, person_id: int, *, limit: int = 50, unread_only: bool = False
                     ) -> list[Notification]:
    """The person's notifications, newest first."""
    query = select(Notification).where(Notification.person_id == person_id, _shown(person_id))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                                .limit(limit)))


def mark_read(session: Session, *, person_id: int, now: datetime, notification_ids: list[int] | None = None) -> int:
    """Mark these notifications (or all of the person's) read; returns how many changed."""
    statement = update(Notification).where(Notification.person_id == person_id, Notification.read_at.is_(None))
    if notification_ids is not None:
        statement = statement.where(Notification.id.in_(notification_ids))
    changed = session.execute(statement.values(read_at=now)).rowcount
    session.flush()
    return changed


# ---- the notification centre: labels, the page's list, preferences and email --------------------------------------

PAGE_SIZE = 50
EMAIL_JOB = "email-notifications"
# A notification older than this is never emailed: switching email on, or configuring SMTP, mails no backlog.
EMAIL_WINDOW = timedelta(hours=24)
RECOMMENDATION_EMAILS, POST_EVENT_FOLLOW_UP = "recommendation_emails", "post_event_follow_up"

KIND_LABELS: dict[str, str] = {
    NotificationKind.CONNECTION_REQUEST: "Connection request",
    NotificationKind.REQUEST_ACCEPTED: "Request accepted",
    NotificationKind.PING: "Ping",
    NotificationKind.MESSAGE: "Message",
    NotificationKind.MEETING_ANSWER: "Meeting",
    NotificationKind.FOLLOW_UP_REMINDER: "Follow-up reminder",
    NotificationKind.FOLLOW_UP: "Follow-up",
    NotificationKind.CONNECTION_ATTENDING: "Connection also attending",
    NotificationKind.CONNECTION_HERE: "Connections at your event",
    NotificationKind.DIGEST: "Monthly network digest",
    NotificationKind.FEEDBACK_REQUEST: "Feedback request",
    NotificationKind.SESSION_REMINDER: "Session reminder",
    NotificationKind.MEETING_REMINDER: "Meeting reminder",
    NotificationKind.AGENDA_DIGEST: "Today's agenda",
    NotificationKind.MODERATION: "From the moderators",
    NotificationKind.HUDDLE_INVITATION: "Huddle invitation",
    NotificationKind.HUDDLE_UPDATE: "Huddle update",
    NotificationKind.PROFILE_INCOMPLETE: "Complete your profile",
    NotificationKind.BADGE_EARNED: "Badge earned",
}
# Seed 000 §11.4: the sign-up consent that sets a kind's email default. Follow-up reminders follow
# "post-event follow-ups"; everything about matches, requests, messages and meetings follows "recommendation
# notifications".
KIND_CONSENT: dict[str, str] = {NotificationKind.FOLLOW_UP_REMINDER: POST_EVENT_FOLLOW_UP,
                                NotificationKind.FOLLOW_UP: POST_EVENT_FOLLOW_UP,
                                NotificationKind.FEEDBACK_REQUEST: POST_EVENT_FOLLOW_UP,
                                NotificationKind.DIGEST: POST_EVENT_FOLLOW_UP}


def kind_label(kind: str) -> str:
    """The human label of a notification kind (a kind added later without a label gets a readable one)."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def consent_of(kind: str) -> str:
    """The consent key (people.consents) that gives this kind's email default."""
    return KIND_CONSENT.get(kind, RECOMMENDATION_EMAILS)


def email_choices(preferences: dict | None, consents: dict | None) -> dict[str, bool]:
    """Email on/off per kind: the person's stored choice, else their consent for that kind, else off."""
    preferences, consents = preferences or {}, consents or {}
    choices = {}
    for kind in NotificationKind:
        stored = (preferences.get(kind.value) or {}).get("email")
        choices[kind.value] = bool(stored) if stored is not None else bool(consents.get(consent_of(kind.value)))
    return choices


def email_preferences(session: Session, person_id: int) -> dict[str, bool]:
    """The person's email choice per notification kind (in-app is always on)."""
    row = session.execute(select(Person.notification_preferences, Person.consents)
                          .where(Person.id == person_id)).first()
    return email_choices(*(row or (None, None)))


def set_email_preferences(session: Session, *, person_id: int, choices: dict[str, bool]) -> dict[str, bool]:
    """Store the person's email choice for these kinds (others keep theirs); returns every kind's choice."""
    known = {k.value for k in NotificationKind}
    unknown = set(choices) - known
    if unknown:
        raise ValueError(f"Unknown notification kinds: {', '.join(sorted(unknown))}.")
    person = session.get(Person, person_id, with_for_update={"key_share": True}, populate_existing=True)
    if person is None:
        raise ValueError("That person does not exist.")
    stored = {k: dict(v) for k, v in (person.notification_preferences or {}).items()}
    for kind, email in choices.items():
        stored.setdefault(kind, {})["email"] = bool(email)
    person.notification_preferences = stored
    session.flush()
    return email_choices(stored, person.consents)


@dataclass(frozen=True)
class NotificationItem:
    """One line of the notification centre."""

    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    actor_name: str | None

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    @property
    def unread(self) -> bool:
        return self.read_at is None


def notification_feed(session: Session, person_id: int, *, limit: int = PAGE_SIZE, offset: int = 0,
                      unread_only: bool = False) -> list[NotificationItem]:
    """A page of the person's notifications, newest first, with the name of who each is from."""
    actor = aliased(Person)
    query = (select(Notification.id, Notification.kind, Notification.title, Notification.body, Notification.link,
                    Notification.created_at, Notification.read_at, actor.first_name, actor.last_name)
             .outerjoin(actor, actor.id == Notification.actor_id)
             .where(Notification.person_id == person_id, _shown(person_id)))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    rows = session.execute(
        query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit).offset(offset))
    return [NotificationItem(r.id, r.kind, r.title, r.body, r.link, r.created_at, r.read_at,
                             f"{r.first_name} {r.last_name}".strip() if r.first_name is not None else None)
            for r in rows]


def notification_total(session: Session, person_id: int) -> int:
    """How many notifications the person has, read or not."""
    return session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.person_id == person_id, _shown(person_id))) or 0


def time_ago(then: datetime, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '4 days ago', else the date."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return f"{then:%d %b %Y}"


def _wants_email():
    """SQL: the person (joined as Person) wants email for the notification's kind: their stored choice for it,
    else the consent for it, else no."""
    consent_key = case({k: v for k, v in KIND_CONSENT.items()}, value=Notification.kind, else_=RECOMMENDATION_EMAILS)
    stored = Person.notification_preferences.op("->")(Notification.kind).op("->>")("email")
    consent = Person.consents.op("->>")(consent_key)
    return func.coalesce(cast(stored, Boolean), cast(consent, Boolean), false())


def notification_mail(*, to: str, kind: str, title: str, body: str, link: str, base_url: str) -> Mail:
    """The email of one notification: plain text (and the same as simple HTML) with a link into the app."""
    base = base_url.rstrip("/")
    url = f"{base}/{link.strip('/') or 'notifications'}"
    subject = " ".join(title.split()) or kind_label(kind)
    paragraphs = [subject, *([body.strip()] if body.strip() else [])]
    why = (f"You get this email because email is on for {kind_label(kind).lower()} notifications. Turn it off "
           f"under Notifications in GlobalConnect: {base}/notifications")
    text = "\n\n".join([*paragraphs, f"Open it in GlobalConnect: {url}", why]) + "\n"
    return Mail(to=to, subject=f"GlobalConnect: {subject}", text=text,
                html=html_page([*paragraphs, why], link=("Open in GlobalConnect", url)))


def email_pending_notifications(session: Session, *, clock: Clock, base_url: str, limit: int = 500,
                                notification_ids: list[int] | None = None) -> int:
    """Queue the email of each recent notification not emailed yet whose person wants it (skipping rows another
    worker holds), and mark it emailed; returns how many were queued. Call it only when SMTP is configured."""
    now = clock.now()
    query = (select(Notification, Person.email).join(Person, Person.id == Notification.person_id)
             .where(Notification.emailed_at.is_(None), Notification.created_at >= now - EMAIL_WINDOW,
                    live(Person), _wants_email(), _shown(Notification.person_id)))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    rows = session.execute(query.order_by(Notification.id).limit(limit)
                           .with_for_update(of=Notification, skip_locked=True)).all()
    for notification, address in rows:
        queue_mail(session, kind=f"notification:{notification.kind}"[:40], clock=clock, deliverable=True,
                   mail=notification_mail(to=address, kind=notification.kind, title=notification.title,
                                          body=notification.body, link=notification.link, base_url=base_url))
        notification.emailed_at = now
    session.flush()
    return len(rows)


def email_notifications_job(ctx: JobContext) -> dict:
    """Job body: email the recent notifications whose people want them, when SMTP is configured."""
    settings = ctx.settings or get_settings()
    if not settings.mail_enabled:
        return {"emailed": 0, "smtp_configured": 0}
    return {"emailed": email_pending_notifications(ctx.session, clock=ctx.clock, base_url=settings.public_base_url),
            "smtp_configured": 1}
