"""The next-role model on a generated community with planted career rules: the candidates' cross-validation, the
held-out people against the majority-move baseline, and the versions."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import joblib
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.careers.career_model import train_career_model
from core.demo.careers import generate_career_community, store_career_community
from core.platform.clock import FixedClock
from db.models import Alumnus, BuildKind, CareerBuild, CareerModel, ModelStatus, Person

COMMUNITY_NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)  # the generator's "today"
CLOCK = FixedClock(COMMUNITY_NOW)


def load_community(session: Session, alumni: int, postings: int | None = None, seed: int = 7) -> None:
    """A generated career community (core/demo/careers.py) stored as its uploads would store it."""
    community = generate_career_community(alumni, postings if postings is not None else max(50, alumni // 5),
                                          completions=alumni // 10, seed=seed)
    store_career_community(session, community, COMMUNITY_NOW)


def add_person_for(session: Session, alumnus_id: int, **fields) -> Person:
    """A registered person with the alumnus's email (upper-cased, as people type it)."""
    email = session.scalar(select(Alumnus.email).where(Alumnus.id == alumnus_id))
    person = Person(email=email.upper(), first_name="Alex", last_name="Moreno", company="Quillstack", **fields)
    session.add(person)
    session.flush()
    return person


def test_the_chosen_model_beats_the_majority_move_baseline_on_held_out_people(db):
    load_community(db, 6000)
    result = train_career_model(db, clock=CLOCK)
    model = db.scalar(select(CareerModel))
    metrics = model.metrics
    assert set(metrics["candidates"]) == {"random_forest", "logistic_regression", "extra_trees", "majority_move"}
    assert all(0 < c["cv_top1_mean"] <= 1 and len(c["cv_top1_folds"]) == 3 for c in metrics["candidates"].values())
    chosen = metrics["chosen"]
    assert model.algorithm == chosen == result["algorithm"]
    assert metrics["candidates"][chosen]["cv_top1_mean"] == max(
        c["cv_top1_mean"] for c in metrics["candidates"].values())
    assert metrics["holdout_people"] > 0 and metrics["holdout_rows"] > 0
    assert metrics["holdout_top1"] > metrics["baseline_top1"] > 0
    assert metrics["holdout_top3"] >= metrics["holdout_top1"]


def test_the_stored_model_unpickles_and_predicts_every_feature_column(db):
    load_community(db, 800)
    train_career_model(db, clock=CLOCK)
    model = db.scalar(select(CareerModel))
    stored = joblib.load(io.BytesIO(model.payload))
    assert stored["model"].n_features_in_ == len(model.features["columns"])
    assert "stays" in stored["classes"] and "Data Scientist" in stored["classes"]
    assert model.training_rows > 0 and model.input_hash and model.metrics["payload_bytes"] == len(model.payload)


def test_unchanged_inputs_skip_training_and_a_forced_run_adds_version_two_and_retires_version_one(db):
    load_community(db, 800)
    first = train_career_model(db, clock=CLOCK)
    again = train_career_model(db, clock=CLOCK)
    forced = train_career_model(db, clock=CLOCK, force=True)
    assert (first["version"], again["skipped"], forced["version"]) == (1, True, 2)
    statuses = dict(db.execute(select(CareerModel.version, CareerModel.status)).all())
    assert statuses == {1: ModelStatus.RETIRED, 2: ModelStatus.ACTIVE}
    assert db.get(CareerBuild, BuildKind.CAREER_MODEL.value).summary["version"] == 2


def test_a_changed_history_trains_a_new_version_without_force(db):
    load_community(db, 800)
    train_career_model(db, clock=CLOCK)
    load_community(db, 900)  # the same 800 people plus 100 new ones
    assert train_career_model(db, clock=CLOCK)["version"] == 2


@pytest.mark.parametrize("alumni", [0, 3])
def test_too_few_moves_to_learn_from_store_no_model(db, alumni):
    load_community(db, alumni, postings=5)
    result = train_career_model(db, clock=CLOCK)
    assert result["skipped"] and db.scalar(select(CareerModel)) is None
