"""'Why this match': reasons, chips, conversation starters and potential value built from what actually matched."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# (my goal, their goal) -> (what they do, what I do)
GOAL_PHRASES = {
    ("HIRE", "GET_HIRED"): ("is open to a new role", "you are hiring"),
    ("GET_HIRED", "HIRE"): ("is hiring", "you are looking for your next role"),
    ("MENTOR", "GET_MENTORED"): ("wants a mentor", "you mentor"),
    ("GET_MENTORED", "MENTOR"): ("mentors people", "you want a mentor"),
    ("LEARN", "MENTOR"): ("mentors people", "you are here to learn"),
    ("MENTOR", "LEARN"): ("is here to learn", "you mentor"),
    ("SELL", "BUY"): ("is evaluating vendors", "you sell"),
    ("BUY", "SELL"): ("sells", "you are buying"),
    ("FIND_INVESTORS", "INVEST"): ("invests", "you are raising"),
    ("INVEST", "FIND_INVESTORS"): ("is raising", "you invest"),
    ("FIND_PARTNERS", "FIND_PARTNERS"): ("is looking for partners", "so are you"),
}
VALUE_BY_GOALS = {
    ("HIRE", "GET_HIRED"): "A candidate for the role you are hiring for",
    ("GET_HIRED", "HIRE"): "A possible next job",
    ("MENTOR", "GET_MENTORED"): "Someone you can help grow",
    ("GET_MENTORED", "MENTOR"): "A mentor for what you want to learn",
    ("LEARN", "MENTOR"): "A mentor for what you want to learn",
    ("SELL", "BUY"): "A potential customer",
    ("BUY", "SELL"): "A vendor for what you need",
    ("FIND_INVESTORS", "INVEST"): "A potential investor",
    ("INVEST", "FIND_INVESTORS"): "A potential investment",
    ("FIND_PARTNERS", "FIND_PARTNERS"): "A partner whose strengths complement yours",
}


@dataclass
class Side:
    """One person as the explainer sees them: name, goals and their embedded texts."""

    first_name: str
    role: str
    company: str
    goals: list[str]
    years: int | None
    industry: str | None = None
    city: str | None = None
    offers: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    reasons: list[str]
    chips: list[str]
    starters: list[str]
    potential_value: str


class TextSpace:
    """Embedded texts with their skill-graph concept bitsets, for finding the best matching pair fast."""

    def __init__(self, texts: list[str], vectors: np.ndarray, concept_bits: np.ndarray | None = None):
        self.index = {t: i for i, t in enumerate(texts)}
        self.vectors = vectors
        self.concept_bits = concept_bits

    def best_pair(self, left: list[str], right: list[str], left_free: list[str] = (), right_free: list[str] = ()
                  ) -> tuple[str, str, float] | None:
        """The best matching (left, right) texts; a free-text clause may stand on one side only."""
        lefts = [t for t in (*left, *left_free) if t in self.index]
        rights = [t for t in (*right, *right_free) if t in self.index]
        if not lefts or not rights:
            return None
        li = [self.index[t] for t in lefts]
        ri = [self.index[t] for t in rights]
        sims = self.vectors[li] @ self.vectors[ri].T
        if self.concept_bits is not None:
            shared = (self.concept_bits[li][:, None, :] & self.concept_bits[ri][None, :, :]).any(axis=-1)
            sims = np.where(shared, np.maximum(sims, 0.85), sims)
        free_left = np.array([t not in left for t in lefts])
        free_right = np.array([t not in right for t in rights])
        sims[np.outer(free_left, free_right)] = -np.inf
        row, col = np.unravel_index(int(np.argmax(sims)), sims.shape)
        best = float(sims[row, col])
        return (lefts[row], rights[col], best) if best >= 0.35 else None


def _cite(text: str, free: list[str]) -> str:
    return f'"{text}"' if text in free else text


def _chip(prefix: str, text: str, free: list[str]) -> str | None:
    return None if text in free or len(text) > 32 else f"{prefix} {text}"


GOAL_INTENT = {
    "LEARN": "here to learn", "NETWORK": "here to network", "HIRE": "hiring", "GET_HIRED": "open to a new role",
    "FIND_PARTNERS": "looking for partners", "FIND_INVESTORS": "raising investment", "INVEST": "investing",
    "SELL": "selling", "BUY": "evaluating vendors", "MENTOR": "mentoring", "GET_MENTORED": "looking for a mentor",
}


def _profile_facts(me: Side, them: Side) -> list[str]:
    """Plain facts about the other person that still say something specific about the pair."""
    facts = []
    if me.industry and them.industry and me.industry.lower() == them.industry.lower():
        facts.append(f"You both work in {them.industry}.")
    if me.city and them.city and me.city.lower() == them.city.lower():
        facts.append(f"You are both based in {them.city}.")
    intents = [GOAL_INTENT[g] for g in them.goals if g in GOAL_INTENT]
    if intents:
        facts.append(f"{them.first_name} is {' and '.join(intents[:2])}.")
    role = f"{them.role} at {them.company}" if them.company else them.role
    if role:
        years = f" with {them.years} years of experience" if them.years else ""
        facts.append(f"{them.first_name} is {role}{years}.")
    return facts


def goal_pairs(mine: list[str], theirs: list[str]) -> list[tuple[str, str]]:
    """Complementary goal pairs between two people, strongest first."""
    return [pair for pair in GOAL_PHRASES if pair[0] in mine and pair[1] in theirs]


def explain_match(me: Side, them: Side, space: TextSpace, event_name: str) -> Explanation:
    """2–3 specific reasons, short chips, 2 starters and a one-line value, all citing real overlap."""
    reasons: list[str] = []
    chips: list[str] = []
    starters: list[str] = []
    pairs = goal_pairs(me.goals, them.goals)
    they_need = space.best_pair(me.offers, them.needs, me.statements, them.statements)
    i_need = space.best_pair(me.needs, them.offers, me.statements, them.statements)
    shared = space.best_pair(me.topics, them.topics)

    if pairs:
        theirs_text, mine_text = GOAL_PHRASES[pairs[0]]
        reasons.append(f"{them.first_name} {theirs_text} and {mine_text}.")
        chips.append(pairs[0][1].replace("_", " ").title())
    if i_need:
        need, offer, _ = i_need
        experience = f" ({them.years} years of experience)" if them.years and offer in them.offers else ""
        need_text = f"You need {need}" if need in me.needs else f"You wrote {_cite(need, me.statements)}"
        offer_text = (f"{them.first_name} brings {offer}{experience}" if offer in them.offers
                      else f"{them.first_name} says {_cite(offer, them.statements)}")
        reasons.append(f"{need_text}; {offer_text}.")
        chips.append(_chip("Offers", offer, them.statements))
        topic = offer if offer in them.offers else need
        starters.append(f"I'm looking for help with {topic}. How have you approached it in your work?")
    if they_need:
        mine, theirs, _ = they_need
        need_text = (f"{them.first_name} is looking for {theirs}" if theirs in them.needs
                     else f"{them.first_name} wrote {_cite(theirs, them.statements)}")
        offer_text = f"you offer {mine}" if mine in me.offers else f"you wrote {_cite(mine, me.statements)}"
        reasons.append(f"{need_text}; {offer_text}.")
        chips.append(_chip("Needs", theirs, them.statements))
        topic = theirs if theirs in them.needs else mine
        starters.append(f"I work on {topic}. What's the hardest part of it for your team right now?")
    if shared:
        a, b, _ = shared
        topic = a if a.lower() == b.lower() else f"{a} / {b}"
        reasons.append(f"You share an interest in {topic}.")
        chips.append(_chip("Both into", a, []))
        starters.append(f"What got you into {b}, and what are you most excited about in it right now?")
    for fact in _profile_facts(me, them):
        if len(reasons) >= 2:
            break
        reasons.append(fact)
    intents = [GOAL_INTENT[g] for g in them.goals if g in GOAL_INTENT]
    if len(starters) < 2 and intents:
        starters.append(f"I saw you're {intents[0]} — what exactly are you looking for at {event_name}?")
    if len(starters) < 2:
        starters.append(f"What does a typical week look like for a {them.role or 'person in your role'}"
                        f"{' at ' + them.company if them.company else ''}?")
    value = VALUE_BY_GOALS.get(pairs[0]) if pairs else None
    if value is None:
        value = f"Shared ground in {shared[1]}" if shared else f"A new contact in {them.role or 'your field'}"
    if i_need and i_need[1] in them.offers:
        value += f", strong in {i_need[1]}"
    elif they_need and they_need[1] in them.needs:
        value += f", who needs {they_need[1]}"
    return Explanation(reasons[:3], [c for c in chips if c][:3], starters[:2], value + ".")
