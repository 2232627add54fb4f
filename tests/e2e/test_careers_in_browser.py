"""In a real browser: a generated alumni community, stored as the uploads store it and built by the real skill-graph
and career-model jobs; the demo attendee, one of its alumni, opens My career and sees predictions and a learning
path; an organizer opens Skills and Careers."""
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.ai.prompts import ensure_seed_variants
from core.alumni.alumni import store_alumni
from core.alumni.educational import store_completions
from core.alumni.job_market import store_postings
from core.careers.roles import role_family
from core.demo.careers import generate_career_community
from db.models import Account, Person
from tests.conftest import APP_NOW, ROOT
from tests.e2e.conftest import log_in, screenshot


@pytest.fixture(scope="module")
def careers_built(app_url, engine, database_url):
    """The community with the demo attendee as a data analyst among its alumni, and the two jobs run."""
    community = generate_career_community(alumni=600, postings=150)
    with Session(engine) as session:
        email = session.scalar(select(Person.email).join(Account, Account.person_id == Person.id)
                               .where(Account.username == "attendee"))
        analyst = next(a for a in community.alumni
                       if role_family(a["current_role"]) == "Data Analyst" and len(a["role_history"]) > 1)
        analyst.update(email=email, visibility="community")
        store_alumni(session, None, [{"lat": None, "lon": None, **a} for a in community.alumni], APP_NOW)
        store_postings(session, None, [{"lat": None, "lon": None, **p} for p in community.postings], APP_NOW)
        store_completions(session, None, community.completions, APP_NOW)
        ensure_seed_variants(session)  # which every CLI command makes sure of: two at once on none would race
        session.commit()
    # The two jobs write different tables (career-model reads the skill keys the upload stored), so they run side by
    # side to keep the journey short.
    runs = [subprocess.Popen([sys.executable, "-m", "jobs", "run", job], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, env={**os.environ, "DATABASE_URL": database_url})
            for job in ("skill-graph", "career-model")]
    for run in runs:
        output, _ = run.communicate(timeout=180)
        assert run.returncode == 0, output
    return app_url


def test_an_alumnus_attendee_sees_their_predictions_and_a_learning_path(careers_built, page):
    log_in(page, careers_built, "attendee", "attendee-demo-1", path="my-career")
    page.get_by_role("heading", name="My career", exact=True).wait_for()
    page.get_by_role("heading", name="Your likely next roles").wait_for()
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".barlayer")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()  # the top next roles
    page.get_by_role("heading", name="Learning path").wait_for()
    expect(page.get_by_text("The skills you miss for")).to_be_visible()
    expect(page.get_by_test_id("stMarkdown").filter(has_text="Advice").first).to_be_visible()
    screenshot(page, "my_career.png")


def test_an_organizer_opens_the_skill_graph_and_the_career_paths(careers_built, page):
    log_in(page, careers_built, "organizer", "organizer-demo-1", path="skills")
    page.get_by_role("heading", name="Skills", exact=True).wait_for()
    page.get_by_role("heading", name="Skill network").wait_for()
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".scatterlayer")).to_be_visible()
    page.get_by_role("textbox", name="Skill").fill("Python")
    page.get_by_role("textbox", name="Skill").press("Enter")
    page.get_by_text("Skills related to").wait_for()
    screenshot(page, "skills.png")

    page.get_by_role("link", name="Careers", exact=True).click()
    page.get_by_role("heading", name="Top moves between role families").wait_for()
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".sankey")).to_be_visible()
    page.get_by_role("heading", name="Next-role model").wait_for()
    screenshot(page, "careers.png")
