"""One alumnus's top next roles from the active model (probability, time frame, confidence, required skills, gap,
similar movers), the stored predictions with advice for alumni who are live people, and the career-model job.

A prediction's probability is P(next role = X | a move within the horizon): the model's probabilities over the next
families, without STAYS and the current family, renormalised; `stay_probability` is the model's P(no move within the
horizon). Confidence: "high" from 0.5 with at least 10 alumni who made the move, "medium" from 0.2, else "low".
"""
from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass

import joblib
import numpy as np
import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.call_log import save_calls
from core.ai.llm import LLMError
from core.careers import features as F
from core.careers.career_model import active_model, fill_skill_keys, train_career_model
from core.careers.histories import career_steps, current_family
from core.careers.paths import rebuild_career_paths
from core.careers.prompts import (
    ADVICE_FEATURE,
    ADVICE_MAX_TOKENS,
    ADVICE_SYSTEM,
    ADVICE_TEMPERATURE,
    AdviceReply,
    advice_facts,
    advice_prompt,
    template_advice,
    valid_advice,
)
from core.careers.skill_labels import SkillLabels
from core.events.visibility import live
from core.knowledge.skill_names import skill_key
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.settings import Settings
from db.models import (
    AdviceSource,
    Alumnus,
    CareerModel,
    CareerMove,
    CareerPrediction,
    CareerRole,
    CareerRoleSkill,
    CareerTransition,
    ModelStatus,
    Person,
)

log = logging.getLogger(__name__)

CAREER_MODEL_JOB = "career-model"
TOP_ROLES = 5
REQUIRED_SKILLS = 5  # shown per predicted role
ADVICE_CAP = 100  # LLM advice calls per run; the others keep their stored advice or get the template
CHUNK = 2_000
_MODELS: dict[tuple, tuple[object, np.ndarray, F.FeatureSpec]] = {}  # active model key -> unpickled, per process


@dataclass(frozen=True)
class _State:
    """An alumnus's current state as the model sees it."""

    alumnus_id: int
    family: str | None
    years_experience: float
    skills: list[str]  # canonical keys
    skill_labels: list[str]


def _loaded(session: Session) -> tuple[int, object, np.ndarray, F.FeatureSpec] | None:
    """The active model (unpickled once per process and model id), or None before the first training."""
    active = session.execute(select(CareerModel.id, CareerModel.trained_at, CareerModel.input_hash)
                             .where(CareerModel.status == ModelStatus.ACTIVE)
                             .order_by(CareerModel.version.desc()).limit(1)).first()
    if active is None:
        return None
    model_id, key = active.id, tuple(active)  # ids restart in a new database; the training time tells them apart
    if key not in _MODELS:
        payload, spec = session.execute(select(CareerModel.payload, CareerModel.features)
                                        .where(CareerModel.id == model_id)).one()
        stored = joblib.load(io.BytesIO(payload))
        model = stored["model"]
        if hasattr(model, "n_jobs"):
            model.n_jobs = 1  # a few rows at a time: threads cost more than they save
        spec_fields = {k: v for k, v in spec.items() if k != "columns"}
        _MODELS.clear()  # one active model at a time is enough
        _MODELS[key] = (model, np.asarray(stored["classes"], dtype=object), F.FeatureSpec.from_dict(spec_fields))
    return (model_id, *_MODELS[key])


def _states(alumni: pd.DataFrame, label: SkillLabels) -> list[_State]:
    """Each alumnus's current spell: its family and the years of experience at its start (as in training)."""
    spell_frame = F.spells(F.steps_frame(alumni)) if len(alumni) else pd.DataFrame()
    last = spell_frame.groupby("alumnus_id").tail(1).set_index("alumnus_id") if len(spell_frame) else None
    states = []
    for row in alumni.itertuples(index=False):
        family = current_family(career_steps(row.role_history, row.current_role), row.current_role)
        years = float(last.at[row.id, "years_experience"]) if last is not None and row.id in last.index else 0.0
        labels = [label(key) for key in (row.skill_keys or [])]
        states.append(_State(int(row.id), family, years, list(row.skill_keys or []), list(dict.fromkeys(labels))))
    return states


def timeframe(mean_months: float | None) -> str | None:
    """Typical time before the move, in six-month bands: 'within 6 months', '18-24 months'."""
    if mean_months is None or (isinstance(mean_months, float) and math.isnan(mean_months)):
        return None
    low = 6 * int(mean_months // 6)
    return "within 6 months" if low == 0 else f"{low}-{low + 6} months"


def confidence(probability: float, similar: int) -> str:
    """High, medium or low: how likely the move is and how many alumni made it."""
    if probability >= 0.5 and similar >= 10:
        return "high"
    return "medium" if probability >= 0.2 else "low"


def _context(session: Session, families: set[str]) -> dict:
    """Transitions, role skills and mover counts out of the given families (and role skills for every role)."""
    families = {f for f in families if f}
    transitions = {(r.from_role, r.to_role): r for r in session.execute(
        select(CareerTransition.from_role, CareerTransition.to_role, CareerTransition.probability,
               CareerTransition.mean_months).where(CareerTransition.from_role.in_(families)))}
    role_skills: dict[str, list[str]] = {}
    for role, skill in session.execute(select(CareerRoleSkill.role, CareerRoleSkill.skill)
                                       .order_by(CareerRoleSkill.role, CareerRoleSkill.priority.desc(),
                                                 CareerRoleSkill.skill)):
        role_skills.setdefault(role, []).append(skill)
    for role, required in session.execute(select(CareerRole.role, CareerRole.required_skills)):
        role_skills.setdefault(role, list(required or []))
    movers = {(f, t): n for f, t, n in session.execute(
        select(CareerMove.from_role, CareerMove.to_role, func.count(func.distinct(CareerMove.alumnus_id)))
        .where(CareerMove.from_role.in_(families)).group_by(CareerMove.from_role, CareerMove.to_role))}
    return {"transitions": transitions, "role_skills": role_skills, "movers": movers}


def _role_entry(state: _State, role: str, probability: float, context: dict) -> dict:
    transition = context["transitions"].get((state.family, role))
    required = context["role_skills"].get(role, [])[:REQUIRED_SKILLS]
    held = set(state.skills)
    similar = int(context["movers"].get((state.family, role), 0))
    return {"role": role, "probability": round(float(probability), 4),
            "timeframe": timeframe(transition.mean_months if transition else None),
            "confidence": confidence(probability, similar), "required_skills": required,
            "skills_gap": [s for s in required if skill_key(s) not in held], "similar_alumni_count": similar}


def _ranked(state: _State, probabilities: np.ndarray | None, classes: np.ndarray | None,
            context: dict) -> tuple[list[dict], float | None]:
    """The top roles for one state: from the model when there is one, else from the transition matrix."""
    if probabilities is not None:
        keep = (classes != F.STAYS) & (classes != state.family)
        stay = float(probabilities[classes == F.STAYS].sum())
        moving, roles = probabilities[keep], classes[keep]
        # A role nobody here moved to from this role is noise of the model: leave it out when some move is known.
        observed = np.array([context["movers"].get((state.family, role), 0) > 0 for role in roles], dtype=bool)
        if observed.any():
            moving, roles = moving[observed], roles[observed]
        total = moving.sum()
        if total > 0:
            order = np.argsort(-moving, kind="stable")[:TOP_ROLES]
            return [_role_entry(state, roles[i], moving[i] / total, context) for i in order
                    if moving[i] > 0], round(stay, 4)
    options = sorted(((t.probability, to) for (f, to), t in context["transitions"].items()
                      if f == state.family and to != state.family), reverse=True)[:TOP_ROLES]
    return [_role_entry(state, role, p, context) for p, role in options], None


def predict_many(session: Session, alumni: pd.DataFrame) -> list[dict]:
    """The seed's prediction response for each alumnus row (load_alumni's columns), in one model call."""
    states = _states(alumni, SkillLabels(session))
    loaded = _loaded(session)
    context = _context(session, {s.family for s in states})
    probabilities, classes, model_id, version = None, None, None, None
    if loaded is not None and states:
        model_id, model, classes, spec = loaded
        people = F.person_matrix(spec, alumni.reset_index(drop=True))
        X = F.encode(spec, pd.Series([s.family for s in states]),
                     np.array([s.years_experience for s in states]), np.arange(len(states)), people)
        probabilities = model.predict_proba(X)
        version = session.scalar(select(CareerModel.version).where(CareerModel.id == model_id))
    out = []
    for n, state in enumerate(states):
        ranked, stay = _ranked(state, None if probabilities is None else probabilities[n], classes, context)
        out.append({"alumnus_id": state.alumnus_id, "current_role": state.family, "model_id": model_id,
                    "model_version": version, "stay_probability": stay, "predictions": ranked,
                    "current_skills": state.skill_labels, "years_experience": round(state.years_experience, 1)})
    return out


def predict_for_alumnus(session: Session, *, alumnus_id: int) -> dict:
    """The top 5 next roles for one alumnus (seed 003's response shape); an unknown id raises LookupError."""
    rows = session.execute(select(Alumnus.id, Alumnus.industry, Alumnus.current_role, Alumnus.role_history,
                                  Alumnus.skills, Alumnus.skill_keys).where(Alumnus.id == alumnus_id)).all()
    if not rows:
        raise LookupError(f"No alumnus with id {alumnus_id}.")
    frame = pd.DataFrame(rows, columns=["id", "industry", "current_role", "role_history", "skills", "skill_keys"])
    return predict_many(session, fill_skill_keys(frame))[0]


def _advice(prediction: dict, *, llm, known_roles: list[str]) -> tuple[str, str]:
    """The LLM's paragraph when it passes validation, else the template; (text, AdviceSource)."""
    if llm is not None and prediction["predictions"]:
        facts = advice_facts(prediction, current_skills=prediction["current_skills"],
                             years_experience=prediction["years_experience"])
        try:
            reply = llm.complete_json(system=ADVICE_SYSTEM, prompt=advice_prompt(facts), schema=AdviceReply,
                                      max_tokens=ADVICE_MAX_TOKENS, temperature=ADVICE_TEMPERATURE,
                                      feature=ADVICE_FEATURE)
            paragraph = " ".join(reply.advice.split())
            allowed = [prediction["current_role"], *(p["role"] for p in prediction["predictions"])]
            if valid_advice(paragraph, allowed_roles=allowed, known_roles=known_roles):
                return paragraph, AdviceSource.LLM.value
            log.info("career advice rejected: link, contact, markup, other roles or too long")
        except LLMError as exc:
            log.warning("career advice failed: %s", exc)
    return template_advice(prediction), AdviceSource.TEMPLATE.value


def matched_alumni(session: Session) -> pd.DataFrame:
    """Alumni whose email is a live person's, with their emails (load_alumni's columns plus email)."""
    rows = session.execute(
        select(Alumnus.id, Alumnus.industry, Alumnus.current_role, Alumnus.role_history, Alumnus.skills,
               Alumnus.skill_keys, Alumnus.email)
        .join(Person, func.lower(Person.email) == func.lower(Alumnus.email)).where(live(Person))
        .order_by(Alumnus.id)).all()
    frame = pd.DataFrame(rows, columns=["id", "industry", "current_role", "role_history", "skills", "skill_keys",
                                        "email"])
    return fill_skill_keys(frame)


def store_predictions(session: Session, *, clock: Clock, llm=None, settings: Settings | None = None) -> dict:
    """Upsert the predictions (and advice) of every alumnus who is a live person; remove the rows of the others.
    Advice is kept while the predictions stay the same (template advice only while there is no LLM: a person
    past one run's cap gets the LLM's on a later run); otherwise the LLM writes it (at most ADVICE_CAP calls a
    run) or the template does. Flushes, never commits."""
    alumni = matched_alumni(session)
    stored = {row.alumnus_id: row for row in session.execute(
        select(CareerPrediction.alumnus_id, CareerPrediction.current_role, CareerPrediction.predictions,
               CareerPrediction.advice, CareerPrediction.advice_source))}
    known_roles = list(session.scalars(select(CareerRole.role)))
    now = clock.now()
    counts = {"matched": len(alumni), "stored": 0, "unchanged": 0, "llm_advice": 0, "template_advice": 0,
              "llm_calls": 0, "removed": 0}
    rows = []
    for start in range(0, len(alumni), CHUNK):
        part = alumni.iloc[start:start + CHUNK].reset_index(drop=True)
        for prediction, email in zip(predict_many(session, part), part["email"], strict=True):
            entries = prediction["predictions"]
            previous = stored.get(prediction["alumnus_id"])
            if (previous is not None and previous.predictions == entries and previous.advice
                    and previous.current_role == prediction["current_role"]
                    and (previous.advice_source == AdviceSource.LLM or llm is None)):
                advice, source = previous.advice, previous.advice_source
                counts["unchanged"] += 1
            else:
                use_llm = llm if counts["llm_calls"] < ADVICE_CAP else None
                counts["llm_calls"] += int(use_llm is not None and bool(entries))
                advice, source = _advice(prediction, llm=use_llm, known_roles=known_roles)
                counts[f"{source}_advice"] += 1
            rows.append({"alumnus_id": prediction["alumnus_id"], "email": email,
                         "model_id": prediction["model_id"], "current_role": prediction["current_role"],
                         "predictions": entries, "advice": advice, "advice_source": source, "computed_at": now})
    for start in range(0, len(rows), CHUNK):
        statement = insert(CareerPrediction).values(rows[start:start + CHUNK])
        session.execute(statement.on_conflict_do_update(
            index_elements=[CareerPrediction.alumnus_id],
            set_={c: statement.excluded[c] for c in ("email", "model_id", "current_role", "predictions", "advice",
                                                     "advice_source", "computed_at")}))
    counts["stored"] = len(rows)
    keep = set(alumni["id"].astype(int))
    gone = [alumnus_id for alumnus_id in stored if alumnus_id not in keep]
    for start in range(0, len(gone), CHUNK):
        session.execute(delete(CareerPrediction).where(CareerPrediction.alumnus_id.in_(gone[start:start + CHUNK])))
    counts["removed"] = len(gone)
    save_calls(session, llm)
    session.flush()
    return counts


def career_model_job(ctx: JobContext) -> dict:
    """The `career-model` job: rebuild the career paths, train a new model version when the inputs changed (always
    when run by hand), and store the predictions of alumni who are live people."""
    force = ctx.trigger in ("manual", "cli")
    paths = rebuild_career_paths(ctx.session, clock=ctx.clock, force=force)
    trained = train_career_model(ctx.session, clock=ctx.clock, force=force)
    stored = store_predictions(ctx.session, clock=ctx.clock, llm=ctx.llm, settings=ctx.settings)
    model = active_model(ctx.session)
    return {"paths_skipped": bool(paths.get("skipped")), "model_skipped": bool(trained.get("skipped")),
            "model_version": model.version if model else None, **stored}
