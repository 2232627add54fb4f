"""`python -m jobs privacy …` run as a real subprocess: export, delete and cancel-delete by email."""
import json

import pytest
from sqlalchemy import select

from db.models import AuditLog, Person
from tests.integration.jobs.test_cli import cli


@pytest.fixture
def ana(db) -> Person:
    row = Person(email="ana@x.io", first_name="Ana", last_name="Silva", company="Acme", role="CTO",
                 interests=["ai"], goals=["LEARN"])
    db.add(row)
    db.commit()
    return row


def actions(db) -> list[tuple[str, str, int | None]]:
    db.expire_all()
    return [(e.action, e.actor_label, e.target_person_id) for e in db.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_export_writes_the_persons_data_as_json_and_audits_it_as_the_system(db, database_url, tmp_path, ana):
    out = tmp_path / "ana.json"
    result = cli("privacy", "export", "--email", "ANA@x.io", "--out", str(out), database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["data"]["profile"]["email"] == "ana@x.io"
    assert actions(db) == [("data.exported", "system", ana.id)]


def test_delete_requests_deletion_with_the_grace_period(db, database_url, ana):
    result = cli("privacy", "delete", "--email", "ana@x.io", database_url=database_url)
    db.refresh(ana)
    assert result.returncode == 0 and "deleted for good on" in result.stdout
    assert ana.deletion_requested_at is not None and ana.deleted_at is None
    assert actions(db) == [("person.deletion_requested", "system", ana.id)]


def test_cancel_delete_withdraws_a_pending_request(db, database_url, ana):
    cli("privacy", "delete", "--email", "ana@x.io", database_url=database_url)
    result = cli("privacy", "cancel-delete", "--email", "ana@x.io", database_url=database_url)
    db.refresh(ana)
    assert result.returncode == 0 and ana.deletion_requested_at is None
    assert [a for a, _, _ in actions(db)] == ["person.deletion_requested", "person.deletion_cancelled"]


def test_cancel_delete_without_a_pending_request_fails_and_says_so(db, database_url, ana):
    result = cli("privacy", "cancel-delete", "--email", "ana@x.io", database_url=database_url)
    assert result.returncode == 1 and "no pending deletion" in result.stderr


def test_an_unknown_email_is_a_clear_error_and_writes_nothing(db, database_url, tmp_path):
    out = tmp_path / "nobody.json"
    result = cli("privacy", "export", "--email", "nobody@x.io", "--out", str(out), database_url=database_url)
    assert result.returncode == 2 and "no person or account with the email 'nobody@x.io'" in result.stderr
    assert not out.exists() and actions(db) == []


def test_the_privacy_command_lists_its_three_actions_in_its_help(database_url):
    result = cli("privacy", "--help", database_url=database_url)
    assert result.returncode == 0 and all(a in result.stdout for a in ("export", "delete", "cancel-delete"))
