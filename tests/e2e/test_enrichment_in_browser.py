"""Enrichment in a real browser: the demo attendee turns profile enrichment on on Privacy, asks for it on My profile,
the worker (`python -m jobs work-queue`) looks them up on local GitHub and search stubs, and after a reload the page
shows the rich tier and the platforms found."""
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from db.models import EnrichmentStatus, EnrichmentTier, Person
from tests.conftest import ROOT
from tests.e2e.conftest import SCREENSHOTS, log_in, new_page, start_app, stop
from tests.stubs.enrichment_stubs import GitHubStub, SearchStub
from tests.ui.conftest import me

FOUND = [
    {"url": "https://www.linkedin.com/in/ana-lopez", "title": "Ana Lopez - Senior Data Engineer - Acme | LinkedIn",
     "content": "Senior data engineer at Acme building Kafka pipelines in Python."},
    {"url": "https://twitter.com/analopez", "title": "Ana Lopez (@analopez) / X",
     "content": "Data engineering, machine learning and climbing."},
    {"url": "https://medium.com/@analopez", "title": "Ana Lopez – Medium",
     "content": "Writing about data pipelines and Kubernetes."},
]


@pytest.fixture(scope="module")
def stubbed_app(engine, database_url, tmp_path_factory):
    """The app over the demo data, its enrichment sources pointing at local stubs; the demo attendee is Ana Lopez
    (GitHub user analopez) and has not allowed enrichment yet."""
    with Session(engine) as session:
        person = session.get(Person, me(session))
        person.first_name, person.last_name, person.github_username = "Ana", "Lopez", "analopez"
        person.allow_enrichment, person.enrichment_status = False, EnrichmentStatus.OPTED_OUT
        person.enrichment_tier = EnrichmentTier.TIER_0_PENDING
        session.commit()
    with SearchStub(answers={"ana lopez": FOUND}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python", "Python", "Go", "Rust"])
        env = {"SEARCH_API_URL": search.url, "SEARCH_API_KEY": "test-key", "GITHUB_API_URL": github.url,
               "DATABASE_URL": database_url}
        server, url = start_app(database_url, tmp_path_factory.mktemp("streamlit") / "server.log", **env)
        try:
            yield url, env, search, github
        finally:
            stop(server)


def click_until_queued(page, attempts: int = 3) -> None:
    """Click "Enrich my profile" until its answer shows: on a loaded machine a click that lands while the page is
    still being redrawn after opening it can be lost (the button is then still enabled, and is clicked again)."""
    queued = page.get_by_text("Queued: your profile will be enriched")
    for _ in range(attempts):
        button = page.get_by_role("button", name="Enrich my profile")
        if button.is_enabled():
            button.click()
        try:
            expect(queued).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            continue
    expect(queued).to_be_visible()


def test_an_attendee_opts_in_enriches_their_profile_and_sees_the_rich_tier_and_sources(stubbed_app, browser, engine):
    url, env, search, github = stubbed_app
    page = new_page(browser)
    log_in(page, url, "attendee", "attendee-demo-1", path="privacy")
    page.get_by_role("heading", name="Privacy").first.wait_for()
    page.get_by_text("Profile enrichment", exact=True).click()
    expect(page.get_by_text("Saved: Profile enrichment is on.")).to_be_visible()

    page.goto(f"{url}/my-profile")
    page.get_by_role("heading", name="Public profiles").wait_for()
    click_until_queued(page)
    subprocess.run([sys.executable, "-m", "jobs", "work-queue"], cwd=ROOT, check=True, timeout=120,
                   env={**os.environ, **env}, capture_output=True)
    with Session(engine) as session:
        assert session.get(Person, me(session)).enrichment_tier == EnrichmentTier.TIER_1_RICH
    assert search.search_requests() and github.user_requests()

    page.reload()
    page.get_by_role("heading", name="Public profiles").wait_for()
    expect(page.get_by_test_id("stMetric").filter(has_text="Profile tier")).to_contain_text("Rich")
    found_on = page.get_by_test_id("stMarkdownContainer").filter(has_text="Found on:")
    for platform in ("GitHub", "LinkedIn", "Twitter/X"):
        expect(found_on).to_contain_text(platform)
    page.screenshot(path=str(SCREENSHOTS / "enrichment-rich-profile.png"), full_page=True)
