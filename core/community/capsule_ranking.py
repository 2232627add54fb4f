"""Per-reader capsule rankings (seed 003 §5): five components, vectorised over all capsules and readers, stored with
their breakdown, cached for an hour per reader, recomputed by the worker job."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import numpy as np
from scipy import sparse
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from core.ai.embeddings import Embedder, embed_texts
from core.ai.llm import LLMClient, LLMError
from core.community.capsule_prompts import SYSTEM, CapsuleRatings, relevance_prompt
from core.knowledge.skill_names import skill_key
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.queue import request_job
from db.models import (
    Account,
    Alumnus,
    CapsuleRanking,
    CapsuleRankingRun,
    CapsuleReaction,
    CapsuleRelevance,
    EngagementScore,
    KnowledgeCapsule,
    Person,
)

CAPSULE_RANKINGS_JOB = "capsule-rankings"
WEIGHTS = {"skill_match": 0.30, "engagement": 0.25, "credibility": 0.20, "recency": 0.15, "relevance": 0.10}
ENGAGEMENT_WEIGHTS = {"views": 0.4, "likes": 0.35, "bookmarks": 0.25}
CREDIBILITY_WEIGHTS = {"author_engagement": 0.5, "author_capsules": 0.3, "verified": 0.2}
RECENCY_DECAY = 0.01  # per day: a capsule is worth half as much recency after ~69 days
TOP_N = 50  # capsules stored per reader
RANKING_TTL = timedelta(hours=1)
LLM_CALLS_PER_RUN = 20  # readers whose top candidates the LLM rates in one run; the rest keep embeddings
LLM_CANDIDATES = 10  # of each such reader's best capsules before relevance
READER_BLOCK = 1_000  # readers scored at once: a block's dense matrices stay ~20 MB per 5,000 capsules
CAPSULE_TEXT_CHARS = 500


class RelevanceSource(StrEnum):
    """Where a capsule's relevance to a reader came from."""

    LLM = "llm"
    EMBEDDING = "embedding"
    NONE = "none"


# --- pure components ------------------------------------------------------------------------------------------------

def min_max(values: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min); with no spread, 1 for positive values and 0 otherwise."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return values
    low, high = values.min(), values.max()
    if high > low:
        return (values - low) / (high - low)
    return (values > 0).astype(np.float64)


def engagement_component(views, likes, bookmarks) -> np.ndarray:
    """0.4 views + 0.35 likes + 0.25 bookmarks, each min-max normalised over all capsules."""
    return (ENGAGEMENT_WEIGHTS["views"] * min_max(views) + ENGAGEMENT_WEIGHTS["likes"] * min_max(likes)
            + ENGAGEMENT_WEIGHTS["bookmarks"] * min_max(bookmarks))


def credibility_component(author_engagement: np.ndarray, all_engagement: np.ndarray, author_capsules: np.ndarray,
                          verified: np.ndarray) -> np.ndarray:
    """0.5 the author's engagement score (min-max over everyone's; 0 without one) + 0.3 the author's capsule count
    (min-max over the capsules' authors) + 0.2 a verified alumni record."""
    scored = ~np.isnan(author_engagement)
    engagement = np.zeros(len(author_engagement))
    if scored.any() and len(all_engagement):
        low, high = float(np.min(all_engagement)), float(np.max(all_engagement))
        values = author_engagement[scored]
        engagement[scored] = (values - low) / (high - low) if high > low else (values > 0).astype(np.float64)
    return (CREDIBILITY_WEIGHTS["author_engagement"] * engagement
            + CREDIBILITY_WEIGHTS["author_capsules"] * min_max(author_capsules)
            + CREDIBILITY_WEIGHTS["verified"] * np.asarray(verified, dtype=np.float64))


def recency_component(age_days: np.ndarray) -> np.ndarray:
    """e^(-0.01 × age in days); a capsule dated in the future counts as new."""
    return np.exp(-RECENCY_DECAY * np.maximum(np.asarray(age_days, dtype=np.float64), 0.0))


def key_matrix(key_lists: list[list[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """A 0/1 rows × vocabulary matrix of each row's keys (keys outside the vocabulary are left out)."""
    indptr, indices = [0], []
    for keys in key_lists:
        indices.extend(sorted({vocabulary[k] for k in keys if k in vocabulary}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(key_lists), len(vocabulary)))


def jaccard(readers: sparse.csr_matrix, capsules: sparse.csr_matrix) -> np.ndarray:
    """|R ∩ C| / |R ∪ C| for every reader row and capsule row (0 when both are empty)."""
    inter = (readers @ capsules.T).toarray().astype(np.float32)
    union = np.asarray(readers.sum(axis=1), dtype=np.float32) + np.asarray(capsules.sum(axis=1),
                                                                           dtype=np.float32).T - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def weighted_total(skill_match, engagement, credibility, recency, relevance) -> np.ndarray:
    """The ranking score: 0.30 skill match + 0.25 engagement + 0.20 credibility + 0.15 recency + 0.10 relevance."""
    return (WEIGHTS["skill_match"] * skill_match + WEIGHTS["engagement"] * engagement
            + WEIGHTS["credibility"] * credibility + WEIGHTS["recency"] * recency + WEIGHTS["relevance"] * relevance)


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Per row, the column indices of the k best scores, best first (ties by lower index)."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < scores.shape[1] else \
        np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    picked = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -picked), axis=1)
    return np.take_along_axis(part, order, axis=1)


# --- loading --------------------------------------------------------------------------------------------------------

class _Keys:
    """skill_key with a memo: the same tag is normalised once per run."""

    def __init__(self):
        self.memo: dict[str, str] = {}

    def __call__(self, phrases) -> list[str]:
        keys = []
        for phrase in phrases or ():
            key = self.memo.get(phrase)
            if key is None:
                key = self.memo[phrase] = skill_key(phrase)
            if key:
                keys.append(key)
        return list(dict.fromkeys(keys))


@dataclass
class CapsuleTable:
    """Every capsule's id, tag keys, text for embedding and its reader-independent components."""

    ids: np.ndarray
    tag_keys: list[list[str]]
    texts: list[str]
    engagement: np.ndarray
    credibility: np.ndarray
    recency: np.ndarray
    verified: np.ndarray


@dataclass
class ReaderTable:
    """The readers' ids, skill keys, profile texts and the texts' hashes, in one order."""

    ids: list[int]
    skill_keys: list[list[str]]
    profiles: list[str]
    profile_hashes: list[str] = field(default_factory=list)


def capsule_text(title: str, tags: list[str], content: str) -> str:
    """What a capsule's embedding is made from: title, tags and its opening."""
    return f"{title}. Tags: {', '.join(tags or [])}. {(content or '')[:CAPSULE_TEXT_CHARS]}"


CAPSULES_VERSION_SQL = (
    "SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(md5(string_agg(md5(concat_ws('|', id, title, "
    "content, array_to_string(tags, ';'), category, duration_minutes, author_email, author_person_id, created_at)), "
    "'' ORDER BY id)), '') FROM knowledge_capsules")


def capsules_version(session: Session) -> str:
    """A digest of the capsules' count, highest id, and a hash of each one's text, tags, duration and author, made
    in one Postgres query: it changes when a capsule is added, edited or removed, not when it is viewed or liked
    (the hourly expiry of a ranking takes in changed counters)."""
    return hashlib.sha256(session.scalar(text(CAPSULES_VERSION_SQL)).encode()).hexdigest()


def load_capsules(session: Session, now: datetime, keys: _Keys | None = None) -> CapsuleTable:
    """All capsules with their engagement, credibility and recency components."""
    keys = keys or _Keys()
    by_email = aliased(Person)
    author_person = func.coalesce(KnowledgeCapsule.author_person_id, select(by_email.id).where(
        func.lower(by_email.email) == KnowledgeCapsule.author_email).scalar_subquery())
    author_email = func.coalesce(func.lower(Person.email), KnowledgeCapsule.author_email)
    rows = session.execute(
        select(KnowledgeCapsule.id, KnowledgeCapsule.title, KnowledgeCapsule.tags,
               func.left(KnowledgeCapsule.content, CAPSULE_TEXT_CHARS), KnowledgeCapsule.created_at,
               KnowledgeCapsule.views_count, KnowledgeCapsule.likes_count, KnowledgeCapsule.bookmarks_count,
               author_person, author_email, func.lower(KnowledgeCapsule.author_name),
               EngagementScore.total, Alumnus.verified_at.is_not(None))
        .outerjoin(Person, Person.id == KnowledgeCapsule.author_person_id)
        .outerjoin(EngagementScore, EngagementScore.person_id == author_person)
        .outerjoin(Alumnus, func.lower(Alumnus.email) == author_email)
        .order_by(KnowledgeCapsule.id)).all()
    all_engagement = np.array(session.scalars(select(EngagementScore.total)).all(), dtype=np.float64)
    authors = [("p", r[8]) if r[8] is not None else ("e", r[9]) if r[9] else ("n", r[10]) for r in rows]
    per_author = Counter(authors)
    ages = np.array([(now - r[4]).total_seconds() / 86_400 for r in rows])
    verified = np.array([bool(r[12]) for r in rows], dtype=np.float64)
    return CapsuleTable(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        tag_keys=[keys(r[2]) for r in rows],
        texts=[capsule_text(r[1], r[2], r[3]) for r in rows],
        engagement=engagement_component(np.array([r[5] for r in rows]), np.array([r[6] for r in rows]),
                                        np.array([r[7] for r in rows])),
        credibility=credibility_component(np.array([np.nan if r[11] is None else r[11] for r in rows]),
                                          all_engagement, np.array([per_author[a] for a in authors]), verified),
        recency=recency_component(ages), verified=verified)


READER_COLUMNS = (Person.id, Person.email, Person.role, Person.company, Person.skills_offered, Person.skills_needed,
                  Person.interests, Person.goals, Person.bio)


def profile_text(person, alumni_skills: list[str]) -> str:
    """The reader as text for embeddings and the LLM: role, skills, wishes, interests, goals and bio."""
    headline = " at ".join(p for p in (person.role, person.company) if p)
    parts = [headline,
             "Skills: " + ", ".join(dict.fromkeys([*(person.skills_offered or []), *alumni_skills])),
             "Wants to learn: " + ", ".join(person.skills_needed or []),
             "Interests: " + ", ".join(person.interests or []), "Goals: " + ", ".join(person.goals or []),
             person.bio or ""]
    return ". ".join(p for p in parts if p and not p.endswith(": "))


def reader_skill_phrases(person, alumni_skills: list[str]) -> list[str]:
    """The skills a reader's match is measured on: those they offer and their alumni record's (the skills they want
    to learn reach the ranking through the relevance component's profile text)."""
    return [*(person.skills_offered or []), *alumni_skills]


def load_readers(session: Session, person_ids: list[int], keys: _Keys | None = None) -> ReaderTable:
    """The readers' skill keys and profile texts, in the order given."""
    keys = keys or _Keys()
    people = {p.id: p for start in range(0, len(person_ids), 5000)
              for p in session.execute(select(*READER_COLUMNS).where(Person.id.in_(person_ids[start:start + 5000])))}
    emails = [p.email.lower() for p in people.values()]
    alumni_skills: dict[str, list[str]] = {}
    for start in range(0, len(emails), 5000):
        alumni_skills.update(session.execute(select(func.lower(Alumnus.email), Alumnus.skills).where(
            func.lower(Alumnus.email).in_(emails[start:start + 5000]))).all())
    ids = [i for i in person_ids if i in people]
    skills = [alumni_skills.get(people[i].email.lower()) or [] for i in ids]
    profiles = [profile_text(people[i], s) for i, s in zip(ids, skills, strict=True)]
    return ReaderTable(ids=ids, skill_keys=[keys(reader_skill_phrases(people[i], s)) for i, s in
                                            zip(ids, skills, strict=True)],
                       profiles=profiles, profile_hashes=[hashlib.sha256(p.encode()).hexdigest() for p in profiles])


def reader_skill_keys(session: Session, person_id: int) -> list[str]:
    """One reader's skill keys, as their ranking measures the skill match and learning paths take as known (a skill
    they want to learn is still missing)."""
    readers = load_readers(session, [person_id])
    return readers.skill_keys[0] if readers.ids else []


# --- ranking --------------------------------------------------------------------------------------------------------

def _vectors(session: Session, embedder: Embedder, texts: list[str], dim: int | None = None) -> np.ndarray:
    """The texts' vectors in order; an empty text (a reader with an empty profile) gets zeros of `dim`."""
    found = embed_texts(session, embedder, texts)
    dim = next(iter(found.values())).shape[0] if found else dim or 1
    return np.stack([found.get(t, np.zeros(dim, dtype=np.float32)) for t in texts]).astype(np.float32) \
        if texts else np.zeros((0, dim), dtype=np.float32)


def _cached_llm(session: Session, readers: ReaderTable) -> dict[int, dict[int, float]]:
    """The LLM ratings stored for the readers' current profiles: person -> capsule -> relevance."""
    hash_of = dict(zip(readers.ids, readers.profile_hashes, strict=True))
    cached: dict[int, dict[int, float]] = {}
    for start in range(0, len(readers.ids), 5000):
        for person_id, capsule_id, profile_hash, relevance in session.execute(
                select(CapsuleRelevance.person_id, CapsuleRelevance.capsule_id, CapsuleRelevance.profile_hash,
                       CapsuleRelevance.relevance).where(
                    CapsuleRelevance.person_id.in_(readers.ids[start:start + 5000]),
                    CapsuleRelevance.source == RelevanceSource.LLM)):
            if hash_of.get(person_id) == profile_hash:
                cached.setdefault(person_id, {})[capsule_id] = relevance
    return cached


def _ask_llm(session: Session, llm: LLMClient, *, person_id: int, profile: str, profile_hash: str,
             capsules: list[tuple[int, str]], now: datetime) -> dict[int, float]:
    """One call rating a reader's candidates; the ratings are stored for the profile they were made for."""
    reply = llm.complete_json(system=SYSTEM, prompt=relevance_prompt(profile, capsules), schema=CapsuleRatings,
                              max_tokens=800, temperature=0.0, feature="capsule-relevance")
    asked = {capsule_id for capsule_id, _ in capsules}
    ratings = {r.capsule_id: float(r.relevance) for r in reply.ratings if r.capsule_id in asked}
    if ratings:
        statement = insert(CapsuleRelevance).values([
            {"person_id": person_id, "capsule_id": c, "profile_hash": profile_hash, "relevance": v,
             "source": RelevanceSource.LLM, "computed_at": now} for c, v in ratings.items()])
        session.execute(statement.on_conflict_do_update(
            index_elements=["person_id", "capsule_id"],
            set_={k: statement.excluded[k] for k in ("profile_hash", "relevance", "source", "computed_at")}))
    return ratings


@dataclass
class RankingRun:
    """What one ranking pass did."""

    readers: int = 0
    capsules: int = 0
    rows: int = 0
    llm_calls: int = 0
    llm_errors: int = 0
    relevance: str = RelevanceSource.NONE

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def rank_readers(session: Session, *, person_ids: list[int], clock: Clock, embedder: Embedder | None = None,
                 llm: LLMClient | None = None, llm_calls: int = LLM_CALLS_PER_RUN) -> RankingRun:
    """Rank every capsule for each reader, store their top TOP_N with the breakdown, and mark them fresh."""
    now = clock.now()
    keys = _Keys()
    version = capsules_version(session)
    capsules = load_capsules(session, now, keys)
    readers = load_readers(session, person_ids, keys)
    run = RankingRun(readers=len(readers.ids), capsules=len(capsules.ids))
    if not readers.ids:
        return run
    vocabulary = {k: i for i, k in enumerate(dict.fromkeys(k for tags in capsules.tag_keys for k in tags))}
    capsule_keys = key_matrix(capsules.tag_keys, vocabulary)
    reader_keys = key_matrix(readers.skill_keys, vocabulary)
    capsule_vectors = reader_vectors = None
    if embedder is not None and len(capsules.ids):
        capsule_vectors = _vectors(session, embedder, capsules.texts)
        reader_vectors = _vectors(session, embedder, readers.profiles, dim=capsule_vectors.shape[1])
        run.relevance = RelevanceSource.EMBEDDING
    cached = _cached_llm(session, readers) if len(capsules.ids) else {}
    column_of = {int(c): j for j, c in enumerate(capsules.ids)}
    fixed = weighted_total(0.0, capsules.engagement, capsules.credibility, capsules.recency, 0.0)
    calls_left = llm_calls if llm is not None else 0
    _clear(session, readers.ids)
    rows = []
    for start in range(0, len(readers.ids), READER_BLOCK):
        block = slice(start, start + READER_BLOCK)
        block_ids = readers.ids[block]
        skill = jaccard(reader_keys[block], capsule_keys)
        relevance = np.zeros_like(skill)
        if capsule_vectors is not None:
            relevance = np.clip(reader_vectors[block] @ capsule_vectors.T, 0.0, 1.0)
        source = np.full(skill.shape, 0, dtype=np.int8)  # 0 embedding or none, 1 llm
        for row, person_id in enumerate(block_ids):
            for capsule_id, value in cached.get(person_id, {}).items():
                if capsule_id in column_of:
                    relevance[row, column_of[capsule_id]] = value
                    source[row, column_of[capsule_id]] = 1
        total = WEIGHTS["skill_match"] * skill + fixed[None, :] + WEIGHTS["relevance"] * relevance
        for row, person_id in enumerate(block_ids):
            if calls_left <= 0:
                break
            candidates = top_indices(total[row:row + 1], LLM_CANDIDATES)[0]
            unrated = [j for j in candidates if not source[row, j]]
            if not unrated:
                continue
            calls_left -= 1
            run.llm_calls += 1
            try:
                ratings = _ask_llm(session, llm, person_id=person_id, profile=readers.profiles[start + row],
                                   profile_hash=readers.profile_hashes[start + row],
                                   capsules=[(int(capsules.ids[j]), capsules.texts[j]) for j in unrated], now=now)
            except LLMError:
                run.llm_errors += 1  # this reader keeps the embedding relevance
                continue
            for capsule_id, value in ratings.items():
                j = column_of[capsule_id]
                relevance[row, j], source[row, j] = value, 1
            total[row] = WEIGHTS["skill_match"] * skill[row] + fixed + WEIGHTS["relevance"] * relevance[row]
        best = top_indices(total, TOP_N)
        for row, person_id in enumerate(block_ids):
            for rank, j in enumerate(best[row], start=1):
                rows.append((person_id, int(capsules.ids[j]), rank, float(total[row, j]), json.dumps({
                    "skill_match": round(float(skill[row, j]), 4),
                    "engagement": round(float(capsules.engagement[j]), 4),
                    "credibility": round(float(capsules.credibility[j]), 4),
                    "recency": round(float(capsules.recency[j]), 4),
                    "relevance": round(float(relevance[row, j]), 4),
                    "relevance_source": RelevanceSource.LLM if source[row, j] else run.relevance,
                    "author_verified": bool(capsules.verified[j])}), now))
    _copy_rankings(session, rows)
    run.rows = len(rows)
    _mark_runs(session, readers.ids, now, version)
    session.flush()
    return run


def _clear(session: Session, person_ids: list[int]) -> None:
    session.execute(text("DELETE FROM capsule_rankings WHERE person_id = ANY(:ids)"), {"ids": person_ids})


def _copy_rankings(session: Session, rows: list[tuple]) -> None:
    """COPY the rows straight into capsule_rankings: the fastest way in for ~50 rows per reader."""
    if not rows:
        return
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy("COPY capsule_rankings (person_id, capsule_id, rank, score, breakdown, computed_at) "
                     "FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _mark_runs(session: Session, person_ids: list[int], now: datetime, version: str) -> None:
    for start in range(0, len(person_ids), 5000):
        statement = insert(CapsuleRankingRun).values([
            {"person_id": p, "computed_at": now, "capsules_version": version} for p in person_ids[start:start + 5000]])
        session.execute(statement.on_conflict_do_update(
            index_elements=["person_id"], set_={"computed_at": statement.excluded.computed_at,
                                                "capsules_version": statement.excluded.capsules_version}))


def stale_readers(session: Session, *, now: datetime, version: str, person_ids: list[int] | None = None) -> list[int]:
    """Readers (people with an enabled account, or those given) without a ranking computed within the hour over the
    current capsules."""
    readers = select(Account.person_id.label("person_id")).where(Account.person_id.is_not(None),
                                                                 Account.disabled.is_(False))
    if person_ids is not None:
        readers = select(Person.id.label("person_id")).where(Person.id.in_(person_ids))
    readers = readers.subquery()
    return list(session.scalars(
        select(readers.c.person_id).distinct()
        .outerjoin(CapsuleRankingRun, CapsuleRankingRun.person_id == readers.c.person_id)
        .where((CapsuleRankingRun.person_id.is_(None)) | (CapsuleRankingRun.computed_at <= now - RANKING_TTL)
               | (CapsuleRankingRun.capsules_version != version))
        .order_by(readers.c.person_id)))


def capsule_rankings_job(ctx: JobContext) -> dict:
    """Job body: rank capsules for ctx.person_id, or for every reader whose ranking is older than an hour or was
    made before the capsules changed."""
    version = capsules_version(ctx.session)
    readers = stale_readers(ctx.session, now=ctx.clock.now(), version=version,
                            person_ids=[ctx.person_id] if ctx.person_id is not None else None)
    if not readers:
        return {"readers": 0, "skipped": "every ranking is fresh"}
    return rank_readers(ctx.session, person_ids=readers, clock=ctx.clock, embedder=ctx.embedder,
                        llm=ctx.llm).as_dict()


def request_ranking(session: Session, *, person_id: int, clock: Clock) -> bool:
    """Queue this reader's ranking for the worker (once while one is waiting)."""
    return request_job(session, job_id=CAPSULE_RANKINGS_JOB, event_id=None, person_id=person_id,
                       reason="a reader opened Capsules without a fresh ranking", clock=clock)


def ranking_status(session: Session, *, person_id: int, now: datetime) -> tuple[str, datetime | None]:
    """("fresh" | "stale" | "missing", when it was computed) for a reader's stored ranking."""
    run = session.get(CapsuleRankingRun, person_id)
    if run is None:
        return "missing", None
    fresh = run.computed_at > now - RANKING_TTL and run.capsules_version == capsules_version(session)
    return ("fresh" if fresh else "stale"), run.computed_at


def stored_ranking(session: Session, *, person_id: int, limit: int = TOP_N) -> list[CapsuleRanking]:
    """A reader's stored ranking, best first."""
    return list(session.scalars(select(CapsuleRanking).where(CapsuleRanking.person_id == person_id)
                                .order_by(CapsuleRanking.rank).limit(limit)))


# --- the reader's view ----------------------------------------------------------------------------------------------

POPULAR = 0.4  # engagement at or above (the most viewed capsule reaches it on views alone): "popular"
RECENT = 0.9  # recency at or above (about ten days old or newer): "recent"
RELEVANT = 0.5  # relevance at or above: "close to your profile"
MATCHES_SHOWN = 4


@dataclass(frozen=True)
class RankedCapsule:
    """A capsule in a reader's ranking, with the reasons in words and the reader's own reactions."""

    capsule_id: int
    rank: int
    score: float
    title: str
    content: str
    tags: list[str]
    category: str | None
    author_name: str
    duration_minutes: int
    created_at: datetime
    views: int
    likes: int
    bookmarks: int
    breakdown: dict
    reasons: list[str]
    liked: bool
    bookmarked: bool
    own: bool = False  # the reader wrote it: their views and reactions do not count


def reasons(breakdown: dict, tags: list[str], reader_keys: set[str]) -> list[str]:
    """Why a capsule is in a reader's ranking, from its stored breakdown, in words."""
    said = []
    matched = [t for t in tags if skill_key(t) in reader_keys][:MATCHES_SHOWN]
    if matched:
        said.append("matches your skills " + ", ".join(matched))
    if breakdown.get("engagement", 0) >= POPULAR:
        said.append("popular")
    if breakdown.get("recency", 0) >= RECENT:
        said.append("recent")
    if breakdown.get("author_verified"):
        said.append("by a verified alumnus")
    if breakdown.get("relevance", 0) >= RELEVANT:
        said.append("close to your profile")
    return said or ["from the community"]


def reactions_of(session: Session, *, person_id: int, capsule_ids: list[int]) -> set[tuple[int, str]]:
    """The (capsule id, kind) reactions a reader has among some capsules."""
    if not capsule_ids:
        return set()
    return set(session.execute(select(CapsuleReaction.capsule_id, CapsuleReaction.kind).where(
        CapsuleReaction.person_id == person_id, CapsuleReaction.capsule_id.in_(capsule_ids))).all())


def reader_capsules(session: Session, *, person_id: int, limit: int = TOP_N) -> list[RankedCapsule]:
    """A reader's stored ranking joined with the capsules, best first."""
    rows = session.execute(select(CapsuleRanking, KnowledgeCapsule).join(
        KnowledgeCapsule, KnowledgeCapsule.id == CapsuleRanking.capsule_id).where(
        CapsuleRanking.person_id == person_id).order_by(CapsuleRanking.rank).limit(limit)).all()
    if not rows:
        return []
    keys = set(reader_skill_keys(session, person_id))
    mine = reactions_of(session, person_id=person_id, capsule_ids=[c.id for _, c in rows])
    email = (session.scalar(select(Person.email).where(Person.id == person_id)) or "").lower()
    return [RankedCapsule(
        capsule_id=c.id, rank=r.rank, score=r.score, title=c.title, content=c.content, tags=list(c.tags or []),
        category=c.category, author_name=c.author_name, duration_minutes=c.duration_minutes, created_at=c.created_at,
        views=c.views_count, likes=c.likes_count, bookmarks=c.bookmarks_count, breakdown=dict(r.breakdown),
        reasons=reasons(r.breakdown, list(c.tags or []), keys), liked=(c.id, "like") in mine,
        bookmarked=(c.id, "bookmark") in mine,
        own=c.author_person_id == person_id or bool(email and c.author_email == email)) for r, c in rows]
