"""In a real browser: the seed's sample, loaded by the behavioural upload and computed by the re-engagement job, on
the Re-engagement page — counts, a filter, Sarah's summary and the send list."""
import json
import os
import subprocess
import sys

from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.conftest import SCREENSHOTS, log_in

# Seed 002's sample: Sarah, the three people she attended events with, their events, her orders and messages.
SAMPLE = {
    "users": [
        {"id": "user_001", "email": "sarah.chen@email.com", "name": "Sarah Chen",
         "interests": ["hiking", "photography", "cooking"], "cuisine_preference": ["Italian", "Thai", "Japanese"],
         "dietary_restrictions": ["vegetarian"], "age": 32, "gender": "Female", "occupation": "Software Engineer",
         "relationship_status": "Single", "table_type_preference": "communal",
         "home_neighborhood": "Mission District", "work_neighborhood": "SOMA"},
        {"id": "user_002", "email": "mike.jones@email.com", "name": "Mike Jones", "home_neighborhood": "SOMA"},
        {"id": "user_003", "email": "jenny.kim@email.com", "name": "Jenny Kim"},
        {"id": "user_004", "email": "alex.wong@email.com", "name": "Alex Wong"},
    ],
    "events": [
        {"id": "event_001", "name": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault",
         "host": "Chef Mario", "event_type": "wine_tasting",
         "participants": ["sarah.chen@email.com", "mike.jones@email.com", "jenny.kim@email.com"]},
        {"id": "event_002", "name": "Thai Cooking Class", "date": "2024-01-22", "venue": "Culinary Studio",
         "host": "Chef Ploy", "event_type": "cooking_class",
         "participants": ["sarah.chen@email.com", "mike.jones@email.com"]},
        {"id": "event_003", "name": "Farm to Table Dinner", "date": "2024-02-05", "venue": "The Vault",
         "host": "Chef Mario", "event_type": "dinner",
         "participants": ["sarah.chen@email.com", "jenny.kim@email.com", "alex.wong@email.com"]},
    ],
    "orders": [
        {"id": "order_001", "user_id": "user_001", "event_id": "event_001", "amount": 75.0, "date": "2024-01-10"},
        {"id": "order_002", "user_id": "user_001", "event_id": "event_002", "amount": 85.0, "date": "2024-01-18"},
    ],
    "messages": [
        {"id": "msg_001", "user_id": "user_001", "content": "Hey Sarah! Chef Mario is hosting another Italian dinner",
         "status": "sent", "sent_date": "2024-01-25"},
        {"id": "msg_002", "user_id": "user_001", "content": "New Thai cooking class with Chef Ploy",
         "status": "queued", "created_date": "2024-02-10"},
    ],
}


def jobs_cli(database_url: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "jobs", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env={**os.environ, "DATABASE_URL": database_url})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def choose(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_an_organizer_finds_sarah_to_message_and_downloads_the_send_list(app_url, database_url, page, tmp_path):
    sample = tmp_path / "behaviour.json"
    sample.write_text(json.dumps(SAMPLE))
    jobs_cli(database_url, "ingest", str(sample), "--kind", "behavioral")
    jobs_cli(database_url, "run", "reengagement", "--as-of", "2024-02-10")

    log_in(page, app_url, "organizer", "organizer-demo-1")
    page.get_by_role("link", name="Re-engagement").click()
    page.get_by_role("heading", name="Re-engagement", exact=True).wait_for()
    send = page.get_by_test_id("stMetric").filter(has_text="Send a personalised message")
    expect(send.get_by_test_id("stMetricValue")).to_have_text("1")
    page.get_by_text("4 members, highest personalisation score first").wait_for()

    choose(page, "Home neighbourhood", "Mission District")
    page.get_by_text("1 member, highest personalisation score first").wait_for()
    heading = page.get_by_test_id("stMarkdown").filter(has_text="Sarah Chen").filter(
        has_text="· Send a personalised message")
    expect(heading).to_be_visible()
    summary = page.get_by_test_id("stMarkdown").filter(has_text="The Vault").filter(has_text="Sarah")
    expect(summary.first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reengagement.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the send list (CSV)").click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0] == "id,email,decision,summary,suggested_angle"
    assert lines[1].startswith("user_001,sarah.chen@email.com,send_personalised_message,") and len(lines) == 2
