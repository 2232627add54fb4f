"""The career-model job end to end: through the job runner (paths, model, predictions) and as `python -m jobs run
career-model` in a real process."""
from __future__ import annotations

from sqlalchemy import func, select

from core.careers.career_model import train_career_model
from core.jobs.registry import JOBS
from core.jobs.runner import run_job
from core.platform.clock import FixedClock
from db.models import CareerModel, CareerPrediction, CareerTransition, JobTrigger
from tests.integration.careers.test_career_model import COMMUNITY_NOW, add_person_for, load_community
from tests.integration.jobs.test_cli import cli

CLOCK = FixedClock(COMMUNITY_NOW)


def test_the_job_is_registered_nightly():
    assert JOBS["career-model"].schedule_text == "daily at 02:00 UTC"


def test_the_runner_builds_paths_trains_and_stores_predictions_and_a_scheduled_rerun_skips(db, engine):
    load_community(db, 800)
    add_person_for(db, 1)
    db.commit()
    first = run_job("career-model", engine=engine, clock=CLOCK, trigger=JobTrigger.SCHEDULE)
    second = run_job("career-model", engine=engine, clock=CLOCK, trigger=JobTrigger.SCHEDULE)
    assert first.status == "succeeded", first.error
    assert (first.counts["model_version"], first.counts["stored"], first.counts["model_skipped"]) == (1, 1, False)
    assert (second.counts["model_skipped"], second.counts["paths_skipped"], second.counts["unchanged"]) == (
        True, True, 1)
    assert db.scalar(select(func.count()).select_from(CareerTransition)) > 0
    assert db.scalar(select(CareerPrediction.email)) == db.scalar(select(func.min(CareerPrediction.email)))


def test_the_cli_run_trains_a_new_version_even_when_nothing_changed(db, database_url):
    load_community(db, 600)
    train_career_model(db, clock=CLOCK)
    db.commit()
    ran = cli("run", "career-model", database_url=database_url)
    assert ran.returncode == 0 and "succeeded" in ran.stdout, ran.stdout + ran.stderr
    assert dict(db.execute(select(CareerModel.version, CareerModel.status)).all()) == {1: "retired", 2: "active"}
