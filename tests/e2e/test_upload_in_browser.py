"""In a real browser, with the real jobs worker running, an admin watches a large upload progress and finish."""
import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from bench.talent import alumni_csv
from tests.conftest import ROOT
from tests.e2e.conftest import log_in, stop

ROWS = 60_000


@pytest.fixture(scope="module")
def worker(app_url, database_url):
    """`python -m jobs worker` against the same database as the app."""
    process = subprocess.Popen([sys.executable, "-m", "jobs", "worker"], cwd=ROOT,
                               env={**os.environ, "DATABASE_URL": database_url},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    stop(process)  # it would first finish the follow-up jobs over the 60,000 alumni


def upload_until_listed(page, path, attempts: int = 3) -> None:
    """Set the file on the uploader and wait until it is listed; a rerun can still swap the uploader, so retry."""
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    for attempt in range(attempts):
        expect(uploader).to_have_count(1, timeout=30_000)  # no stale copy from a rerun still on the page
        uploader.set_input_files(str(path))
        try:
            page.get_by_text(path.name).wait_for(timeout=30_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def test_an_admin_sees_a_large_upload_progress_live_and_then_its_report(app_url, worker, page, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_bytes(alumni_csv(ROWS, seed=11))
    log_in(page, app_url, "admin", "admin-demo-1")
    page.get_by_role("link", name="Uploads").click()
    page.get_by_role("heading", name="Uploads", exact=True).wait_for()
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Alumni", exact=True).click()
    # Alumni need no event: once the event choice is gone, the rerun that the selection caused is over, and a
    # file set now is not lost to a re-rendered uploader.
    expect(page.get_by_text("Existing event")).to_have_count(0, timeout=30_000)
    upload_until_listed(page, path)
    load = page.get_by_role("button", name="Validate and load")
    expect(load).to_be_enabled(timeout=90_000)
    load.click()
    page.get_by_text(re.compile(r"(validating|cleaning|processing|storing) — \d+% · [\d,]+ valid rows")).wait_for(
        timeout=90_000)
    page.get_by_text(f"{ROWS:,} rows: {ROWS:,} valid, 0 with errors").wait_for(timeout=120_000)
    page.get_by_text("Queued for the jobs worker: Geocode locations, Rebuild talent hubs, Skill graph, "
                     "Career model.").wait_for()
