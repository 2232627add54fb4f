"""People recommendations: refresh for an event, read them for a page, record attendee actions, export."""
from __future__ import annotations

import csv
import io
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from core.ai.call_log import save_calls
from core.ai.embeddings import Embedder, embed_texts, mean_direction, store_profile_vectors
from core.ai.llm import LLMClient, LLMError
from core.ai.prompts import assign_variants
from core.ingest.tabular import safe_csv_cell
from core.knowledge.skills import concept_matrix
from core.knowledge.taxonomy import GOAL_DESCRIPTIONS
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.queue import latest_request, request_job
from core.recommend.explain import Side, TextSpace, explain_matches
from core.recommend.matching import (
    GOALS,
    Controls,
    EventMatcher,
    MatchProfile,
    pack_concept_bits,
    split_statements,
    strategy_for,
)
from core.recommend.program import by_displayed_score, refresh_program_recommendations
from core.recommend.rerank import LLMPick, build_rerank_prompt, rerank_with_llm
from db.bulk import copy_to_temp_table, json_text
from db.models import (
    EMBEDDING_DIM,
    Connection,
    Event,
    JobRequestStatus,
    MatchControl,
    Person,
    PromptVariant,
    Recommendation,
    RecommendationKind,
    Registration,
)

ALGORITHMIC = "algorithmic"
LLM = "llm"
LLM_POOL = 50
LLM_CONCURRENCY = 4


def match_profile(index: int, person: Person) -> MatchProfile:
    """What the matcher reads of a person; `index` is their position in the event's list."""
    topics = list(person.interests) + ([person.industry] if person.industry else [])
    return MatchProfile(index, list(person.goals), list(person.skills_offered), list(person.skills_needed), topics,
                        split_statements(person.bio, person.problem_statement), person.years_experience,
                        person.matching_visible, split_statements(person.problem_statement))


def profile_texts(person: Person, profile: MatchProfile) -> list[str]:
    """Every text a profile is embedded through: the role, then the facet items and free-text statements."""
    return [person.role, *profile.offers, *profile.needs, *profile.topics, *profile.statements]


@dataclass
class EventVectors:
    texts: list[str]
    text_vectors: np.ndarray
    profile_vectors: np.ndarray
    goal_vectors: np.ndarray  # GOALS x dim, from GOAL_DESCRIPTIONS
    updated_profiles: int


def embed_event(session: Session, embedder: Embedder, people: list[Person], profiles: list[MatchProfile]
                ) -> EventVectors:
    """Embed each distinct text of the event once (cached by content hash), then derive every profile vector.

    A profile's vector is the mean direction of its texts' vectors, so free text is embedded once, as
    statements, and not a second time inside one long profile text. The goal descriptions are embedded
    here too, so that matching never needs the model."""
    per_person = [[t for t in profile_texts(p, prof) if t] for p, prof in zip(people, profiles, strict=False)]
    texts = sorted({t for prof in profiles for t in (*prof.offers, *prof.needs, *prof.topics, *prof.statements)})
    goal_texts = [GOAL_DESCRIPTIONS[g] for g in GOALS]
    vectors = embed_texts(session, embedder, [*texts, *(t for own in per_person for t in own), *goal_texts])
    text_vectors = np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, EMBEDDING_DIM), np.float32)
    profile_vectors = np.stack([mean_direction([vectors[t] for t in own]) for own in per_person])
    updated = store_profile_vectors(session, embedder.model_name, people,
                                    {p.id: "\n".join(own) for p, own in zip(people, per_person, strict=False)},
                                    profile_vectors)
    return EventVectors(texts, text_vectors, profile_vectors, np.stack([vectors[t] for t in goal_texts]), updated)


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


def _credibility(profile_vectors: np.ndarray, goal_vectors: np.ndarray) -> np.ndarray:
    """How well each profile supports each stated goal, relative to the event (0.3–1.0)."""
    raw = profile_vectors @ goal_vectors.T
    if len(raw) < 2:
        return np.ones_like(raw, dtype=np.float32)
    z = (raw - raw.mean(axis=0)) / (raw.std(axis=0) + 1e-6)
    return (0.3 + 0.7 / (1.0 + np.exp(-z))).astype(np.float32)


@dataclass
class PreparedEvent:
    """Everything needed to rank an event's people: profiles, vectors, the matcher and the controls."""

    people: list[Person]
    profiles: list[MatchProfile]
    vectors: EventVectors
    text_concepts: np.ndarray
    matcher: EventMatcher
    controls: Controls
    embedding_seconds: float


def prepare_event(session: Session, event: Event, people: list[Person], embedder: Embedder, now: datetime
                  ) -> PreparedEvent:
    """Embed (cached) and build the matcher for these people of the event."""
    started = time.perf_counter()
    profiles = [match_profile(i, p) for i, p in enumerate(people)]
    embedded = embed_event(session, embedder, people, profiles)
    embedding_seconds = time.perf_counter() - started
    text_concepts = concept_matrix(embedded.texts)
    matcher = EventMatcher(profiles, embedded.text_vectors, {t: i for i, t in enumerate(embedded.texts)},
                           embedded.profile_vectors,
                           credibility=_credibility(embedded.profile_vectors, embedded.goal_vectors),
                           text_concepts=text_concepts)
    return PreparedEvent(people, profiles, embedded, text_concepts, matcher, _controls(session, people, event.id, now),
                         embedding_seconds)


def refresh_recommendations(session: Session, *, event: Event, embedder: Embedder, clock: Clock, ttl_hours: int = 24,
                            k: int = 10, only_person_ids: list[int] | None = None,
                            llm: LLMClient | None = None) -> RefreshReport:
    """Recompute and store people recommendations for the event (everyone, or only some viewers)."""
    now = clock.now()
    people = event_people(session, event.id)
    strategy = strategy_for(len(people))
    if len(people) < 2:
        return RefreshReport(len(people), 0, 0, strategy)
    started = time.perf_counter()
    prepared = prepare_event(session, event, people, embedder, now)
    matcher, controls, profiles, embedded = prepared.matcher, prepared.controls, prepared.profiles, prepared.vectors
    texts, text_vectors, text_concepts = embedded.texts, embedded.text_vectors, prepared.text_concepts
    position = {p.id: i for i, p in enumerate(people)}
    viewers = None if only_person_ids is None else [position[i] for i in only_person_ids if i in position]
    matches = matcher.recommend(controls, k=k, viewers=viewers)
    seconds = time.perf_counter() - started - prepared.embedding_seconds
    llm_picks: dict[int, list[LLMPick]] = {}
    llm_failures = 0
    variants: dict[int, PromptVariant] = {}
    if llm is not None and strategy != "small_event":
        pools = matcher.recommend(controls, k=LLM_POOL, diversity=0.0, viewers=viewers)
        assigned = assign_variants(session, [people[v].id for v in pools], clock)
        variants = {v: assigned[people[v].id] for v in pools}
        llm_picks, llm_failures = _llm_rerank(llm, variants, people, pools, k)
        save_calls(session, llm)

    space = TextSpace(texts, text_vectors, pack_concept_bits(text_concepts))
    sides = [Side(p.first_name, p.role, p.company, list(p.goals), p.years_experience, p.industry, p.city, prof.offers,
                  prof.needs, prof.topics, prof.statements) for p, prof in zip(people, profiles, strict=False)]
    expires = now + timedelta(hours=ttl_hours)
    shown: list[tuple[int, int]] = []  # (viewer, candidate) in display order
    for viewer, found in matches.items():
        picks = llm_picks.get(viewer)
        shown += [(viewer, position[pick.person_id]) for pick in picks] if picks else [
            (viewer, m.candidate) for m in found]
    explanations = iter(explain_matches(sides, shown, space, event.name))
    rows = []
    for viewer, found in matches.items():
        top = max((m.score for m in found), default=1.0) or 1.0
        base = dict(event_id=event.id, user_id=people[viewer].id, kind=RecommendationKind.PERSON.value,
                    generated_at=now,
                    expires_at=expires)
        picks = llm_picks.get(viewer)
        if picks:
            for rank, pick in enumerate(picks, start=1):
                explanation = next(explanations)
                rows.append(dict(base, target_person_id=pick.person_id, rank=rank, score=round(pick.score, 1),
                                 reasons=pick.reasons, chips=explanation.chips, starters=pick.starters,
                                 potential_value=pick.potential_value or explanation.potential_value,
                                 strategy=LLM, prompt_variant_id=variants[viewer].id))
            continue
        for rank, match in enumerate(found, start=1):
            explanation = next(explanations)
            rows.append(dict(base, target_person_id=people[match.candidate].id, rank=rank,
                             score=round(100 * min(1.0, match.score / max(top, 0.5)), 1),
                             reasons=explanation.reasons, chips=explanation.chips, starters=explanation.starters,
                             potential_value=explanation.potential_value, strategy=ALGORITHMIC,
                             prompt_variant_id=None))
    _store(session, event.id, [people[v].id for v in matches], rows, now)
    session.flush()
    return RefreshReport(len(people), len(rows), embedded.updated_profiles, strategy, seconds,
                         llm_ranked=len(llm_picks), llm_failed=llm_failures)


def _llm_rerank(llm: LLMClient, variants: dict[int, PromptVariant], people: list[Person], pools: dict, k: int
                ) -> tuple[dict[int, list[LLMPick]], int]:
    """Ask the LLM to re-rank each viewer's candidate pool with their assigned variant; viewers whose call
    fails are left out (they keep the algorithmic list)."""
    names = sorted({n for p in people for n in (p.first_name, p.last_name) if n})
    prompts = {viewer: build_rerank_prompt(variants[viewer].template, people[viewer],
                                           [people[m.candidate] for m in pool], k, names)
               for viewer, pool in pools.items() if pool}

    def ask(viewer: int) -> tuple[int, list[LLMPick] | None]:
        variant = variants[viewer]
        try:
            return viewer, rerank_with_llm(llm, prompts[viewer], k, temperature=variant.temperature,
                                           variant_id=variant.id)
        except LLMError:
            return viewer, None

    with ThreadPoolExecutor(max_workers=LLM_CONCURRENCY) as pool_executor:
        results = list(pool_executor.map(ask, prompts))
    picks = {viewer: found for viewer, found in results if found}
    return picks, sum(1 for _, found in results if not found)


STORED_COLUMNS = ("event_id", "user_id", "kind", "target_person_id", "rank", "score", "reasons", "chips", "starters",
                  "potential_value", "strategy", "prompt_variant_id", "generated_at", "expires_at")


def _store(session: Session, event_id: int, user_ids: list[int], rows: list[dict], now: datetime) -> None:
    """Replace the users' person recommendations in bulk, keeping action timestamps on pairs that stay.

    The rows are streamed with COPY into a temporary table, then merged with three set-based statements:
    upsert the fresh pairs, expire acted-on pairs that dropped out (kept for analytics), delete the rest."""
    columns = ", ".join(STORED_COLUMNS)
    copy_to_temp_table(session, "fresh_recommendations", "recommendations", STORED_COLUMNS, (
        [json_text(row[c]) if c in ("reasons", "chips", "starters") else row[c] for c in STORED_COLUMNS]
        for row in rows))
    updated = ", ".join(f"{c} = excluded.{c}" for c in STORED_COLUMNS[4:])
    session.execute(text(
        f"INSERT INTO recommendations ({columns}) SELECT {columns} FROM fresh_recommendations "
        f"ON CONFLICT ON CONSTRAINT uq_recommendation_target DO UPDATE SET {updated}, dismissed_at = NULL"))
    dropped = ("r.event_id = :event AND r.kind = 'person' "
               "AND r.user_id IN (SELECT unnest(CAST(:users AS bigint[]))) AND NOT EXISTS ("
               "SELECT 1 FROM fresh_recommendations f WHERE f.user_id = r.user_id "
               "AND f.target_person_id = r.target_person_id)")
    acted = "(r.pinged_at IS NOT NULL OR r.connected_at IS NOT NULL OR r.bookmarked_at IS NOT NULL)"
    parameters = {"event": event_id, "users": user_ids, "now": now}
    session.execute(text(f"UPDATE recommendations r SET expires_at = :now, rank = 0 WHERE {dropped} AND {acted}"),
                    parameters)
    session.execute(text(f"DELETE FROM recommendations r WHERE {dropped} AND NOT {acted}"), parameters)
    session.execute(text("DROP TABLE fresh_recommendations"))


@dataclass
class PersonCard:
    recommendation: Recommendation
    person: Person


def current_recommendations(session: Session, *, event_id: int, person_id: int, now: datetime) -> list[PersonCard]:
    """The stored, unexpired, undismissed people recommendations of one attendee, best (displayed) score first,
    equal scores by rank (an LLM re-rank can order its picks differently from their scores)."""
    rows = session.execute(
        select(Recommendation, Person).join(Person, Person.id == Recommendation.target_person_id)
        .where(Recommendation.event_id == event_id, Recommendation.user_id == person_id,
               Recommendation.kind == RecommendationKind.PERSON, Recommendation.expires_at > now,
               Recommendation.dismissed_at.is_(None), Person.deleted_at.is_(None))
        .order_by(Recommendation.rank))
    return sorted((PersonCard(r, p) for r, p in rows), key=lambda card: by_displayed_score(card.recommendation))


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
        writer.writerow([safe_csv_cell(v) for v in (email, rank, target_email, score, strategy, variant or "",
                                                     " | ".join(reasons))])
    return buffer.getvalue()


def refresh_job(ctx: JobContext) -> dict:
    """Job body: refresh one event (ctx.event_id) or every event with registrations."""
    if ctx.embedder is None:
        raise RuntimeError("refresh-recommendations needs an embedder; run it through the worker or the CLI.")
    ttl = ctx.settings.recommendation_ttl_hours if ctx.settings else 24
    query = select(Event).where(Event.id.in_(select(Registration.event_id)))
    if ctx.event_id is not None:
        query = select(Event).where(Event.id == ctx.event_id)
    counts = {"events": 0, "people": 0, "recommendations": 0, "embedded_profiles": 0, "llm_ranked": 0,
              "llm_failed": 0, "session_recommendations": 0, "speaker_recommendations": 0}
    for event in ctx.session.scalars(query).all():
        report = refresh_recommendations(ctx.session, event=event, embedder=ctx.embedder, clock=ctx.clock,
                                         ttl_hours=ttl, llm=ctx.llm)
        counts["events"] += 1
        counts["people"] += report.people
        counts["recommendations"] += report.recommendations
        counts["embedded_profiles"] += report.embedded_profiles
        counts["llm_ranked"] += report.llm_ranked
        counts["llm_failed"] += report.llm_failed
        program = refresh_program_recommendations(ctx.session, event=event, embedder=ctx.embedder, clock=ctx.clock,
                                                   ttl_hours=ttl, llm=ctx.llm)
        counts["session_recommendations"] += program.session_recommendations
        counts["speaker_recommendations"] += program.speaker_recommendations
    return counts


def embed_profiles_job(ctx: JobContext) -> dict:
    """Job body: embed new or changed profiles of one event (ctx.event_id) or every event with registrations."""
    if ctx.embedder is None:
        raise RuntimeError("embed-profiles needs an embedder; run it through the worker or the CLI.")
    query = select(Event).where(Event.id.in_(select(Registration.event_id)))
    if ctx.event_id is not None:
        query = select(Event).where(Event.id == ctx.event_id)
    counts = {"events": 0, "people": 0, "embedded_profiles": 0}
    for event in ctx.session.scalars(query).all():
        people = event_people(ctx.session, event.id)
        vectors = embed_event(ctx.session, ctx.embedder, people, [match_profile(i, p) for i, p in enumerate(people)])
        counts["events"] += 1
        counts["people"] += len(people)
        counts["embedded_profiles"] += vectors.updated_profiles
    return counts


def refresh_for_person(session: Session, *, person_id: int, embedder: Embedder, clock: Clock,
                       ttl_hours: int = 24, llm: LLMClient | None = None) -> int:
    """Refresh one attendee's lists in every event they are registered for (profile change, check-in)."""
    events = session.scalars(select(Event).join(Registration, Registration.event_id == Event.id)
                             .where(Registration.person_id == person_id)).all()
    for event in events:
        refresh_recommendations(session, event=event, embedder=embedder, clock=clock, ttl_hours=ttl_hours,
                                only_person_ids=[person_id], llm=llm)
        refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock, ttl_hours=ttl_hours,
                                        llm=llm, only_person_ids=[person_id])
        session.flush()
    return len(events)


REFRESH_ATTENDEE_JOB = "refresh-attendee"
REFRESH_INTERVAL = timedelta(minutes=1)


class RefreshTooSoon(ValueError):
    """An attendee asked for a refresh again within a minute; the message says when they can."""


@dataclass(frozen=True)
class RefreshStatus:
    """An attendee's latest refresh request: waiting (queued or running) or done, and when."""

    status: str
    requested_at: datetime
    waiting: bool


def queue_refresh_for_person(session: Session, *, person_id: int, clock: Clock, reason: str,
                             enforce_interval: bool = True) -> None:
    """Ask the worker to refresh one attendee's matches; an attendee's own request at most once a minute."""
    latest = latest_request(session, job_id=REFRESH_ATTENDEE_JOB, person_id=person_id)
    now = clock.now()
    if latest is not None and latest.status != JobRequestStatus.DONE:
        return  # one is waiting already
    if enforce_interval and latest is not None and now - latest.requested_at < REFRESH_INTERVAL:
        seconds = int((latest.requested_at + REFRESH_INTERVAL - now).total_seconds()) + 1
        raise RefreshTooSoon(f"Your matches were refreshed a moment ago. You can refresh again in {seconds} s.")
    request_job(session, job_id=REFRESH_ATTENDEE_JOB, event_id=None, person_id=person_id, reason=reason, clock=clock)


def refresh_status(session: Session, *, person_id: int) -> RefreshStatus | None:
    """The attendee's latest refresh request, for the page to show 'queued' and then 'done'."""
    latest = latest_request(session, job_id=REFRESH_ATTENDEE_JOB, person_id=person_id)
    if latest is None:
        return None
    return RefreshStatus(latest.status, latest.requested_at, latest.status != JobRequestStatus.DONE)


def refresh_attendee_job(ctx: JobContext) -> dict:
    """Job body: refresh one attendee's people, session and speaker matches (ctx.person_id)."""
    if ctx.embedder is None or ctx.person_id is None:
        raise RuntimeError("refresh-attendee needs an embedder and a person; it runs from the worker's queue.")
    ttl = ctx.settings.recommendation_ttl_hours if ctx.settings else 24
    events = refresh_for_person(ctx.session, person_id=ctx.person_id, embedder=ctx.embedder, clock=ctx.clock,
                                ttl_hours=ttl, llm=ctx.llm)
    return {"events": events}
