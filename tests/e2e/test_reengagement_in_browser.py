"""In a real browser: the seed's sample, loaded by the behavioural upload and computed by the re-engagement job, on
the Re-engagement page — counts, a filter, Sarah's summary and the send list."""
import json
import os
import subprocess
import sys

from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.integration.reengagement.test_store import SEED_DOCUMENT


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
    sample.write_text(json.dumps(SEED_DOCUMENT))
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
