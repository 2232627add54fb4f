"""'Why this match': reasons, chips, conversation starters and potential value built from what actually matched."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from core.events.labels import company_size_label
from core.platform.memory import gc_paused
from core.platform.parallel import map_on_cores
from db.models import CompanySize

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
    company_size: str | None = None  # a CompanySize value
    problem_statements: list[str] = field(default_factory=list)  # the clauses of their problem statement


@dataclass
class Explanation:
    reasons: list[str]
    chips: list[str]
    starters: list[str]
    potential_value: str
    taste_starter: str | None = None  # "You both love …", also kept beside an LLM pick's own starters
    specific: list[bool] = field(default_factory=list)  # per reason: cites the candidate's own profile (not stored)


Group = tuple[list[str], list[str]]  # (listed items, free-text clauses) of one side of a comparison
Padded = tuple[np.ndarray, np.ndarray]  # text ids (rows x width, -1 padded) and which are free-text clauses
Found = tuple[str, str, float] | None
PAIR_CHUNK = 256  # pairs compared at once: their gathered text vectors (2 x 256 x 12 x 384 floats) stay in cache
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

    def best_pairs(self, left: Padded, right: Padded, concepts: bool = True) -> list[Found]:
        """For each row of left and right, the best matching pair of texts, or None below the bar.

        A free-text clause may stand on one side only; naming a shared skill-graph concept lifts a pair
        to at least 0.85 (unless `concepts` is off: then only the vectors count)."""
        if not self.texts:
            return [None] * len(left[0])

        def best_in_chunk(start: int) -> list[Found]:
            left_ids, left_free = (a[start:start + PAIR_CHUNK] for a in left)
            right_ids, right_free = (a[start:start + PAIR_CHUNK] for a in right)
            sims = np.matmul(self.vectors[np.maximum(left_ids, 0)],
                             self.vectors[np.maximum(right_ids, 0)].transpose(0, 2, 1))
            if concepts and self.concept_bits is not None:
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
# How a company of each size is named in a sentence; the head count comes from its profile label.
STAGE_NOUNS = {
    CompanySize.STARTUP_1_10: "an early-stage startup", CompanySize.SMALL_11_50: "a small company",
    CompanySize.MEDIUM_51_200: "a mid-sized company", CompanySize.LARGE_201_1000: "a large company",
    CompanySize.ENTERPRISE_1000_PLUS: "an enterprise",
}
QUOTE_LIMIT = 90
SHARED_PROBLEM = 0.5  # cosine between two problem clauses for them to count as the same problem
# Tie-breaks after "fewest cards cite it" and "specific first": the stronger kind of evidence leads.
REASON_PRIORITY = {kind: rank for rank, kind in enumerate((
    "problem", "offer", "need", "seniority", "their_skills", "role", "stage", "goal", "topic", "industry", "city",
    "intent", "their_stage"))}
WEAK_KINDS = frozenset({"their_stage"})  # true of the candidate, but says little about the pair: never leads early
# What matched the pair: one of these stays on every card, after what is specific to the candidate.
CORE_RANK = {kind: rank for rank, kind in enumerate(("offer", "need", "goal", "topic"))}
STARTER_PRIORITY = {kind: rank for rank, kind in enumerate((
    "quote", "offer_at", "need", "topic", "their_skill", "ask", "intent", "role"))}


def _stage_phrase(size: str) -> str:
    """'at an early-stage startup (1–10 people)': a company size in a sentence, its head count from the label."""
    if size == CompanySize.SOLO:
        return "independently"
    count = re.search(r"\(([^)]*)\)", company_size_label(size))
    return f"at {STAGE_NOUNS[size]}" + (f" ({count.group(1)} people)" if count else "")


STAGE_PHRASES = {str(size): _stage_phrase(size) for size in CompanySize}


@dataclass(slots=True, eq=False)  # compared by identity: two options are never merged by their text
class Reason:
    """One possible line of a card: its text, a key of the evidence it cites (its kind first) and whether that
    evidence is the candidate's own (their skills, experience, company, problem or words) rather than shared."""

    text: str
    fact: tuple
    specific: bool
    plain: str | None = None  # the text without the years of experience, once another line has cited them
    years: bool = False  # cites the candidate's years of experience


@dataclass(slots=True)
class _Candidate:
    """What any card can say of one candidate, whoever views it: built once per candidate."""

    offer_keys: list[str]
    role_years: Reason | None  # their role with their years of experience
    role_plain: Reason | None  # their role alone
    stage: str | None
    intent: Reason | None
    intent_starter: Reason | None
    role_starter: Reason
    problem_quote: Reason | None  # their first problem clause, quoted
    bio: list[str]  # their statement clauses that are not part of the problem statement
    bio_quote: Reason | None  # their last bio clause, quoted


@dataclass(slots=True)
class _Options:
    """Everything one card could say, before the viewer's other cards decide which lines it shows."""

    name: str
    reasons: list[Reason]
    starters: list[Reason]
    chips: list[str]
    value: str
    favourites: list[str]  # my favourite titles the candidate loves too, as I wrote them


def goal_pairs(mine: list[str], theirs: list[str]) -> list[tuple[str, str]]:
    """Complementary goal pairs between two people, strongest first."""
    return [pair for pair in GOAL_PHRASES if pair[0] in mine and pair[1] in theirs]


def explain_matches(sides: list[Side], pairs: list[tuple[int, int]], space: TextSpace, event_name: str
                    ) -> list[Explanation]:
    """Explain many (me, them) pairs of indexes into `sides` at once; the explanations come in `pairs` order.

    Each viewer's pairs are read as their list, in the order given (best first; they need not be adjacent): a
    card leads with what sets that candidate apart from the viewer's other cards, no two of the viewer's cards
    open with the same reason, and starters repeat only once the options run out. A viewer with one pair gets
    exactly what `explain_match` gives."""
    return Explainer(sides, space, event_name).explain(pairs)


class Explainer:
    """`explain_matches` for one event's people, called again and again (e.g. a few hundred viewers at a time):
    what depends only on the people (their padded texts, the lines about each candidate) is built once."""

    def __init__(self, sides: list[Side], space: TextSpace, event_name: str):
        self.sides, self.space, self.event_name = sides, space, event_name
        self.offers = space.pad([([*s.offers, *(e for e in s.enriched if e not in s.offers)], s.statements)
                                 for s in sides])
        self.needs = space.pad([(s.needs, s.statements) for s in sides])
        self.topics = space.pad([(s.topics, []) for s in sides])
        self.problems = space.pad([(s.problem_statements, []) for s in sides])
        self.candidates: dict[int, _Candidate] = {}

    def explain(self, pairs: list[tuple[int, int]]) -> list[Explanation]:
        """`explain_matches` of these pairs; each viewer's pairs must all be in one call."""
        with gc_paused():  # a hundred thousand small option objects: collections would double the time
            return self._explain(pairs)

    def _explain(self, pairs: list[tuple[int, int]]) -> list[Explanation]:
        sides, space = self.sides, self.space
        mine = np.array([m for m, _ in pairs], dtype=np.int64)
        theirs = np.array([t for _, t in pairs], dtype=np.int64)

        def rows(padded: Padded, people: np.ndarray) -> Padded:
            return padded[0][people], padded[1][people]

        i_need = space.best_pairs(rows(self.needs, mine), rows(self.offers, theirs))
        they_need = space.best_pairs(rows(self.offers, mine), rows(self.needs, theirs))
        shared = space.best_pairs(rows(self.topics, mine), rows(self.topics, theirs))
        # two problems are alike by what they say; sharing a skill concept alone does not make them one problem
        same_problem = space.best_pairs(rows(self.problems, mine), rows(self.problems, theirs), concepts=False)
        candidates = self.candidates
        for _, t in pairs:
            if t not in candidates:
                candidates[t] = _candidate(sides[t], self.event_name)
        by_viewer: dict[int, list[int]] = {}
        for position, (viewer, _) in enumerate(pairs):
            by_viewer.setdefault(viewer, []).append(position)
        explanations: list[Explanation] = [None] * len(pairs)  # type: ignore[list-item]
        for viewer, positions in by_viewer.items():
            # one viewer's options at a time, so that they are garbage before the next viewer's are built
            cards = [_options(sides[viewer], sides[pairs[p][1]], candidates[pairs[p][1]], i_need[p], they_need[p],
                              shared[p], same_problem[p]) for p in positions]
            for position, explanation in zip(positions, _choose(cards), strict=True):
                explanations[position] = explanation
        return explanations


def explain_match(me: Side, them: Side, space: TextSpace, event_name: str) -> Explanation:
    """2–3 specific reasons, short chips, 2 starters and a one-line value, all citing real overlap."""
    return explain_matches([me, them], [(0, 1)], space, event_name)[0]


def _public(side: Side, skill: str, owner: str) -> str:
    """'Ana's public GitHub' / 'your public GitHub': where an enriched skill was found."""
    return f"{owner} public {side.enriched[skill]}"


def shared_favourite(me: Side, them: Side) -> str | None:
    """The first of my favourite titles the other person loves too, as I wrote it."""
    return next(iter(_shared_favourites(me, them)), None)


def _shared_favourites(me: Side, them: Side) -> list[str]:
    if not (me.favourites and them.favourites):
        return []
    return [shown for canonical, shown in me.favourites.items() if canonical in them.favourites]


def _years(count: int) -> str:
    return f"{count} year{'' if count == 1 else 's'}"


def _quote(text: str) -> str:
    """The person's own words, cut at a word boundary to about QUOTE_LIMIT characters."""
    if len(text) <= QUOTE_LIMIT:
        return text
    cut = text[:QUOTE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return f"{cut}…"


def _candidate(them: Side, event_name: str) -> _Candidate:
    """The lines about one candidate that do not depend on who views them."""
    name = them.first_name
    role_years = role_plain = None
    if them.role:
        at = f" at {them.company}" if them.company else ""
        fact = ("role", them.role.lower(), (them.company or "").lower())
        role_plain = Reason(f"{name} works as {them.role}{at}.", fact, True)
        if them.years:
            role_years = Reason(f"{name} has {_years(them.years)} of experience, now {them.role}{at}.", fact, True,
                                role_plain.text, True)
    elif them.years:
        role_years = Reason(f"{name} has {_years(them.years)} of experience.", ("role", "", ""), True, years=True)
    intents = [GOAL_INTENT[g] for g in them.goals if g in GOAL_INTENT]
    intent = intent_starter = None
    if intents:
        intent = Reason(f"{name} is {' and '.join(intents[:2])}.", ("intent", *intents[:2]), False)
        intent_starter = Reason(f"I saw you're {intents[0]} — what exactly are you looking for at {event_name}?",
                                ("intent", intents[0]), False)
    role_starter = Reason(f"What does a typical week look like for a {them.role or 'person in your role'}"
                          f"{' at ' + them.company if them.company else ''}?",
                          ("role", (them.role or "").lower(), (them.company or "").lower()), True)
    problem = next(iter(them.problem_statements), None)
    bio = [s for s in them.statements if s not in them.problem_statements]
    return _Candidate([o.lower() for o in them.offers], role_years, role_plain,
                      STAGE_PHRASES.get(str(them.company_size)) if them.company_size else None,
                      intent, intent_starter, role_starter, _problem_quote(problem) if problem else None, bio,
                      _bio_quote(bio[-1]) if bio else None)


def _problem_quote(clause: str) -> Reason:
    return Reason(f'You wrote "{_quote(clause)}" — what have you tried so far?', ("quote", clause.lower()), True)


def _bio_quote(clause: str) -> Reason:
    return Reason(f'You wrote "{_quote(clause)}" — can you tell me more?', ("quote", clause.lower()), True)


def _seniority(me: Side, them: Side, pairs: list[tuple[str, str]]) -> Reason | None:
    """The gap in years of experience, for a mentoring pair where it points the right way."""
    if me.years is None or them.years is None or not pairs:
        return None
    if any(theirs == "MENTOR" for _, theirs in pairs) and them.years - me.years >= 2:
        gap = them.years - me.years
        return Reason(f"{them.first_name} has {gap} more years of experience than you.", ("seniority", gap),
                      True, years=True)
    if any(mine == "MENTOR" for mine, _ in pairs) and me.years - them.years >= 2:
        gap = me.years - them.years
        told = f"has {_years(them.years)} of experience" if them.years else "is just starting out"
        return Reason(f"{them.first_name} {told}, {gap} fewer than you.", ("seniority", -gap), True, years=True)
    return None


def _options(me: Side, them: Side, known: _Candidate, i_need: Found, they_need: Found, shared: Found,
             same_problem: Found) -> _Options:
    """Every reason, chip and starter the evidence of one pair supports, and its potential value."""
    name = them.first_name
    reasons: list[Reason] = []
    chips: list[str | None] = []
    starters: list[Reason] = []
    pairs = goal_pairs(me.goals, them.goals)
    seniority = _seniority(me, them, pairs)
    cite_years = seniority is None and bool(them.years)  # the gap, where there is one, says the years already
    offer = matched_offer = None

    if seniority:
        reasons.append(seniority)
    if pairs:
        theirs_text, mine_text = GOAL_PHRASES[pairs[0]]
        reasons.append(Reason(f"{name} {theirs_text} and {mine_text}.", ("goal", pairs[0]), False))
        chips.append(pairs[0][1].replace("_", " ").title())
    problem = same_problem[1] if same_problem and same_problem[2] >= SHARED_PROBLEM else None
    if problem:
        how = "the same problem as you" if same_problem[0].lower() == problem.lower() else "a problem like yours"
        reasons.append(Reason(f'{name} faces {how}: "{_quote(problem)}".', ("problem", problem.lower()), True))
    if i_need:
        need, offer, _ = i_need
        listed = offer in them.offers
        matched_offer = offer if listed or offer in them.enriched else None
        need_text = f"You need {need}" if need in me.needs else f"You wrote {_cite(need, me.statements)}"
        offer_text = f"{name} brings {offer}" if listed else f"{name} says {_cite(offer, them.statements)}"
        fact = ("offer", offer.lower())
        if offer in them.enriched and not listed:
            which = "which you need" if need in me.needs else f"and you wrote {_cite(need, me.statements)}"
            public = _public(them, offer, f"{name}'s")
            reasons.append(Reason(f"{public} shows {offer}, {which}.", fact, True))
        elif listed and cite_years:
            plain = f"{need_text}; {offer_text}."
            reasons.append(Reason(f"{need_text}; {offer_text} ({_years(them.years)} of experience).", fact, True,
                                  plain, True))
        else:
            reasons.append(Reason(f"{need_text}; {offer_text}.", fact, True))
        chips.append(_chip("Offers", offer, them.statements))
        topic = matched_offer or need
        starters.append(Reason(f"I'm looking for help with {topic}. How have you approached it in your work?",
                               ("ask", topic.lower()), False))
        if matched_offer:
            where = f" at {them.company}" if them.company else f" as {them.role}" if them.role else ""
            starters.append(Reason(f"What does {matched_offer} look like in your work{where}?",
                                   ("offer_at", matched_offer.lower(), where), True))
    if they_need:
        mine, theirs, _ = they_need
        need_text = (f"{name} is looking for {theirs}" if theirs in them.needs
                     else f"{name} wrote {_cite(theirs, them.statements)}")
        offer_text = f"you offer {mine}" if mine in me.offers else f"you wrote {_cite(mine, me.statements)}"
        if mine in me.enriched and mine not in me.offers:
            offer_text = f"{_public(me, mine, 'your')} shows {mine}"
        reasons.append(Reason(f"{need_text}; {offer_text}.", ("need", theirs.lower()), True))
        chips.append(_chip("Needs", theirs, them.statements))
        topic = theirs if theirs in them.needs else mine
        starters.append(Reason(f"I work on {topic}. What's the hardest part of it for your team right now?",
                               ("need", topic.lower()), True))
    if shared:
        a, b, _ = shared
        topic = a if a.lower() == b.lower() else f"{a} / {b}"
        reasons.append(Reason(f"You share an interest in {topic}.", ("topic", a.lower(), b.lower()), False))
        chips.append(_chip("Both into", a, []))
        starters.append(Reason(f"What got you into {b}, and what are you most excited about in it right now?",
                               ("topic", b.lower()), False))
    # what else they bring, beside the skill that matched (never on its own: a skill the viewer did not ask
    # for, or asked us to ignore, is no reason)
    others = [o for o, key in zip(them.offers, known.offer_keys, strict=False) if key != matched_offer.lower()
              ][:2] if matched_offer else []
    if others:
        reasons.append(Reason(f"{name} also brings {' and '.join(others)}.",
                              ("their_skills", *(o.lower() for o in others)), True))
        starters.append(Reason(f"How did you get into {others[0]}?", ("their_skill", others[0].lower()), True))
    role = known.role_years if cite_years and known.role_years else known.role_plain
    if role:
        reasons.append(role)
    if known.stage:
        size = str(them.company_size)
        if me.company_size and str(me.company_size) == size:
            reasons.append(Reason(f"{name} works {known.stage}, like you.", ("stage", size), True))
        else:
            reasons.append(Reason(f"{name} works {known.stage}.", ("their_stage", size), True))
    if me.industry and them.industry and me.industry.lower() == them.industry.lower():
        reasons.append(Reason(f"You both work in {them.industry}.", ("industry", them.industry.lower()), False))
    if me.city and them.city and me.city.lower() == them.city.lower():
        reasons.append(Reason(f"You are both based in {them.city}.", ("city", them.city.lower()), False))
    if known.intent:
        reasons.append(known.intent)
        starters.append(known.intent_starter)
    starters.append(_problem_quote(problem) if problem else known.problem_quote)
    starters.append(known.bio_quote)
    matched_bio = next((found for found in (i_need and i_need[1], they_need and they_need[1])
                        if found in known.bio and found != known.bio[-1]), None)
    if matched_bio:  # the clause that matched, as another way in
        starters.append(_bio_quote(matched_bio))
    starters.append(known.role_starter)
    return _Options(name, reasons, [s for s in starters if s], [c for c in chips if c][:3],
                    _value(them, pairs, shared, matched_offer, others, they_need), _shared_favourites(me, them))


def _value(them: Side, pairs: list[tuple[str, str]], shared: Found, matched_offer: str | None, others: list[str],
           they_need: Found) -> str:
    """The goal pair's value, ending with what this candidate is strong in (or needs)."""
    value = VALUE_BY_GOALS.get(pairs[0]) if pairs else None
    if value is None:
        value = f"Shared ground in {shared[1]}" if shared else f"A new contact in {them.role or 'your field'}"
    if matched_offer:
        value += f", strong in {' and '.join([matched_offer, *others[:1]])}"
    elif they_need and they_need[1] in them.needs:
        value += f", who needs {they_need[1]}"
    return value + "."


def _named(text: str, name: str) -> str:
    """The text with the candidate's first name as a placeholder, so that cards can be compared."""
    return text.replace(name, "{name}") if name else text


def _choose(cards: list[_Options]) -> list[Explanation]:
    """One viewer's cards, best first: each opens with the reason fewest of the cards share, never another card's
    opening line, then adds what else sets the candidate apart and one line of what matched; starters are
    picked so that no two cards repeat one while another is left."""
    reason_share = Counter(fact for card in cards for fact in {r.fact for r in card.reasons})
    starter_share = Counter(fact for card in cards for fact in {s.fact for s in card.starters})
    openings: set[str] = set()
    opening_kinds: Counter[str] = Counter()
    used_starters: set[str] = set()
    starter_kinds: Counter[str] = Counter()
    used_favourites: set[str] = set()
    explanations = []
    for card in cards:
        # fewest cards first, the candidate's own evidence first, weak kinds late, kinds that opened fewer
        # cards first (so that a list does not open every card with the same sort of line), the stronger kind
        ordered = sorted(card.reasons, key=lambda r: (  # stable: equal keys keep the card's order
            reason_share[r.fact], not r.specific, r.fact[0] in WEAK_KINDS, opening_kinds[r.fact[0]],
            REASON_PRIORITY[r.fact[0]]))
        chosen = _reasons(ordered, card.name, openings)
        if chosen:
            openings.add(_named(chosen[0].text, card.name))
            opening_kinds[chosen[0].fact[0]] += 1
        texts, cited_years = [], False
        for reason in chosen:
            texts.append(reason.plain if cited_years and reason.plain else reason.text)
            cited_years = cited_years or reason.years
        favourite = next((f for f in card.favourites if f not in used_favourites), next(iter(card.favourites), None))
        taste = f'You both love "{favourite}".' if favourite else None
        if favourite:
            used_favourites.add(favourite)
        ordered_starters = sorted(card.starters, key=lambda s: (
            starter_share[s.fact], 0 if s.fact[0] == "quote" else starter_kinds[s.fact[0]],
            STARTER_PRIORITY[s.fact[0]]))
        wanted = 1 if taste else 2
        picked = [s for s in ordered_starters if s.text not in used_starters][:wanted]
        if len(picked) < wanted:
            picked += [s for s in ordered_starters if all(s is not p for p in picked)][:wanted - len(picked)]
        for starter in picked:
            used_starters.add(starter.text)
            starter_kinds[starter.fact[0]] += 1
        starters = [s.text for s in picked]
        if taste:
            starters.insert(min(1, len(starters)), taste)
        explanations.append(Explanation(texts, card.chips, starters, card.value, taste,
                                        [r.specific for r in chosen]))
    return explanations


def _reasons(ordered: list[Reason], name: str, openings: set[str]) -> list[Reason]:
    """Up to 3 reasons in `ordered` order after the first: the first one no earlier card opened with, what else
    cites other facts and, unless the first already says it, the strongest line of what matched."""
    if not ordered:
        return []
    first = next((r for r in ordered if _named(r.text, name) not in openings), ordered[0])
    core = None
    if first.fact[0] not in CORE_RANK:
        ranked = [(CORE_RANK[r.fact[0]], i) for i, r in enumerate(ordered) if r.fact[0] in CORE_RANK]
        core = ordered[min(ranked)[1]] if ranked else None
    picked = [i for i, r in enumerate(ordered) if r is not first and r is not core and r.fact != first.fact]
    picked = picked[:2 - (core is not None)]
    if core is not None:
        picked.append(ordered.index(core))
    return [first, *(ordered[i] for i in sorted(picked))]


ListQuality = tuple[int, int, int, int]  # distinct first reasons, distinct starters, specific reasons, reasons


def list_quality(cards: list[tuple[str, Explanation]]) -> ListQuality:
    """How varied one viewer's top 10 reads (see `explanation_quality`)."""
    top = cards[:10]
    return (len({_named(e.reasons[0], name) for name, e in top if e.reasons}),
            len({s for _, e in top for s in e.starters}),
            sum(sum(e.specific) for _, e in top), sum(len(e.reasons) for _, e in top))


def explanation_quality(lists: list[list[tuple[str, Explanation]]]) -> dict:
    """How varied each viewer's top 10 reads: distinct first reasons (the candidate's name left out) and distinct
    starters per list, and the share of reasons that cite something of the candidate's own profile."""
    return combined_quality([list_quality(cards) for cards in lists])


def combined_quality(figures: list[ListQuality]) -> dict:
    """`explanation_quality` from the lists' `list_quality` figures."""
    firsts = [f[0] for f in figures]
    starters = [f[1] for f in figures]
    specific, total = sum(f[2] for f in figures), sum(f[3] for f in figures)
    return {"lists": len(figures),
            "min_distinct_first_reasons": min(firsts, default=0),
            "mean_distinct_first_reasons": sum(firsts) / len(firsts) if firsts else 0.0,
            "min_distinct_starters": min(starters, default=0),
            "mean_distinct_starters": sum(starters) / len(starters) if starters else 0.0,
            "specific_reason_share": specific / total if total else 0.0}
