"""People recommendations: refresh for an event, read them for a page, record attendee actions, export."""
from __future__ import annotations

import csv
import io
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from core.clock import Clock
from core.embeddings import Embedder, embed_texts, ensure_person_embeddings
from core.explain import Side, TextSpace, explain_match
from core.llm import LLMClient, LLMError
from core.llm_rerank import LLMPick, build_rerank_prompt, rerank_with_llm
from core.matching import (
    GOALS,
    Controls,
    EventMatcher,
    MatchProfile,
    pack_concept_bits,
    split_statements,
    strategy_for,
)
from core.prompts import active_variant
from core.skill_taxonomy import GOAL_DESCRIPTIONS
from core.skills import concept_matrix
from core.tabular import safe_csv_cell
from db.models import (
    Connection,
    ConnectionActivity,
    Event,
    MatchControl,
    Person,
    PersonEmbedding,
    PromptVariant,
    Recommendation,
    RecommendationKind,
    Registration,
)

ALGORITHMIC = "algorithmic"
LLM = "llm"
LLM_POOL = 50
LLM_CONCURRENCY = 4
SNOOZE_DAYS = 30


def profile_text(person: Person) -> str:
    """The canonical text of a profile, embedded for similarity and credibility."""
    parts = [
        f"{person.role} at {person.company}" if person.company else person.role,
        f"Industry: {person.industry}" if person.industry else "",
        "Interests: " + ", ".join(person.interests) if person.interests else "",
        "Offers: " + ", ".join(person.skills_offered) if person.skills_offered else "",
        "Needs: " + ", ".join(person.skills_needed) if person.skills_needed else "",
        person.bio or "",
        person.problem_statement or "",
    ]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def match_profile(index: int, person: Person) -> MatchProfile:
    topics = list(person.interests) + ([person.industry] if person.industry else [])
    return MatchProfile(index, list(person.goals), list(person.skills_offered), list(person.skills_needed), topics,
                        split_statements(person.bio, person.problem_statement), person.years_experience,
                        person.matching_visible)


@dataclass
class RefreshReport:
    people: int
    recommendations: int
    embedded_profiles: int
    strategy: str
    seconds_matching: float = 0.0
    llm_ranked: int = 0
    llm_failed: int = 0


def event_people(session: Session, event_id: int) -> list[Person]:
    return list(session.scalars(
        select(Person).join(Registration, Registration.person_id == Person.id)
        .where(Registration.event_id == event_id, Person.deleted_at.is_(None)).order_by(Person.id)))


def _controls(session: Session, people: list[Person], event_id: int, now: datetime) -> Controls:
    index = {p.id: i for i, p in enumerate(people)}
    controls = Controls()

    def exclude(viewer: int, candidate: int) -> None:
        if viewer in index and candidate in index:
            controls.excluded.setdefault(index[viewer], []).append(index[candidate])

    ids = list(index)
    for a, b in session.execute(select(Connection.person_a_id, Connection.person_b_id).where(
            or_(Connection.person_a_id.in_(ids), Connection.person_b_id.in_(ids)))):
        exclude(a, b)
        exclude(b, a)
    for viewer, target, kind, until in session.execute(
            select(MatchControl.person_id, MatchControl.target_person_id, MatchControl.kind, MatchControl.until)
            .where(MatchControl.person_id.in_(ids))):
        if kind == "block":
            exclude(viewer, target)
            exclude(target, viewer)
        elif kind == "dismiss" or (kind == "snooze" and (until is None or until > now)):
            exclude(viewer, target)
        elif kind in ("less_like", "more_like") and viewer in index and target in index:
            bucket = controls.less_like if kind == "less_like" else controls.more_like
            bucket.setdefault(index[viewer], []).append(index[target])
    return controls


def _credibility(session: Session, embedder: Embedder, profile_vectors: np.ndarray) -> np.ndarray:
    """How well each profile supports each stated goal, relative to the event (0.3–1.0)."""
    descriptions = embed_texts(session, embedder, [GOAL_DESCRIPTIONS[g] for g in GOALS])
    goal_vectors = np.stack([descriptions[GOAL_DESCRIPTIONS[g]] for g in GOALS])
    raw = profile_vectors @ goal_vectors.T
    if len(raw) < 2:
        return np.ones_like(raw, dtype=np.float32)
    z = (raw - raw.mean(axis=0)) / (raw.std(axis=0) + 1e-6)
    return (0.3 + 0.7 / (1.0 + np.exp(-z))).astype(np.float32)


def refresh_recommendations(session: Session, *, event: Event, embedder: Embedder, clock: Clock, ttl_hours: int = 24,
                            k: int = 10, only_person_ids: list[int] | None = None,
                            llm: LLMClient | None = None) -> RefreshReport:
    """Recompute and store people recommendations for the event (everyone, or only some viewers); commits once."""
    now = clock.now()
    people = event_people(session, event.id)
    strategy = strategy_for(len(people))
    if len(people) < 2:
        return RefreshReport(len(people), 0, 0, strategy)
    profiles = [match_profile(i, p) for i, p in enumerate(people)]
    texts = sorted({t for p in profiles for t in (*p.offers, *p.needs, *p.topics, *p.statements)})
    vectors = embed_texts(session, embedder, texts)
    profile_texts = {p.id: profile_text(p) for p in people}
    embedded = ensure_person_embeddings(session, embedder, people, profile_texts)
    session.flush()
    stored = dict(session.execute(select(PersonEmbedding.person_id, PersonEmbedding.embedding).where(
        PersonEmbedding.person_id.in_([p.id for p in people]), PersonEmbedding.model == embedder.model_name)).all())
    profile_vectors = np.stack([np.asarray(stored[p.id], dtype=np.float32) for p in people])
    text_index = {t: i for i, t in enumerate(texts)}
    text_vectors = np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, profile_vectors.shape[1]), np.float32)
    started = time.perf_counter()
    text_concepts = concept_matrix(texts)
    matcher = EventMatcher(profiles, text_vectors, text_index, profile_vectors,
                           credibility=_credibility(session, embedder, profile_vectors), text_concepts=text_concepts)
    position = {p.id: i for i, p in enumerate(people)}
    viewers = None if only_person_ids is None else [position[i] for i in only_person_ids if i in position]
    controls = _controls(session, people, event.id, now)
    matches = matcher.recommend(controls, k=k, viewers=viewers)
    seconds = time.perf_counter() - started
    llm_picks: dict[int, list[LLMPick]] = {}
    variant = None
    llm_failures = 0
    if llm is not None and strategy != "small_event":
        variant = active_variant(session)
        pools = matcher.recommend(controls, k=LLM_POOL, diversity=0.0, viewers=viewers)
        llm_picks, llm_failures = _llm_rerank(llm, variant, people, pools, k)

    space = TextSpace(texts, text_vectors, pack_concept_bits(text_concepts))
    sides = [Side(p.first_name, p.role, p.company, list(p.goals), p.years_experience, p.industry, p.city, prof.offers,
                  prof.needs, prof.topics, prof.statements) for p, prof in zip(people, profiles)]
    expires = now + timedelta(hours=ttl_hours)
    rows = []
    for viewer, found in matches.items():
        top = max((m.score for m in found), default=1.0) or 1.0
        base = dict(event_id=event.id, user_id=people[viewer].id, kind=RecommendationKind.PERSON, generated_at=now,
                    expires_at=expires)
        picks = llm_picks.get(viewer)
        if picks:
            for rank, pick in enumerate(picks, start=1):
                explanation = explain_match(sides[viewer], sides[position[pick.person_id]], space, event.name)
                rows.append(dict(base, target_person_id=pick.person_id, rank=rank, score=round(pick.score, 1),
                                 reasons=pick.reasons, chips=explanation.chips, starters=pick.starters,
                                 potential_value=pick.potential_value or explanation.potential_value,
                                 strategy=LLM, prompt_variant_id=variant.id))
            continue
        for rank, match in enumerate(found, start=1):
            explanation = explain_match(sides[viewer], sides[match.candidate], space, event.name)
            rows.append(dict(base, target_person_id=people[match.candidate].id, rank=rank,
                             score=round(100 * min(1.0, match.score / max(top, 0.5)), 1),
                             reasons=explanation.reasons, chips=explanation.chips, starters=explanation.starters,
                             potential_value=explanation.potential_value, strategy=ALGORITHMIC,
                             prompt_variant_id=None))
    _store(session, event.id, [people[v].id for v in matches], rows, now)
    session.commit()
    return RefreshReport(len(people), len(rows), embedded, strategy, seconds,
                         llm_ranked=len(llm_picks), llm_failed=llm_failures)


def _llm_rerank(llm: LLMClient, variant: PromptVariant, people: list[Person], pools: dict, k: int
                ) -> tuple[dict[int, list[LLMPick]], int]:
    """Ask the LLM to re-rank each viewer's candidate pool; viewers whose call fails are left out."""
    names = sorted({n for p in people for n in (p.first_name, p.last_name) if n})
    prompts = {viewer: build_rerank_prompt(variant.template, people[viewer], [people[m.candidate] for m in pool], k,
                                           names)
               for viewer, pool in pools.items() if pool}

    def ask(viewer: int) -> tuple[int, list[LLMPick] | None]:
        try:
            return viewer, rerank_with_llm(llm, prompts[viewer], k, temperature=variant.temperature)
        except LLMError:
            return viewer, None

    with ThreadPoolExecutor(max_workers=LLM_CONCURRENCY) as pool_executor:
        results = list(pool_executor.map(ask, prompts))
    picks = {viewer: found for viewer, found in results if found}
    return picks, sum(1 for _, found in results if not found)


def _store(session: Session, event_id: int, user_ids: list[int], rows: list[dict], now: datetime) -> None:
    """Replace the users' person recommendations in bulk, keeping action timestamps on pairs that stay."""
    existing = {}
    for start in range(0, len(user_ids), 5000):
        existing.update(((user, target), (rec_id, acted)) for rec_id, user, target, acted in session.execute(
            select(Recommendation.id, Recommendation.user_id, Recommendation.target_person_id,
                   or_(Recommendation.pinged_at.is_not(None), Recommendation.connected_at.is_not(None),
                       Recommendation.bookmarked_at.is_not(None)))
            .where(Recommendation.event_id == event_id, Recommendation.kind == RecommendationKind.PERSON,
                   Recommendation.user_id.in_(user_ids[start:start + 5000]))))
    inserts, updates = [], []
    for row in rows:
        found = existing.pop((row["user_id"], row["target_person_id"]), None)
        if found is None:
            inserts.append(row)
        else:  # dismissed and snoozed pairs are excluded upstream, so a pair that is back is shown again
            updates.append({**row, "id": found[0], "dismissed_at": None})
    acted = [rec_id for rec_id, was_acted in existing.values() if was_acted]
    gone = [rec_id for rec_id, was_acted in existing.values() if not was_acted]
    for start in range(0, len(gone), 10000):
        session.execute(delete(Recommendation).where(Recommendation.id.in_(gone[start:start + 10000])))
    if acted:  # kept for analytics, but no longer current
        session.execute(update(Recommendation).where(Recommendation.id.in_(acted)).values(expires_at=now, rank=0))
    if updates:
        session.execute(update(Recommendation), updates)
    for start in range(0, len(inserts), 5000):
        session.execute(insert(Recommendation), inserts[start:start + 5000])


@dataclass
class PersonCard:
    recommendation: Recommendation
    person: Person


def current_recommendations(session: Session, *, event_id: int, person_id: int, now: datetime) -> list[PersonCard]:
    """The stored, unexpired, undismissed people recommendations of one attendee, best first."""
    rows = session.execute(
        select(Recommendation, Person).join(Person, Person.id == Recommendation.target_person_id)
        .where(Recommendation.event_id == event_id, Recommendation.user_id == person_id,
               Recommendation.kind == RecommendationKind.PERSON, Recommendation.expires_at > now,
               Recommendation.dismissed_at.is_(None), Person.deleted_at.is_(None))
        .order_by(Recommendation.rank))
    return [PersonCard(r, p) for r, p in rows]


class ActionError(ValueError):
    pass


def _own_recommendation(session: Session, recommendation_id: int, person_id: int) -> Recommendation:
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.user_id != person_id:
        raise ActionError("That recommendation is not yours or no longer exists.")
    return recommendation


def _set_control(session: Session, person_id: int, target_id: int, kind: str, until: datetime | None = None) -> None:
    control = session.scalar(select(MatchControl).where(MatchControl.person_id == person_id,
                                                        MatchControl.target_person_id == target_id,
                                                        MatchControl.kind == kind))
    if control is None:
        session.add(MatchControl(person_id=person_id, target_person_id=target_id, kind=kind, until=until))
    else:
        control.until = until
    opposite = {"more_like": "less_like", "less_like": "more_like"}.get(kind)
    if opposite:
        session.execute(delete(MatchControl).where(MatchControl.person_id == person_id,
                                                   MatchControl.target_person_id == target_id,
                                                   MatchControl.kind == opposite))


def record_action(session: Session, *, recommendation_id: int, person_id: int, action: str, clock: Clock) -> str:
    """Persist one attendee action on a recommendation; returns a confirmation message. Commits once."""
    now = clock.now()
    rec = _own_recommendation(session, recommendation_id, person_id)
    target = rec.target_person_id
    if action == "view":
        rec.viewed_at = rec.viewed_at or now
        message = ""
    elif action == "ping":
        rec.pinged_at = rec.pinged_at or now
        message = "Ping sent."
    elif action == "connect":
        rec.connected_at = rec.connected_at or now
        low, high = sorted((person_id, target))
        connection = session.scalar(select(Connection).where(Connection.person_a_id == low,
                                                             Connection.person_b_id == high))
        if connection is None:
            connection = Connection(person_a_id=low, person_b_id=high, event_id=rec.event_id, source="recommendation",
                                    created_at=now)
            session.add(connection)
            session.flush()
            session.add(ConnectionActivity(connection_id=connection.id, actor_id=person_id, kind="connected",
                                           note="Connected from a recommendation", created_at=now))
        message = "Connected."
    elif action == "dismiss":
        rec.dismissed_at = now
        _set_control(session, person_id, target, "dismiss")
        message = "Dismissed; you will not see this person again."
    elif action == "snooze":
        rec.dismissed_at = now
        _set_control(session, person_id, target, "snooze", now + timedelta(days=SNOOZE_DAYS))
        message = f"Snoozed for {SNOOZE_DAYS} days."
    elif action in ("more_like", "less_like"):
        _set_control(session, person_id, target, action)
        message = "Noted: your next refresh shows " + ("more" if action == "more_like" else "fewer") + " people like this."
    else:
        raise ActionError(f"Unknown action '{action}'.")
    session.commit()
    return message


def export_recommendations_csv(session: Session, event_id: int, now: datetime) -> str:
    """user_email,rank,recommended_email,score,strategy,variant,reasons — current recommendations only."""
    from sqlalchemy.orm import aliased

    viewer, target = aliased(Person), aliased(Person)
    rows = session.execute(
        select(viewer.email, Recommendation.rank, target.email, Recommendation.score, Recommendation.strategy,
               Recommendation.prompt_variant_id, Recommendation.reasons)
        .join(viewer, viewer.id == Recommendation.user_id).join(target, target.id == Recommendation.target_person_id)
        .where(Recommendation.event_id == event_id, Recommendation.kind == RecommendationKind.PERSON,
               Recommendation.expires_at > now)
        .order_by(viewer.email, Recommendation.rank))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["user_email", "rank", "recommended_email", "score", "strategy", "variant", "reasons"])
    for email, rank, target_email, score, strategy, variant, reasons in rows:
        writer.writerow([email, rank, target_email, score, strategy, variant or "",
                         safe_csv_cell(" | ".join(reasons))])
    return buffer.getvalue()


def refresh_job(ctx) -> dict:
    """Job body: refresh one event (ctx.event_id) or every event with registrations."""
    if ctx.embedder is None:
        raise RuntimeError("refresh-recommendations needs an embedder; run it through the worker or the CLI.")
    ttl = ctx.settings.recommendation_ttl_hours if ctx.settings else 24
    query = select(Event).where(Event.id.in_(select(Registration.event_id)))
    if ctx.event_id is not None:
        query = select(Event).where(Event.id == ctx.event_id)
    counts = {"events": 0, "people": 0, "recommendations": 0, "embedded_profiles": 0, "llm_ranked": 0,
              "llm_failed": 0}
    for event in ctx.session.scalars(query).all():
        report = refresh_recommendations(ctx.session, event=event, embedder=ctx.embedder, clock=ctx.clock,
                                         ttl_hours=ttl, llm=ctx.llm)
        counts["events"] += 1
        counts["people"] += report.people
        counts["recommendations"] += report.recommendations
        counts["embedded_profiles"] += report.embedded_profiles
        counts["llm_ranked"] += report.llm_ranked
        counts["llm_failed"] += report.llm_failed
    return counts


def refresh_for_person(session: Session, *, person_id: int, embedder: Embedder, clock: Clock,
                       ttl_hours: int = 24, llm: LLMClient | None = None) -> int:
    """Refresh one attendee's lists in every event they are registered for (profile change, check-in)."""
    events = session.scalars(select(Event).join(Registration, Registration.event_id == Event.id)
                             .where(Registration.person_id == person_id)).all()
    for event in events:
        refresh_recommendations(session, event=event, embedder=embedder, clock=clock, ttl_hours=ttl_hours,
                                only_person_ids=[person_id], llm=llm)
    return len(events)
