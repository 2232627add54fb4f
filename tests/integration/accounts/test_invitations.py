"""Invitations and password links on real Postgres: signed, single-use, expiring, bound to a person and event."""
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.accounts import AccountError, create_account
from core.accounts.sessions import log_in
from core.accounts.tokens import (
    LinkError,
    accept_invitation,
    change_password,
    create_reset_link,
    generate_invitations,
    open_invitation,
    request_password_reset,
    reset_password,
)
from core.jobs.uploads import import_dataset
from core.platform.clock import FixedClock
from core.platform.mail import SmtpMailer, deliver_outbox
from db.models import Account, Event
from tests.integration.events.test_attendee_import import HEADER, row

KEY = "k" * 40
BASE = "http://127.0.0.1:8501"


@pytest.fixture
def event_id(db, clock):
    data = (HEADER + row("ana@x.io", first="Ana") + row("bo@x.io", first="Bo")).encode()
    import_dataset(db, kind="attendees", data=data, filename="a.csv", event_slug="expo", actor_id=None, clock=clock,
                   max_mb=5)
    db.commit()
    return db.scalar(select(Event.id))


def invite(db, clock, event_id, send=False):
    return {link.email: link for link in generate_invitations(
        db, event_id=event_id, actor_id=None, clock=clock, key=KEY, base_url=BASE, days=14, send=send)}


def token_of(link: str) -> str:
    return parse_qs(urlparse(link).query)["token"][0]


def test_every_attendee_without_an_account_gets_a_link_to_the_invitation_page(db, clock, event_id):
    links = invite(db, clock, event_id)
    assert sorted(links) == ["ana@x.io", "bo@x.io"]
    assert links["ana@x.io"].link.startswith(f"{BASE}/accept-invitation?token=")
    assert open_invitation(db, token=token_of(links["ana@x.io"].link), key=KEY, clock=clock).email == "ana@x.io"


def test_accepting_creates_an_attendee_account_linked_to_the_person(db, clock, event_id):
    token = token_of(invite(db, clock, event_id)["ana@x.io"].link)
    account = accept_invitation(db, token=token, username="ana", password="a-good-password", key=KEY, clock=clock)
    assert account.roles == ["attendee"] and account.person.email == "ana@x.io"
    assert log_in(db, username="ana", password="a-good-password", client="c", clock=clock).account_id == account.id


def test_a_link_works_once(db, clock, event_id):
    token = token_of(invite(db, clock, event_id)["ana@x.io"].link)
    accept_invitation(db, token=token, username="ana", password="a-good-password", key=KEY, clock=clock)
    with pytest.raises(LinkError, match="used already"):
        accept_invitation(db, token=token, username="ana2", password="a-good-password", key=KEY, clock=clock)


def test_a_link_expires(db, clock, event_id):
    token = token_of(invite(db, clock, event_id)["ana@x.io"].link)
    later = FixedClock(clock.now() + timedelta(days=15))
    with pytest.raises(LinkError, match="expired"):
        accept_invitation(db, token=token, username="ana", password="a-good-password", key=KEY, clock=later)


def test_a_tampered_or_foreign_link_is_refused(db, clock, event_id):
    token = token_of(invite(db, clock, event_id)["ana@x.io"].link)
    nonce, _, signature = token.partition(".")
    for forged in (f"{nonce}x.{signature}", f"{nonce}.{signature[::-1]}", ""):
        with pytest.raises(LinkError, match="not valid"):
            open_invitation(db, token=forged, key=KEY, clock=clock)
    with pytest.raises(LinkError, match="not valid"):
        open_invitation(db, token=token, key="other" * 10, clock=clock)


def test_a_new_round_of_invitations_replaces_the_old_links_and_skips_people_with_accounts(db, clock, event_id):
    first = invite(db, clock, event_id)
    accept_invitation(db, token=token_of(first["bo@x.io"].link), username="bob", password="a-good-password", key=KEY,
                      clock=clock)
    second = invite(db, clock, event_id)
    assert sorted(second) == ["ana@x.io"]
    with pytest.raises(LinkError):
        open_invitation(db, token=token_of(first["ana@x.io"].link), key=KEY, clock=clock)


def test_invitations_are_emailed_through_smtp_when_it_is_configured(db, clock, event_id, smtp_server, mail_settings):
    links = invite(db, clock, event_id, send=True)
    deliver_outbox(db, mailer=SmtpMailer(mail_settings), clock=clock)
    [message] = smtp_server.inbox.to("ana@x.io")
    assert "invitation" in message["Subject"].lower()
    assert links["ana@x.io"].link in message.get_body(("plain",)).get_content()


def test_two_concurrent_acceptances_of_one_link_create_one_account(db, engine, clock, event_id):
    token = token_of(invite(db, clock, event_id)["ana@x.io"].link)
    db.commit()
    barrier, outcomes = threading.Barrier(2), []

    def accept(username: str) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                accept_invitation(session, token=token, username=username, password="a-good-password", key=KEY,
                                  clock=clock)
                session.commit()
                outcomes.append("created")
            except (LinkError, AccountError) as exc:
                outcomes.append(str(exc))

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("ana", "ana-too")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 1
    assert any("used already" in outcome for outcome in outcomes)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Account)) == 1


def test_a_reset_link_sets_a_new_password_once_and_signs_out_other_logins(db, clock):
    account = create_account(db, actor_id=None, username="cyd", email="cy@x.io", display_name="Cy",
                             password="old-password-1", roles=["organizer"])
    link = create_reset_link(db, account_id=account.id, actor_id=None, clock=clock, key=KEY, base_url=BASE, hours=24)
    assert link.startswith(f"{BASE}/reset-password?token=")
    reset_password(db, token=token_of(link), new_password="new-password-1", key=KEY, clock=clock)
    assert account.session_version == 2
    assert log_in(db, username="cyd", password="new-password-1", client="c", clock=clock).ok
    with pytest.raises(LinkError, match="used already"):
        reset_password(db, token=token_of(link), new_password="newer-password-1", key=KEY, clock=clock)


def test_forgot_password_emails_a_link_only_for_a_known_address(db, clock, smtp_server, mail_settings):
    create_account(db, actor_id=None, username="cyd", email="cy@x.io", display_name="Cy", password="old-password-1",
                   roles=["organizer"])
    for address in ("cy@x.io", "nobody@x.io"):
        request_password_reset(db, email=address, clock=clock, key=KEY, base_url=BASE, hours=24, send=True)
    deliver_outbox(db, mailer=SmtpMailer(mail_settings), clock=clock)
    assert [m["To"] for m in smtp_server.inbox.messages] == ["cy@x.io"]
    assert "/reset-password?token=" in smtp_server.inbox.messages[0].get_body(("plain",)).get_content()


def test_changing_a_password_needs_the_current_one(db, clock):
    account = create_account(db, actor_id=None, username="cyd", email="cy@x.io", display_name="Cy",
                             password="old-password-1", roles=["organizer"])
    with pytest.raises(AccountError, match="current password"):
        change_password(db, account_id=account.id, current="nope-nope-1", new="new-password-1", clock=clock)
    change_password(db, account_id=account.id, current="old-password-1", new="new-password-1", clock=clock)
    assert log_in(db, username="cyd", password="new-password-1", client="c", clock=clock).ok


@pytest.mark.parametrize("password, message", [("short", "at least 8"), ("x" * 73, "at most 72 bytes"),
                                               ("é" * 37, "at most 72 bytes")])
def test_passwords_outside_8_to_72_bytes_are_refused_with_a_clear_message(db, password, message):
    with pytest.raises(AccountError, match=message):
        create_account(db, actor_id=None, username="dee", email="dee@x.io", display_name="Dee", password=password,
                       roles=["attendee"])
