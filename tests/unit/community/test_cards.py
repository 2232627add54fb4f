"""Alumni card rules without a database: name similarity, department codes, completeness and eligibility, the card
cipher's key rules, and the card files whose QR code decodes to the verification address."""
import io
import re
from datetime import UTC, datetime

import pytest
import zxingcpp
from cryptography.fernet import Fernet
from PIL import Image
from pydantic import SecretStr

from core.community.card_files import card_pdf, card_png
from core.community.cards import (
    DEV_CARD_KEY,
    CardsOff,
    CardView,
    card_cipher,
    department_code,
    eligibility,
    name_similarity,
    verification_url,
)
from core.platform.settings import Settings
from db.models import Alumnus

VERIFIED = datetime(2026, 11, 1, tzinfo=UTC)


def record(**changes) -> Alumnus:
    fields = {"name": "Dana Lee", "email": "dana@example.org", "batch_year": 2018, "department": "Computer Science",
              "current_company": "Acme", "current_role": "Data Analyst", "industry": "Retail", "location": "Lisbon",
              "skills": ["SQL"], "linkedin_url": "https://linkedin.com/in/dana", "verified_at": VERIFIED}
    return Alumnus(**{**fields, **changes})


def test_jon_and_john_smith_are_more_similar_than_the_duplicate_threshold():
    assert name_similarity("Jon Smith", "John Smith") == pytest.approx(0.9)


def test_similarity_ignores_case_and_extra_whitespace():
    assert name_similarity("  DANA   lee ", "Dana Lee") == 1.0


def test_different_names_are_far_below_the_threshold():
    assert name_similarity("Dana Lee", "Maria Santos") < 0.5


def test_a_department_code_is_the_initials_of_its_words():
    assert department_code("Computer Science") == "CS"
    assert department_code("electrical & electronic engineering") == "EEE"
    assert department_code(None) == "GEN"


def test_a_department_code_folds_accents_before_taking_initials():
    assert department_code("Ingeniería Eléctrica") == "IE"
    assert department_code("Économie et Gestion") == "EEG"


def test_a_complete_verified_record_is_eligible():
    rules = eligibility(record())
    assert rules.ok and rules.completeness == 1.0


def test_two_missing_fields_still_reach_eighty_percent():
    rules = eligibility(record(industry=None, linkedin_url=" "))
    assert rules.ok and rules.completeness == pytest.approx(0.8)
    assert rules.missing == ["industry", "LinkedIn profile"]


def test_three_missing_fields_fail_completeness_and_name_them():
    rules = eligibility(record(industry=None, linkedin_url=None, skills=[]))
    assert not rules.ok
    assert rules.problems == ["Your alumni record is 70% complete; a card needs 80%. Missing: industry, skills, "
                              "LinkedIn profile."]


def test_a_record_without_a_department_is_refused_even_when_otherwise_complete():
    rules = eligibility(record(department=None))
    assert rules.completeness == pytest.approx(0.9)
    assert rules.problems == ["Your alumni record needs your department."]


def test_an_unverified_record_is_told_to_ask_an_administrator():
    rules = eligibility(record(verified_at=None))
    assert rules.problems == ["Your alumni record is not verified yet. Ask an administrator to verify your alumni "
                              "record."]


def test_without_a_key_demo_mode_uses_the_development_key():
    token = Fernet(DEV_CARD_KEY).encrypt(b"x")
    assert card_cipher(Settings(demo_mode=True, alumni_card_key=None)).decrypt(token) == b"x"


def test_without_a_key_outside_demo_mode_cards_are_off_with_the_fix():
    with pytest.raises(CardsOff, match="ALUMNI_CARD_KEY is not set"):
        card_cipher(Settings(demo_mode=False, alumni_card_key=None))


def test_the_development_key_is_refused_outside_demo_mode():
    with pytest.raises(CardsOff, match="development key"):
        card_cipher(Settings(demo_mode=False, alumni_card_key=SecretStr(DEV_CARD_KEY)))


def test_a_key_that_is_no_fernet_key_is_refused():
    with pytest.raises(CardsOff, match="not a valid Fernet key"):
        card_cipher(Settings(demo_mode=False, alumni_card_key=SecretStr("too-short")))


def test_a_configured_key_encrypts_the_tokens():
    key = Fernet.generate_key().decode()
    token = card_cipher(Settings(demo_mode=False, alumni_card_key=SecretStr(key))).encrypt(b"card")
    assert Fernet(key).decrypt(token) == b"card"


def test_the_verification_url_points_at_the_public_page_with_the_token_quoted():
    url = verification_url(Settings(public_base_url="https://alumni.example/"), "gAAA-_==")
    assert url == "https://alumni.example/verify-card?token=gAAA-_%3D%3D"


@pytest.fixture(scope="module")
def card() -> CardView:
    return CardView(1, 1, "ALM-2026-CS-000042", "Dana Lee-Ångström", 2018, "Computer Science",
                    datetime(2026, 12, 1, tzinfo=UTC), datetime(2028, 11, 30, tzinfo=UTC), "active",
                    Fernet(DEV_CARD_KEY).encrypt(b"{}").decode(), 0, None, None)


def test_the_png_card_has_a_qr_code_that_decodes_to_the_verification_url(card):
    url = verification_url(Settings(), card.token)
    image = Image.open(io.BytesIO(card_png(card, url)))
    assert image.size == (1012, 638)
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [url]


def test_the_pdf_card_is_one_card_sized_page_with_the_qr_image_and_the_card_number_as_title(card):
    pdf = card_pdf(card, verification_url(Settings(), card.token))
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page(?!s)", pdf)) == 1
    assert b"/MediaBox [0 0 242.65 153.07]" in pdf  # 85.6 x 54 mm, an ID card
    assert pdf.count(b"/Subtype /Image") == 1
    assert b"/Title (Alumni card ALM-2026-CS-000042)" in pdf
