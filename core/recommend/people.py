"""People recommendations: refresh for an event, read them for a page, record attendee actions, export."""
from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from core.ai.batches import batch_results
from core.ai.call_log import save_calls
from core.ai.embeddings import Embedder, embed_texts, mean_direction, store_profile_vectors
from core.ai.llm import AnthropicLLM, LLMClient, LLMError
from core.enrichment.favourites import favourite_titles
from core.enrichment.taste import taste_vectors
from core.events.visibility import live
from core.ingest.tabular import safe_csv_cell
from core.knowledge.concept_induction import event_concepts
from core.knowledge.taxonomy import GOAL_DESCRIPTIONS
from core.networking.visibility import listable, visible_to
from core.platform.audit import AuditAction, record_audit
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.memory import gc_paused
from core.platform.parallel import can_fork_workers, map_in_forked_processes
from core.platform.queue import latest_request, request_job
from core.recommend.adjacent import adjacent_reasons, in_display_order, with_adjacent_reason
from core.recommend.explain import (
    Explainer,
    Explanation,
    ListQuality,
    Side,
    TextSpace,
    combined_quality,
    explain_matches,
    list_quality,
)
from core.recommend.llm_upgrade import (
    UpgradeReport,
    apply_batch,
    note_batch_error,
    pending_batches,
    stored_since,
    submit_nightly_batch,
    upgrade_now,
)
from core.recommend.matching import (
    GOALS,
    Controls,
    EventMatcher,
    Match,
    MatchProfile,
    pack_concept_bits,
    split_statements,
    strategy_for,
    with_prose_phrases,
)
from core.recommend.program import ProgramRefresh, by_displayed_score, refresh_program_recommendations
from core.recommend.rerank import LLMPick, RerankPrompt, build_rerank_prompt
from core.recommend.signals import (
    categories_of,
    enriched_skill_sources,
    excluded_signals,
    snoozed_categories,
    with_signal_exclusions,
)
from db.bulk import BackgroundWrites, copy_data, copy_text, copy_to_temp_table, json_text, staged_writes
from db.filters import in_values
from db.locks import lock_until_commit
from db.models import (
    EMBEDDING_DIM,
    Block,
    Connection,
    Event,
    JobRequestStatus,
    JobTrigger,
    LLMBatchStatus,
    MatchControl,
    Person,
    Recommendation,
    RecommendationKind,
    RecommendationSlot,
    Registration,
)

ALGORITHMIC = "algorithmic"
LLM = "llm"
LLM_POOL = 50
LLM_CONCURRENCY = 4
K = 10  # people in a list
STORE_VIEWERS = 1000  # viewers whose lists are explained, then stored while the next ones are explained
FORKED_VIEWERS = 2000  # viewers from which the lists are explained in forked processes (a fork costs ~0.1 s)


def match_profile(index: int, person: Person, enriched: dict[str, list[str]] | None = None) -> MatchProfile:
    """What the matcher reads of a person; `index` is their position in the event's list. Skills found by
    enrichment (with consent, less the excluded ones; `enriched` when already looked up) are a separate facet."""
    # the industry stands in for interests only when there are none: shared by whole groups (every investor's
    # "Venture capital"), it would otherwise outweigh the interests that tell people apart
    topics = list(person.interests) or ([person.industry] if person.industry else [])
    return with_prose_phrases(MatchProfile(
        index, list(person.goals), list(person.skills_offered), list(person.skills_needed), topics,
        split_statements(person.bio, person.problem_statement), person.years_experience, person.matching_visible,
        split_statements(person.problem_statement),
        list(enriched_skill_sources(person) if enriched is None else enriched)))


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


def embed_event(session: Session, embedder: Embedder, people: list[Person], profiles: list[MatchProfile],
                store_for: list[int] | None = None) -> EventVectors:
    """Embed each distinct text of the event once (cached by content hash), then derive every profile vector.

    A profile's vector is the mean direction of its texts' vectors, so free text is embedded once, as
    statements, and not a second time inside one long profile text. The goal descriptions are embedded
    here too, so that matching never needs the model. The changed vectors of everyone (or only of the
    people in `store_for`, e.g. one attendee's refresh) are stored."""
    per_person = [[t for t in profile_texts(p, prof) if t] for p, prof in zip(people, profiles, strict=False)]
    texts = sorted({t for prof in profiles for t in (*prof.offers, *prof.needs, *prof.topics, *prof.statements,
                                                     *prof.enriched_offers, *prof.prose_phrases())})
    goal_texts = [GOAL_DESCRIPTIONS[g] for g in GOALS]
    vectors = embed_texts(session, embedder, [*texts, *(t for own in per_person for t in own), *goal_texts])
    text_vectors = np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, EMBEDDING_DIM), np.float32)
    # enriched skills stay out of the profile vector: it drives goal credibility and diversity, and enrichment
    # must never lower anyone's standing
    profile_vectors = np.stack([mean_direction([vectors[t] for t in own]) for own in per_person])
    kept = [i for i, p in enumerate(people) if store_for is None or p.id in store_for]
    updated = store_profile_vectors(session, embedder.model_name, [people[i] for i in kept],
                                    {people[i].id: "\n".join(per_person[i]) for i in kept}, profile_vectors[kept])
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
    llm_skipped: int = 0  # over the daily LLM budget, or not asked because the client was rate limited
    llm_batch: str | None = None  # the message batch submitted for the nightly re-rank
    explanations: dict = field(default_factory=dict)  # explanation_quality of the algorithmic lists


def event_people(session: Session, event_id: int) -> list[Person]:
    """The event's registered people who are not deleted, by id."""
    with gc_paused():  # thousands of ORM objects: collections while they load took twice the load itself
        return list(session.scalars(
            select(Person).join(Registration, Registration.person_id == Person.id)
            .where(Registration.event_id == event_id, live(Person)).order_by(Person.id)))


def _controls(session: Session, people: list[Person], event_id: int, now: datetime) -> Controls:
    index = {p.id: i for i, p in enumerate(people)}
    controls = Controls()

    def exclude(viewer: int, candidate: int) -> None:
        if viewer in index and candidate in index:
            controls.excluded.setdefault(index[viewer], []).append(index[candidate])

    ids = list(index)
    ignored = excluded_signals(session, ids)  # feedback the person excluded on Audit my signals
    for a, b in session.execute(select(Connection.person_a_id, Connection.person_b_id).where(
            or_(in_values(Connection.person_a_id, ids), in_values(Connection.person_b_id, ids)))):
        exclude(a, b)
        exclude(b, a)
    for viewer, target, kind, until in session.execute(
            select(MatchControl.person_id, MatchControl.target_person_id, MatchControl.kind, MatchControl.until)
            .where(in_values(MatchControl.person_id, ids))):
        if kind != "block" and f"feedback:{kind}:{target}" in ignored.get(viewer, ()):
            continue
        if kind == "block":
            exclude(viewer, target)
            exclude(target, viewer)
        elif kind == "dismiss" or (kind == "snooze" and (until is None or until > now)):
            exclude(viewer, target)
        elif kind in ("less_like", "more_like") and viewer in index and target in index:
            bucket = controls.less_like if kind == "less_like" else controls.more_like
            bucket.setdefault(index[viewer], []).append(index[target])
    for blocker, blocked in session.execute(select(Block.blocker_id, Block.blocked_id).where(
            or_(in_values(Block.blocker_id, ids), in_values(Block.blocked_id, ids)))):
        exclude(blocker, blocked)
        exclude(blocked, blocker)
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
    favourites: dict[int, dict[str, str]] = field(default_factory=dict)  # person id -> {canonical: shown title}
    enriched: list[dict[str, list[str]]] = field(default_factory=list)  # per person: enriched skill -> platforms


def prepare_event(session: Session, event: Event, people: list[Person], embedder: Embedder, now: datetime,
                  store_vectors_for: list[int] | None = None) -> PreparedEvent:
    """Embed (cached) and build the matcher for these people of the event, each as their signal exclusions (Audit
    my signals) let matching, explanations and LLM prompts see them."""
    started = time.perf_counter()
    people = with_signal_exclusions(session, people)
    enriched = [enriched_skill_sources(p) for p in people]
    profiles = [match_profile(i, p, sources) for i, (p, sources) in enumerate(zip(people, enriched, strict=True))]
    embedded = embed_event(session, embedder, people, profiles, store_vectors_for)
    embedding_seconds = time.perf_counter() - started
    phrases = {t for prof in profiles
               for t in (*prof.offers, *prof.needs, *prof.topics, *prof.enriched_offers, *prof.prose_phrases())}
    text_concepts = event_concepts(embedded.texts, embedded.text_vectors, phrases)
    ids = [p.id for p in people]
    matcher = EventMatcher(profiles, embedded.text_vectors, {t: i for i, t in enumerate(embedded.texts)},
                           embedded.profile_vectors,
                           credibility=_credibility(embedded.profile_vectors, embedded.goal_vectors),
                           text_concepts=text_concepts, taste_vectors=_taste_matrix(session, ids))
    return PreparedEvent(people, profiles, embedded, text_concepts, matcher, _controls(session, people, event.id, now),
                         embedding_seconds, favourite_titles(session, ids), enriched)


def _taste_matrix(session: Session, person_ids: list[int]) -> np.ndarray | None:
    """The people's taste vectors in list order (zero rows for people without one); None when nobody has one."""
    found = taste_vectors(session, person_ids)
    if not found:
        return None
    matrix = np.zeros((len(person_ids), EMBEDDING_DIM), np.float32)
    for row, person_id in enumerate(person_ids):
        if person_id in found:
            matrix[row] = found[person_id]
    return matrix


class RankedEvent:
    """An event's people ranked by the algorithm: stores their lists, then upgrades viewers' lists with the LLM
    in place (the upgrade's ViewerLists)."""

    def __init__(self, event: Event, prepared: PreparedEvent, matches: dict[int, list[Match]], now: datetime,
                 expires_at: datetime, seconds_matching: float):
        self.event, self.event_id, self.prepared, self.matches = event, event.id, prepared, matches
        self.people = prepared.people
        self.now, self.expires_at, self.seconds_matching = now, expires_at, seconds_matching
        self.strategy = strategy_for(len(self.people))
        # plain values, read while a writer thread uses the session (store_algorithmic)
        self.ids = [p.id for p in self.people]
        self.event_name = event.name
        self.position = {person_id: i for i, person_id in enumerate(self.ids)}
        self.viewer_ids = [self.ids[v] for v in matches]
        self.explanation_figures: dict = {}
        vectors = prepared.vectors
        self.space = TextSpace(vectors.texts, vectors.text_vectors, pack_concept_bits(prepared.text_concepts))
        self.sides = [Side(p.first_name, p.role, p.company, list(p.goals), p.years_experience, p.industry, p.city,
                           prof.offers, prof.needs, prof.topics, prof.statements,
                           {skill: sources[0] for skill, sources in enriched.items()},
                           prepared.favourites.get(p.id, {}), p.company_size, prof.problem_statements)
                      for p, prof, enriched in zip(self.people, prepared.profiles, prepared.enriched, strict=True)]

    def _row(self, viewer: int, target_id: int, rank: int, score: float, explanation: Explanation, strategy: str,
             variant_id: int | None, generated_at: datetime, expires_at: datetime, pick: LLMPick | None = None,
             adjacent: bool = False) -> dict:
        """One stored row; an LLM pick's texts, where the cleaning left any, else the algorithm's explanation."""
        return dict(event_id=self.event_id, user_id=self.ids[viewer], kind=RecommendationKind.PERSON.value,
                    target_person_id=target_id, rank=rank, score=score,
                    reasons=(pick and pick.reasons) or explanation.reasons, chips=explanation.chips,
                    starters=_with_taste_starter((pick and pick.starters) or explanation.starters, explanation),
                    potential_value=(pick and pick.potential_value) or explanation.potential_value,
                    strategy=strategy, prompt_variant_id=variant_id, generated_at=generated_at, expires_at=expires_at,
                    slot=(RecommendationSlot.ADJACENT_INTEREST if adjacent else RecommendationSlot.MATCH).value)

    def store_algorithmic(self, session: Session) -> int:
        """Store every viewer's algorithmic list; returns the rows stored. Displayed scores never rise down a
        list (diversity may place a slightly better-scoring candidate lower). How varied the lists read is kept
        in `explanation_figures`.

        The lists are explained STORE_VIEWERS viewers at a time, and each batch is stored on a thread of its own
        while the next ones are explained: Postgres takes the rows while Python writes the next texts. From
        FORKED_VIEWERS viewers on, the batches are explained in forked processes, one per core."""
        with gc_paused():  # a hundred thousand explanations and rows: collections would rescan them again and again
            lock_event_lists(session, self.event_id)
            newer = stored_since(session, self.event_id, self.viewer_ids, self.now)  # see _write
            listed = _users_with_lists(session, self.event_id, self.viewer_ids)
            work = _ListWork(self, Explainer(self.sides, self.space, self.event_name), newer)
            viewers = list(self.matches)
            batches = [viewers[start:start + STORE_VIEWERS] for start in range(0, len(viewers), STORE_VIEWERS)]
            figures: list[ListQuality] = []
            stored = 0
            with (_explained_batches(work, batches) as explained,
                  _list_writes(session, self.event_id, self.now, listed) as writes):
                for batch in explained:
                    figures.extend(batch.figures)
                    stored += batch.count
                    writes.submit(batch)
            self.explanation_figures = combined_quality(figures)
            session.flush()
            return stored

    def _algorithmic_rows(self, explainer: Explainer, viewers: list[int], lists: list) -> list[dict]:
        """These viewers' cards as rows to store, explained and varied per list; each list's (name, explanation)
        cards are appended to `lists`."""
        shown = [(viewer, m.candidate) for viewer in viewers for m in self.matches[viewer]]
        explanations = iter(explainer.explain(shown))
        adjacent = [(viewer, m.candidate) for viewer in viewers for m in self.matches[viewer] if m.adjacent]
        adjacent_texts = dict(zip(adjacent, adjacent_reasons(self.sides, adjacent, self.space), strict=True))
        rows = []
        for viewer in viewers:
            found = self.matches[viewer]
            top = max((m.score for m in found), default=1.0) or 1.0
            scores = in_display_order([round(100 * min(1.0, m.score / max(top, 0.5)), 1) for m in found])
            cards = []
            for rank, (m, score) in enumerate(zip(found, scores, strict=True), start=1):
                explanation = next(explanations)
                if m.adjacent:
                    explanation = with_adjacent_reason(explanation, adjacent_texts[viewer, m.candidate])
                cards.append((self.sides[m.candidate].first_name, explanation))
                rows.append(self._row(viewer, self.ids[m.candidate], rank, score, explanation, ALGORITHMIC,
                                      None, self.now, self.expires_at, adjacent=m.adjacent))
            lists.append(cards)
        return rows

    def _with_adjacent_pick(self, viewer: int, kept: list[LLMPick]) -> tuple[list[LLMPick], int | None]:
        """An LLM list keeps the viewer's adjacent-interest candidate: in place if the LLM picked them, else in the
        last place (with the algorithm's texts). Returns the list and the adjacent person's id (or None)."""
        adjacent = next((m for m in self.matches.get(viewer, []) if m.adjacent), None)
        if adjacent is None:
            return kept, None
        person_id = self.people[adjacent.candidate].id
        if all(p.person_id != person_id for p in kept):
            lowest = min((p.score for p in kept), default=0.0)
            kept = [*kept[:K - 1], LLMPick(person_id, max(lowest - 1.0, 0.0), [], [], "")]
        return kept, person_id

    def prompts(self, templates: dict[int, str], k: int) -> dict[int, RerankPrompt]:
        """Each viewer's re-rank prompt (by person id, from their variant's template) over their LLM_POOL best
        candidates; viewers without candidates have none."""
        viewers = [self.position[v] for v in templates if v in self.position]
        pools = self.prepared.matcher.recommend(self.prepared.controls, k=LLM_POOL, diversity=0.0, viewers=viewers)
        return {self.people[v].id: build_rerank_prompt(templates[self.people[v].id], self.people[v],
                                                       [self.people[m.candidate] for m in pool], k)
                for v, pool in pools.items() if pool}

    def store_llm(self, session: Session, picks: dict[int, list[LLMPick]], variant_ids: dict[int, int], *,
                  generated_at: datetime | None = None, expires_at: datetime | None = None,
                  unless_refreshed_after: datetime | None = None) -> int:
        """Replace these viewers' lists with their LLM picks in place (pairs that stay keep their rows and action
        timestamps); picks of people no longer in the event or hidden from the viewer since are left out.
        Returns the lists stored."""
        usable: dict[int, list[LLMPick]] = {}
        for viewer_id, found in picks.items():
            viewer = self.position.get(viewer_id)
            if viewer is None:
                continue
            hidden = set(self.prepared.controls.excluded.get(viewer, ()))
            kept = [p for p in found if p.person_id in self.position and p.person_id != viewer_id
                    and self.position[p.person_id] not in hidden]
            if kept:
                usable[viewer] = kept
        if not usable:
            return 0
        adjacent: dict[int, int | None] = {}
        for viewer in usable:
            usable[viewer], adjacent[viewer] = self._with_adjacent_pick(viewer, usable[viewer])
        generated_at, expires_at = generated_at or self.now, expires_at or self.expires_at
        shown = [(viewer, self.position[p.person_id]) for viewer, kept in usable.items() for p in kept]
        explanations = iter(explain_matches(self.sides, shown, self.space, self.event.name))
        adjacent_pairs = [(viewer, self.position[person_id]) for viewer, person_id in adjacent.items() if person_id]
        adjacent_texts = dict(zip(adjacent_pairs, adjacent_reasons(self.sides, adjacent_pairs, self.space),
                                  strict=True))
        rows = []
        for viewer, kept in usable.items():
            for rank, pick in enumerate(kept, start=1):
                explanation, is_adjacent = next(explanations), pick.person_id == adjacent[viewer]
                if is_adjacent:
                    explanation = with_adjacent_reason(explanation,
                                                       adjacent_texts[viewer, self.position[pick.person_id]])
                rows.append(self._row(viewer, pick.person_id, rank, round(pick.score, 1), explanation, LLM,
                                      variant_ids[self.people[viewer].id], generated_at, expires_at, pick,
                                      adjacent=is_adjacent))
        return self._write(session, [self.people[v].id for v in usable], rows, unless_refreshed_after or self.now)[0]

    def _write(self, session: Session, user_ids: list[int], rows: list[dict], refreshed_after: datetime
               ) -> tuple[int, int]:
        """Under the event's lock, store the lists of the users whose list no other refresh stored after
        `refreshed_after` (an attendee's own refresh, committed meanwhile, is newer and stays); returns the lists
        and the rows stored."""
        lock_event_lists(session, self.event_id)
        newer = stored_since(session, self.event_id, user_ids, refreshed_after)
        if newer:
            user_ids = [u for u in user_ids if u not in newer]
            rows = [r for r in rows if r["user_id"] not in newer]
        _store(session, self.event_id, user_ids, rows, self.now)
        session.flush()
        return len(user_ids), len(rows)


def _with_taste_starter(starters: list[str], explanation: Explanation) -> list[str]:
    """An LLM pick's starters keep the shared-favourite starter of the explanation (it is already among the
    algorithm's own)."""
    if not explanation.taste_starter or explanation.taste_starter in starters:
        return starters
    return [*starters[:1], explanation.taste_starter]


def lock_event_lists(session: Session, event_id: int) -> None:
    """Take the event's people-lists lock until this transaction ends, so that two refreshes of the same event (the
    event-wide job, an attendee's) never write the same lists at once: no unique-key collision, no deadlock."""
    lock_until_commit(session, f"people-lists:{event_id}")


def rank_event(session: Session, *, event: Event, people: list[Person], embedder: Embedder, clock: Clock,
               ttl_hours: int = 24, k: int = K, only_person_ids: list[int] | None = None) -> RankedEvent:
    """Embed (cached) and rank the event's people with the algorithm, for everyone or only some viewers (whose
    profile vectors alone are then stored)."""
    now = clock.now()
    started = time.perf_counter()
    # profiles, phrases and a Match per card: collections would rescan every person loaded, again and again
    with gc_paused():
        prepared = prepare_event(session, event, people, embedder, now, store_vectors_for=only_person_ids)
        position = {p.id: i for i, p in enumerate(people)}
        viewers = None if only_person_ids is None else [position[i] for i in only_person_ids if i in position]
        matches = prepared.matcher.recommend(prepared.controls, k=k, viewers=viewers)
        seconds = time.perf_counter() - started - prepared.embedding_seconds
        return RankedEvent(event, prepared, matches, now, now + timedelta(hours=ttl_hours), seconds)


def upgrade_lists(session: Session, ranked: RankedEvent, *, llm: LLMClient | None, clock: Clock,
                  checkpoint: Callable[[], None], daily_llm_calls: int | None, nightly: bool = False, k: int = K
                  ) -> UpgradeReport:
    """After the algorithmic lists are stored: upgrade the budgeted viewers' lists with the LLM, now (Messages API,
    committed group by group) or, nightly, through one message batch applied later by collect-llm-batches."""
    if llm is None or ranked.strategy == "small_event" or not ranked.viewer_ids:
        return UpgradeReport()
    if nightly and isinstance(llm, AnthropicLLM):
        report = submit_nightly_batch(session, ranked, llm=llm, clock=clock, k=k, daily_calls=daily_llm_calls)
        checkpoint()
        return report
    return upgrade_now(session, ranked, llm=llm, clock=clock, k=k, daily_calls=daily_llm_calls,
                       checkpoint=checkpoint, concurrency=LLM_CONCURRENCY)


def _report(people: int, ranked: RankedEvent | None, stored: int, upgrade: UpgradeReport) -> RefreshReport:
    if ranked is None:
        return RefreshReport(people, 0, 0, strategy_for(people))
    return RefreshReport(people, stored, ranked.prepared.vectors.updated_profiles, ranked.strategy,
                         ranked.seconds_matching, llm_ranked=upgrade.ranked, llm_failed=upgrade.failed,
                         llm_skipped=upgrade.skipped, llm_batch=upgrade.batch_id,
                         explanations=ranked.explanation_figures)


def refresh_recommendations(session: Session, *, event: Event, embedder: Embedder, clock: Clock, ttl_hours: int = 24,
                            k: int = K, only_person_ids: list[int] | None = None, llm: LLMClient | None = None,
                            checkpoint: Callable[[], None] | None = None, daily_llm_calls: int | None = None,
                            nightly: bool = False) -> RefreshReport:
    """Recompute and store people recommendations for the event (everyone, or only some viewers).

    The algorithmic lists are stored first; with an LLM, the budgeted viewers' lists are then upgraded in
    place (upgrade_lists). `checkpoint` (a job's commit) runs after the embeddings, after the algorithmic lists
    and after each upgraded group, so nothing waits for the LLM; without it everything is one transaction."""
    commit = checkpoint or (lambda: None)
    people = event_people(session, event.id)
    if len(people) < 2:
        return _report(len(people), None, 0, UpgradeReport())
    ranked = rank_event(session, event=event, people=people, embedder=embedder, clock=clock, ttl_hours=ttl_hours,
                        k=k, only_person_ids=only_person_ids)
    commit()  # the embedding cache and profile vectors, before any list is locked
    stored = ranked.store_algorithmic(session)
    commit()
    upgrade = upgrade_lists(session, ranked, llm=llm, clock=clock, checkpoint=commit, daily_llm_calls=daily_llm_calls,
                            nightly=nightly, k=k)
    return _report(len(people), ranked, stored, upgrade)


def refresh_event_lists(session: Session, *, event: Event, embedder: Embedder, clock: Clock, ttl_hours: int,
                        llm: LLMClient | None, checkpoint: Callable[[], None], daily_llm_calls: int | None,
                        nightly: bool = False, only_person_ids: list[int] | None = None
                        ) -> tuple[RefreshReport, ProgramRefresh]:
    """People, session and speaker lists of the event (everyone, or some attendees): every algorithmic list in one
    commit, then the people lists upgraded with the LLM, then the program lists with the LLM."""
    people = event_people(session, event.id)
    ranked = None
    if len(people) >= 2:
        ranked = rank_event(session, event=event, people=people, embedder=embedder, clock=clock,
                            ttl_hours=ttl_hours, only_person_ids=only_person_ids)
        checkpoint()  # the embedding cache and profile vectors, before any list is locked
    stored = ranked.store_algorithmic(session) if ranked is not None else 0
    program = refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock,
                                              ttl_hours=ttl_hours, llm=None, only_person_ids=only_person_ids)
    checkpoint()  # every algorithmic list at once
    upgrade = UpgradeReport()
    if ranked is not None:
        upgrade = upgrade_lists(session, ranked, llm=llm, clock=clock, checkpoint=checkpoint,
                                daily_llm_calls=daily_llm_calls, nightly=nightly)
    if llm is not None:
        program = refresh_program_recommendations(session, event=event, embedder=embedder, clock=clock,
                                                  ttl_hours=ttl_hours, llm=llm, only_person_ids=only_person_ids)
    return _report(len(people), ranked, stored, upgrade), program


STORED_COLUMNS = ("event_id", "user_id", "kind", "target_person_id", "rank", "score", "reasons", "chips", "starters",
                  "potential_value", "strategy", "slot", "prompt_variant_id", "generated_at", "expires_at")


def _store(session: Session, event_id: int, user_ids: list[int], rows: list[dict], now: datetime) -> None:
    """Replace the users' person recommendations in bulk, keeping action timestamps on pairs that stay.

    The rows are streamed with COPY into a temporary table, then merged with two set-based statements:
    upsert the fresh pairs (in key order), then expire acted-on pairs that dropped out (kept for analytics) and
    delete the rest. Callers hold the event's lock (lock_event_lists)."""
    copy_to_temp_table(session, "fresh_recommendations", "recommendations", STORED_COLUMNS, _copy_values(rows))
    _upsert_fresh(session)
    _drop_stale(session, event_id, user_ids, now, "fresh_recommendations")
    session.execute(text("DROP TABLE fresh_recommendations"))


def _copy_values(rows: list[dict]) -> Iterator[list]:
    return ([json_text(row[c]) if c in ("reasons", "chips", "starters") else row[c] for c in STORED_COLUMNS]
            for row in rows)


@dataclass
class _ListWork:
    """What explaining a batch of viewers' lists needs; forked workers inherit it as it is."""
    ranked: RankedEvent
    explainer: Explainer
    newer: set[int]  # users whose lists another refresh stored meanwhile: left as they are


@dataclass
class _ListBatch:
    """A batch of viewers' lists, explained: their rows as COPY text, and how varied each list reads."""
    users: list[int]  # whose lists these are (an empty list too): their other stored pairs are dropped
    rows: bytes
    count: int
    figures: list[ListQuality]


def _explain_batch(work: _ListWork, viewers: list[int]) -> _ListBatch:
    lists: list[list[tuple[str, Explanation]]] = []
    rows = [r for r in work.ranked._algorithmic_rows(work.explainer, viewers, lists)
            if r["user_id"] not in work.newer]
    users = [u for u in (work.ranked.ids[v] for v in viewers) if u not in work.newer]
    return _ListBatch(users, copy_text(_copy_values(rows)), len(rows), [list_quality(cards) for cards in lists])


@contextmanager
def _explained_batches(work: _ListWork, batches: list[list[int]]) -> Iterator[Iterator[_ListBatch]]:
    """The batches explained in order: in forked processes, one per core, for an event of FORKED_VIEWERS viewers or
    more (explanations are pure Python, so threads could not share the work), else one by one here."""
    if len(work.ranked.matches) >= FORKED_VIEWERS and can_fork_workers():
        with map_in_forked_processes(_explain_batch, batches, work) as explained:
            yield explained
    else:
        yield (_explain_batch(work, batch) for batch in batches)


def _upsert_fresh(session: Session) -> None:
    """Upsert the rows of `fresh_recommendations` (in key order); a pair that stays keeps its action timestamps."""
    columns = ", ".join(STORED_COLUMNS)
    updated = ", ".join(f"{c} = excluded.{c}" for c in STORED_COLUMNS[4:])
    session.execute(text(
        f"INSERT INTO recommendations ({columns}) SELECT {columns} FROM fresh_recommendations "
        "ORDER BY user_id, target_person_id "
        f"ON CONFLICT ON CONSTRAINT uq_recommendation_target DO UPDATE SET {updated}, dismissed_at = NULL"))


def _drop_stale(session: Session, event_id: int, user_ids: list[int], now: datetime, fresh: str) -> None:
    """The users' person recommendations whose pair is not in the table `fresh`: expired when acted on (kept for
    analytics), deleted otherwise. One statement, so the stale pairs are found once."""
    session.execute(text(
        "WITH stale AS (SELECT r.id, (r.pinged_at IS NOT NULL OR r.connected_at IS NOT NULL "
        "OR r.bookmarked_at IS NOT NULL) AS acted FROM recommendations r "
        "WHERE r.event_id = :event AND r.kind = 'person' "
        "AND r.user_id = ANY(CAST(:users AS integer[])) AND NOT EXISTS ("
        f"SELECT 1 FROM {fresh} f WHERE f.user_id = r.user_id AND f.target_person_id = r.target_person_id)), "
        "expired AS (UPDATE recommendations SET expires_at = :now, rank = 0 "
        "WHERE id IN (SELECT id FROM stale WHERE acted)) "
        "DELETE FROM recommendations WHERE id IN (SELECT id FROM stale WHERE NOT acted)"),
        {"event": event_id, "users": user_ids, "now": now})


def _users_with_lists(session: Session, event_id: int, person_ids: list[int]) -> set[int]:
    """Which of these people have any person recommendation stored in the event (an expired one too)."""
    return set(session.scalars(select(Recommendation.user_id).where(
        Recommendation.event_id == event_id, Recommendation.kind == RecommendationKind.PERSON,
        in_values(Recommendation.user_id, person_ids)).distinct()))


@contextmanager
def _list_writes(session: Session, event_id: int, now: datetime, listed: set[int]
                 ) -> Iterator[BackgroundWrites[_ListBatch]]:
    """`_store` batch by batch, in the background (`BackgroundWrites`): each batch is upserted, and its users' pairs
    that it does not keep are expired or deleted, while the caller builds the next. A batch of users none of whom is
    in `listed` (who had no stored pair when the caller took the event's lock, as in an event's first refresh) has
    nothing to merge or drop: its rows are copied straight into the table. The caller holds the event's lock."""
    def store(batch: _ListBatch) -> None:
        if not batch.users:
            return
        if listed.isdisjoint(batch.users):
            if batch.count:
                copy_data(session, "recommendations", STORED_COLUMNS, batch.rows)
            return
        if batch.count:
            copy_data(session, "fresh_recommendations", STORED_COLUMNS, batch.rows)
            _upsert_fresh(session)
        _drop_stale(session, event_id, batch.users, now, "fresh_recommendations")

    with staged_writes(session, "fresh_recommendations", "recommendations", STORED_COLUMNS, store) as writes:
        yield writes


@dataclass
class PersonCard:
    recommendation: Recommendation
    person: Person

    @property
    def adjacent(self) -> bool:
        """Whether the card holds its list's adjacent-interest slot."""
        return self.recommendation.slot == RecommendationSlot.ADJACENT_INTEREST


def current_recommendations(session: Session, *, event_id: int, person_id: int, now: datetime) -> list[PersonCard]:
    """The stored, unexpired, undismissed people recommendations of one attendee, best (displayed) score first,
    equal scores by rank (an LLM re-rank can order its picks differently from their scores); people of a category
    the attendee snoozed are hidden until the snooze ends."""
    rows = session.execute(
        select(Recommendation, Person).join(Person, Person.id == Recommendation.target_person_id)
        .where(Recommendation.event_id == event_id, Recommendation.user_id == person_id,
               Recommendation.kind == RecommendationKind.PERSON, Recommendation.expires_at > now,
               Recommendation.dismissed_at.is_(None), visible_to(person_id, Person.id))
        .order_by(Recommendation.rank))
    snoozed = snoozed_categories(session, person_id=person_id, now=now)
    return sorted((PersonCard(r, p) for r, p in rows if not categories_of(p) & snoozed),
                  key=lambda card: by_displayed_score(card.recommendation))


def export_recommendations_csv(session: Session, event_id: int, now: datetime) -> str:
    """user_email,rank,recommended_email,score,strategy,variant,reasons — current recommendations only."""
    from sqlalchemy.orm import aliased

    viewer, target = aliased(Person), aliased(Person)
    rows = session.execute(
        select(viewer.email, Recommendation.rank, target.email, Recommendation.score, Recommendation.strategy,
               Recommendation.prompt_variant_id, Recommendation.reasons)
        .join(viewer, viewer.id == Recommendation.user_id).join(target, target.id == Recommendation.target_person_id)
        .where(Recommendation.event_id == event_id, Recommendation.kind == RecommendationKind.PERSON,
               Recommendation.expires_at > now, listable(viewer, matching=False), listable(target))
        .order_by(viewer.email, Recommendation.rank))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["user_email", "rank", "recommended_email", "score", "strategy", "variant", "reasons"])
    for email, rank, target_email, score, strategy, variant, reasons in rows:
        writer.writerow([safe_csv_cell(v) for v in (email, rank, target_email, score, strategy, variant or "",
                                                     " | ".join(reasons))])
    return buffer.getvalue()


def _daily_llm_calls(ctx: JobContext) -> int | None:
    return ctx.settings.llm_daily_calls_per_event if ctx.settings else None


def refresh_job(ctx: JobContext) -> dict:
    """Job body: refresh one event (ctx.event_id) or every event with registrations.

    Every algorithmic list is committed first; the LLM then upgrades the budgeted viewers, checked-in people
    first. Run on schedule (nightly) the people re-rank goes out as one message batch per event, applied later
    by collect-llm-batches; run by hand it uses the Messages API, committing each group of viewers."""
    if ctx.embedder is None:
        raise RuntimeError("refresh-recommendations needs an embedder; run it through the worker or the CLI.")
    ttl = ctx.settings.recommendation_ttl_hours if ctx.settings else 24
    query = select(Event).where(Event.id.in_(select(Registration.event_id)))
    if ctx.event_id is not None:
        query = select(Event).where(Event.id == ctx.event_id)
    counts = {"events": 0, "people": 0, "recommendations": 0, "embedded_profiles": 0, "llm_ranked": 0,
              "llm_failed": 0, "llm_skipped": 0, "llm_batches": 0, "session_recommendations": 0,
              "speaker_recommendations": 0}
    for event in ctx.session.scalars(query).all():
        report, program = refresh_event_lists(ctx.session, event=event, embedder=ctx.embedder, clock=ctx.clock,
                                              ttl_hours=ttl, llm=ctx.llm, checkpoint=ctx.checkpoint,
                                              daily_llm_calls=_daily_llm_calls(ctx),
                                              nightly=ctx.trigger == JobTrigger.SCHEDULE)
        ctx.checkpoint()
        counts["events"] += 1
        counts["people"] += report.people
        counts["recommendations"] += report.recommendations
        counts["embedded_profiles"] += report.embedded_profiles
        counts["llm_ranked"] += report.llm_ranked
        counts["llm_failed"] += report.llm_failed
        counts["llm_skipped"] += report.llm_skipped
        counts["llm_batches"] += report.llm_batch is not None
        counts["session_recommendations"] += program.session_recommendations
        counts["speaker_recommendations"] += program.speaker_recommendations
    # One recommendations.generated entry per run with its counts, never one per person (seed 000 §11.3).
    record_audit(ctx.session, actor_id=None, action=AuditAction.RECOMMENDATIONS_GENERATED, target_type="event",
                 target_id=ctx.event_id or "", details={"trigger": str(ctx.trigger), **counts}, at=ctx.clock.now())
    ctx.session.flush()
    return counts


COLLECT_BATCHES_JOB = "collect-llm-batches"


def collect_llm_batches_job(ctx: JobContext) -> dict:
    """Job body: apply the results of every ended message batch of people re-ranks (failed requests keep their
    algorithmic lists) and mark the batch applied; batches still processing wait for the next run."""
    counts = {"pending": 0, "applied": 0, "upgraded": 0, "failed": 0}
    batches = pending_batches(ctx.session)
    if not batches or not isinstance(ctx.llm, AnthropicLLM):
        counts["pending"] = len(batches)
        return counts
    if ctx.embedder is None:
        raise RuntimeError("collect-llm-batches needs an embedder; run it through the worker or the CLI.")
    ttl = ctx.settings.recommendation_ttl_hours if ctx.settings else 24
    for batch in batches:
        try:
            results = batch_results(ctx.llm, batch.batch_id, event_id=batch.event_id)
        except LLMError as exc:
            note_batch_error(batch, exc, ctx.clock.now())
            ctx.checkpoint()
            counts["pending"] += batch.status == LLMBatchStatus.SUBMITTED
            continue
        if results is None:
            counts["pending"] += 1
            continue
        event = ctx.session.get(Event, batch.event_id)
        people = event_people(ctx.session, batch.event_id)
        if len(people) < 2:  # the event emptied meanwhile: nobody's list to upgrade
            apply_batch(ctx.session, batch, [], None, k=K, expires_at=ctx.clock.now(), now=ctx.clock.now())
            continue
        viewers = sorted({int(meant["person_id"]) for meant in batch.requests.values()})
        ranked = rank_event(ctx.session, event=event, people=people, embedder=ctx.embedder, clock=ctx.clock,
                            ttl_hours=ttl, only_person_ids=viewers)
        ctx.checkpoint()  # any embedding it stored, before the event's lists are locked
        counts["upgraded"] += apply_batch(ctx.session, batch, results, ranked, k=K,
                                          expires_at=batch.submitted_at + timedelta(hours=ttl), now=ctx.clock.now())
        counts["failed"] += batch.failed
        counts["applied"] += 1
        save_calls(ctx.session, ctx.llm)
        ctx.checkpoint()
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
        people = with_signal_exclusions(ctx.session, event_people(ctx.session, event.id))
        vectors = embed_event(ctx.session, ctx.embedder, people, [match_profile(i, p) for i, p in enumerate(people)])
        counts["events"] += 1
        counts["people"] += len(people)
        counts["embedded_profiles"] += vectors.updated_profiles
    return counts


def refresh_for_person(session: Session, *, person_id: int, embedder: Embedder, clock: Clock,
                       ttl_hours: int = 24, llm: LLMClient | None = None,
                       checkpoint: Callable[[], None] | None = None, daily_llm_calls: int | None = None) -> int:
    """Refresh one attendee's lists in every event they are registered for (profile change, check-in): only
    their rows are replaced, under the event's lock, so an event-wide refresh running meanwhile is never hit."""
    events = session.scalars(select(Event).join(Registration, Registration.event_id == Event.id)
                             .where(Registration.person_id == person_id).order_by(Event.id)).all()
    for event in events:
        refresh_event_lists(session, event=event, embedder=embedder, clock=clock, ttl_hours=ttl_hours, llm=llm,
                            checkpoint=checkpoint or (lambda: None), daily_llm_calls=daily_llm_calls,
                            only_person_ids=[person_id])
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
                                ttl_hours=ttl, llm=ctx.llm, checkpoint=ctx.checkpoint,
                                daily_llm_calls=_daily_llm_calls(ctx))
    record_audit(ctx.session, actor_id=None, action=AuditAction.RECOMMENDATIONS_GENERATED, target_type="person",
                 target_id=ctx.person_id, details={"trigger": str(ctx.trigger), "events": events},
                 at=ctx.clock.now(), target_person_id=ctx.person_id)
    ctx.session.flush()
    return {"events": events}
