"""Seed 001's session and speaker scoring formulas, made semantic: terms match by embedding similarity."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# A similarity matrix between two lists of terms (1.0 = the same topic).
Similarity = Callable[[list[str], list[str]], np.ndarray]

MATCH_SIMILARITY = 0.55  # cosine at which two terms count as the same topic ("ML" ~ "machine learning")
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


class TermSpace:
    """Embedded terms, for similarities computed once per attendee against every term of the event."""

    def __init__(self, vectors: dict[str, np.ndarray]):
        self.index = {term: row for row, term in enumerate(vectors)}
        self.matrix = np.stack(list(vectors.values())) if vectors else np.zeros((0, 1), np.float32)
        lowered: dict[str, int] = {}
        self.canonical = np.array([lowered.setdefault(t.strip().lower(), len(lowered)) for t in vectors])
        self._rows: dict[tuple[str, ...], np.ndarray] = {}

    def rows(self, terms: list[str]) -> np.ndarray:
        """The matrix rows of these terms (the same few term lists are asked for again and again)."""
        key = tuple(terms)
        if key not in self._rows:
            self._rows[key] = np.array([self.index[t] for t in terms], dtype=np.int64)
        return self._rows[key]

    def similarity_from(self, terms: list[str]) -> AttendeeSimilarity:
        """A similarity whose left-hand terms are among `terms`: one matrix product up front, then slices."""
        return AttendeeSimilarity(self, list(dict.fromkeys(terms)))


class AttendeeSimilarity:
    """Similarities of one attendee's terms to every term of the event, computed in one product."""

    def __init__(self, space: TermSpace, terms: list[str]):
        self.space = space
        self.position = {t: k for k, t in enumerate(terms)}
        rows = [space.index[t] for t in terms]
        self.block = np.maximum(space.matrix[rows] @ space.matrix.T,
                                space.canonical[rows][:, None] == space.canonical[None, :])
        self.reachable = self.block.max(axis=0) >= MATCH_SIMILARITY

    def reaches(self, terms: list[str]) -> bool:
        """Whether any of these terms is close enough to some term of the attendee to be matched at all."""
        return bool(self.reachable[self.space.rows(terms)].any())

    def __call__(self, a: list[str], b: list[str]) -> np.ndarray:
        if not a or not b:
            return np.zeros((len(a), len(b)), dtype=np.float32)
        return self.block[[self.position[t] for t in a]][:, [self.space.index[t] for t in b]]


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

    @property
    def match_score(self) -> int:
        return min(100, int(round(self.score * 100)))


def score_session(person: AttendeeTerms, item: SessionTerms, similarity: Similarity, relevance: float = 0.0,
                  relevance_reason: str = "") -> Scored:
    """Seed 001 "Algorithmic Matching": interests/tags 40%, goals 30%, role/audience 20%, difficulty 10%, plus a
    skills bonus of up to 15%. `relevance` (0–1) is how closely the session's own text covers the attendee's
    interests; it stands in for the tag overlap when that is lower, so a program without tags still matches."""
    reasons: list[str] = []
    overlap, pairs = _jaccard(person.interests, item.topics, similarity)
    interest = max(overlap, relevance)
    if overlap >= relevance and overlap > 0.3:
        reasons.append("Shared interests: " + ", ".join(_pair_text(a, b) for a, b in pairs[:2]))
    elif relevance > overlap and relevance > 0.3 and relevance_reason:
        reasons.append(relevance_reason)
    goal, goals = goal_alignment(person.goals, item.goals_served)
    if goal > 0:
        reasons.append(f"Aligns with your {', '.join(g.replace('_', ' ').lower() for g in goals)} goal"
                       + ("s" if len(goals) > 1 else ""))
    audience = 0.0
    if person.role and soft_matches([person.role], item.audience, similarity):
        audience = 1.0
        reasons.append(f"Designed for {person.role}s")
    difficulty = 0.0
    if item.difficulty and item.difficulty == person.difficulty:
        difficulty = 1.0
        reasons.append(f"Matches your {item.difficulty} level")
    elif item.difficulty == "intermediate":
        difficulty = 0.5
    taught = soft_matches(person.skills_needed, item.taught, similarity)
    bonus = min(0.15, 0.05 * len(taught))
    if taught:
        reasons.append("Teaches: " + ", ".join(b for _, b in taught[:2]))
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


def score_speaker(person: AttendeeTerms, speaker: SpeakerTerms, similarity: Similarity) -> Scored:
    """Seed 001's speaker fallback: expertise vs interests 50%, skills exchange 30%, goal fit 15%, industry 5%."""
    reasons: list[str] = []
    interests, expertise = person.interests, speaker.expertise
    shared = soft_matches(interests, expertise, similarity)
    expertise_part = len(shared) / max(len(interests), 1)
    if shared:
        reasons.append("Expert in: " + ", ".join(b for _, b in shared[:2]))
    helps = soft_matches(person.skills_needed, expertise, similarity)
    if helps:
        reasons.append("Can help with: " + ", ".join(a for a, _ in helps[:2]))
    goal_reason = _speaker_goal_reason(person.goals, speaker, similarity)
    if goal_reason:
        reasons.append(goal_reason)
    industry = bool(person.industry and speaker.industry and person.industry.lower() == speaker.industry.lower())
    if industry:
        reasons.append(f"Same industry: {speaker.industry}")
    score = 0.5 * expertise_part + 0.3 * bool(helps) + 0.15 * bool(goal_reason) + 0.05 * industry
    return Scored(speaker.speaker_id, score, reasons,
                  {"expertise": expertise_part, "skills": float(bool(helps)), "goal": float(bool(goal_reason)),
                   "industry": float(industry)})


def _speaker_goal_reason(goals: list[str], speaker: SpeakerTerms, similarity: Similarity) -> str | None:
    if "GET_MENTORED" in goals and soft_matches(["mentorship"], speaker.offerings, similarity):
        return "Offers mentorship - aligns with your goal"
    if "HIRE" in goals and any(role in speaker.title.lower() for role in HIRING_ROLES):
        return "Potential hiring candidate"
    if "LEARN" in goals and speaker.expertise:
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
    starters: list[str] = []
    shared = soft_matches(_distinct(interests), _distinct(expertise), similarity)
    if shared:
        starters.append(f"I noticed we both share an interest in {shared[0][1]}. What's been your most impactful "
                        "project in this area?")
    if "GET_MENTORED" in goals and soft_matches(["mentorship"], _distinct(offerings), similarity):
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
