"""The alumni card pages under AppTest: My alumni card (no record, the failed rules, a request that issues the card),
the public verification page (valid, tampered, hostile names shown as typed, nothing but what a verifier needs) and
the admin's Alumni cards page (the review queue, the confirmation before revoking)."""
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.accounts.accounts import create_account
from core.community.cards import VerificationMethod, card_cipher, my_card_state, request_card, verify_token
from core.platform.settings import Settings
from db.models import AlumniCard, AlumniCardRequest, Alumnus, CardRequestStatus, CardStatus, Person
from tests.conftest import ROOT
from tests.ui.conftest import page_app, texts
from ui import community_cards
from ui.text import plain

EMAIL = "dana.lee@example.org"


def add_alumnus(db, name: str = "Dana Lee", email: str = EMAIL, *, verified: bool = True) -> int:
    alumnus = Alumnus(name=name, email=email, batch_year=2018, department="Computer Science",
                      current_company="Acme", current_role="Data Analyst", industry="Retail", location="Lisbon",
                      skills=["SQL"], linkedin_url="https://linkedin.com/in/dana",
                      verified_at=datetime(2026, 11, 1, tzinfo=UTC) if verified else None)
    db.add(alumnus)
    db.flush()
    return alumnus.id


def issued_card(db, clock, alumnus_id: int) -> AlumniCard:
    result = request_card(db, alumnus_id=alumnus_id, actor_id=None, settings=Settings(), clock=clock)
    db.commit()
    return db.get(AlumniCard, result.card_id)


@pytest.fixture
def attendee(db):
    """An attendee account "dana" whose person has the email EMAIL."""
    person = Person(email=EMAIL.upper(), first_name="Dana", last_name="Lee")
    db.add(person)
    db.flush()
    create_account(db, actor_id=None, username="dana", email="dana@accounts.example", display_name="Dana Lee",
                   password="attendee-pass-1", roles=["attendee"], person_id=person.id)
    db.commit()
    return db


@pytest.fixture
def admin(db):
    create_account(db, actor_id=None, username="root", email="root@example.org", display_name="Root",
                   password="admin-pass-1", roles=["admin"])
    db.commit()
    return db


def verify_page(token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/verify_card.py"), default_timeout=60)
    at.query_params["token"] = token
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_person_without_an_alumni_record_is_told_why_there_is_no_card(attendee):
    at = page_app("dana", "pages/my_card.py")
    assert not at.exception
    assert "no alumni record with your email" in texts(at)


def test_an_unverified_alumnus_sees_the_failed_rule_and_cannot_request(attendee):
    add_alumnus(attendee, verified=False)
    attendee.commit()
    at = page_app("dana", "pages/my_card.py")
    assert "Ask an administrator to verify your alumni record" in texts(at)
    assert button(at, "Request my alumni card").disabled


def test_an_eligible_alumnus_requests_the_card_and_gets_both_files(attendee):
    add_alumnus(attendee)
    attendee.commit()
    at = page_app("dana", "pages/my_card.py")
    button(at, "Request my alumni card").click()
    at.run()
    assert not at.exception
    number = attendee.scalar(select(AlumniCard.card_number))
    assert any(plain(f"Your alumni card {number} is ready") in s.value for s in at.success)
    assert any(h.value == f"Card {number}" for h in at.subheader)
    assert [b.proto.label for b in at.get("download_button")] == ["Download PNG", "Download PDF"]


def test_a_scanned_valid_card_shows_valid_with_the_holder_and_no_email(attendee, clock):
    card = issued_card(attendee, clock, add_alumnus(attendee))
    at = verify_page(card.token)
    assert not at.exception
    shown = texts(at)
    assert any("Valid" in s.value for s in at.success) and "### Dana Lee" in shown
    assert "Computer Science" in shown and "2018" in shown
    assert "example" not in shown and card.card_number not in shown  # no email, no card history


def test_a_tampered_code_shows_not_valid_with_the_failed_check_named(attendee, clock):
    card = issued_card(attendee, clock, add_alumnus(attendee))
    at = verify_page(card.token[:-6] + "AAAAAA")
    assert any("Not valid" in e.value for e in at.error)
    assert any("Failed check: Signature and decryption" in c.value for c in at.caption)


def test_a_revoked_card_shows_the_not_revoked_check_failed(attendee, clock):
    card = issued_card(attendee, clock, add_alumnus(attendee))
    card.status = CardStatus.REVOKED
    attendee.commit()
    at = verify_page(card.token)
    assert any("revoked" in e.value for e in at.error)
    assert any("Failed check: Card is not revoked" in c.value for c in at.caption)


def test_a_hostile_name_is_shown_as_typed_on_the_verification_page(attendee, clock):
    hostile = "<b>Eve</b> [click](http://evil.example)"
    card = issued_card(attendee, clock, add_alumnus(attendee, name=hostile, email="eve@example.org"))
    at = verify_page(card.token)
    assert any(m.value == f"### {plain(hostile)}" for m in at.markdown)


def test_the_review_queue_names_the_similar_record_and_revoking_needs_the_confirmation(admin, clock):
    add_alumnus(admin, "John Smith", "john@example.org")
    request_card(admin, alumnus_id=add_alumnus(admin, "Jon Smith", "jon@example.org"), actor_id=None,
                 settings=Settings(), clock=clock)
    card = issued_card(admin, clock, add_alumnus(admin, "Maria Santos", "maria@example.org"))
    at = page_app("root", "pages/alumni_cards.py")
    assert not at.exception
    assert any("90% similar" in m.value and "John Smith" in m.value for m in at.markdown)
    reason = next(t for t in at.text_input if t.label == "Reason for revoking")
    reason.input("Lost card")
    next(b for b in at.button if b.label == "Revoke this card").click()
    at.run()
    assert any("Tick the confirmation box" in w.value for w in at.warning)
    admin.expire_all()
    assert admin.get(AlumniCard, card.id).status == CardStatus.ACTIVE


def test_approving_a_queued_request_on_the_page_issues_the_card(admin, clock):
    add_alumnus(admin, "John Smith", "john@example.org")
    jon = add_alumnus(admin, "Jon Smith", "jon@example.org")
    request_card(admin, alumnus_id=jon, actor_id=None, settings=Settings(), clock=clock)
    admin.commit()
    at = page_app("root", "pages/alumni_cards.py")
    button(at, "Approve and issue").click()
    at.run()
    assert not at.exception
    assert any("Card issued for Jon Smith" in s.value for s in at.success)
    assert admin.scalar(select(AlumniCard.status).where(AlumniCard.alumnus_id == jon)) == CardStatus.ACTIVE
    assert any("No requests wait for review" in i.value for i in at.info)


def queued_request(db, clock) -> int:
    add_alumnus(db, "John Smith", "john@example.org")
    request_id = request_card(db, alumnus_id=add_alumnus(db, "Jon Smith", "jon@example.org"), actor_id=None,
                              settings=Settings(), clock=clock).request_id
    db.commit()
    return request_id


def test_rejecting_a_queued_request_needs_the_confirmation_box(admin, clock):
    request_id = queued_request(admin, clock)
    at = page_app("root", "pages/alumni_cards.py")
    button(at, "Reject").click()
    at.run()
    assert any("Tick the confirmation box to reject the request" in e.value for e in at.error)
    admin.expire_all()
    assert admin.get(AlumniCardRequest, request_id).status == CardRequestStatus.REVIEW
    next(c for c in at.checkbox if "I confirm rejecting" in c.label).check()
    button(at, "Reject").click()
    at.run()
    admin.expire_all()
    assert admin.get(AlumniCardRequest, request_id).status == CardRequestStatus.REJECTED


def test_reissuing_a_card_needs_the_confirmation_box(admin, clock):
    card = issued_card(admin, clock, add_alumnus(admin))
    at = page_app("root", "pages/alumni_cards.py")
    button(at, "Reissue this card").click()
    at.run()
    assert any("Tick the confirmation box to reissue the card" in e.value for e in at.error)
    admin.expire_all()
    assert admin.get(AlumniCard, card.id).status == CardStatus.ACTIVE
    next(c for c in at.checkbox if c.label.startswith("I confirm reissuing")).check()
    button(at, "Reissue this card").click()
    at.run()
    admin.expire_all()
    assert admin.get(AlumniCard, card.id).status == CardStatus.REPLACED


def test_the_admin_page_shows_card_statuses_and_verification_methods_in_words(admin, clock):
    card = issued_card(admin, clock, add_alumnus(admin))
    verify_token(admin, token=card.token, method=VerificationMethod.QR_SCAN, cipher=card_cipher(Settings()),
                 clock=clock)
    admin.commit()
    at = page_app("root", "pages/alumni_cards.py")
    cards_table, log_table = (frame.value for frame in at.dataframe)
    assert list(cards_table["status"]) == ["Active"] and list(log_table["method"]) == ["QR scan"]
    assert "Active" in at.selectbox(key="card_status").options


def test_a_scan_does_not_change_the_cache_key_of_the_card_files(attendee, clock):
    view = attendee_card_view(attendee, clock)
    scanned = replace(view, verification_count=3, last_verified_at=clock.now())
    assert community_cards.card_face(scanned) == community_cards.card_face(view)
    assert community_cards.card_face(view).token == view.token


def attendee_card_view(db, clock):
    issued_card(db, clock, add_alumnus(db))
    return my_card_state(db, person_id=db.scalar(select(Person.id))).card
