"""A real event in a real browser, outside demo mode: the first admin from the CLI uploads attendees and invites them
by email; an invited attendee and a visitor who signs up through the public link both get their matches."""
import os
import re
import subprocess
import sys
import time

import jwt
import pytest
from playwright.sync_api import expect

from core.platform.settings import DEV_COOKIE_KEY
from tests.conftest import ROOT
from tests.e2e.conftest import SCREENSHOTS, _free_port, fill_login, log_in, start_app, stop
from tests.e2e.test_upload_in_browser import upload_until_listed
from tests.integration.events.test_attendee_import import HEADER
from tests.stubs.smtp_server import LocalSmtpServer
from ui.auth import COOKIE_NAME

STARTS_EMPTY = True  # a real event: the first admin comes from the CLI
SECURE = {"DEMO_MODE": "false", "COOKIE_KEY": "e2e-secret-cookie-key-0123456789abcdef"}
PEOPLE = [  # email, first, last, role, interests, goals, skills offered, skills needed
    ("ines@x.io", "Ines", "Duarte", "Head of Data", "machine learning;data platforms", "HIRE;NETWORK", "python",
     "mlops"),
    ("omar@x.io", "Omar", "Haddad", "ML Engineer", "machine learning;mlops", "GET_HIRED;LEARN", "mlops", "python"),
    ("lena@x.io", "Lena", "Berg", "Founder", "fintech;payments", "FIND_INVESTORS", "payments", "fundraising"),
    ("raj@x.io", "Raj", "Mehta", "Investor", "fintech;startups", "INVEST", "fundraising", "payments"),
]


def attendees_csv() -> str:
    return HEADER + "".join(
        f"{email},{first},{last},Acme,{role},Tech,SMALL_11_50,8,{interests},{goals},{offer},{need},Hi.,,Lisbon,"
        "Portugal,false\n" for email, first, last, role, interests, goals, offer, need in PEOPLE)


@pytest.fixture(scope="module")
def smtp():
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def real_event(database_url, tmp_path_factory, smtp):
    """An empty database, the app and the jobs worker outside demo mode, mailing through the local SMTP server."""
    env = {**SECURE, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "none"}
    created = subprocess.run([sys.executable, "-m", "jobs", "create-admin", "--username", "boss", "--email",
                              "boss@x.io"], cwd=ROOT, input="boss-password-1\n", capture_output=True, text=True,
                             env={**os.environ, "DATABASE_URL": database_url, **env}, timeout=120)
    assert created.returncode == 0, created.stderr
    logs = tmp_path_factory.mktemp("real-event")
    port = _free_port()  # the links in the emails must point at this server
    server, url = start_app(database_url, logs / "server.log", port, **env,
                            PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    worker = subprocess.Popen([sys.executable, "-m", "jobs", "worker"], cwd=ROOT,
                              env={**os.environ, "DATABASE_URL": database_url, **env, "PUBLIC_BASE_URL": url},
                              stdout=(logs / "worker.log").open("w"), stderr=subprocess.STDOUT)
    try:
        yield url
    finally:
        for process in (worker, server):
            stop(process)


def next_step(page, button: str, shown) -> None:
    """Press a wizard button (after the last field's rerun has settled) and wait for the next step."""
    page.get_by_text("Running...").wait_for(state="hidden")
    page.get_by_role("button", name=button).click()
    shown.wait_for()


def reload_until_matched(page, *names: str, attempts: int = 60) -> None:
    """Reload For you until one of `names` is among the attendee's people matches (the worker stores them).

    A reload returns before Streamlit has run the page (and the heading is drawn before the matches), so each look
    first waits until the People tab is drawn: a card's Match score, or the empty state while the worker has not
    stored the lists yet. Looking any earlier finds nothing, and the next reload wipes the page again. A reload opens
    the Feed tab, and only the open tab is drawn, so each look opens the People tab first."""
    matched = page.get_by_text(names[0])
    for name in names[1:]:
        matched = matched.or_(page.get_by_text(name))
    people_tab = page.get_by_test_id("stMetric").filter(has_text="Match").or_(
        page.get_by_text("No recommendations yet."))
    drawn = matched.or_(people_tab).first
    for _ in range(attempts):
        page.get_by_role("tab", name="People").click()
        drawn.wait_for(state="attached")
        if matched.count():
            return
        page.wait_for_timeout(2000)
        page.reload()


def test_an_invited_attendee_and_a_signed_up_visitor_both_get_recommendations(real_event, browser, smtp, tmp_path):
    url = real_event
    admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    admin.set_default_timeout(60_000)
    log_in(admin, url, "boss", "boss-password-1")
    admin.get_by_role("heading", name="Uploads").wait_for()
    path = tmp_path / "people.csv"
    path.write_text(attendees_csv())
    admin.get_by_text("New event", exact=True).click()
    admin.get_by_label("New event slug").fill("lisbon-2026")
    admin.keyboard.press("Enter")
    # The slug's rerun re-draws the uploader: let it settle so the file is not set on the old one.
    admin.get_by_text("Running...").wait_for(state="hidden")
    admin.wait_for_timeout(1500)
    upload_until_listed(admin, path)
    admin.get_by_role("button", name="Validate and load").click()
    admin.get_by_text("4 rows: 4 valid, 0 with errors").wait_for(timeout=120_000)

    admin.get_by_role("link", name="Registration").click()
    admin.get_by_role("button", name="Generate invitations and email them").click()
    admin.get_by_text("4 invitation links created").wait_for()
    for _ in range(120):  # the worker sends the outbox within seconds
        if len(smtp.inbox.messages) == len(PEOPLE):
            break
        admin.wait_for_timeout(500)
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(p[0] for p in PEOPLE)
    [mail] = smtp.inbox.to("ines@x.io")
    link = re.search(r"http://\S+/accept-invitation\?token=\S+", mail.get_body(("plain",)).get_content()).group(0)

    invited = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    invited.set_default_timeout(60_000)
    invited.goto(link)
    invited.get_by_role("textbox", name="Username").fill("ines")
    invited.get_by_role("textbox", name="Password", exact=True).fill("ines-password-1")
    invited.get_by_role("textbox", name="Password again").fill("ines-password-1")
    invited.get_by_role("button", name="Create my account").click()
    invited.get_by_role("heading", name="For you", exact=True).wait_for()
    # The worker embeds and matches the uploaded attendees with the real model.
    reload_until_matched(invited, "Omar Haddad", "Raj Mehta")
    expect(invited.get_by_text("Omar Haddad").first).to_be_visible()

    admin.get_by_role("link", name="Registration").click()
    admin.get_by_text("Registration is open").click()
    admin.get_by_role("button", name="Save").click()
    admin.get_by_text("Registration settings saved.").wait_for()
    sign_up_link = admin.locator("code").filter(has_text="/sign-up?code=").inner_text().strip()

    visitor = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    visitor.set_default_timeout(60_000)
    visitor.goto(sign_up_link)
    visitor.get_by_role("textbox", name="Username").fill("maya")
    visitor.get_by_role("textbox", name="Email").fill("maya@x.io")
    visitor.get_by_role("textbox", name="Password", exact=True).fill("maya-password-1")
    visitor.get_by_role("textbox", name="Password again").fill("maya-password-1")
    next_step(visitor, "Next", visitor.get_by_role("textbox", name="First name"))
    for label, value in (("First name", "Maya"), ("Last name", "Cohen"), ("Company", "Seedcamp"), ("Role", "Partner")):
        visitor.get_by_role("textbox", name=label).fill(value)
        visitor.keyboard.press("Tab")
    for label, option in (("Interests (1–10)", "Fintech"),
                          ("What do you want from this event?", "Invest in companies")):
        box = visitor.get_by_role("combobox", name=label)
        box.click()
        box.fill(option)
        visitor.get_by_role("option", name=option, exact=True).first.click()
        visitor.keyboard.press("Escape")
    next_step(visitor, "Next", visitor.get_by_text("What's your biggest challenge right now?"))
    visitor.get_by_text("Raising our next funding round").click()
    next_step(visitor, "Next", visitor.get_by_text("Supercharge your networking"))
    expect(visitor.get_by_text("has not switched the public-profile search on yet")).to_be_visible()
    visitor.screenshot(path=SCREENSHOTS / "sign-up-smart-matching.png", full_page=True)
    next_step(visitor, "Next", visitor.get_by_text("Privacy and data settings"))
    visitor.get_by_role("button", name="Create my account").click()
    visitor.get_by_text("you're registered for").wait_for()
    visitor.goto(url)
    fill_login(visitor, "maya", "maya-password-1")
    visitor.get_by_role("heading", name="For you", exact=True).wait_for()
    reload_until_matched(visitor, "Lena Berg")  # the worker runs the jobs the sign-up queued
    expect(visitor.get_by_text("Lena Berg").first).to_be_visible()


def test_a_token_signed_with_the_old_default_key_logs_nobody_in(real_event, page):
    claims = {"sub": "boss", "aid": 1, "ver": 1, "exp": int(time.time()) + 3600}
    forged = jwt.encode(claims, DEV_COOKIE_KEY, algorithm="HS256")
    page.context.add_cookies([{"name": COOKIE_NAME, "value": forged, "url": real_event}])
    page.goto(f"{real_event}/uploads")
    page.get_by_role("button", name="Log in").wait_for()
    assert page.get_by_text("Log out").count() == 0
