"""Knowledge capsules (seed 003 §5): the upload kind, writing one as an attendee, views (one per reader and day) and
race-safe like and bookmark toggles."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import Float, delete, func, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.embeddings import Embedder, embed_texts, text_hash, vector_from_binary
from core.community.capsule_ranking import CAPSULE_TEXT_CHARS, capsule_text
from core.ingest.fields import FieldError, column_limits, is_email, shown, split_list
from core.ingest.pipeline import DatasetKind
from core.ingest.tabular import parse_datetime
from core.knowledge.skill_names import skill_key, skill_keys
from core.platform.clock import Clock
from db.models import (
    CapsuleReaction,
    CapsuleSource,
    CapsuleView,
    CareerRole,
    CareerRoleSkill,
    KnowledgeCapsule,
    Person,
    ReactionKind,
    TextEmbedding,
)

REQUIRED_COLUMNS = ["title", "content", "author_name"]
OPTIONAL_COLUMNS = ["tags", "category", "author_email", "duration_minutes", "created_at"]
COLUMN_SYNONYMS = {
    "name": "title", "headline": "title", "capsule": "title",
    "body": "content", "text": "content", "summary": "content",
    "author": "author_name", "written_by": "author_name",
    "email": "author_email", "author_mail": "author_email",
    "skills": "tags", "keywords": "tags", "topics": "tags",
    "topic": "category", "type": "category",
    "duration": "duration_minutes", "minutes": "duration_minutes", "reading_time": "duration_minutes",
    "created": "created_at", "published_at": "created_at", "date": "created_at",
}
MAX_CONTENT = 10_000  # characters: a capsule is a short read
MAX_TAGS = 12
MAX_TAG_LENGTH = 60
MAX_DURATION = 240  # minutes
WORDS_PER_MINUTE = 200  # for a duration the row does not give
CELL_LIMITS = {**column_limits(KnowledgeCapsule, ["title", "category", "author_name", "author_email"]),
               "content": MAX_CONTENT, "tags": 1_000, "duration_minutes": 20, "created_at": 64}
STORED = ("natural_key", "title", "content", "tags", "category", "author_person_id", "author_name", "author_email",
          "duration_minutes", "source", "created_at")


class CapsuleError(ValueError):
    """A capsule a reader wrote cannot be stored; the message says why, for the form."""


def natural_key(title: str, author: str) -> str:
    """The same title by the same author is the same capsule, however spaced or cased."""
    normal = " ".join(title.lower().split()) + "|" + " ".join(author.lower().split())
    return hashlib.sha256(normal.encode()).hexdigest()


def estimated_minutes(content: str) -> int:
    """Reading time at WORDS_PER_MINUTE, at least a minute."""
    return max(1, min(MAX_DURATION, round(len(content.split()) / WORDS_PER_MINUTE)))


def clean_tags(values: list[str]) -> list[str]:
    """Tags as given (order kept, repeats dropped), each at most MAX_TAG_LENGTH characters."""
    return [t[:MAX_TAG_LENGTH] for t in split_list(";".join(values).replace(",", ";"))][:MAX_TAGS]


def _duration(cell: str, content: str) -> tuple[int | None, FieldError | None]:
    if not cell.strip():
        return estimated_minutes(content), None
    try:
        minutes = round(float(cell))
    except ValueError:
        minutes = 0
    if not 1 <= minutes <= MAX_DURATION:
        return None, FieldError("duration_minutes", f"'{shown(cell)}' is not a number of minutes from 1 to "
                                                    f"{MAX_DURATION}")
    return minutes, None


def validate_capsule(values: dict[str, str]) -> tuple[dict | None, list]:
    """One capsule row -> a clean record, or what is wrong with it."""
    errors: list[FieldError] = []
    title = " ".join(values.get("title", "").split())
    content = values.get("content", "").strip()
    author = " ".join(values.get("author_name", "").split())
    email = values.get("author_email", "").strip().lower()
    for column, value in (("title", title), ("content", content), ("author_name", author)):
        if not value:
            errors.append(FieldError(column, "is empty"))
    if email and not is_email(email):
        errors.append(FieldError("author_email", f"'{shown(email)}' is not an email address"))
    minutes, problem = _duration(values.get("duration_minutes", ""), content)
    if problem:
        errors.append(problem)
    created = None
    if values.get("created_at", "").strip():
        created = parse_datetime(values["created_at"])
        if created is None:
            errors.append(FieldError("created_at", f"'{shown(values['created_at'])}' is not a date, e.g. 2026-03-01"))
    if errors:
        return None, errors
    return {"title": title[:200], "content": content, "tags": clean_tags([values.get("tags", "")]),
            "category": " ".join(values.get("category", "").split())[:80] or None, "author_name": author[:200],
            "author_email": email or None, "duration_minutes": minutes,
            "created_at": created.astimezone(UTC) if created else None}, []


def _upsert(session: Session, rows: list[dict]) -> tuple[int, int]:
    """Insert capsules, or update the one with the same natural key where anything changed; (inserted, updated).
    Counters and the first publication time are kept; `xmax = 0` tells an inserted row from an updated one."""
    inserted = updated = 0
    for start in range(0, len(rows), 1000):
        statement = insert(KnowledgeCapsule).values(rows[start:start + 1000])
        changing = ("title", "content", "tags", "category", "author_person_id", "author_name", "author_email",
                    "duration_minutes")
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["natural_key"],
            set_={c: excluded[c] for c in changing},
            where=func.row(*(getattr(KnowledgeCapsule, c) for c in changing)).is_distinct_from(
                func.row(*(excluded[c] for c in changing))))
        for (fresh,) in session.execute(statement.returning(literal_column("(xmax = 0)"))):
            inserted += fresh
            updated += not fresh
    session.flush()
    return inserted, updated


def store_capsules(session: Session, event_id: int | None, rows: list[dict], now: datetime) -> dict[str, int]:
    """Upsert uploaded capsules by title and author; authors are linked to people by email."""
    emails = {r["author_email"] for r in rows if r["author_email"]}
    people = dict(session.execute(select(Person.email, Person.id).where(func.lower(Person.email).in_(emails)))
                  .all()) if emails else {}
    people = {e.lower(): i for e, i in people.items()}
    records = [{"natural_key": natural_key(r["title"], r["author_email"] or r["author_name"]),
                "title": r["title"], "content": r["content"], "tags": r["tags"], "category": r["category"],
                "author_person_id": people.get(r["author_email"] or ""), "author_name": r["author_name"],
                "author_email": r["author_email"], "duration_minutes": r["duration_minutes"],
                "source": CapsuleSource.UPLOAD.value, "created_at": r["created_at"] or now} for r in rows]
    # The last row wins when a file repeats a capsule (one statement may not touch a row twice).
    records = list({r["natural_key"]: r for r in records}.values())
    inserted, updated = _upsert(session, records)
    return {"inserted": inserted, "updated": updated, "unchanged": len(rows) - inserted - updated}


CAPSULE_UPLOAD = DatasetKind(
    name="capsules",
    label="Knowledge capsules",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    synonyms=COLUMN_SYNONYMS,
    validate=validate_capsule,
    key=lambda row: natural_key(row["title"], row["author_email"] or row["author_name"]),
    store=store_capsules,
    needs_event=False,
    follow_up_jobs=("capsule-rankings",),
    limits=CELL_LIMITS,
    hint="tags may be separated by ';' or ','; duration_minutes (1 to 240) is estimated from the length of the "
         "content when absent; created_at defaults to the upload time. A capsule with the same title and author "
         "(email, else name) as one already stored replaces it.",
)


@dataclass(frozen=True)
class CapsuleDraft:
    """What a reader typed into the "Write a capsule" form."""

    title: str
    content: str
    tags: list[str]
    category: str
    duration_minutes: int


MIN_CONTENT = 40  # characters: less is not knowledge worth a capsule
MAX_TITLE = 200


def draft_problems(draft: CapsuleDraft) -> list[str]:
    """Everything wrong with a draft, in words for the form (empty when it can be published)."""
    problems = []
    title = " ".join(draft.title.split())
    if not title:
        problems.append("Give the capsule a title.")
    elif len(title) > MAX_TITLE:
        problems.append(f"The title is {len(title)} characters long; at most {MAX_TITLE} fit.")
    content = draft.content.strip()
    if len(content) < MIN_CONTENT:
        problems.append(f"Write at least {MIN_CONTENT} characters of content (now {len(content)}).")
    elif len(content) > MAX_CONTENT:
        problems.append(f"The content is {len(content):,} characters long; at most {MAX_CONTENT:,} fit.")
    if not clean_tags(draft.tags):
        problems.append("Add at least one tag, e.g. a skill the capsule teaches.")
    elif len(split_list(";".join(draft.tags).replace(",", ";"))) > MAX_TAGS:
        problems.append(f"Use at most {MAX_TAGS} tags.")
    if len(draft.category) > 80:
        problems.append("The category is longer than 80 characters.")
    if not 1 <= draft.duration_minutes <= MAX_DURATION:
        problems.append(f"The time to read it must be from 1 to {MAX_DURATION} minutes.")
    return problems


def write_capsule(session: Session, *, person_id: int, draft: CapsuleDraft, clock: Clock) -> int:
    """Publish a capsule a reader wrote, as theirs; CapsuleError when the draft has problems or repeats a title
    of theirs."""
    problems = draft_problems(draft)
    if problems:
        raise CapsuleError(" ".join(problems))
    person = session.get(Person, person_id)
    if person is None:
        raise CapsuleError("Only a person with a profile can write capsules.")
    title = " ".join(draft.title.split())
    key = natural_key(title, person.email)
    if session.scalar(select(KnowledgeCapsule.id).where(KnowledgeCapsule.natural_key == key)):
        raise CapsuleError("You already published a capsule with this title; choose another title.")
    capsule = KnowledgeCapsule(
        natural_key=key, title=title, content=draft.content.strip(), tags=clean_tags(draft.tags),
        category=" ".join(draft.category.split()) or None, author_person_id=person_id,
        author_name=f"{person.first_name} {person.last_name}".strip()[:200], author_email=person.email.lower(),
        duration_minutes=draft.duration_minutes, source=CapsuleSource.WRITTEN.value, created_at=clock.now(),
        views_count=0, likes_count=0, bookmarks_count=0)
    session.add(capsule)
    session.flush()
    return capsule.id


def is_author(session: Session, *, capsule_id: int, person_id: int) -> bool:
    """Whether the person wrote the capsule (linked to them, or under their email)."""
    email = select(func.lower(Person.email)).where(Person.id == person_id).scalar_subquery()
    return session.scalar(select(KnowledgeCapsule.id).where(
        KnowledgeCapsule.id == capsule_id,
        or_(KnowledgeCapsule.author_person_id == person_id, KnowledgeCapsule.author_email == email))) is not None


def record_view(session: Session, *, capsule_id: int, person_id: int, clock: Clock) -> bool:
    """Count a reader's opening of a capsule, once per reader and UTC day; True when this view counted (an author's
    own views never count)."""
    if is_author(session, capsule_id=capsule_id, person_id=person_id):
        return False
    now = clock.now().astimezone(UTC)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    counted = session.scalar(insert(CapsuleView).values(capsule_id=capsule_id, person_id=person_id, day=day,
                                                        viewed_at=now)
                             .on_conflict_do_nothing(constraint="uq_capsule_view_per_day")
                             .returning(CapsuleView.id))
    if counted is not None:
        session.execute(update(KnowledgeCapsule).where(KnowledgeCapsule.id == capsule_id)
                        .values(views_count=KnowledgeCapsule.views_count + 1))
    session.flush()
    return counted is not None


COUNTERS = {ReactionKind.LIKE: KnowledgeCapsule.likes_count, ReactionKind.BOOKMARK: KnowledgeCapsule.bookmarks_count}


def _count(session: Session, capsule_id: int, kind: ReactionKind, step: int) -> None:
    counter = COUNTERS[kind]
    session.execute(update(KnowledgeCapsule).where(KnowledgeCapsule.id == capsule_id)
                    .values({counter.key: counter + step}))


def toggle_reaction(session: Session, *, capsule_id: int, person_id: int, kind: ReactionKind, clock: Clock) -> bool:
    """Like (or bookmark) a capsule, or take it back if already done; True when the reaction is now on.

    The insert waits on a concurrent insert of the same reaction (its primary key), so two toggles at once end
    as one on and one off, and the counter moves only with a row that was really added or removed. An author
    cannot react to their own capsule: nothing is stored and the answer is False."""
    if is_author(session, capsule_id=capsule_id, person_id=person_id):
        return False
    added = session.scalar(insert(CapsuleReaction).values(capsule_id=capsule_id, person_id=person_id,
                                                          kind=kind.value, created_at=clock.now())
                           .on_conflict_do_nothing().returning(CapsuleReaction.capsule_id))
    if added is not None:
        _count(session, capsule_id, kind, 1)
        session.flush()
        return True
    removed = session.scalar(delete(CapsuleReaction).where(
        CapsuleReaction.capsule_id == capsule_id, CapsuleReaction.person_id == person_id,
        CapsuleReaction.kind == kind.value).returning(CapsuleReaction.capsule_id))
    if removed is not None:
        _count(session, capsule_id, kind, -1)
    session.flush()
    return False


def capsule_count(session: Session) -> int:
    """How many capsules the library holds."""
    return session.scalar(select(func.count()).select_from(KnowledgeCapsule)) or 0


def view_window(now: datetime) -> tuple[datetime, datetime]:
    """The starts of the last 7 days and of the 7 before them, for trending."""
    return now - timedelta(days=7), now - timedelta(days=14)


# --- reads for the Capsules page ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendingCapsule:
    """A capsule read in the last two weeks, with its views in each week and their growth."""

    capsule_id: int
    title: str
    author_name: str
    recent_views: int  # in the last 7 days
    previous_views: int  # in the 7 days before
    growth: float  # (recent - previous) / max(previous, 1)


def trending(session: Session, *, now: datetime, limit: int = 10) -> list[TrendingCapsule]:
    """Capsules viewed in the last 7 days, by how much their views grew against the 7 days before."""
    last_week, week_before = view_window(now)
    recent = func.count().filter(CapsuleView.viewed_at > last_week, CapsuleView.viewed_at <= now)
    previous = func.count().filter(CapsuleView.viewed_at > week_before, CapsuleView.viewed_at <= last_week)
    counts = (select(CapsuleView.capsule_id, recent.label("recent"), previous.label("previous"))
              .where(CapsuleView.viewed_at > week_before).group_by(CapsuleView.capsule_id).subquery())
    growth = (counts.c.recent - counts.c.previous) / func.greatest(counts.c.previous, 1).cast(Float)
    rows = session.execute(select(KnowledgeCapsule.id, KnowledgeCapsule.title, KnowledgeCapsule.author_name,
                                  counts.c.recent, counts.c.previous, growth)
                           .join(counts, counts.c.capsule_id == KnowledgeCapsule.id).where(counts.c.recent > 0)
                           .order_by(growth.desc(), counts.c.recent.desc(), KnowledgeCapsule.id).limit(limit))
    return [TrendingCapsule(*row[:5], growth=float(row[5])) for row in rows]


@dataclass(frozen=True)
class PathStep:
    """One capsule of a learning path and the skills (or tags) it is there for."""

    capsule_id: int
    title: str
    author_name: str
    duration_minutes: int
    skills: list[str]  # the missing skills it covers (or its tags, for a goal)


@dataclass(frozen=True)
class CapsulePath:
    """An ordered reading list towards a role or a goal, and the missing skills no capsule covers."""

    target: str
    missing_skills: list[str]
    steps: list[PathStep]
    uncovered: list[str]
    by_words: bool = False  # a goal matched by title and tag words: no capsule's meaning was indexed yet

    @property
    def total_minutes(self) -> int:
        return sum(step.duration_minutes for step in self.steps)


ROLE_SKILLS = 15  # a role's most important skills a path looks at
GOAL_STEPS = 6
GOAL_SIMILARITY = 0.3  # below this cosine a capsule is not about the goal


def role_choices(session: Session) -> list[str]:
    """The role families of the career data, most held first."""
    return list(session.scalars(select(CareerRole.role).order_by(CareerRole.alumni_count.desc(), CareerRole.role)))


def _capsule_rows(session: Session, *, opening: bool = False):
    """Every capsule's id, title, author, duration, tags and reads, with the opening of its content if asked."""
    columns = [KnowledgeCapsule.id, KnowledgeCapsule.title, KnowledgeCapsule.author_name,
               KnowledgeCapsule.duration_minutes, KnowledgeCapsule.tags,
               KnowledgeCapsule.views_count + KnowledgeCapsule.likes_count]
    if opening:
        columns.append(func.left(KnowledgeCapsule.content, CAPSULE_TEXT_CHARS))
    return session.execute(select(*columns).order_by(KnowledgeCapsule.id)).all()


def path_to_role(session: Session, *, role: str, reader_keys: list[str]) -> CapsulePath:
    """Capsules covering the skills the role asks for that the reader lacks, most important skill first; each step
    is the capsule covering the most still-missing skills (then the shorter, then the more read)."""
    wanted = session.execute(select(CareerRoleSkill.skill).where(CareerRoleSkill.role == role)
                             .order_by(CareerRoleSkill.priority.desc(), CareerRoleSkill.skill).limit(ROLE_SKILLS))
    have = set(reader_keys)
    label_of: dict[str, str] = {}
    for (skill,) in wanted:
        key = skill_key(skill)
        if key and key not in have and key not in label_of:
            label_of[key] = skill
    missing = list(label_of)
    covers = []
    for capsule_id, title, author, minutes, tags, reads in _capsule_rows(session):
        keys = set(skill_keys(tags or [])) & set(missing)
        if keys:
            covers.append((capsule_id, title, author, minutes, keys, reads))
    steps, covered = [], set()
    for key in missing:
        if key in covered:
            continue
        options = [c for c in covers if key in c[4]]
        if not options:
            continue
        best = max(options, key=lambda c: (len(c[4] - covered), -c[3], c[5], -c[0]))
        new = [k for k in missing if k in best[4] and k not in covered]
        covered.update(best[4])
        steps.append(PathStep(best[0], best[1], best[2], best[3], [label_of[k] for k in new]))
    return CapsulePath(target=role, missing_skills=[label_of[k] for k in missing], steps=steps,
                       uncovered=[label_of[k] for k in missing if k not in covered])


def _cached_vectors(session: Session, model: str, texts: list[str]) -> dict[str, np.ndarray]:
    """The vectors already stored for these texts (the capsule-rankings job embeds every capsule)."""
    by_hash = {text_hash(t): t for t in texts}
    found: dict[str, np.ndarray] = {}
    hashes = list(by_hash)
    for start in range(0, len(hashes), 5000):
        found.update((by_hash[h], vector_from_binary(v)) for h, v in session.execute(
            select(TextEmbedding.content_hash, func.vector_send(TextEmbedding.embedding)).where(
                TextEmbedding.model == model, TextEmbedding.content_hash.in_(hashes[start:start + 5000]))))
    return found


def words(text: str) -> set[str]:
    """The lower-case words of three letters or more, for matching a goal when no meaning is indexed."""
    return set(re.findall(r"[a-z0-9+#]{3,}", text.lower()))


def _step(row) -> PathStep:
    return PathStep(row[0], row[1], row[2], row[3], list(row[4] or [])[:4])


def path_to_goal(session: Session, *, goal: str, embedder: Embedder) -> CapsulePath:
    """The capsules closest in meaning to a goal, closest first (only those at least GOAL_SIMILARITY close). Only
    the goal is embedded: capsules not embedded yet are left out, and when none is, capsules sharing words with the
    goal in their title or tags are listed instead (most shared first)."""
    goal = " ".join(goal.split())[:300]
    rows = _capsule_rows(session, opening=True)
    if not goal or not rows:
        return CapsulePath(target=goal, missing_skills=[], steps=[], uncovered=[])
    texts = [capsule_text(r[1], r[4], r[6]) for r in rows]
    cached = _cached_vectors(session, embedder.model_name, texts)
    if not cached:
        wanted = words(goal)
        shared = [len(wanted & words(" ".join([r[1], *(r[4] or [])]))) for r in rows]
        order = sorted((i for i, n in enumerate(shared) if n), key=lambda i: (-shared[i], rows[i][0]))[:GOAL_STEPS]
        return CapsulePath(target=goal, missing_skills=[], uncovered=[], by_words=True,
                           steps=[_step(rows[i]) for i in order])
    indexed = [i for i, t in enumerate(texts) if t in cached]
    goal_vector = embed_texts(session, embedder, [goal])[goal]
    similarity = np.stack([cached[texts[i]] for i in indexed]) @ goal_vector
    order = [indexed[i] for i in np.argsort(-similarity, kind="stable")[:GOAL_STEPS]
             if similarity[i] >= GOAL_SIMILARITY]
    return CapsulePath(target=goal, missing_skills=[], uncovered=[], steps=[_step(rows[i]) for i in order])
