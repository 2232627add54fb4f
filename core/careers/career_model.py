"""The next-role model: training samples from the alumni's role histories, a cross-validated choice among a few
scikit-learn classifiers, the held-out-people evaluation against the majority-move baseline, and its versions.

Budget (100k alumni, 2 cores, < 120 s): cross-validation runs on a subsample of the training people (CV_ROWS
samples, 3 group folds), the final fit on at most FINAL_ROWS samples, trees are capped in number and depth so the
stored model stays a few MB. The forests use N_JOBS workers; BLAS runs single-threaded (on a busy 2-core machine a
second BLAS thread made the logistic regression 30 times slower). Histogram gradient boosting was tried and
dropped: with ~18 classes it grows a tree per class and iteration and was the slowest and least stable candidate.
"""
from __future__ import annotations

import hashlib
import io
import time
from datetime import datetime

import joblib
import numpy as np
import pandas as pd
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from core.careers import features as F
from core.knowledge.skill_names import skill_key, skill_keys
from core.platform.clock import Clock
from db.models import Alumnus, BuildKind, CareerBuild, CareerModel, ModelStatus

FEATURES_VERSION = "next-role-v1"  # part of the input hash: a change of features retrains
HOLDOUT_SHARE = 0.2  # of people, never seen in training or model choice
CV_ROWS = 30_000
CV_FOLDS = 3
FINAL_ROWS = 150_000
MIN_LABEL_SAMPLES = 5  # rarer next families are dropped from training (too few to learn or to fold)
SEED = 42
N_JOBS = 2


class MajorityMoveClassifier:
    """The transition matrix as a classifier: each current family's outcome frequencies in the training samples
    (everyone's for a family it has not seen). It reads the family one-hot, the first `n_families` columns of X.
    A candidate like the others, so a small community whose histories a forest cannot beat gets this model."""

    def __init__(self, n_families: int = 0) -> None:
        self.n_families = n_families

    def get_params(self, deep: bool = True) -> dict:
        return {"n_families": self.n_families}

    def set_params(self, **params) -> MajorityMoveClassifier:
        self.n_families = params.get("n_families", self.n_families)
        return self

    def _family(self, X: np.ndarray) -> np.ndarray:
        block = np.asarray(X[:, :self.n_families])
        return np.where(block.any(axis=1), block.argmax(axis=1), self.n_families) if self.n_families else \
            np.zeros(len(X), dtype=int)

    def fit(self, X: np.ndarray, y: np.ndarray) -> MajorityMoveClassifier:
        """Count each family's outcomes."""
        self.classes_, codes = np.unique(np.asarray(y, dtype=object), return_inverse=True)
        counts = np.zeros((self.n_families + 1, len(self.classes_)))
        np.add.at(counts, (self._family(X), codes), 1)
        everyone = counts.sum(axis=0) / max(len(codes), 1)
        counts[-1] = 0  # an unseen family gets everyone's frequencies
        totals = counts.sum(axis=1, keepdims=True)
        self.table_ = np.where(totals > 0, counts / np.maximum(totals, 1), everyone)
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Each row's family's outcome frequencies."""
        return self.table_[self._family(X)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Each row's family's most frequent outcome (ties: the first class, as the baseline breaks them)."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def _candidates(n_families: int) -> dict:
    """The algorithms compared by cross-validation, each sized for the time and payload budget."""
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MaxAbsScaler

    return {
        "random_forest": RandomForestClassifier(n_estimators=60, max_depth=12, min_samples_leaf=10, n_jobs=N_JOBS,
                                                random_state=SEED),
        "logistic_regression": make_pipeline(MaxAbsScaler(), LogisticRegression(max_iter=100, tol=1e-3)),
        "extra_trees": ExtraTreesClassifier(n_estimators=60, max_depth=14, min_samples_leaf=10, n_jobs=N_JOBS,
                                            random_state=SEED),
        "majority_move": MajorityMoveClassifier(n_families),
    }


def load_alumni(session: Session) -> pd.DataFrame:
    """Every alumnus's id, industry, current role, role history and canonical skill keys (the stored keys, or the
    skills normalised when the keys are missing)."""
    rows = session.execute(select(Alumnus.id, Alumnus.industry, Alumnus.current_role, Alumnus.role_history,
                                  Alumnus.skills, Alumnus.skill_keys).order_by(Alumnus.id)).all()
    frame = pd.DataFrame(rows, columns=["id", "industry", "current_role", "role_history", "skills", "skill_keys"])
    return fill_skill_keys(frame)


def fill_skill_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose stored skill keys are missing get their skills normalised (core.knowledge.skill_names)."""
    missing = frame["skill_keys"].map(lambda keys: not keys)
    if missing.any():
        frame.loc[missing, "skill_keys"] = frame.loc[missing, "skills"].map(lambda skills: skill_keys(skills or []))
    return frame


def load_demand(session: Session) -> dict[str, float]:
    """Share of job postings asking for each canonical skill key (distinct phrases are normalised once)."""
    total = session.scalar(text("SELECT count(*) FROM job_postings")) or 0
    phrases = session.execute(text(
        "SELECT lower(s), count(DISTINCT p.id) FROM job_postings p, unnest(p.skills) s GROUP BY 1")).all()
    if not phrases:
        return {}
    counts = pd.DataFrame(phrases, columns=["phrase", "n"])
    counts["key"] = counts["phrase"].map(skill_key)
    by_key = counts[counts["key"] != ""].groupby("key")["n"].sum().clip(upper=total)
    return F.posting_demand(by_key, total)


def input_hash(session: Session) -> str:
    """A digest of everything the model learns from: alumni histories, skills, industries and posting skills."""
    alumni = session.scalar(text(
        "SELECT md5(string_agg(md5(concat_ws('|', id, industry, \"current_role\", role_history::text, "
        "skills::text, skill_keys::text)), '' ORDER BY id)) FROM alumni")) or ""
    postings = session.scalar(text(
        "SELECT md5(string_agg(md5(skills::text), '' ORDER BY id)) FROM job_postings")) or ""
    return hashlib.sha256(f"{FEATURES_VERSION}|{alumni}|{postings}".encode()).hexdigest()


def _now_month(now: datetime) -> int:
    return now.year * 12 + now.month - 1


def training_data(alumni: pd.DataFrame, demand: dict[str, float], *, now: datetime):
    """The labelled samples, the feature spec, and the feature matrix X with labels y and people groups."""
    spell_frame = F.spells(F.steps_frame(alumni))
    samples = F.label_spells(spell_frame, now_month=_now_month(now))
    counts = samples["label"].value_counts()
    samples = samples[samples["label"].map(counts) >= MIN_LABEL_SAMPLES].reset_index(drop=True)
    spec = F.build_spec(samples, alumni, demand)
    people = F.person_matrix(spec, alumni)
    position = pd.Series(np.arange(len(alumni)), index=alumni["id"].to_numpy())
    rows = position.loc[samples["alumnus_id"].to_numpy()].to_numpy()
    X = F.encode(spec, samples["family"], samples["years_experience"].to_numpy(), rows, people)
    return samples, spec, X, samples["label"].to_numpy(dtype=object), samples["alumnus_id"].to_numpy()


def _top_k_accuracy(probabilities: np.ndarray, classes: np.ndarray, y: np.ndarray, k: int) -> float:
    top = np.argsort(-probabilities, axis=1)[:, :k]
    return float(np.mean((classes[top] == y[:, None]).any(axis=1))) if len(y) else 0.0


def majority_baseline(families: np.ndarray, labels: np.ndarray) -> dict[str, list[str]]:
    """For each current family, its next families (or STAYS) by frequency among training samples."""
    frame = pd.DataFrame({"family": families, "label": labels})
    counts = frame.groupby(["family", "label"]).size().reset_index(name="n")
    counts = counts.sort_values(["family", "n", "label"], ascending=[True, False, True], kind="stable")
    return counts.groupby("family")["label"].apply(list).to_dict()


def baseline_accuracy(ranking: dict[str, list[str]], fallback: list[str], families: np.ndarray,
                      labels: np.ndarray, k: int) -> float:
    """Top-k accuracy of the majority-move baseline: each family's most frequent outcomes among training people."""
    if not len(labels):
        return 0.0
    hits = [label in ranking.get(family, fallback)[:k] for family, label in zip(families, labels, strict=True)]
    return float(np.mean(hits))


def _split_people(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row masks of the training and held-out people (HOLDOUT_SHARE of distinct people, seeded)."""
    people = np.unique(groups)
    rng = np.random.default_rng(SEED)
    held = rng.choice(people, max(1, round(len(people) * HOLDOUT_SHARE)), replace=False)
    test = np.isin(groups, held)
    return ~test, test


def _subsample_people(groups: np.ndarray, mask: np.ndarray, limit: int) -> np.ndarray:
    """Row indices within `mask` of randomly chosen whole people, about `limit` rows."""
    index = np.flatnonzero(mask)
    if len(index) <= limit:
        return index
    people = np.unique(groups[index])
    rng = np.random.default_rng(SEED + 1)
    chosen = rng.choice(people, max(1, round(len(people) * limit / len(index))), replace=False)
    return index[np.isin(groups[index], chosen)]


def cross_validate(X: np.ndarray, y: np.ndarray, groups: np.ndarray, n_families: int) -> dict[str, dict]:
    """Every candidate's top-1 accuracy over CV_FOLDS group folds (people never straddle folds)."""
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold

    folds = list(GroupKFold(n_splits=min(CV_FOLDS, len(np.unique(groups)))).split(X, y, groups))
    scores: dict[str, dict] = {}
    for name, estimator in _candidates(n_families).items():
        started = time.perf_counter()
        fold_scores = []
        for train, test in folds:
            model = clone(estimator).fit(X[train], y[train])
            fold_scores.append(float(np.mean(model.predict(X[test]) == y[test])))
        scores[name] = {"cv_top1_mean": round(float(np.mean(fold_scores)), 4),
                        "cv_top1_std": round(float(np.std(fold_scores)), 4),
                        "cv_top1_folds": [round(s, 4) for s in fold_scores],
                        "seconds": round(time.perf_counter() - started, 2)}
    return scores


def fit_and_evaluate(X: np.ndarray, y: np.ndarray, groups: np.ndarray, families: np.ndarray, n_families: int):
    """Hold out people, cross-validate the candidates on the others, fit the best and score it on the held-out
    people against the majority-move baseline: (model, metrics, training rows)."""
    from sklearn.base import clone

    train_mask, test_mask = _split_people(groups)
    cv_index = _subsample_people(groups, train_mask, CV_ROWS)
    cv_scores = cross_validate(X[cv_index], y[cv_index], groups[cv_index], n_families)
    # on a tie the learned models win over the majority move, and the seed's random forest over the others
    algorithm = max(cv_scores, key=lambda name: (cv_scores[name]["cv_top1_mean"], name != "majority_move",
                                                 name == "random_forest"))
    fit_index = _subsample_people(groups, train_mask, FINAL_ROWS)
    fit_started = time.perf_counter()
    model = clone(_candidates(n_families)[algorithm]).fit(X[fit_index], y[fit_index])
    fit_seconds = time.perf_counter() - fit_started
    ranking = majority_baseline(families[train_mask], y[train_mask])
    fallback = pd.Series(y[train_mask]).value_counts().index.tolist()
    probabilities = model.predict_proba(X[test_mask]) if test_mask.any() else np.zeros((0, len(model.classes_)))
    classes = np.asarray(model.classes_, dtype=object)
    y_test, families_test = y[test_mask], families[test_mask]
    moves = y_test != F.STAYS
    metrics = {
        "candidates": cv_scores, "chosen": algorithm,
        "holdout_people": int(len(np.unique(groups[test_mask]))), "holdout_rows": int(test_mask.sum()),
        "train_people": int(len(np.unique(groups[train_mask]))), "cv_rows": int(len(cv_index)),
        "holdout_top1": round(_top_k_accuracy(probabilities, classes, y_test, 1), 4),
        "holdout_top3": round(_top_k_accuracy(probabilities, classes, y_test, 3), 4),
        "baseline_top1": round(baseline_accuracy(ranking, fallback, families_test, y_test, 1), 4),
        "baseline_top3": round(baseline_accuracy(ranking, fallback, families_test, y_test, 3), 4),
        # the same on held-out samples that were moves (not STAYS), the question the transition matrix answers
        "holdout_moves_top1": round(_top_k_accuracy(probabilities[moves], classes, y_test[moves], 1), 4),
        "baseline_moves_top1": round(baseline_accuracy(ranking, fallback, families_test[moves], y_test[moves], 1),
                                     4),
        "stays_share": round(float(np.mean(y == F.STAYS)), 4),
        "samples": int(len(y)), "classes": int(len(classes)), "fit_seconds": round(fit_seconds, 2),
        "horizon_months": F.HORIZON_MONTHS,
    }
    return model, metrics, int(len(fit_index))


def active_model(session: Session) -> CareerModel | None:
    """The model version predictions use: the newest active one."""
    return session.scalar(select(CareerModel).where(CareerModel.status == ModelStatus.ACTIVE)
                          .order_by(CareerModel.version.desc()).limit(1))


def train_career_model(session: Session, *, clock: Clock, force: bool = False) -> dict:
    """Train, evaluate and store a new version (the previous active one retires); skipped when the inputs are
    unchanged since the active version, unless forced. Flushes, never commits."""
    started = time.perf_counter()
    digest = input_hash(session)
    current = active_model(session)
    if current is not None and current.input_hash == digest and not force:
        return {"skipped": True, "version": current.version}
    now = clock.now()
    alumni = load_alumni(session)
    demand = load_demand(session)
    samples, spec, X, y, groups = training_data(alumni, demand, now=now)
    if len(np.unique(y)) < 2:
        return {"skipped": True, "reason": "too few career moves to learn from", "samples": int(len(y))}
    with threadpool_limits(limits=1, user_api="blas"):
        model, metrics, training_rows = fit_and_evaluate(X, y, groups, samples["family"].to_numpy(dtype=object),
                                                          len(spec.families))
    algorithm = metrics["chosen"]
    buffer = io.BytesIO()
    joblib.dump({"model": model, "classes": [str(c) for c in model.classes_]}, buffer, compress=3)
    payload = buffer.getvalue()
    metrics["payload_bytes"] = len(payload)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    version = (session.scalar(select(CareerModel.version).order_by(CareerModel.version.desc()).limit(1)) or 0) + 1
    session.execute(update(CareerModel).where(CareerModel.status == ModelStatus.ACTIVE)
                    .values(status=ModelStatus.RETIRED.value))
    stored = CareerModel(version=version, algorithm=algorithm, status=ModelStatus.ACTIVE.value, trained_at=now,
                         training_rows=training_rows, metrics=metrics,
                         features={**spec.to_dict(), "columns": spec.columns}, input_hash=digest, payload=payload)
    session.add(stored)
    build = session.get(CareerBuild, BuildKind.CAREER_MODEL.value)
    summary = {"version": version, "algorithm": algorithm, "holdout_top1": metrics["holdout_top1"],
               "baseline_top1": metrics["baseline_top1"]}
    if build is None:
        session.add(CareerBuild(kind=BuildKind.CAREER_MODEL.value, input_hash=digest, built_at=now, summary=summary))
    else:
        build.input_hash, build.built_at, build.summary = digest, now, summary
    session.flush()
    return {"skipped": False, "version": version, "model_id": stored.id, "algorithm": algorithm,
            "training_rows": training_rows, "holdout_top1": metrics["holdout_top1"],
            "baseline_top1": metrics["baseline_top1"], "seconds": metrics["seconds"]}
