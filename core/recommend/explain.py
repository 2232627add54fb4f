"""'Why this match': reasons, chips, conversation starters and potential value built from what actually matched."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.platform.parallel import map_on_cores

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
    enriched: dict[str, str] = field(default_factory=dict)  # skill found by enrichment -> the platform it is from
    favourites: dict[str, str] = field(default_factory=dict)  # canonical favourite title -> the title as shown


@dataclass
class Explanation:
    reasons: list[str]
    chips: list[str]
    starters: list[str]
    potential_value: str
    taste_starter: str | None = None  # "You both love …", also kept beside an LLM pick's own starters


Group = tuple[list[str], list[str]]  # (listed items, free-text clauses) of one side of a comparison
Padded = tuple[np.ndarray, np.ndarray]  # text ids (rows x width, -1 padded) and which are free-text clauses
Found = tuple[str, str, float] | None
PAIR_CHUNK = 4096
GROUP_WIDTH = 12  # texts per side considered for an explanation: listed items first, then clauses


class TextSpace:
    """Embedded texts with their skill-graph concept bitsets, for finding best matching pairs fast."""

    def __init__(self, texts: list[str], vectors: np.ndarray, concept_bits: np.ndarray | None = None):
        self.index = {t: i for i, t in enumerate(texts)}
        self.texts = texts
        self.vectors = vectors
        self.concept_bits = concept_bits

    def pad(self, groups: list[Group]) -> Padded:
        """Each group's known texts as a row of ids, with the free-text flags beside them."""
        resolved = [([(self.index[t], False) for t in items if t in self.index]
                     + [(self.index[t], True) for t in free if t in self.index and t not in items])[:GROUP_WIDTH]
                    for items, free in groups]
        width = max((len(r) for r in resolved), default=0) or 1
        ids = np.full((len(groups), width), -1, dtype=np.int64)
        is_free = np.zeros((len(groups), width), dtype=bool)
        for row, entries in enumerate(resolved):
            if entries:
                ids[row, :len(entries)], is_free[row, :len(entries)] = zip(*entries, strict=False)
        return ids, is_free

    def best_pairs(self, left: Padded, right: Padded) -> list[Found]:
        """For each row of left and right, the best matching pair of texts, or None below the bar.

        A free-text clause may stand on one side only; naming a shared skill-graph concept lifts a pair
        to at least 0.85."""
        if not self.texts:
            return [None] * len(left[0])

        def best_in_chunk(start: int) -> list[Found]:
            left_ids, left_free = (a[start:start + PAIR_CHUNK] for a in left)
            right_ids, right_free = (a[start:start + PAIR_CHUNK] for a in right)
            sims = np.matmul(self.vectors[np.maximum(left_ids, 0)],
                             self.vectors[np.maximum(right_ids, 0)].transpose(0, 2, 1))
            if self.concept_bits is not None:
                shared = (self.concept_bits[np.maximum(left_ids, 0)][:, :, None, :]
                          & self.concept_bits[np.maximum(right_ids, 0)][:, None, :, :]).any(axis=-1)
                sims = np.where(shared, np.maximum(sims, 0.85), sims)
            allowed = ((left_ids >= 0)[:, :, None] & (right_ids >= 0)[:, None, :]
                       & ~(left_free[:, :, None] & right_free[:, None, :]))
            sims = np.where(allowed, sims, -np.inf).reshape(len(left_ids), -1)
            best = sims.argmax(axis=1)
            scores = sims[np.arange(len(best)), best]
            rows, cols = np.unravel_index(best, (left_ids.shape[1], right_ids.shape[1]))
            lefts = left_ids[np.arange(len(best)), rows]
            rights = right_ids[np.arange(len(best)), cols]
            return [(self.texts[a], self.texts[b], float(score)) if score >= 0.35 else None
                    for a, b, score in zip(lefts, rights, scores, strict=False)]

        chunks = map_on_cores(best_in_chunk, range(0, len(left[0]), PAIR_CHUNK))
        return [found for chunk in chunks for found in chunk]

    def best_pair(self, left: list[str], right: list[str], left_free: list[str] = (), right_free: list[str] = ()
                  ) -> Found:
        """The best matching (left, right) texts; a free-text clause may stand on one side only."""
        return self.best_pairs(self.pad([(list(left), list(left_free))]),
                               self.pad([(list(right), list(right_free))]))[0]


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


def explain_matches(sides: list[Side], pairs: list[tuple[int, int]], space: TextSpace, event_name: str
                    ) -> list[Explanation]:
    """Explain many (me, them) pairs of indexes into `sides` at once; each as `explain_match` would."""
    offers = space.pad([([*s.offers, *(e for e in s.enriched if e not in s.offers)], s.statements) for s in sides])
    needs = space.pad([(s.needs, s.statements) for s in sides])
    topics = space.pad([(s.topics, []) for s in sides])
    mine = np.array([m for m, _ in pairs], dtype=np.int64)
    theirs = np.array([t for _, t in pairs], dtype=np.int64)

    def rows(padded: Padded, people: np.ndarray) -> Padded:
        return padded[0][people], padded[1][people]

    i_need = space.best_pairs(rows(needs, mine), rows(offers, theirs))
    they_need = space.best_pairs(rows(offers, mine), rows(needs, theirs))
    shared = space.best_pairs(rows(topics, mine), rows(topics, theirs))
    return [_explanation(sides[m], sides[t], event_name, *found)
            for (m, t), *found in zip(pairs, i_need, they_need, shared, strict=False)]


def explain_match(me: Side, them: Side, space: TextSpace, event_name: str) -> Explanation:
    """2–3 specific reasons, short chips, 2 starters and a one-line value, all citing real overlap."""
    return explain_matches([me, them], [(0, 1)], space, event_name)[0]


def _public(side: Side, skill: str, owner: str) -> str:
    """'Ana's public GitHub' / 'your public GitHub': where an enriched skill was found."""
    return f"{owner} public {side.enriched[skill]}"


def shared_favourite(me: Side, them: Side) -> str | None:
    """The first of my favourite titles the other person loves too, as I wrote it."""
    return next((shown for canonical, shown in me.favourites.items() if canonical in them.favourites), None)


def _explanation(me: Side, them: Side, event_name: str, i_need: Found, they_need: Found, shared: Found
                 ) -> Explanation:
    reasons: list[str] = []
    chips: list[str] = []
    starters: list[str] = []
    pairs = goal_pairs(me.goals, them.goals)

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
        if offer in them.enriched and offer not in them.offers:
            which = "which you need" if need in me.needs else f"and you wrote {_cite(need, me.statements)}"
            owner = f"{them.first_name}'s"
            reasons.append(f"{_public(them, offer, owner)} shows {offer}, {which}.")
        else:
            reasons.append(f"{need_text}; {offer_text}.")
        chips.append(_chip("Offers", offer, them.statements))
        topic = offer if offer in them.offers or offer in them.enriched else need
        starters.append(f"I'm looking for help with {topic}. How have you approached it in your work?")
    if they_need:
        mine, theirs, _ = they_need
        need_text = (f"{them.first_name} is looking for {theirs}" if theirs in them.needs
                     else f"{them.first_name} wrote {_cite(theirs, them.statements)}")
        offer_text = f"you offer {mine}" if mine in me.offers else f"you wrote {_cite(mine, me.statements)}"
        if mine in me.enriched and mine not in me.offers:
            offer_text = f"{_public(me, mine, 'your')} shows {mine}"
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
    favourite = shared_favourite(me, them)
    taste_starter = f'You both love "{favourite}".' if favourite else None
    if taste_starter:
        starters.insert(min(1, len(starters)), taste_starter)
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
    return Explanation(reasons[:3], [c for c in chips if c][:3], starters[:2], value + ".", taste_starter)
