"""Seed 001's session and speaker formulas with terms matched by embedding: per pair, and per event at once."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

# A similarity matrix between two lists of terms (1.0 = the same topic).
Similarity = Callable[[list[str], list[str]], np.ndarray]

MATCH_SIMILARITY = 0.55  # cosine at which two terms count as the same topic ("ML" ~ "machine learning")
# Cosine between an interest and a session's own text: below the floor it says nothing, at the ceiling it is
# as strong as a shared tag.
RELEVANCE_FLOOR, RELEVANCE_CEILING = 0.25, 0.6
SESSION_THRESHOLD = 0.2
SPEAKER_THRESHOLD = 0.2
GOAL_KEYWORDS = {
    "LEARN": ["learn", "understand", "master", "discover"],
    "NETWORK": ["network", "connect", "meet", "collaborate"],
    "HIRE": ["hire", "recruit", "talent"],
    "GET_HIRED": ["career", "job", "opportunity"],
    "MENTOR": ["mentor", "teach", "guide"],
    "GET_MENTORED": ["learn from", "guided by"],
}
DIFFICULTY_WORDS = {"beginner": "beginner", "basic": "beginner", "introductory": "beginner", "intro": "beginner",
                    "novice": "beginner", "intermediate": "intermediate", "advanced": "advanced",
                    "expert": "advanced"}
HIRING_ROLES = ("engineer", "designer", "product manager", "developer", "scientist")


def exact_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """Case-insensitive equality: the seed's literal set overlap."""
    return np.array([[float(x.strip().lower() == y.strip().lower()) for y in b] for x in a], dtype=np.float32
                    ).reshape(len(a), len(b))


def _stack(vectors: dict[str, np.ndarray], terms: list[str], width: int) -> np.ndarray:
    return np.stack([vectors[t] for t in terms]) if terms else np.zeros((0, width), np.float32)


class TermSpace:
    """Embedded terms, with the similarity of every left-hand term (an attendee's) to every right-hand term (the
    program's) computed once per event. The per-attendee formulas and the event-wide matrices both read it, so
    they see the very same numbers. Without `left` and `right`, every term is on both sides."""

    def __init__(self, vectors: dict[str, np.ndarray], left: list[str] | None = None,
                 right: list[str] | None = None):
        left = list(vectors) if left is None else list(dict.fromkeys(left))
        right = list(vectors) if right is None else list(dict.fromkeys(right))
        width = len(next(iter(vectors.values()))) if vectors else 1
        self.left = {term: row for row, term in enumerate(left)}
        self.index = {term: column for column, term in enumerate(right)}
        self.right = right
        lowered: dict[str, int] = {}
        canonical_left = np.array([lowered.setdefault(t.strip().lower(), len(lowered)) for t in left], dtype=np.int64)
        canonical_right = np.array([lowered.setdefault(t.strip().lower(), len(lowered)) for t in right],
                                   dtype=np.int64)
        # capped at 1: a term's cosine with itself is 1 give or take the last bit, which would otherwise decide
        # the order of equally exact matches
        cosine = np.minimum(_stack(vectors, left, width) @ _stack(vectors, right, width).T, 1)
        self.matrix = np.maximum(cosine, canonical_left[:, None] == canonical_right[None, :])
        self.matches = self.matrix >= MATCH_SIMILARITY
        self._columns: dict[tuple[str, ...], np.ndarray] = {}
        self._near: dict[str, dict[str, float]] = {}

    def columns(self, terms: list[str]) -> np.ndarray:
        """The matrix columns of these terms (the same few term lists are asked for again and again)."""
        key = tuple(terms)
        if key not in self._columns:
            self._columns[key] = np.array([self.index[t] for t in terms], dtype=np.int64)
        return self._columns[key]

    def any_match(self, term: str, terms: list[str]) -> bool:
        """Whether a left-hand term matches any of these right-hand terms (soft_matches([term], terms) is not
        empty)."""
        return term in self.left and bool(terms) and bool(self.matches[self.left[term], self.columns(terms)].any())

    def similarity_from(self, terms: list[str]) -> AttendeeSimilarity:
        """A similarity whose left-hand terms are among `terms`: slices of the event's matrix."""
        return AttendeeSimilarity(self, list(dict.fromkeys(terms)))

    def near(self, term: str) -> dict[str, float]:
        """The right-hand terms that match this left-hand term, with their similarity."""
        if term not in self._near:
            row = self.left[term]
            columns = np.flatnonzero(self.matches[row])
            self._near[term] = dict(zip([self.right[c] for c in columns], self.matrix[row, columns].tolist(),
                                        strict=True))
        return self._near[term]

    def pairs(self, a: list[str], b: list[str], position: dict[str, int] | None = None) -> list[tuple[str, str]]:
        """soft_matches(a, b) read from the sparse matches: the same pairs in the same order. The greedy takes
        the most similar free pair first, ties in row-major order, as argmax over the matrix does. `position`:
        b's terms to their index, when the caller keeps it."""
        if not a or not b:
            return []
        position = position if position is not None else {t: j for j, t in enumerate(b)}
        candidates = sorted((-similarity, i, j) for i, t in enumerate(a) for u, similarity in self.near(t).items()
                            if (j := position.get(u)) is not None)
        pairs, used_a, used_b = [], set(), set()
        for _, i, j in candidates:
            if i not in used_a and j not in used_b:
                pairs.append((a[i], b[j]))
                used_a.add(i)
                used_b.add(j)
        return pairs


class AttendeeSimilarity:
    """Similarities of one attendee's terms to the program's terms, sliced from the event's matrix."""

    def __init__(self, space: TermSpace, terms: list[str]):
        self.space = space
        self.position = {t: space.left[t] for t in terms}
        self._reachable: np.ndarray | None = None

    def reaches(self, terms: list[str]) -> bool:
        """Whether any of these terms is close enough to some term of the attendee to be matched at all."""
        if self._reachable is None:
            self._reachable = self.space.matches[list(self.position.values())].any(axis=0)
        return bool(self._reachable[self.space.columns(terms)].any())

    def __call__(self, a: list[str], b: list[str]) -> np.ndarray:
        if not a or not b:
            return np.zeros((len(a), len(b)), dtype=np.float32)
        return self.space.matrix[np.ix_([self.position[t] for t in a], [self.space.index[t] for t in b])]


def relevance_strength(best: np.ndarray) -> np.ndarray:
    """A cosine between an interest and a session's text as a 0–1 strength (float32 in, float32 out)."""
    return np.clip((best - RELEVANCE_FLOOR) / (RELEVANCE_CEILING - RELEVANCE_FLOOR), 0, 1)


def relevance_reason(interest: str) -> str:
    return f"About your interest in {interest}"


class TextRelevance:
    """The cosine of each interest of the event to each session's own text, computed once per event."""

    def __init__(self, vectors: dict[str, np.ndarray], interests: list[str], text_matrix: np.ndarray):
        interests = [t for t in dict.fromkeys(interests) if t in vectors]
        self.index = {t: k for k, t in enumerate(interests)}
        self.sessions = len(text_matrix)
        self.sims = (np.stack([vectors[t] for t in interests]) @ text_matrix.T if interests and self.sessions
                     else np.zeros((len(interests), self.sessions), np.float32))

    def of(self, interests: list[str]) -> tuple[np.ndarray, list[str]]:
        """Per session: how closely its text covers these interests (0–1), and a reason naming the interest."""
        terms = [t for t in dict.fromkeys(interests) if t in self.index]
        if not terms or not self.sessions:
            return np.zeros(self.sessions), [""] * self.sessions
        sims = self.sims[[self.index[t] for t in terms]]
        return relevance_strength(sims.max(axis=0)), [relevance_reason(terms[i]) for i in sims.argmax(axis=0)]


def soft_matches(a: list[str], b: list[str], similarity: Similarity) -> list[tuple[str, str]]:
    """One-to-one pairs of terms that mean the same thing, most similar first."""
    if not a or not b:
        return []
    reaches = getattr(similarity, "reaches", None)  # a cheap pre-check when the similarity offers one
    if reaches is not None and not reaches(b):
        return []
    matrix = similarity(a, b)
    if matrix.max() < MATCH_SIMILARITY:
        return []
    matrix = matrix.copy()
    pairs = []
    while True:
        i, j = np.unravel_index(int(np.argmax(matrix)), matrix.shape)
        if matrix[i, j] < MATCH_SIMILARITY:
            return pairs
        pairs.append((a[i], b[j]))
        matrix[i, :] = -1
        matrix[:, j] = -1


def soft_jaccard(a: list[str], b: list[str], similarity: Similarity) -> tuple[float, list[tuple[str, str]]]:
    """Jaccard index where similar terms count as shared: |matched| / (|a| + |b| - |matched|)."""
    return _jaccard(_distinct(a), _distinct(b), similarity)


def _jaccard(a: list[str], b: list[str], similarity: Similarity) -> tuple[float, list[tuple[str, str]]]:
    pairs = soft_matches(a, b, similarity)
    union = len(a) + len(b) - len(pairs)
    return (len(pairs) / union if union else 0.0), pairs


def _distinct(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i and i.strip()))


def preferred_difficulty(years_experience: int | None) -> str | None:
    if years_experience is None:
        return None
    return "beginner" if years_experience < 3 else "intermediate" if years_experience <= 7 else "advanced"


def difficulty_level(text: str | None) -> str | None:
    words = (text or "").lower().split()
    return next((DIFFICULTY_WORDS[w] for w in words if w in DIFFICULTY_WORDS), None)


def goals_served(outcomes_text: str) -> frozenset[str]:
    """The goals whose seed 001 keywords appear in a session's outcomes."""
    text = outcomes_text.lower()
    return frozenset(goal for goal, keywords in GOAL_KEYWORDS.items() if any(k in text for k in keywords))


def goal_alignment(goals: list[str], served: frozenset[str]) -> tuple[float, list[str]]:
    """Seed 001: each of the attendee's goals the session serves adds 0.3, capped at 1."""
    matched = [g for g in goals if g in served]
    return min(1.0, 0.3 * len(matched)), matched


def _distinct_lists(instance, names: tuple[str, ...]) -> None:
    for name in names:
        object.__setattr__(instance, name, _distinct(getattr(instance, name)))


@dataclass(frozen=True)
class AttendeeTerms:
    interests: list[str]
    goals: list[str]
    role: str
    skills_needed: list[str]
    difficulty: str | None
    industry: str | None = None

    def __post_init__(self):
        _distinct_lists(self, ("interests", "skills_needed"))


@dataclass(frozen=True)
class SessionTerms:
    session_id: int
    topics: list[str]  # tags, or the track when a program has no tags
    outcomes: list[str]
    outcomes_text: str  # outcomes, or the description when a program lists none
    audience: list[str]
    difficulty: str | None

    def __post_init__(self):
        _distinct_lists(self, ("topics", "outcomes", "audience"))
        object.__setattr__(self, "taught", _distinct(self.outcomes + self.topics))
        object.__setattr__(self, "goals_served", goals_served(self.outcomes_text))


@dataclass
class Scored:
    target_id: int
    score: float  # 0..1.15 (the skills bonus can lift it over 1)
    reasons: list[str] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)
    shared: list[tuple[str, str]] = field(default_factory=list)  # a speaker's expertise shared with the attendee

    @property
    def match_score(self) -> int:
        # float(): the product keeps the score's own type (float32 or float64) and converts exactly, and Python's
        # round is many times faster than numpy's on a float32 scalar; both round half to even
        return min(100, int(round(float(self.score * 100))))


def session_reasons(shared: list[tuple[str, str]] | None, about: str | None, goals: list[str], role: str | None,
                    level: str | None, taught: list[tuple[str, str]]) -> list[str]:
    """The reasons of a session match, in the seed's order: interests (shared terms, or the session's text), goals,
    audience, level, skills taught."""
    reasons: list[str] = []
    if shared:
        reasons.append("Shared interests: " + ", ".join(_pair_text(a, b) for a, b in shared[:2]))
    elif about:
        reasons.append(about)
    if goals:
        reasons.append(f"Aligns with your {', '.join(g.replace('_', ' ').lower() for g in goals)} goal"
                       + ("s" if len(goals) > 1 else ""))
    if role:
        reasons.append(f"Designed for {role}s")
    if level:
        reasons.append(f"Matches your {level} level")
    if taught:
        reasons.append("Teaches: " + ", ".join(b for _, b in taught[:2]))
    return reasons


def score_session(person: AttendeeTerms, item: SessionTerms, similarity: Similarity, relevance: float = 0.0,
                  relevance_reason: str = "") -> Scored:
    """Seed 001 "Algorithmic Matching": interests/tags 40%, goals 30%, role/audience 20%, difficulty 10%, plus a
    skills bonus of up to 15%. `relevance` (0–1) is how closely the session's own text covers the attendee's
    interests; it stands in for the tag overlap when that is lower, so a program without tags still matches.

    This is the reference for one attendee and one session; ProgramScorer computes the same for a whole event."""
    overlap, pairs = _jaccard(person.interests, item.topics, similarity)
    interest = max(overlap, relevance)
    shared = overlap >= relevance and overlap > 0.3
    about = not shared and relevance > overlap and relevance > 0.3 and relevance_reason
    goal, goals = goal_alignment(person.goals, item.goals_served)
    audience = 1.0 if person.role and soft_matches([person.role], item.audience, similarity) else 0.0
    difficulty = 0.0
    if item.difficulty and item.difficulty == person.difficulty:
        difficulty = 1.0
    elif item.difficulty == "intermediate":
        difficulty = 0.5
    taught = soft_matches(person.skills_needed, item.taught, similarity)
    bonus = min(0.15, 0.05 * len(taught))
    reasons = session_reasons(pairs if shared else None, about or None, goals, person.role if audience else None,
                              item.difficulty if difficulty == 1.0 else None, taught)
    parts = {"interest": interest, "goal": goal, "audience": audience, "difficulty": difficulty, "skills": bonus}
    score = 0.4 * interest + 0.3 * goal + 0.2 * audience + 0.1 * difficulty + bonus
    return Scored(item.session_id, score, reasons, parts)


@dataclass(frozen=True)
class SpeakerTerms:
    speaker_id: int
    expertise: list[str]
    offerings: list[str]
    title: str
    industry: str | None = None

    def __post_init__(self):
        _distinct_lists(self, ("expertise", "offerings"))


def speaker_reasons(shared: list[tuple[str, str]], helps: list[tuple[str, str]], goal_reason: str | None,
                    industry: str | None) -> list[str]:
    """The reasons of a speaker match: expertise, the skills they can help with, goal fit, industry."""
    reasons: list[str] = []
    if shared:
        reasons.append("Expert in: " + ", ".join(b for _, b in shared[:2]))
    if helps:
        reasons.append("Can help with: " + ", ".join(a for a, _ in helps[:2]))
    if goal_reason:
        reasons.append(goal_reason)
    if industry:
        reasons.append(f"Same industry: {industry}")
    return reasons


def score_speaker(person: AttendeeTerms, speaker: SpeakerTerms, similarity: Similarity) -> Scored:
    """Seed 001's speaker fallback: expertise vs interests 50%, skills exchange 30%, goal fit 15%, industry 5%.

    This is the reference for one attendee and one speaker; ProgramScorer computes the same for a whole event."""
    interests, expertise = person.interests, speaker.expertise
    shared = soft_matches(interests, expertise, similarity)
    expertise_part = len(shared) / max(len(interests), 1)
    helps = soft_matches(person.skills_needed, expertise, similarity)
    goal_reason = speaker_goal_reason(
        person.goals, "GET_MENTORED" in person.goals and bool(soft_matches(["mentorship"], speaker.offerings,
                                                                           similarity)),
        hiring_title(speaker.title), bool(speaker.expertise))
    industry = bool(person.industry and speaker.industry and person.industry.lower() == speaker.industry.lower())
    score = 0.5 * expertise_part + 0.3 * bool(helps) + 0.15 * bool(goal_reason) + 0.05 * industry
    return Scored(speaker.speaker_id, score, speaker_reasons(shared, helps, goal_reason,
                                                             speaker.industry if industry else None),
                  {"expertise": expertise_part, "skills": float(bool(helps)), "goal": float(bool(goal_reason)),
                   "industry": float(industry)}, shared)


def hiring_title(title: str) -> bool:
    return any(role in title.lower() for role in HIRING_ROLES)


def speaker_goal_reason(goals: list[str], mentors: bool, hiring: bool, has_expertise: bool) -> str | None:
    """The first of the attendee's goals the speaker serves, as a reason (mentorship, hiring, learning,
    networking)."""
    if "GET_MENTORED" in goals and mentors:
        return "Offers mentorship - aligns with your goal"
    if "HIRE" in goals and hiring:
        return "Potential hiring candidate"
    if "LEARN" in goals and has_expertise:
        return "Can teach relevant skills"
    if "NETWORK" in goals:
        return "Valuable networking connection"
    return None


def _pair_text(a: str, b: str) -> str:
    return a if a.lower() == b.lower() else f"{a} ≈ {b}"


def template_starters(interests: list[str], goals: list[str], speaker_name: str, expertise: list[str],
                      offerings: list[str], session_titles: list[str], company: str | None,
                      similarity: Similarity) -> list[str]:
    """Seed 001's template conversation starters: three, from shared interests, goals, sessions and field."""
    shared = soft_matches(_distinct(interests), _distinct(expertise), similarity)
    mentors = "GET_MENTORED" in goals and bool(soft_matches(["mentorship"], _distinct(offerings), similarity))
    return starters_text(interests, goals, speaker_name, expertise, shared[0][1] if shared else None, mentors,
                         session_titles, company)


def starters_text(interests: list[str], goals: list[str], speaker_name: str, expertise: list[str],
                  shared_topic: str | None, mentors: bool, session_titles: list[str], company: str | None
                  ) -> list[str]:
    """The three template starters, given the first shared expertise and whether the speaker offers mentorship."""
    starters: list[str] = []
    if shared_topic:
        starters.append(f"I noticed we both share an interest in {shared_topic}. What's been your most impactful "
                        "project in this area?")
    if "GET_MENTORED" in goals and mentors:
        field_name = interests[0] if interests else "this field"
        starters.append(f"I'm looking to grow in {field_name}. What advice would you give to someone in my position?")
    if session_titles:
        starters.append(f"I'm really looking forward to your session on {session_titles[0]}. What's the key takeaway "
                        "you hope attendees will leave with?")
    if len(starters) < 3:
        starters.append("What's been the most exciting development in "
                        f"{expertise[0] if expertise else 'your field'} recently?")
    if len(starters) < 3 and company:
        starters.append(f"What does a typical week look like for your team at {company}?")
    if len(starters) < 3:
        starters.append(f"What brought you to speak at this event, {speaker_name.split()[0]}?")
    return starters[:3]


# ------------------------------------------------------------------------------------------ the whole event at once

BLOCK_CELLS = 4_000_000  # attendees per block × terms per attendee × program terms: caps the gathered arrays
GOALS = tuple(GOAL_KEYWORDS)


class _TermLists:
    """One term list per session (or speaker), as columns over the space's right-hand terms."""

    def __init__(self, space: TermSpace, lists: list[list[str]]):
        self.lists = lists
        self.positions = [{t: j for j, t in enumerate(terms)} for terms in lists]
        self.incidence = np.zeros((len(space.index), len(lists)), np.float32)
        for k, terms in enumerate(lists):
            self.incidence[[space.index[t] for t in terms], k] = 1.0
        # per left-hand term (plus a padding row of zeros): whether it matches some term of each list
        self.row_hits = np.vstack([(space.matches.astype(np.float32) @ self.incidence > 0).astype(np.float32),
                                   np.zeros((1, len(lists)), np.float32)])


def _padded(rows: list[list[int]], pad: int) -> np.ndarray:
    width = max(1, max((len(r) for r in rows), default=0))
    return np.array([r + [pad] * (width - len(r)) for r in rows], dtype=np.int64).reshape(len(rows), width)


def _greedy_sizes(total: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The size of the greedy one-to-one pairing from the number of matching pairs, matched left terms and matched
    right terms; -1 where these do not settle it (a term with two partners on both sides)."""
    smaller = np.minimum(rows, columns)
    sizes = np.where(smaller <= 1, smaller, -1)
    return np.where((total == rows) & (total == columns), total, sizes).astype(np.int64)


def _top(key: np.ndarray, limit: int) -> np.ndarray:
    """Per row, the columns of the `limit` smallest keys, smallest first; equal keys in column order."""
    if key.shape[1] > 4 * limit:  # a large program: sort only the candidates argpartition keeps (ties included)
        kth = np.partition(key, limit - 1, axis=1)[:, limit - 1:limit]
        key = np.where(key <= kth, key, np.inf)
    return np.argsort(key, axis=1, kind="stable")[:, :limit]


class ProgramScorer:
    """Seed 001's session and speaker formulas for blocks of attendees × every session and speaker, with numpy.

    It gives the same scores, order and reasons as score_session and score_speaker over the same TermSpace and
    TextRelevance, and builds the reasons only for the pairs it keeps. A soft match (soft_matches) is a greedy
    one-to-one pairing, most similar first, and only its size enters a score. Three matrix products per pair of
    lists give the matching term pairs, the matched left terms and the matched right terms: where each matched
    term has one partner, or one side has a single matched term, that settles the size; the rare rest run the
    greedy."""

    def __init__(self, space: TermSpace, relevance: TextRelevance, items: list[SessionTerms],
                 experts: list[SpeakerTerms]):
        self.space, self.relevance, self.items, self.experts = space, relevance, items, experts
        self.pad = len(space.left)
        self.matches = np.vstack([space.matches.astype(np.float32), np.zeros((1, len(space.index)), np.float32)])
        self.topics = _TermLists(space, [i.topics for i in items])
        self.audience = _TermLists(space, [i.audience for i in items])
        self.taught = _TermLists(space, [i.taught for i in items])
        self.expertise = _TermLists(space, [e.expertise for e in experts])
        self.topic_count = np.array([len(i.topics) for i in items], dtype=np.int64)
        self.served = np.array([[g in i.goals_served for i in items] for g in GOALS], np.float32
                               ).reshape(len(GOALS), len(items))
        levels = {"beginner": 0, "intermediate": 1, "advanced": 2}
        self.level = np.array([levels.get(i.difficulty or "", -1) for i in items], dtype=np.int64)
        self.text_sims = np.vstack([relevance.sims.astype(np.float32, copy=False),
                                    np.full((1, relevance.sessions), -np.inf, np.float32)])
        self.levels = levels
        self.mentors = np.array([space.any_match("mentorship", e.offerings) for e in experts], dtype=bool)
        self.hiring = np.array([hiring_title(e.title) for e in experts], dtype=bool)
        self.has_expertise = np.array([bool(e.expertise) for e in experts], dtype=bool)
        self.industries: dict[str, int] = {}
        self.speaker_industry = np.array([self._industry(e.industry, -1) for e in experts], dtype=np.int64)
        self.item_index = {i.session_id: k for k, i in enumerate(items)}

    def _industry(self, name: str | None, missing: int) -> int:
        return self.industries.setdefault(name.lower(), len(self.industries)) if name else missing

    def rank(self, attendees: list[AttendeeTerms], excluded: list[set[int]], session_limit: int,
             speaker_limit: int) -> Iterator[tuple[list[Scored], list[Scored]]]:
        """Per attendee, in order: the best sessions (over the threshold, not excluded) and the best speakers."""
        terms_per = max(1, max((max(len(a.interests), len(a.skills_needed)) for a in attendees), default=1))
        width = max(len(self.space.index), len(self.items), 1)
        size = max(16, min(2048, BLOCK_CELLS // (terms_per * width)))
        for start in range(0, len(attendees), size):
            block = attendees[start:start + size]
            interests = _padded([[self.space.left[t] for t in a.interests] for a in block], self.pad)
            skills = _padded([[self.space.left[t] for t in a.skills_needed] for a in block], self.pad)
            interest_hits = self.matches[interests].sum(axis=1)
            skill_hits = self.matches[skills].sum(axis=1)
            sessions = (self._sessions(block, interests, skills, interest_hits, skill_hits,
                                       excluded[start:start + size], session_limit)
                        if self.items else [[] for _ in block])
            speakers = (self._speakers(block, interests, interest_hits, skills, skill_hits, speaker_limit)
                        if self.experts else [[] for _ in block])
            yield from zip(sessions, speakers, strict=True)

    def _sizes(self, people: np.ndarray, hits: np.ndarray, lists: _TermLists, block: list[AttendeeTerms],
               left: str) -> np.ndarray:
        """Greedy pairing sizes of each attendee's `left` terms with each list."""
        total = hits @ lists.incidence
        columns = (hits > 0).astype(np.float32) @ lists.incidence
        rows = lists.row_hits[people].sum(axis=1)
        sizes = _greedy_sizes(total, rows, columns)
        for i, k in zip(*np.nonzero(sizes < 0), strict=True):
            sizes[i, k] = len(self.space.pairs(getattr(block[i], left), lists.lists[k], lists.positions[k]))
        return sizes

    def _sessions(self, block: list[AttendeeTerms], interests: np.ndarray, skills: np.ndarray,
                  interest_hits: np.ndarray, skill_hits: np.ndarray, excluded: list[set[int]], limit: int
                  ) -> list[list[Scored]]:
        n, m = len(block), len(self.items)
        shared = self._sizes(interests, interest_hits, self.topics, block, "interests")
        taught = self._sizes(skills, skill_hits, self.taught, block, "skills_needed")
        counts = np.array([len(a.interests) for a in block], dtype=np.int64)
        union = counts[:, None] + self.topic_count[None, :] - shared
        overlap = np.where(union > 0, shared / np.maximum(union, 1), 0.0)
        has_interests = counts > 0
        # the text relevance is float32, and so is every comparison and sum it enters, as in score_session
        gathered = self.text_sims[np.array([[self.relevance.index[t] for t in a.interests] + [-1] * (
            interests.shape[1] - len(a.interests)) for a in block], dtype=np.int64).reshape(n, -1)]
        which = gathered.argmax(axis=1)
        relevance = np.where(has_interests[:, None], relevance_strength(gathered.max(axis=1)), np.float32(0))
        overlap32 = overlap.astype(np.float32)
        text_wins = has_interests[:, None] & (relevance > overlap32)
        shared_reason = (overlap32 >= relevance) & (overlap > 0.3)
        about = ~shared_reason & text_wins & (relevance > np.float32(0.3))
        goal_counts = np.array([[a.goals.count(g) for g in GOALS] for a in block], np.float32
                               ).reshape(n, len(GOALS)) @ self.served
        goal = np.minimum(1.0, 0.3 * goal_counts.astype(np.float64))
        roles = np.array([self.space.left[a.role] if a.role else self.pad for a in block], dtype=np.int64)
        audience = (self.audience.row_hits[roles] > 0).astype(np.float64)
        mine = np.array([self.levels.get(a.difficulty or "", -2) for a in block], dtype=np.int64)
        difficulty = np.where((self.level[None, :] >= 0) & (self.level[None, :] == mine[:, None]), 1.0,
                              np.where(self.level[None, :] == self.levels["intermediate"], 0.5, 0.0))
        bonus = np.minimum(0.15, 0.05 * taught)
        score = 0.4 * overlap + 0.3 * goal + 0.2 * audience + 0.1 * difficulty + bonus
        score32 = (np.float32(0.4) * relevance + (0.3 * goal).astype(np.float32) + (0.2 * audience).astype(np.float32)
                   + (0.1 * difficulty).astype(np.float32) + bonus.astype(np.float32))
        kept = np.where(text_wins, score32 > np.float32(SESSION_THRESHOLD), score > SESSION_THRESHOLD)
        for i, ids in enumerate(excluded):
            kept[i, [self.item_index[s] for s in ids if s in self.item_index]] = False
        value = np.where(text_wins, score32.astype(np.float64), score)
        order = _top(np.where(kept, -value, np.inf), min(limit, m))
        for i in np.flatnonzero(_mixed_ties(value, text_wins, kept)):
            order[i] = _typed_order(value[i], text_wins[i], kept[i], limit, order.shape[1])
        lists: list[list[Scored]] = []
        for i, person in enumerate(block):
            picked = [k for k in order[i].tolist() if kept[i, k]]
            lists.append([self._session(person, k, float(value[i, k]), bool(text_wins[i, k]),
                                        bool(shared_reason[i, k]), bool(about[i, k]), int(which[i, k]),
                                        audience[i, k] > 0, difficulty[i, k] == 1.0, int(taught[i, k]) > 0)
                          for k in picked])
        return lists

    def _session(self, person: AttendeeTerms, k: int, value: float, typed32: bool, shared: bool, about: bool,
                 which: int, audience: bool, level: bool, taught: bool) -> Scored:
        item = self.items[k]
        reasons = session_reasons(
            self.space.pairs(person.interests, item.topics, self.topics.positions[k]) if shared else None,
            relevance_reason(person.interests[which]) if about else None,
            [g for g in person.goals if g in item.goals_served], person.role if audience else None,
            item.difficulty if level else None,
            self.space.pairs(person.skills_needed, item.taught, self.taught.positions[k]) if taught else [])
        return Scored(item.session_id, np.float32(value) if typed32 else value, reasons)

    def _speakers(self, block: list[AttendeeTerms], interests: np.ndarray, interest_hits: np.ndarray,
                  skills: np.ndarray, skill_hits: np.ndarray, limit: int) -> list[list[Scored]]:
        shared = self._sizes(interests, interest_hits, self.expertise, block, "interests")
        helps = (skill_hits @ self.expertise.incidence) > 0
        counts = np.array([max(len(a.interests), 1) for a in block], dtype=np.int64)
        expertise = shared / counts[:, None]

        def goal(name: str) -> np.ndarray:
            return np.array([name in a.goals for a in block], dtype=bool)[:, None]

        goal_fit = ((goal("GET_MENTORED") & self.mentors) | (goal("HIRE") & self.hiring)
                    | (goal("LEARN") & self.has_expertise) | goal("NETWORK"))
        mine = np.array([self._industry(a.industry, -2) for a in block], dtype=np.int64)
        industry = mine[:, None] == self.speaker_industry[None, :]
        score = (0.5 * expertise + 0.3 * helps.astype(np.float64) + 0.15 * goal_fit.astype(np.float64)
                 + 0.05 * industry.astype(np.float64))
        kept = score > SPEAKER_THRESHOLD
        order = _top(np.where(kept, -score, np.inf), min(limit, len(self.experts)))
        lists: list[list[Scored]] = []
        for i, person in enumerate(block):
            lists.append([self._speaker(person, k, float(score[i, k]), int(shared[i, k]) > 0, bool(helps[i, k]),
                                        bool(industry[i, k]))
                          for k in order[i].tolist() if kept[i, k]])
        return lists

    def _speaker(self, person: AttendeeTerms, k: int, score: float, shares: bool, helps: bool, industry: bool
                 ) -> Scored:
        expert = self.experts[k]
        position = self.expertise.positions[k]
        shared = self.space.pairs(person.interests, expert.expertise, position) if shares else []
        goal_reason = speaker_goal_reason(person.goals, bool(self.mentors[k]), bool(self.hiring[k]),
                                          bool(self.has_expertise[k]))
        return Scored(expert.speaker_id, score, speaker_reasons(
            shared, self.space.pairs(person.skills_needed, expert.expertise, position) if helps else [], goal_reason,
            expert.industry if industry else None), shared=shared)


def _mixed_ties(value: np.ndarray, typed32: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Rows where a float32 score and a float64 score of two kept sessions are equal in float32: there the
    reference's sort compares them in float32 (numpy's rule for a Python float), which no single key reproduces."""
    key = value.astype(np.float32)
    kind = np.where(kept, typed32.astype(np.int8), np.int8(2))
    order = np.lexsort((kind, key), axis=1)
    key, kind = np.take_along_axis(key, order, axis=1), np.take_along_axis(kind, order, axis=1)
    return ((key[:, 1:] == key[:, :-1]) & (kind[:, 1:] != kind[:, :-1]) & (kind[:, 1:] < 2)
            & (kind[:, :-1] < 2)).any(axis=1)


def _typed_order(value: np.ndarray, typed32: np.ndarray, kept: np.ndarray, limit: int, width: int) -> np.ndarray:
    """One row's order by the reference's own sort, with each score in its own type."""
    scores = [(np.float32(v) if t else float(v), k) for k, (v, t, keep) in
              enumerate(zip(value.tolist(), typed32.tolist(), kept.tolist(), strict=True)) if keep]
    picked = [k for _, k in sorted(scores, key=lambda s: (-s[0], s[1]))][:limit]
    rest = sorted(set(range(len(value))) - set(picked))
    return np.array((picked + rest)[:width], dtype=np.int64)
