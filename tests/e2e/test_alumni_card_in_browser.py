"""In a real browser: an alumnus attendee requests their alumni card on My alumni card and downloads the PNG; the QR
code decoded from it opens the public verification page in a fresh browser that is not logged in, which says the
card is valid and whose it is."""
from datetime import UTC, datetime

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from core.accounts.accounts import create_account
from db.models import Alumnus, Person
from tests.e2e.conftest import SCREENSHOTS, log_in, new_page, start_app, stop

PORT = 8611
STARTS_EMPTY = True


@pytest.fixture(scope="module")
def card_app(engine, database_url, tmp_path_factory):
    """The app with one attendee whose email is on a complete, verified alumni record."""
    with Session(engine) as session:
        person = Person(email="ana.silva@example.org", first_name="Ana", last_name="Silva")
        session.add(person)
        session.flush()
        create_account(session, actor_id=None, username="ana", email="ana@accounts.example", display_name="Ana Silva",
                       password="attendee-pass-1", roles=["attendee"], person_id=person.id)
        session.add(Alumnus(name="Ana Silva", email="Ana.Silva@example.org", batch_year=2019,
                            department="Computer Science", current_company="Acme", current_role="Data Engineer",
                            industry="Software", location="Lisbon", skills=["Python", "SQL"],
                            verified_at=datetime(2026, 11, 1, tzinfo=UTC)))
        session.commit()
    url = f"http://127.0.0.1:{PORT}"
    server, url = start_app(database_url, tmp_path_factory.mktemp("cards") / "server.log", port=PORT,
                            PUBLIC_BASE_URL=url)
    try:
        yield url
    finally:
        stop(server)


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_an_alumnus_gets_a_card_whose_qr_code_verifies_in_a_browser_that_is_not_logged_in(card_app, browser, page):
    log_in(page, card_app, "ana", "attendee-pass-1", path="my-alumni-card")
    page.get_by_role("heading", name="My alumni card").wait_for()
    page.get_by_role("button", name="Request my alumni card").click()
    page.get_by_text("is ready").wait_for()
    expect(page.get_by_test_id("stImage").locator("img")).to_be_visible()
    shot(page, "my_alumni_card.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PNG").click()
    [code] = zxingcpp.read_barcodes(Image.open(download.value.path()))
    assert code.text.startswith(f"{card_app}/verify-card?token=")

    verifier = new_page(browser)  # a stranger's phone: no login, no cookies
    try:
        verifier.goto(code.text)
        verifier.get_by_role("heading", name="Verify an alumni card").wait_for()
        expect(verifier.get_by_text("Valid", exact=True)).to_be_visible()
        expect(verifier.get_by_role("heading", name="Ana Silva")).to_be_visible()
        expect(verifier.get_by_text("Log out")).to_have_count(0)
        shot(verifier, "verify_card_valid.png")
    finally:
        verifier.context.close()
