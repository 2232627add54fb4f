"""Alumni ID cards on a real Postgres: requests (issued, refused, held for review), the encrypted token, the public
verification with its log and counter, and the admin tools (verify a record, review, revoke, reissue)."""
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.community.cards import (
    CardActionError,
    CardCheck,
    RequestOutcome,
    approve_request,
    card_cipher,
    my_card_state,
    reissue_card,
    reject_request,
    request_card,
    review_queue,
    revoke_card,
    verify_alumnus,
    verify_token,
)
from core.platform.clock import FixedClock
from core.platform.settings import Settings
from db.models import (
    Account,
    AlumniCard,
    AlumniCardRequest,
    AlumniCardVerification,
    Alumnus,
    AuditLog,
    CardRequestStatus,
    CardStatus,
    Person,
    VerificationMethod,
)
from tests.conftest import empty_database


@pytest.fixture(scope="module")
def emptied(engine):
    """The database emptied once for this module; each test then runs in a transaction that is rolled back."""
    empty_database(engine)
    yield
    empty_database(engine)


@pytest.fixture
def db(engine, emptied):
    """A session inside one rolled-back transaction (its commits and savepoints stay inside it): the module's
    tests need no emptying between them."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
            yield session
        outer.rollback()


KEY = Fernet.generate_key().decode()
SETTINGS = Settings(demo_mode=False, alumni_card_key=SecretStr(KEY), alumni_card_valid_days=730)
CIPHER = Fernet(KEY)


def add_alumnus(db, name: str = "Dana Lee", email: str = "dana@example.org", *, batch: int = 2018,
                department: str = "Computer Science", verified: bool = True) -> int:
    alumnus = Alumnus(name=name, email=email, batch_year=batch, department=department, current_company="Acme",
                      current_role="Data Analyst", industry="Retail", location="Lisbon", skills=["SQL"],
                      linkedin_url="https://linkedin.com/in/x",
                      verified_at=datetime(2026, 11, 1, tzinfo=UTC) if verified else None)
    db.add(alumnus)
    db.flush()
    return alumnus.id


def add_admin(db) -> int:
    admin = Account(username="admin", email="admin@example.org", display_name="Admin", password_hash="x",
                    roles=["admin"])
    db.add(admin)
    db.flush()
    return admin.id


def add_person(db, email: str) -> int:
    person = Person(email=email, first_name="Dana", last_name="Lee")
    db.add(person)
    db.flush()
    return person.id


def issue(db, clock, alumnus_id: int) -> AlumniCard:
    result = request_card(db, alumnus_id=alumnus_id, actor_id=None, settings=SETTINGS, clock=clock)
    assert result.outcome == RequestOutcome.ISSUED, result
    return db.get(AlumniCard, result.card_id)


def sequence(card: AlumniCard) -> int:
    """The {SEQUENCE} of a card number (the Postgres sequence outlives the emptying between tests)."""
    return int(card.card_number.rsplit("-", 1)[1])


def verify(db, clock, token: str, method=VerificationMethod.QR_SCAN):
    return verify_token(db, token=token, method=method, cipher=CIPHER, clock=clock)


def test_an_eligible_alumnus_gets_a_card_numbered_by_issue_year_department_and_sequence(db, clock):
    person = add_person(db, "DANA@example.org")
    card = issue(db, clock, add_alumnus(db))
    assert re.fullmatch(r"ALM-2026-CS-\d{6}", card.card_number)
    assert card.status == CardStatus.ACTIVE and card.person_id == person
    assert card.expires_at == clock.now() + timedelta(days=730)
    request = db.scalar(select(AlumniCardRequest))
    assert request.status == CardRequestStatus.ISSUED and request.card_id == card.id
    assert db.scalar(select(AuditLog.action).where(AuditLog.target_id == str(card.id))) == "alumni_card.issued"


def test_the_next_card_takes_the_next_sequence_number(db, clock):
    first = issue(db, clock, add_alumnus(db))
    card = issue(db, clock, add_alumnus(db, "Maria Santos", "maria@example.org", department="Business Admin"))
    assert card.card_number == f"ALM-2026-BA-{sequence(first) + 1:06d}"


def test_the_card_number_year_is_the_issue_year_not_the_batch_year(db):
    card = issue(db, FixedClock(datetime(2025, 3, 1, tzinfo=UTC)), add_alumnus(db, batch=2020))
    assert card.card_number.startswith("ALM-2025-CS-") and card.batch_year == 2020


def test_the_token_decrypts_to_the_card_payload(db, clock):
    person = add_person(db, "dana@example.org")
    card = issue(db, clock, add_alumnus(db))
    payload = json.loads(CIPHER.decrypt(card.token.encode()))
    assert payload == {"card_id": card.card_uid, "person_id": person, "name": "Dana Lee", "batch_year": 2018,
                       "card_number": card.card_number, "issued_at": clock.now().isoformat()}


def test_an_unverified_alumnus_is_refused_with_the_rule_in_words_and_gets_no_card(db, clock):
    result = request_card(db, alumnus_id=add_alumnus(db, verified=False), actor_id=None, settings=SETTINGS,
                          clock=clock)
    assert result.outcome == RequestOutcome.REFUSED
    assert any("Ask an administrator to verify your alumni record" in p for p in result.problems)
    assert db.scalar(select(func.count()).select_from(AlumniCard)) == 0


def test_without_a_key_outside_demo_mode_a_request_says_cards_are_off(db, clock):
    result = request_card(db, alumnus_id=add_alumnus(db), actor_id=None, clock=clock,
                          settings=Settings(demo_mode=False, alumni_card_key=None))
    assert result.outcome == RequestOutcome.REFUSED and "Alumni cards are off" in result.message


def test_jon_smith_goes_to_review_next_to_john_smith_of_the_same_batch(db, clock):
    john = add_alumnus(db, "John Smith", "john@example.org")
    jon = add_alumnus(db, "Jon Smith", "jon@example.org")
    result = request_card(db, alumnus_id=jon, actor_id=None, settings=SETTINGS, clock=clock)
    assert result.outcome == RequestOutcome.REVIEW and "John" not in result.message
    request = db.get(AlumniCardRequest, result.request_id)
    assert (request.status, request.similar_alumnus_id, request.similarity) == (CardRequestStatus.REVIEW, john, 0.9)
    assert db.scalar(select(func.count()).select_from(AlumniCard)) == 0
    [item] = review_queue(db)
    assert (item.name, item.similar_name, item.similar_email) == ("Jon Smith", "John Smith", "john@example.org")


def test_a_similar_name_in_another_batch_is_issued_at_once(db, clock):
    add_alumnus(db, "John Smith", "john@example.org", batch=2015)
    issue(db, clock, add_alumnus(db, "Jon Smith", "jon@example.org"))


def test_a_second_request_is_told_the_card_already_exists(db, clock):
    alumnus = add_alumnus(db)
    card = issue(db, clock, alumnus)
    again = request_card(db, alumnus_id=alumnus, actor_id=None, settings=SETTINGS, clock=clock)
    assert again.outcome == RequestOutcome.ALREADY and again.card_id == card.id


def test_a_scanned_valid_card_passes_every_check_and_is_logged_and_counted(db, clock):
    card = issue(db, clock, add_alumnus(db))
    result = verify(db, clock, card.token)
    assert result.valid and result.failed_check is None
    assert (result.name, result.batch_year, result.department) == ("Dana Lee", 2018, "Computer Science")
    log = db.scalar(select(AlumniCardVerification))
    assert (log.card_id, log.method, log.valid) == (card.id, VerificationMethod.QR_SCAN, True)
    assert log.checks == {"decryption": True, "exists": True, "not_revoked": True, "active": True,
                          "not_expired": True}
    db.refresh(card)
    assert (card.verification_count, card.last_verified_at) == (1, clock.now())


def test_a_tampered_token_fails_decryption_and_is_logged_without_a_card(db, clock):
    card = issue(db, clock, add_alumnus(db))
    tampered = card.token[:40] + ("A" if card.token[40] != "A" else "B") + card.token[41:]
    result = verify(db, clock, tampered, VerificationMethod.MANUAL)
    assert not result.valid and result.failed_check == CardCheck.DECRYPTION and result.name is None
    assert "signature does not check out" in result.reason
    log = db.scalar(select(AlumniCardVerification))
    assert (log.card_id, log.method, log.valid) == (None, VerificationMethod.MANUAL, False)
    assert log.checks == {"decryption": False, "exists": None, "not_revoked": None, "active": None,
                          "not_expired": None}
    db.refresh(card)
    assert card.verification_count == 0


def test_a_token_made_with_another_key_fails_decryption(db, clock):
    card = issue(db, clock, add_alumnus(db))
    payload = CIPHER.decrypt(card.token.encode())
    forged = Fernet(Fernet.generate_key()).encrypt(payload).decode()
    assert verify(db, clock, forged).failed_check == CardCheck.DECRYPTION


def test_a_card_fails_the_expiry_check_once_the_clock_passes_its_expiry(db, clock):
    card = issue(db, clock, add_alumnus(db))
    later = FixedClock(card.expires_at + timedelta(seconds=1))
    result = verify(db, later, card.token)
    assert not result.valid and result.failed_check == CardCheck.NOT_EXPIRED
    assert result.reason == "This card has expired." and result.name == "Dana Lee"
    assert db.scalar(select(AlumniCardVerification.checks))["not_expired"] is False


def test_a_revoked_card_fails_the_not_revoked_check_and_the_log_stops_there(db, clock):
    admin = add_admin(db)
    card = issue(db, clock, add_alumnus(db))
    revoke_card(db, card_id=card.id, actor_id=admin, reason="Fraudulent record", clock=clock)
    result = verify(db, clock, card.token)
    assert not result.valid and result.failed_check == CardCheck.NOT_REVOKED
    assert result.reason == "This card was revoked by an administrator."
    assert db.scalar(select(AlumniCardVerification.checks)) == {
        "decryption": True, "exists": True, "not_revoked": False, "active": None, "not_expired": None}
    assert db.scalar(select(AuditLog.details).where(AuditLog.action == "alumni_card.revoked"))["reason"] == \
        "Fraudulent record"


def test_revoking_needs_a_reason(db, clock):
    card = issue(db, clock, add_alumnus(db))
    with pytest.raises(CardActionError, match="reason"):
        revoke_card(db, card_id=card.id, actor_id=add_admin(db), reason="  ", clock=clock)


def test_a_revoked_alumnus_cannot_simply_request_again(db, clock):
    alumnus = add_alumnus(db)
    card = issue(db, clock, alumnus)
    revoke_card(db, card_id=card.id, actor_id=add_admin(db), reason="Lost", clock=clock)
    again = request_card(db, alumnus_id=alumnus, actor_id=None, settings=SETTINGS, clock=clock)
    assert again.outcome == RequestOutcome.REFUSED and "reissue" in again.message


def test_a_reissue_replaces_the_old_card_whose_token_then_fails_the_active_check(db, clock):
    card = issue(db, clock, add_alumnus(db))
    new_id = reissue_card(db, card_id=card.id, actor_id=add_admin(db), settings=SETTINGS, clock=clock)
    new = db.get(AlumniCard, new_id)
    db.refresh(card)
    assert card.status == CardStatus.REPLACED and new.status == CardStatus.ACTIVE
    assert sequence(new) == sequence(card) + 1 and new.token != card.token
    old_result = verify(db, clock, card.token)
    assert old_result.failed_check == CardCheck.ACTIVE and "replaced" in old_result.reason
    assert db.scalar(select(AlumniCardVerification.checks)) == {
        "decryption": True, "exists": True, "not_revoked": True, "active": False, "not_expired": None}
    assert verify(db, clock, new.token).valid


def test_an_approved_review_issues_the_card_and_records_the_reviewer(db, clock):
    add_alumnus(db, "John Smith", "john@example.org")
    jon = add_alumnus(db, "Jon Smith", "jon@example.org")
    admin = add_admin(db)
    request_id = request_card(db, alumnus_id=jon, actor_id=None, settings=SETTINGS, clock=clock).request_id
    card_id = approve_request(db, request_id=request_id, actor_id=admin, settings=SETTINGS, clock=clock)
    request = db.get(AlumniCardRequest, request_id)
    assert (request.status, request.card_id, request.reviewed_by) == (CardRequestStatus.ISSUED, card_id, admin)
    assert review_queue(db) == []
    with pytest.raises(CardActionError, match="already reviewed"):
        reject_request(db, request_id=request_id, actor_id=admin, clock=clock)


def test_a_rejected_review_issues_nothing(db, clock):
    add_alumnus(db, "John Smith", "john@example.org")
    jon = add_alumnus(db, "Jon Smith", "jon@example.org")
    admin = add_admin(db)
    request_id = request_card(db, alumnus_id=jon, actor_id=None, settings=SETTINGS, clock=clock).request_id
    reject_request(db, request_id=request_id, actor_id=admin, clock=clock)
    assert db.get(AlumniCardRequest, request_id).status == CardRequestStatus.REJECTED
    assert db.scalar(select(func.count()).select_from(AlumniCard)) == 0


def test_an_admin_verifying_a_record_makes_it_eligible_and_is_audited(db, clock):
    alumnus = add_alumnus(db, verified=False)
    admin = add_admin(db)
    verify_alumnus(db, alumnus_id=alumnus, actor_id=admin, clock=clock)
    record = db.get(Alumnus, alumnus)
    assert (record.verified_at, record.verified_by) == (clock.now(), admin)
    assert db.scalar(select(AuditLog.action).where(AuditLog.actor_account_id == admin)) == "alumni.verified"
    issue(db, clock, alumnus)


def test_an_attendee_sees_the_card_of_the_alumni_record_with_their_email_in_any_case(db, clock):
    person = add_person(db, "Dana@Example.org")
    card = issue(db, clock, add_alumnus(db))
    state = my_card_state(db, person_id=person)
    assert state.name == "Dana Lee" and state.card.card_number == card.card_number and state.eligibility.ok


def test_the_demo_cipher_verifies_what_it_issued(db, clock):
    demo = Settings(demo_mode=True, alumni_card_key=None)
    card = db.get(AlumniCard, request_card(db, alumnus_id=add_alumnus(db), actor_id=None, settings=demo,
                                           clock=clock).card_id)
    assert verify_token(db, token=card.token, method=VerificationMethod.QR_SCAN, cipher=card_cipher(demo),
                        clock=clock).valid
