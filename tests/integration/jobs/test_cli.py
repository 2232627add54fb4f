"""The command-line interface, run as a real subprocess against the test database."""
import csv
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from core.demo.generate import generate_demo_attendees
from db.models import CareerPrediction, EngagementScore, ExperimentAssignment, JobRun, Person, Recommendation
from tests.conftest import EVAL_ATTENDEES, ROOT
from tests.stubs.anthropic_stub import AnthropicStub


def cli(*args: str, database_url: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    return subprocess.run([sys.executable, "-m", "jobs", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("command", [[], ["migrate"], ["seed-demo"], ["ingest"], ["worker"], ["work-queue"], ["run"],
                                     ["create-admin"], ["invite"]])
def test_every_command_has_help(command, database_url):
    result = cli(*command, "--help", database_url=database_url)
    assert result.returncode == 0 and "usage: python -m jobs" in result.stdout


def test_run_help_lists_every_job_id_whole(database_url):
    from core.jobs.registry import JOBS

    result = cli("run", "--help", database_url=database_url)
    listed = result.stdout.split("one of:", 1)[1].split("\n\n", 1)[0]
    assert {word.strip(",") for word in listed.split()} == set(JOBS)


def test_a_command_other_than_run_starts_without_importing_every_job(database_url):
    code = "import sys, jobs.__main__ as cli; cli.build_parser(); print('core.jobs.registry' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "DATABASE_URL": database_url})
    assert result.stdout.strip() == "False", result.stderr


def test_ingest_loads_the_eval_file_and_a_second_run_changes_nothing(db, database_url):
    first = cli("ingest", str(EVAL_ATTENDEES), "--kind", "attendees", "--event", "eval", database_url=database_url)
    assert first.returncode == 0, first.stderr
    assert "720 rows: 720 valid, 0 with errors; 720 new" in first.stdout
    second = cli("ingest", str(EVAL_ATTENDEES), "--kind", "attendees", "--event", "eval", database_url=database_url)
    assert "0 new, 0 updated, 720 unchanged" in second.stdout
    assert db.scalar(select(func.count()).select_from(Person)) == 720


def test_ingest_of_a_rejected_file_exits_non_zero_with_the_reason(db, database_url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("email,name\na@x.io,Ana\n")
    result = cli("ingest", str(bad), "--kind", "attendees", "--event", "eval", database_url=database_url)
    assert result.returncode == 1 and "Missing required column(s)" in result.stdout


def test_run_executes_a_job_and_reports_its_status(db, database_url):
    result = cli("run", "retention-cleanup", database_url=database_url)
    assert result.returncode == 0 and "retention-cleanup: succeeded" in result.stdout


def test_seed_demo_prints_one_account_per_role_and_leaves_careers_and_engagement_computed(db, database_url):
    # A small demo: every step of the command runs, at a fifth of the time the default size takes.
    result = cli("seed-demo", "--attendees", "40", "--alumni", "100", database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "Loaded demo data: 40 attendees" in result.stdout and "100 alumni" in result.stdout
    for role in ("attendee", "organizer", "admin", "staff"):
        assert f"{role} / {role}-demo-1" in result.stdout
    assert db.scalar(select(func.count()).select_from(CareerPrediction)) >= 1  # the demo attendee is an alumnus
    assert db.scalar(select(func.count()).select_from(EngagementScore)) == 40


def test_seed_demo_refuses_a_size_under_one_with_the_rule(db, database_url):
    result = cli("seed-demo", "--attendees", "0", database_url=database_url)
    assert result.returncode == 2 and "'0' is not a whole number of at least 1" in result.stderr


def test_with_an_api_key_and_a_stub_url_the_refresh_job_ranks_everyone_through_their_variant(db, database_url,
                                                                                            tmp_path):
    rows = generate_demo_attendees(n=30, seed=5)
    attendees = tmp_path / "a.csv"
    with attendees.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert cli("ingest", str(attendees), "--kind", "attendees", "--event", "stubbed",
               database_url=database_url).returncode == 0
    with AnthropicStub("ok") as stub:
        env = {"ANTHROPIC_API_KEY": "test", "ANTHROPIC_BASE_URL": stub.url, "LLM_REQUESTS_PER_MINUTE": "60000"}
        result = cli("run", "refresh-recommendations", "--event", "stubbed", database_url=database_url, env=env)
    assert result.returncode == 0, result.stderr
    assigned = dict(db.execute(select(ExperimentAssignment.person_id, ExperimentAssignment.variant_id)).all())
    stored = db.execute(select(Recommendation.user_id, Recommendation.prompt_variant_id, Recommendation.strategy)).all()
    assert len(assigned) == 30 and {s for _, _, s in stored} == {"llm"}
    assert all(variant == assigned[user] for user, variant, _ in stored)


def test_ingest_names_the_queued_follow_up_jobs_and_work_queue_runs_them(db, database_url, tmp_path):
    alumni = tmp_path / "alumni.csv"
    alumni.write_text('email,name,location\na@x.io,Ana,"Lisbon, Portugal"\n')
    ingest = cli("ingest", str(alumni), "--kind", "alumni", database_url=database_url)
    assert "Queued for the worker: geocode-locations, talent-clusters, skill-graph, career-model" in ingest.stdout
    work = cli("work-queue", database_url=database_url)
    assert work.returncode == 0 and "0 queued uploads and 4 requested job runs" in work.stdout
    assert sorted(db.scalars(select(JobRun.job_id).where(JobRun.trigger == "queued"))) == [
        "career-model", "geocode-locations", "skill-graph", "talent-clusters"]
