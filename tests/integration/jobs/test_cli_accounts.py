"""The account commands of the CLI (create-admin, invite) and its refusal to run insecurely, as real subprocesses."""
import csv

from sqlalchemy import func, select

from core.accounts.sessions import log_in
from db.models import Account, OutboxMessage
from tests.integration.events.test_attendee_import import HEADER, row
from tests.integration.jobs.test_cli import cli

SECURE = {"DEMO_MODE": "false", "COOKIE_KEY": "a-real-secret-key-that-is-long-enough-123"}


def test_create_admin_reads_the_password_from_the_environment(db, clock, database_url):
    result = cli("create-admin", "--username", "boss", "--email", "boss@x.io", database_url=database_url,
                 env={**SECURE, "ADMIN_PASSWORD": "a-strong-password"})
    assert result.returncode == 0, result.stderr
    assert log_in(db, username="boss", password="a-strong-password", client="t", clock=clock).ok
    assert db.scalar(select(Account.roles).where(Account.username == "boss")) == ["admin"]


def test_create_admin_refuses_a_short_password_with_the_rule(db, database_url):
    result = cli("create-admin", "--username", "boss", "--email", "boss@x.io", database_url=database_url,
                 env={**SECURE, "ADMIN_PASSWORD": "short"})
    assert result.returncode == 2 and "at least 8" in result.stderr


def test_outside_demo_mode_the_default_cookie_key_refuses_to_start_with_how_to_fix_it(db, database_url):
    result = cli("migrate", database_url=database_url, env={"DEMO_MODE": "false", "COOKIE_KEY": ""})
    assert result.returncode == 2 and "COOKIE_KEY must be set" in result.stderr and "secrets" in result.stderr


def test_seed_demo_outside_demo_mode_creates_no_account(db, database_url):
    result = cli("seed-demo", "--attendees", "20", "--alumni", "20", database_url=database_url, env=SECURE)
    assert result.returncode == 0, result.stderr
    assert "no demo accounts were created" in result.stdout and "admin-demo-1" not in result.stdout
    assert db.scalar(select(func.count()).select_from(Account)) == 0


def test_invite_writes_one_safe_csv_row_per_attendee_without_an_account(db, database_url, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(HEADER + row("ana@x.io") + row("=HYPERLINK(1)@x.io"))
    assert cli("ingest", str(people), "--kind", "attendees", "--event", "expo", database_url=database_url,
               env=SECURE).returncode == 0
    out = tmp_path / "links.csv"
    result = cli("invite", "--event", "expo", "--out", str(out), database_url=database_url, env=SECURE)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open()))
    assert [r["email"] for r in rows] == ["ana@x.io", "'=hyperlink(1)@x.io"]  # a formula is neutralised
    assert "/accept-invitation?token=" in rows[0]["link"]
    assert "SMTP is not configured" in result.stdout
    assert db.scalar(select(OutboxMessage.status)) == "not_sent"


def test_invite_emails_the_links_through_smtp_when_it_is_configured(db, database_url, tmp_path, smtp_server):
    people = tmp_path / "people.csv"
    people.write_text(HEADER + row("ana@x.io"))
    cli("ingest", str(people), "--kind", "attendees", "--event", "expo", database_url=database_url, env=SECURE)
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_server.port), "SMTP_TLS": "none"}
    result = cli("invite", "--event", "expo", "--out", str(tmp_path / "l.csv"), database_url=database_url,
                 env={**SECURE, **smtp})
    assert result.returncode == 0 and "Emailed 1" in result.stdout, result.stdout + result.stderr
    assert [m["To"] for m in smtp_server.inbox.messages] == ["ana@x.io"]
