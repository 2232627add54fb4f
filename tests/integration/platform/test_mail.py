"""Email through a real local SMTP server: the outbox, plain-text and HTML parts, retries."""
from sqlalchemy import select

from core.platform.mail import Mail, SmtpMailer, deliver_outbox, html_page, queue_mail
from core.platform.settings import Settings
from db.models import OutboxMessage, OutboxStatus
from tests.stubs.smtp_server import free_port

MAIL = Mail("ana@x.io", "Hello", "Plain text body", html_page(["HTML <b>body</b>"], ("Open", "http://x.io/a?b=1")))


def test_a_queued_message_is_sent_with_a_text_and_an_html_part(db, clock, smtp_server, mail_settings):
    queue_mail(db, kind="test", mail=MAIL, clock=clock, deliverable=True)
    assert deliver_outbox(db, mailer=SmtpMailer(mail_settings), clock=clock) == {"sent": 1, "failed": 0}
    [received] = smtp_server.inbox.to("ana@x.io")
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in received.walk()
             if not p.is_multipart()}
    assert received["Subject"] == "Hello"
    assert parts["text/plain"].strip() == "Plain text body"
    assert "HTML &lt;b&gt;body&lt;/b&gt;" in parts["text/html"]
    assert db.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT


def test_a_message_that_cannot_be_delivered_stays_queued_with_its_error(db, clock):
    queue_mail(db, kind="test", mail=MAIL, clock=clock, deliverable=True)
    unreachable = Settings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_tls="none")
    assert deliver_outbox(db, mailer=SmtpMailer(unreachable, timeout=2), clock=clock) == {"sent": 0, "failed": 1}
    message = db.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1 and "Connection" in message.error


def test_a_message_composed_without_smtp_is_kept_as_not_sent(db, clock, smtp_server, mail_settings):
    queue_mail(db, kind="test", mail=MAIL, clock=clock, deliverable=False)
    assert deliver_outbox(db, mailer=SmtpMailer(mail_settings), clock=clock) == {"sent": 0, "failed": 0}
    assert smtp_server.inbox.messages == []
    assert db.scalar(select(OutboxMessage.status)) == OutboxStatus.NOT_SENT
