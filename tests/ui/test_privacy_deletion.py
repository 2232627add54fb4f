"""The "Delete my account" controls under AppTest: a confirmation, the deadline after the request, and cancel."""
import pytest
from streamlit.testing.v1 import AppTest

from db.models import Account, AuditLog, Person
from tests.ui.conftest import session_token, texts


def controls(person_id: int) -> None:
    from ui.privacy_deletion import render_deletion_controls

    render_deletion_controls(person_id)


@pytest.fixture
def bo(db) -> int:
    """Bo, an attendee with an account of their own."""
    person = Person(email="bo@x.io", first_name="Bo", last_name="Doe")
    db.add(person)
    db.flush()
    db.add(Account(username="bodoe", email="bo@x.io", display_name="Bo Doe", password_hash="not-a-real-hash",
                   roles=["attendee"], person_id=person.id))
    db.commit()
    return person.id


def app(person_id: int) -> AppTest:
    at = AppTest.from_function(controls, args=(person_id,), default_timeout=30)
    at.session_state["session_token"] = session_token("bodoe")
    return at.run()


def test_the_request_needs_delete_typed_to_confirm(db, bo):
    at = app(bo)
    at.text_input[0].input("delete")
    at.button[0].click().run()
    assert "Type DELETE" in texts(at) and db.get(Person, bo).deletion_requested_at is None


def test_a_request_shows_the_deadline_and_cancel_restores(db, bo):
    at = app(bo)
    at.text_input[0].input("DELETE")
    at.button[0].click().run()
    assert not at.exception
    assert "will be deleted on" in texts(at) and "Until then you can cancel." in texts(at)
    db.expire_all()
    assert db.get(Person, bo).deletion_requested_at is not None
    at.button(key="privacy_cancel_deletion").click().run()
    db.expire_all()
    assert db.get(Person, bo).deletion_requested_at is None and "Deletion cancelled" in texts(at)
    assert [a.action for a in db.query(AuditLog).order_by(AuditLog.id)] == ["person.deletion_requested",
                                                                         "person.deletion_cancelled"]
