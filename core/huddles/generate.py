"""The huddle generators (seed 000 §6.3): problem-based clusters, session follow-ups and proximity meetups, each
placed and timed for its invitees, and the scan jobs that run them."""
from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from sqlalchemy import exists, func, or_, select, text
from sqlalchemy.orm import Session

from core.ai.call_log import save_calls
from core.ai.embeddings import Embedder, embed_texts, vector_from_binary
from core.ai.llm import LLMClient, LLMError
from core.huddles.eligibility import event_eligibility
from core.huddles.huddles import HuddlePlan, create_huddle, create_huddles, people_already_in_upcoming_huddles
from core.huddles.prompts import (
    TOPIC_SYSTEM,
    TopicReply,
    clean_topic,
    document_frequencies,
    fallback_topic,
    topic_prompt,
)
from core.huddles.scheduling import (
    PROBLEM_LEAD,
    busy_by_person,
    candidate_starts,
    earliest_common_slot,
    event_windows,
    meeting_places,
    venue_zones,
)
from core.knowledge.skills import normalize_phrase
from core.networking.visibility import listable
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from db.filters import in_values
from db.models import (
    AgendaItem,
    Block,
    Event,
    Huddle,
    HuddleKind,
    LocationShare,
    Person,
    PersonEmbedding,
    ProgramSession,
    Registration,
    SessionAction,
    SessionActionKind,
)

__all__ = ["DEFAULT_PROBLEM_SIMILARITY", "PROXIMITY_SCAN_JOB", "SCAN_JOB", "SESSION_SCAN_JOB",
           "balanced_groups", "central_member", "events_in_progress", "generate_problem_huddles",
           "generate_proximity_huddles", "generate_session_huddles", "huddle_proximity_scan_job", "huddle_scan_job",
           "huddle_session_scan_job", "problem_topic", "similarity_groups"]

SCAN_JOB, SESSION_SCAN_JOB, PROXIMITY_SCAN_JOB = "huddle-scan", "huddle-session-scan", "huddle-proximity-scan"
# Calibrated for all-MiniLM-L6-v2 on planted paraphrase groups (README, "Huddles"); the seed's 0.75 was for
# another model and finds no group at all with this one.
DEFAULT_PROBLEM_SIMILARITY = 0.40
GROUP_MIN, GROUP_MAX = 3, 8
NEIGHBOURS = 24  # nearest neighbours kept per statement: three times a full group, so a seed sees its whole group
BLOCK_ROWS = 2048  # rows of the similarity matrix computed at once (2048 x 10,000 float32 = 80 MB)
SESSION_MIN_ATTENDEES, SESSION_GROUP = 6, 5
SESSION_RECENT = timedelta(minutes=5)
SESSION_LEAD = timedelta(minutes=0)  # a session huddle starts right after the session
PROXIMITY_RECENT = timedelta(minutes=20)
PROXIMITY_LEAD, PROXIMITY_HORIZON = timedelta(minutes=5), timedelta(minutes=30)
TOPIC_LLM_CALLS = 40  # LLM topic calls per run; further groups get the keyword topic
DEFAULT_PLACE = "Meeting point at the venue"
GENERATION_LOCK = 0x48554444  # first key of the per-event advisory lock that serialises the generators


# ---- clustering (pure) -------------------------------------------------------------------------------------------

def _neighbour_lists(vectors: np.ndarray, threshold: float, k: int = NEIGHBOURS) -> list[np.ndarray]:
    """Each row's nearest other rows at or above the threshold, most similar first, computed block by block."""
    n = len(vectors)
    k = min(k, n - 1)
    result: list[np.ndarray] = []
    if k <= 0:
        return [np.zeros(0, dtype=np.int64) for _ in range(n)]
    for start in range(0, n, BLOCK_ROWS):
        sims = vectors[start:start + BLOCK_ROWS] @ vectors.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -2.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n - 1 else np.argsort(-sims, axis=1)[:, :k]
        top_sims = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_sims, axis=1)
        top, top_sims = np.take_along_axis(top, order, axis=1), np.take_along_axis(top_sims, order, axis=1)
        result.extend(top[r][top_sims[r] >= threshold] for r in range(len(rows)))
    return result


def similarity_groups(vectors: np.ndarray, threshold: float, *, min_size: int = GROUP_MIN,
                      max_size: int = GROUP_MAX, apart: Callable[[int, int], bool] | None = None) -> list[list[int]]:
    """Groups of `min_size`–`max_size` rows whose every pair is at least `threshold` similar (unit vectors).

    Every row seeds a group that grows from its free neighbours, best first (the candidate whose weakest tie to the
    group is strongest), and stops at `max_size`, so a larger cluster splits into several groups by similarity.
    The most cohesive group (highest mean similarity of its pairs) is kept first, then the next among the rows
    still free: a row left over from one cluster cannot take the members of another before that cluster forms.
    Members between two problems are then left out (`_without_strays`). Groups under `min_size` are
    dropped. `apart(a, b)` says two rows must never share a group (a block)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    neighbours = _neighbour_lists(vectors, threshold)
    taken = np.zeros(len(vectors), dtype=bool)

    ties: dict[int, np.ndarray] = {}  # per seed: its neighbours x (itself, its neighbours), kept for regrowing

    def grown(seed: int) -> tuple[float, list[int]] | None:
        nearby = neighbours[seed]
        if seed not in ties:
            ties[seed] = vectors[nearby] @ vectors[np.concatenate(([seed], nearby))].T
        free = ~taken[nearby]
        return _grown_group(seed, nearby[free], ties[seed][free][:, np.concatenate(([True], free))], threshold,
                            min_size, max_size, apart)

    queue: list[tuple[float, int, list[int]]] = []  # (-cohesion, seed, group): the most cohesive first

    def queue_group(seed: int) -> None:
        if found := grown(seed):
            heapq.heappush(queue, (-found[0], seed, found[1]))

    for seed in range(len(vectors)):
        queue_group(seed)
    groups: list[list[int]] = []
    while queue:
        _, seed, group = heapq.heappop(queue)
        if taken[seed]:
            continue
        if taken[group].any():  # lazily: a group that lost a row to a kept one is grown again from the free rows
            queue_group(seed)
            continue
        taken[group] = True
        groups.append(group)
    return _without_strays(vectors, groups, threshold, min_size)


def _without_strays(vectors: np.ndarray, groups: list[list[int]], threshold: float, min_size: int
                    ) -> list[list[int]]:
    """Each group less the members that sit between two problems, as long as it keeps `min_size`: closer on average
    to another group than to the rest of their own, where the rest of their own group is on average under the
    threshold to that other group (another problem, not a sibling group of the same one). A tie just under the
    threshold kept such a member out of the other group; leaving it out keeps each huddle to one problem."""
    if len(groups) < 2:
        return groups
    sums = np.stack([vectors[g].sum(axis=0) for g in groups])
    sizes = np.array([len(g) for g in groups], dtype=np.float32)
    between_groups = sums @ sums.T  # summed similarity of every pair of groups' members
    members = np.concatenate(groups)
    member_ties = vectors[members] @ sums.T  # each member's summed similarity to every group
    kept, start = [], 0
    for number, group in enumerate(groups):
        ties = member_ties[start:start + len(group)]
        start += len(group)
        own = (ties[:, number] - 1.0) / (len(group) - 1)  # each member's mean tie to the rest of its group
        to_others = ties / sizes
        rest_to_others = (between_groups[number] - ties) / ((len(group) - 1) * sizes)
        between = (to_others > own[:, None]) & (rest_to_others < threshold)
        between[:, number] = False
        excess = np.where(between, to_others - own[:, None], 0.0).max(axis=1)
        strays = [group[i] for i in np.argsort(-excess, kind="stable") if excess[i] > 0]
        leaving = set(strays[:len(group) - min_size])
        kept.append([member for member in group if member not in leaving])
    return kept


def _grown_group(seed: int, candidates: np.ndarray, ties: np.ndarray, threshold: float, min_size: int,
                 max_size: int, apart: Callable[[int, int], bool] | None) -> tuple[float, list[int]] | None:
    """The seed's group grown from these free neighbours (see `similarity_groups`; `ties`: candidates x (seed,
    candidates) similarities) with its cohesion (the mean similarity of its pairs), or None under `min_size`."""
    if apart:
        allowed = np.array([not apart(seed, int(c)) for c in candidates], dtype=bool)
        candidates, ties = candidates[allowed], ties[allowed][:, np.concatenate(([True], allowed))]
    if len(candidates) + 1 < min_size:
        return None
    weakest = ties[:, 0].copy()  # each candidate's lowest similarity to the group so far; -inf once in it
    chosen: list[int] = []  # positions in candidates
    while len(chosen) + 1 < max_size:
        best = int(np.argmax(weakest))
        if weakest[best] < threshold:
            break
        chosen.append(best)
        weakest[best] = -np.inf
        np.minimum(weakest, ties[:, best + 1], out=weakest)
        if apart:
            weakest[[apart(int(candidates[best]), int(c)) for c in candidates]] = -np.inf
    if len(chosen) + 1 < min_size:
        return None
    inside = ties[chosen][:, [0, *(c + 1 for c in chosen)]]  # with the seed, then among themselves (1 on the diagonal)
    pairs = len(chosen) * (len(chosen) + 1) / 2
    cohesion = (inside[:, 0].sum() + (inside[:, 1:].sum() - len(chosen)) / 2) / pairs
    return float(cohesion), [seed, *(int(candidates[c]) for c in chosen)]


def central_member(vectors: np.ndarray, members: list[int]) -> int:
    """The member most similar, on average, to the rest of the group."""
    block = vectors[members] @ vectors[members].T
    return members[int(np.argmax(block.sum(axis=1)))]


def balanced_groups(vectors: np.ndarray, *, size: int = SESSION_GROUP, max_size: int = GROUP_MAX,
                    apart: Callable[[int, int], bool] | None = None) -> list[list[int]]:
    """All rows split into groups of about `size` by similarity: seeds as far apart as possible, then each row,
    surest first, joins the most similar group with room that holds nobody it must stay apart from."""
    n = len(vectors)
    if n == 0:
        return []
    count = max(1, round(n / size))
    capacity = min(max_size, math.ceil(n / count))
    sims = vectors @ vectors.T
    seeds = [int(np.argmax(sims.sum(axis=1)))]
    while len(seeds) < count:
        closest = sims[:, seeds].max(axis=1)
        closest[seeds] = np.inf
        seeds.append(int(np.argmin(closest)))
    groups: list[list[int]] = [[s] for s in seeds]
    to_seed = sims[:, seeds]
    rest = [i for i in np.argsort(-to_seed.max(axis=1), kind="stable") if int(i) not in seeds]
    for row in rest:
        for g in np.argsort(-to_seed[row], kind="stable"):
            group = groups[int(g)]
            if len(group) < capacity and not (apart and any(apart(int(row), m) for m in group)):
                group.append(int(row))
                break
    return [g for g in groups if len(g) >= GROUP_MIN]


# ---- shared reads --------------------------------------------------------------------------------------------------

def _blocked_pairs(session: Session, person_ids: list[int]) -> set[frozenset[int]]:
    if not person_ids:
        return set()
    rows = session.execute(select(Block.blocker_id, Block.blocked_id).where(
        in_values(Block.blocker_id, person_ids), in_values(Block.blocked_id, person_ids)))
    return {frozenset(pair) for pair in rows}


def _one_generator_at_a_time(session: Session, event_id: int) -> None:
    """Wait for any other generator working on this event to commit: the scan jobs overlap (the session scan runs
    inside huddle-scan too), and without this two of them could invite the same people or repeat a session's set.
    Held until the caller's transaction ends; what the other committed is visible to the next statement."""
    session.execute(text("SELECT pg_advisory_xact_lock(:kind, :event)"), {"kind": GENERATION_LOCK, "event": event_id})


def _candidates(session: Session, event_id: int, now: datetime):
    """Registered, live and matching-visible, not opted out, not already invited to an upcoming huddle of the
    event."""
    busy = people_already_in_upcoming_huddles(session, event_id, now)
    query = (select(Person).join(Registration, Registration.person_id == Person.id)
             .where(Registration.event_id == event_id, listable(Person),
                    Person.huddles_opt_out.is_(False)))
    return query, busy


def _starts(session: Session, event_id: int, earliest: datetime, latest: datetime | None = None) -> list[datetime]:
    return candidate_starts(event_windows(session, event_id), earliest=earliest, minutes=15, latest=latest)


def problem_topic(statements: list[str], *, llm: LLMClient | None, event_id: int,
                  frequencies=None) -> tuple[str, bool]:
    """The group's topic from the LLM (§6.3 prompt, validated) or, on no LLM or any failure, from keywords;
    returns (topic, whether the LLM wrote it)."""
    if llm is not None:
        try:
            reply = llm.complete_json(system=TOPIC_SYSTEM, prompt=topic_prompt(statements), schema=TopicReply,
                                      max_tokens=60, temperature=0.3, feature="huddle_topic", event_id=event_id)
            topic = clean_topic(reply.topic)
            if topic:
                return topic, True
        except (LLMError, ValueError):
            pass
    return fallback_topic(statements, frequencies), False


# ---- problem-based (§6.3) -----------------------------------------------------------------------------------------

def generate_problem_huddles(session: Session, *, event_id: int, clock: Clock, embedder: Embedder,
                             llm: LLMClient | None = None, threshold: float = DEFAULT_PROBLEM_SIMILARITY,
                             llm_calls: int = TOPIC_LLM_CALLS) -> dict:
    """Invite groups of 3–8 attendees whose problem statements all say much the same thing to a 15-minute huddle
    at a venue area, at the earliest time none of them is busy. People already invited to an upcoming huddle,
    those who opted out and deleted people are left out, and no group holds a blocked pair."""
    now = clock.now()
    counts = {"huddles": 0, "invited": 0, "candidates": 0, "groups": 0, "unscheduled": 0, "llm_topics": 0}
    eligibility = event_eligibility(session, event_id)
    if not eligibility.allows(HuddleKind.PROBLEM):
        return {**counts, "skipped": eligibility.reason}
    _one_generator_at_a_time(session, event_id)
    query, already = _candidates(session, event_id, now)
    rows = [(pid, " ".join(text.split())) for pid, text in session.execute(
        query.with_only_columns(Person.id, Person.problem_statement)
        .where(func.length(func.trim(Person.problem_statement)) > 0).order_by(Person.id))
        if pid not in already]
    counts["candidates"] = len(rows)
    if len(rows) < GROUP_MIN:
        return counts
    ids = [pid for pid, _ in rows]
    vectors_by_text = embed_texts(session, embedder, [t for _, t in rows])
    vectors = np.stack([vectors_by_text[t] for _, t in rows]).astype(np.float32)
    blocked = _blocked_pairs(session, ids)
    apart = (lambda a, b: frozenset((ids[a], ids[b])) in blocked) if blocked else None
    groups = similarity_groups(vectors, threshold, apart=apart)
    counts["groups"] = len(groups)
    if not groups:
        return counts
    busy = busy_by_person(session, event_id=event_id, person_ids=[ids[i] for g in groups for i in g])
    starts = _starts(session, event_id, now + PROBLEM_LEAD)
    places = meeting_places(session, event_id, session.get(Event, event_id).venue or DEFAULT_PLACE)
    frequencies = document_frequencies(t for _, t in rows)
    plans: list[HuddlePlan] = []
    for number, group in enumerate(groups):
        group = sorted(group, key=lambda i: -float(vectors[group].mean(axis=0) @ vectors[i]))  # most central first
        slot = earliest_common_slot([ids[i] for i in group], busy, starts)
        if slot is None:
            counts["unscheduled"] += 1
            continue
        members = [i for i in group if ids[i] in slot.person_ids]
        statements = [rows[i][1] for i in members]
        use_llm = llm if counts["llm_topics"] < llm_calls else None
        topic, by_llm = problem_topic(statements, llm=use_llm, event_id=event_id, frequencies=frequencies)
        counts["llm_topics"] += int(use_llm is not None)
        plan = HuddlePlan(kind=HuddleKind.PROBLEM, topic=topic, invitee_ids=slot.person_ids, starts_at=slot.starts_at,
                          location_name=places[number % len(places)],
                          problem_statement=rows[central_member(vectors, members)][1])
        plans.append(plan)
        counts["huddles"] += 1
        counts["invited"] += len(slot.person_ids)
    create_huddles(session, event_id=event_id, plans=plans, now=now)
    if llm is not None:
        save_calls(session, llm)
    return counts


# ---- session-based (§6.3) -----------------------------------------------------------------------------------------

def _profile_text(person: Person) -> str:
    parts = [person.role or "", *(person.interests or []), *(person.skills_offered or []),
             *(person.skills_needed or []), person.problem_statement or ""]
    return " · ".join(p.strip() for p in parts if p and p.strip()) or person.full_name


def _profile_vectors(session: Session, people: list[Person], embedder: Embedder | None) -> np.ndarray:
    """Stored profile vectors where there are any, else the profile text embedded (zeros without an embedder)."""
    stored = {pid: vector_from_binary(v) for pid, v in session.execute(
        select(PersonEmbedding.person_id, func.vector_send(PersonEmbedding.embedding))
        .where(in_values(PersonEmbedding.person_id, [p.id for p in people])))}
    missing = [p for p in people if p.id not in stored]
    if missing and embedder is not None:
        by_text = embed_texts(session, embedder, [_profile_text(p) for p in missing])
        stored.update((p.id, by_text[_profile_text(p)]) for p in missing)
    dim = next((len(v) for v in stored.values()), 1)
    return np.stack([stored.get(p.id, np.zeros(dim, dtype=np.float32)) for p in people]).astype(np.float32)


def generate_session_huddles(session: Session, *, event_id: int, session_id: int, clock: Clock,
                             embedder: Embedder | None = None) -> dict:
    """After a session with at least 6 attendees (attended, or in their agenda), invite them in groups of about 5
    by profile similarity to "Deep dive: {title}" just outside its room, right after it; once per session."""
    now = clock.now()
    counts = {"huddles": 0, "invited": 0, "attendees": 0, "unscheduled": 0}
    eligibility = event_eligibility(session, event_id)
    if not eligibility.allows(HuddleKind.SESSION):
        return {**counts, "skipped": eligibility.reason}
    _one_generator_at_a_time(session, event_id)
    program = session.get(ProgramSession, session_id)
    if program is None or program.event_id != event_id or session.scalar(select(exists().where(
            Huddle.session_id == session_id, Huddle.kind == HuddleKind.SESSION.value))):
        return counts
    query, already = _candidates(session, event_id, now)
    attended = select(SessionAction.person_id).where(SessionAction.session_id == session_id,
                                                     SessionAction.kind == SessionActionKind.ATTENDED.value)
    planned = select(AgendaItem.person_id).where(AgendaItem.session_id == session_id)
    people = [p for p in session.scalars(query.where(or_(Person.id.in_(attended), Person.id.in_(planned)))
                                         .order_by(Person.id)) if p.id not in already]
    counts["attendees"] = len(people)
    if len(people) < SESSION_MIN_ATTENDEES:
        return counts
    vectors = _profile_vectors(session, people, embedder)
    blocked = _blocked_pairs(session, [p.id for p in people])
    apart = (lambda a, b: frozenset((people[a].id, people[b].id)) in blocked) if blocked else None
    after = max(program.ends_at or now, now) + SESSION_LEAD
    starts = _starts(session, event_id, after, latest=after + timedelta(hours=1))
    busy = busy_by_person(session, event_id=event_id, person_ids=[p.id for p in people])
    place = f"Outside {program.room.strip()}" if program.room and program.room.strip() else (
        (venue_zones(session, event_id) or [DEFAULT_PLACE])[0])  # no room: the nearest we know is the first zone
    for group in balanced_groups(vectors, apart=apart):
        slot = earliest_common_slot([people[i].id for i in group], busy, starts)
        if slot is None:
            counts["unscheduled"] += 1
            continue
        plan = HuddlePlan(kind=HuddleKind.SESSION, topic=f"Deep dive: {program.title}", invitee_ids=slot.person_ids,
                          starts_at=slot.starts_at, location_name=place, session_id=session_id)
        create_huddle(session, event_id=event_id, plan=plan, now=now)
        counts["huddles"] += 1
        counts["invited"] += len(slot.person_ids)
    return counts


def sessions_ended_between(session: Session, event_id: int, earliest: datetime, latest: datetime) -> list[int]:
    """The event's sessions that ended after `earliest` and by `latest`."""
    return list(session.scalars(select(ProgramSession.id).where(
        ProgramSession.event_id == event_id, ProgramSession.ends_at > earliest, ProgramSession.ends_at <= latest)
        .order_by(ProgramSession.ends_at, ProgramSession.id)))


# ---- proximity (§6.3) ---------------------------------------------------------------------------------------------

def generate_proximity_huddles(session: Session, *, event_id: int, clock: Clock) -> dict:
    """Three or more people who shared the same zone in the last 20 minutes and share an interest get an impromptu
    "Quick chat: {interest}" there, a few minutes from now, when none of them is busy."""
    now = clock.now()
    counts = {"huddles": 0, "invited": 0, "sharing": 0, "unscheduled": 0}
    eligibility = event_eligibility(session, event_id)
    if not eligibility.allows(HuddleKind.PROXIMITY):
        return {**counts, "skipped": eligibility.reason}
    _one_generator_at_a_time(session, event_id)
    query, already = _candidates(session, event_id, now)
    rows = session.execute(query.with_only_columns(Person.id, Person.interests, LocationShare.zone)
                           .join(LocationShare, LocationShare.person_id == Person.id)
                           .where(LocationShare.event_id == event_id, LocationShare.expires_at > now,
                                  LocationShare.shared_at >= now - PROXIMITY_RECENT)
                           .order_by(LocationShare.zone, Person.id)).all()
    by_zone: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for pid, interests, zone in rows:
        if pid not in already:
            by_zone[zone].append((pid, interests or []))
    counts["sharing"] = sum(len(v) for v in by_zone.values())
    zoned = [p for v in by_zone.values() if len(v) >= GROUP_MIN for p, _ in v]
    if not zoned:
        return counts
    blocked = _blocked_pairs(session, zoned)
    busy = busy_by_person(session, event_id=event_id, person_ids=zoned)
    starts = candidate_starts([(now, now + PROXIMITY_HORIZON + timedelta(minutes=15))],
                              earliest=now + PROXIMITY_LEAD, minutes=15, latest=now + PROXIMITY_HORIZON)
    for zone, present in by_zone.items():
        free = dict(present)
        while len(free) >= GROUP_MIN:
            spelling: dict[str, str] = {}
            holders: dict[str, list[int]] = defaultdict(list)
            for pid, interests in free.items():
                for interest in dict.fromkeys(normalize_phrase(i) for i in interests if i and normalize_phrase(i)):
                    holders[interest].append(pid)
                    spelling.setdefault(interest, next(i.strip() for i in interests
                                                       if normalize_phrase(i) == interest))
            ranked = sorted((-len(v), k) for k, v in holders.items() if len(v) >= GROUP_MIN)
            if not ranked:
                break
            interest = ranked[0][1]
            group: list[int] = []
            for pid in holders[interest]:
                if len(group) < GROUP_MAX and not any(frozenset((pid, m)) in blocked for m in group):
                    group.append(pid)
            for pid in holders[interest]:
                free.pop(pid, None)  # this interest has been tried for them; others may still group them
            slot = earliest_common_slot(group, busy, starts) if len(group) >= GROUP_MIN else None
            if slot is None:
                counts["unscheduled"] += 1
                continue
            plan = HuddlePlan(kind=HuddleKind.PROXIMITY, topic=f"Quick chat: {spelling[interest]}",
                              invitee_ids=slot.person_ids, starts_at=slot.starts_at, location_name=zone)
            create_huddle(session, event_id=event_id, plan=plan, now=now)
            counts["huddles"] += 1
            counts["invited"] += len(slot.person_ids)
    return counts


# ---- jobs -----------------------------------------------------------------------------------------------------------

def events_in_progress(session: Session, now: datetime) -> list[int]:
    """Events whose days (in their own time zone) include today."""
    candidates = session.execute(select(Event.id, Event.starts_on, Event.ends_on, Event.timezone).where(
        Event.starts_on <= now.date() + timedelta(days=1),
        func.coalesce(Event.ends_on, Event.starts_on) >= now.date() - timedelta(days=1)).order_by(Event.id))
    running = []
    for event_id, starts_on, ends_on, zone in candidates:
        try:
            today = now.astimezone(ZoneInfo(zone or "UTC")).date()
        except (ZoneInfoNotFoundError, ValueError):
            today = now.date()
        if starts_on <= today <= (ends_on or starts_on):
            running.append(event_id)
    return running


def _similarity(ctx: JobContext) -> float:
    return ctx.settings.huddle_problem_similarity if ctx.settings is not None else DEFAULT_PROBLEM_SIMILARITY


def _session_scan(ctx: JobContext, event_id: int, totals: Counter) -> None:
    now = ctx.clock.now()
    for session_id in sessions_ended_between(ctx.session, event_id, now - SESSION_RECENT, now):
        counts = generate_session_huddles(ctx.session, event_id=event_id, session_id=session_id, clock=ctx.clock,
                                          embedder=ctx.embedder)
        totals["session_huddles"] += counts["huddles"]
        totals["invited"] += counts["invited"]


def huddle_scan_job(ctx: JobContext) -> dict:
    """Problem huddles for the events in progress (or the given event, whatever its dates), and session huddles
    for their sessions that ended within the last 5 minutes."""
    if ctx.embedder is None:
        raise RuntimeError("huddle-scan needs an embedder; run it through the worker or the CLI.")
    event_ids = [ctx.event_id] if ctx.event_id is not None else events_in_progress(ctx.session, ctx.clock.now())
    totals: Counter = Counter(events=len(event_ids))
    for event_id in event_ids:
        counts = generate_problem_huddles(ctx.session, event_id=event_id, clock=ctx.clock, embedder=ctx.embedder,
                                          llm=ctx.llm, threshold=_similarity(ctx))
        totals["problem_huddles"] += counts["huddles"]
        totals["invited"] += counts["invited"]
        _session_scan(ctx, event_id, totals)
    return dict(totals)


def huddle_session_scan_job(ctx: JobContext) -> dict:
    """Session huddles for sessions that ended within the last 5 minutes."""
    event_ids = [ctx.event_id] if ctx.event_id is not None else events_in_progress(ctx.session, ctx.clock.now())
    totals: Counter = Counter(events=len(event_ids))
    for event_id in event_ids:
        _session_scan(ctx, event_id, totals)
    return dict(totals)


def huddle_proximity_scan_job(ctx: JobContext) -> dict:
    """Proximity huddles wherever three or more people share a zone; nothing to do when nobody shares one."""
    now = ctx.clock.now()
    query = select(LocationShare.event_id).where(LocationShare.expires_at > now,
                                                 LocationShare.shared_at >= now - PROXIMITY_RECENT)
    if ctx.event_id is not None:
        query = query.where(LocationShare.event_id == ctx.event_id)
    event_ids = sorted(set(ctx.session.scalars(query.distinct())))
    totals: Counter = Counter(events=len(event_ids))
    for event_id in event_ids:
        counts = generate_proximity_huddles(ctx.session, event_id=event_id, clock=ctx.clock)
        totals["proximity_huddles"] += counts["huddles"]
        totals["invited"] += counts["invited"]
    return dict(totals)
