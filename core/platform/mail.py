"""Email: messages composed into the outbox in the caller's transaction, then delivered over SMTP when configured."""
from __future__ import annotations

import html
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.platform.clock import Clock
from core.platform.settings import Settings
from db.models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Mail:
    """One message in plain text and HTML."""

    to: str
    subject: str
    text: str
    html: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class SmtpMailer:
    """Sends through the SMTP server in the settings (STARTTLS, implicit TLS or plain)."""

    def __init__(self, settings: Settings, timeout: float = 20.0):
        self.settings, self.timeout = settings, timeout

    def send(self, mail: Mail) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.mail_from, mail.to, mail.subject
        message.set_content(mail.text)
        message.add_alternative(mail.html, subtype="html")
        if s.smtp_tls == "ssl":
            client = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=self.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self.timeout)
        with client:
            if s.smtp_tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                client.login(s.smtp_user, s.smtp_password.get_secret_value() if s.smtp_password else "")
            client.send_message(message)


def build_mailer(settings: Settings) -> SmtpMailer | None:
    """The SMTP mailer when SMTP_HOST is set; None means the app composes mail but does not send it."""
    return SmtpMailer(settings) if settings.mail_enabled else None


def html_page(paragraphs: list[str], link: tuple[str, str] | None = None) -> str:
    """A minimal HTML body: escaped paragraphs and an optional button link (label, url)."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if link:
        label, url = link
        body += (f'<p><a href="{html.escape(url, quote=True)}" style="background:#3b5bdb;color:#fff;'
                 f'padding:10px 16px;border-radius:6px;text-decoration:none">{html.escape(label)}</a></p>'
                 f"<p>Or paste this address into your browser: {html.escape(url)}</p>")
    return f"<!doctype html><html><body style=\"font-family:sans-serif\">{body}</body></html>"


def queue_mail(session: Session, *, kind: str, mail: Mail, clock: Clock, deliverable: bool) -> OutboxMessage:
    """Record a message in the outbox; `deliverable` False marks it as one the organizer sends themselves."""
    message = OutboxMessage(kind=kind, to_address=mail.to, subject=mail.subject[:300], text_body=mail.text,
                            html_body=mail.html, created_at=clock.now(),
                            status=OutboxStatus.QUEUED if deliverable else OutboxStatus.NOT_SENT)
    session.add(message)
    session.flush()
    return message


def deliver_outbox(session: Session, *, mailer: Mailer, clock: Clock, limit: int = 200) -> dict[str, int]:
    """Send queued messages (oldest first, skipping rows another worker holds); failures are retried later."""
    queued = session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.QUEUED)
                             .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)).all()
    counts = {"sent": 0, "failed": 0}
    for message in queued:
        message.attempts += 1
        try:
            mailer.send(Mail(message.to_address, message.subject, message.text_body, message.html_body))
        except (OSError, smtplib.SMTPException) as exc:
            message.error = f"{type(exc).__name__}: {exc}"[:1000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            counts["failed"] += 1
            continue
        message.status, message.sent_at, message.error = OutboxStatus.SENT, clock.now(), None
        counts["sent"] += 1
    session.flush()
    return counts



def outbox_summary(session: Session) -> dict[str, int]:
    """How many messages the outbox holds per status."""
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: count for status, count in rows}
