"""Taste vectors from favourites (seed 004 §2 step 3), the weekly trait inference (§4.3, §5.3) and the opt-out."""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.embeddings import Embedder, embed_texts
from core.ai.llm import LLMClient, LLMError
from core.enrichment.favourites import TASTE_JOB
from core.enrichment.taste_prompts import PROMPT_TITLES, TRAITS_SYSTEM, TraitsReply, clean_traits, traits_prompt
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.queue import request_job
from db.filters import in_values
from db.models import Favourite, Person, TasteProfile

log = logging.getLogger(__name__)

TRAITS_JOB = "taste-traits"
# How much a title counts by its stars (seed 004: 5-star > 3-star); no rating is a mild liking.
RATING_WEIGHTS = {5: 1.0, 4: 0.8, 3: 0.5, 2: 0.25, 1: 0.1, None: 0.6}
HALF_LIFE_DAYS = 365.0
TRAITS_MAX_AGE = timedelta(days=7)  # unchanged favourites are not asked about again within a week
TRAITS_TEMPERATURE = 0.2
PROMPT_VERSION = "traits-v1"  # part of the traits hash, so a new prompt asks again


@dataclass
class TasteState:
    """What the profile page shows about a person's taste signals."""

    opted_out: bool
    titles: int
    summary: str | None
    traits: dict[str, str] = field(default_factory=dict)
    inferred_at: datetime | None = None
    computed_at: datetime | None = None


def title_text(kind: str, canonical: str) -> str:
    """The text a title is embedded as, shared by everyone who lists it."""
    return f"{kind}: {canonical}"


def title_weight(rating: int | None, added_at: datetime, now: datetime) -> float:
    """Rating weight × recency weight (half-life HALF_LIFE_DAYS on the age at `now`)."""
    age_days = max((now - added_at).total_seconds(), 0.0) / 86400
    return RATING_WEIGHTS.get(rating, RATING_WEIGHTS[None]) * 0.5 ** (age_days / HALF_LIFE_DAYS)


def _input_hash(model: str, favourites: list[Favourite]) -> str:
    # The clock is not part of it: all of a person's titles age alike, so the normalised mean does not drift.
    items = sorted((str(f.kind), f.canonical_title, f.rating or 0, f.added_at.isoformat()) for f in favourites)
    return hashlib.sha256(json.dumps([model, items]).encode()).hexdigest()


def _favourites_by_person(session: Session, person_ids: list[int] | None) -> dict[int, list[Favourite]]:
    query = (select(Favourite).join(Person).where(Person.taste_opt_out.is_(False), Person.deleted_at.is_(None))
             .order_by(Favourite.person_id, Favourite.id))
    if person_ids is not None:
        query = query.where(in_values(Favourite.person_id, person_ids))
    grouped: dict[int, list[Favourite]] = {}
    for favourite in session.scalars(query):
        grouped.setdefault(favourite.person_id, []).append(favourite)
    return grouped


def refresh_taste_vectors(session: Session, *, embedder: Embedder, clock: Clock,
                          person_ids: list[int] | None = None) -> int:
    """Write the taste vector of each person (these, or everyone) whose favourites changed; each distinct title is
    embedded once through the text-embedding cache. People left without favourites lose their profile. Returns the
    vectors written."""
    now = clock.now()
    grouped = _favourites_by_person(session, person_ids)
    stale = select(TasteProfile.person_id).where(~in_values(TasteProfile.person_id, grouped))
    if person_ids is not None:
        stale = stale.where(in_values(TasteProfile.person_id, person_ids))
    session.execute(delete(TasteProfile).where(TasteProfile.person_id.in_(stale)))
    known = dict(session.execute(select(TasteProfile.person_id, TasteProfile.input_hash)
                                 .where(in_values(TasteProfile.person_id, grouped))).all())
    hashes = {pid: _input_hash(embedder.model_name, favs) for pid, favs in grouped.items()}
    changed = [pid for pid in grouped if known.get(pid) != hashes[pid]]
    if not changed:
        session.flush()
        return 0
    vectors = embed_texts(session, embedder, (title_text(f.kind, f.canonical_title)
                                              for pid in changed for f in grouped[pid]))
    rows = []
    for pid in changed:
        favourites = grouped[pid]
        weights = np.array([title_weight(f.rating, f.added_at, now) for f in favourites], dtype=np.float64)
        stacked = np.stack([vectors[title_text(f.kind, f.canonical_title)] for f in favourites]).astype(np.float64)
        mean = weights @ stacked / weights.sum()
        norm = np.linalg.norm(mean)
        if not norm:
            continue
        rows.append({"person_id": pid, "vector": (mean / norm).astype(np.float32), "titles": len(favourites),
                     "input_hash": hashes[pid], "computed_at": now})
    if rows:
        statement = insert(TasteProfile).values(rows)
        session.execute(statement.on_conflict_do_update(index_elements=[TasteProfile.person_id], set_={
            "vector": statement.excluded.vector, "titles": statement.excluded.titles,
            "input_hash": statement.excluded.input_hash, "computed_at": statement.excluded.computed_at}))
    session.flush()
    return len(rows)


def taste_vectors(session: Session, person_ids: list[int]) -> dict[int, np.ndarray]:
    """Unit taste vectors of those of these people who have one and have not opted out."""
    if not person_ids:
        return {}
    rows = session.execute(select(TasteProfile.person_id, TasteProfile.vector).join(
        Person, Person.id == TasteProfile.person_id).where(
        in_values(TasteProfile.person_id, person_ids), Person.taste_opt_out.is_(False), Person.deleted_at.is_(None)))
    vectors = {}
    for person_id, vector in rows:
        array = np.asarray(vector, dtype=np.float32)
        norm = np.linalg.norm(array)
        if norm:
            vectors[person_id] = array / norm
    return vectors


def set_taste_opt_out(session: Session, *, person_id: int, opted_out: bool, clock: Clock) -> None:
    """Turn taste signals off (the taste vector and traits are deleted at once) or back on (the vector is queued)."""
    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise ValueError("There is no such person.")
    person.taste_opt_out = opted_out
    if opted_out:
        session.execute(delete(TasteProfile).where(TasteProfile.person_id == person_id))
    else:
        request_job(session, job_id=TASTE_JOB, event_id=None, person_id=person_id,
                    reason="taste signals turned back on", clock=clock)
    record_audit(session, actor_id=None, action="taste.opted_out" if opted_out else "taste.opted_in",
                 target_type="person", target_id=person_id, target_person_id=person_id, at=clock.now())
    session.flush()


def taste_state(session: Session, person_id: int) -> TasteState:
    """Whether the person opted out, how many titles their vector holds, and the inferred traits if any."""
    opted_out = bool(session.scalar(select(Person.taste_opt_out).where(Person.id == person_id)))
    profile = session.get(TasteProfile, person_id, populate_existing=True)
    if opted_out or profile is None:
        return TasteState(opted_out=opted_out, titles=0, summary=None)
    return TasteState(opted_out=False, titles=profile.titles, summary=profile.traits_summary,
                      traits=dict(profile.traits or {}), inferred_at=profile.traits_inferred_at,
                      computed_at=profile.computed_at)


def top_favourites(favourites: list[Favourite], now: datetime, limit: int = PROMPT_TITLES) -> list[Favourite]:
    """The favourites that say most: by rating × recency weight, newest first among equals."""
    return sorted(favourites, key=lambda f: (-title_weight(f.rating, f.added_at, now), -f.added_at.timestamp(),
                                             f.id))[:limit]


def _traits_hash(favourites: list[Favourite]) -> str:
    items = [(str(f.kind), f.canonical_title, f.rating or 0) for f in favourites]
    return hashlib.sha256(json.dumps([PROMPT_VERSION, items]).encode()).hexdigest()


def infer_traits(session: Session, *, llm: LLMClient, clock: Clock, person_ids: list[int] | None = None) -> int:
    """Ask the LLM what each person's top favourites say about them (temperature 0.2) and store the validated
    traits and summary; people whose top favourites did not change in the last week are not asked again. A reply
    that fails validation, or an LLM error, leaves that person's traits as they were. Returns the people updated."""
    now = clock.now()
    grouped = _favourites_by_person(session, person_ids)
    profiles = {p.person_id: p for p in session.scalars(
        select(TasteProfile).where(in_values(TasteProfile.person_id, grouped)))}
    updated = 0
    for person_id, favourites in grouped.items():
        profile = profiles.get(person_id)
        if profile is None:  # no taste vector yet: the traits follow the vector
            continue
        top = top_favourites(favourites, now)
        wanted = _traits_hash(top)
        if (profile.traits_input_hash == wanted and profile.traits_inferred_at is not None
                and now - profile.traits_inferred_at < TRAITS_MAX_AGE):
            continue
        prompt = traits_prompt([(str(f.kind), f.title, f.rating) for f in top])
        try:
            reply = llm.complete_json(system=TRAITS_SYSTEM, prompt=prompt, schema=TraitsReply, max_tokens=400,
                                      temperature=TRAITS_TEMPERATURE, feature="enrichment.taste")
        except LLMError as exc:
            log.warning("taste traits for person %s: %s", person_id, exc)
            continue
        cleaned = clean_traits(reply)
        if cleaned is None:
            log.warning("taste traits for person %s: the reply did not pass validation", person_id)
            continue
        profile.traits, profile.traits_summary = cleaned
        profile.traits_input_hash, profile.traits_inferred_at = wanted, now
        updated += 1
    session.flush()
    return updated


def taste_vectors_job(ctx: JobContext) -> dict:
    """Job body: the taste vector of ctx.person_id, or of everyone whose favourites changed."""
    if ctx.embedder is None:
        raise RuntimeError(f"{TASTE_JOB} needs an embedder; run it through the worker or the CLI.")
    person_ids = [ctx.person_id] if ctx.person_id is not None else None
    return {"taste_vectors": refresh_taste_vectors(ctx.session, embedder=ctx.embedder, clock=ctx.clock,
                                                   person_ids=person_ids)}


def taste_traits_job(ctx: JobContext) -> dict:
    """Job body: infer traits for ctx.person_id or everyone with a taste vector; skipped without an LLM."""
    if ctx.llm is None:
        return {"skipped": "taste traits need an LLM; no LLM configured"}
    person_ids = [ctx.person_id] if ctx.person_id is not None else None
    return {"traits_inferred": infer_traits(ctx.session, llm=ctx.llm, clock=ctx.clock, person_ids=person_ids)}
