"""Reciprocal people matching for a whole event: vectorised, blocked numpy over embedded profile facets."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

GOALS = ["LEARN", "NETWORK", "HIRE", "GET_HIRED", "FIND_PARTNERS", "FIND_INVESTORS", "INVEST", "SELL", "BUY",
         "MENTOR", "GET_MENTORED"]
GOAL_INDEX = {g: i for i, g in enumerate(GOALS)}

# Goal pairs (mine, theirs, weight) grouped by which facets decide whether the pair is worth it.
NEEDS_THEIR_OFFER = [("HIRE", "GET_HIRED", 1.0), ("GET_MENTORED", "MENTOR", 1.0), ("BUY", "SELL", 1.0),
                     ("LEARN", "MENTOR", 0.6), ("FIND_PARTNERS", "SELL", 0.3)]
OFFERS_THEIR_NEED = [(b, a, w) for a, b, w in NEEDS_THEIR_OFFER]
SHARED_TOPIC = [("FIND_INVESTORS", "INVEST", 1.0), ("INVEST", "FIND_INVESTORS", 1.0),
                ("FIND_INVESTORS", "FIND_PARTNERS", 0.3), ("FIND_PARTNERS", "FIND_INVESTORS", 0.3),
                ("NETWORK", "NETWORK", 0.3), ("LEARN", "LEARN", 0.2)]
MUTUAL_EXCHANGE = [("FIND_PARTNERS", "FIND_PARTNERS", 1.0)]
INTEREST_WEIGHT = 0.15
INDUSTRY_WEIGHT = 0.05
BLOCK = 256
SMALL_EVENT = 10
MEDIUM_EVENT = 50


@dataclass
class MatchProfile:
    """What the matcher reads of one person; texts are short phrases or statement clauses."""

    id: int
    goals: list[str]
    offers: list[str]
    needs: list[str]
    topics: list[str]
    statements: list[str] = field(default_factory=list)
    years: int | None = None
    visible: bool = True


@dataclass
class Controls:
    """Per-event exclusions and preferences, as index pairs into the profile list."""

    excluded: dict[int, list[int]] = field(default_factory=dict)  # viewer -> candidates never shown
    less_like: dict[int, list[int]] = field(default_factory=dict)  # viewer -> people they liked less
    more_like: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class PairEvidence:
    """Why a pair scored: the facet scores and the best matching texts behind them."""

    need_offer: float
    offer_need: float
    topic: float
    goal_kind: str


@dataclass
class Match:
    candidate: int  # index into the profile list
    score: float
    evidence: PairEvidence


def split_statements(*texts: str | None) -> list[str]:
    """Free text broken into clauses, so one sentence about a need is matched on its own."""
    clauses: list[str] = []
    for text in texts:
        for clause in re.split(r"(?<=[.!?;])\s+|\n+|;", text or ""):
            clause = clause.strip(" .;!?")
            if len(clause) >= 12:
                clauses.append(clause)
    return clauses


def strategy_for(size: int) -> str:
    """Seed 000 §8.3: small events show everyone, medium ones rank by goals, large ones use the full engine."""
    if size < SMALL_EVENT:
        return "small_event"
    if size < MEDIUM_EVENT:
        return "medium_event"
    return "large_event"


class FacetIndex:
    """Item vectors of one facet (needs, offers or topics) for every person, ordered by owner."""

    def __init__(self, owners: np.ndarray, text_ids: np.ndarray, people: int):
        order = np.argsort(owners, kind="stable")
        self.owners = owners[order]
        self.text_ids = text_ids[order]
        self.present = np.zeros(people, dtype=bool)
        self.present[self.owners] = True
        self.starts = np.searchsorted(self.owners, np.arange(people))

    def reduce_columns(self, sims: np.ndarray, people: int) -> np.ndarray:
        """(rows x all texts) -> (rows x people): max over each person's items in this facet."""
        out = np.zeros((sims.shape[0], people), dtype=np.float32)
        if len(self.text_ids) == 0:
            return out
        gathered = sims[:, self.text_ids]
        owners_present = np.flatnonzero(self.present)
        reduced = np.maximum.reduceat(gathered, self.starts[owners_present], axis=1)
        out[:, owners_present] = reduced
        return out


def _goal_matrix(profiles: list[MatchProfile]) -> np.ndarray:
    goals = np.zeros((len(profiles), len(GOALS)), dtype=np.float32)
    for i, p in enumerate(profiles):
        for g in p.goals:
            if g in GOAL_INDEX:
                goals[i, GOAL_INDEX[g]] = 1.0
    return goals


def _pair_weights(pairs: list[tuple[str, str, float]]) -> np.ndarray:
    weights = np.zeros((len(GOALS), len(GOALS)), dtype=np.float32)
    for mine, theirs, w in pairs:
        weights[GOAL_INDEX[mine], GOAL_INDEX[theirs]] = w
    return weights


def _calibrate(similarity: np.ndarray) -> np.ndarray:
    """Cosine -> match strength in [0, 1]; below ~0.15 is noise for this model."""
    return np.clip((similarity - 0.15) / 0.6, 0.0, 1.0)


class EventMatcher:
    """Scores every pair of an event and returns each person's diversified top matches."""

    def __init__(self, profiles: list[MatchProfile], text_vectors: np.ndarray, text_index: dict[str, int],
                 profile_vectors: np.ndarray, credibility: np.ndarray | None = None,
                 text_concepts: np.ndarray | None = None):
        self.profiles = profiles
        self.n = len(profiles)
        self.vectors = text_vectors
        self.concepts = text_concepts
        self.profile_vectors = profile_vectors
        self.credibility = credibility if credibility is not None else np.ones((self.n, len(GOALS)), np.float32)
        self.goals = _goal_matrix(profiles)
        self.facets = {}
        for name in ("needs", "offers", "topics"):
            owners, ids = [], []
            for i, p in enumerate(profiles):
                texts = list(getattr(p, name)) + p.statements
                for t in texts:
                    if t in text_index:
                        owners.append(i)
                        ids.append(text_index[t])
            self.facets[name] = FacetIndex(np.asarray(owners, dtype=np.int64), np.asarray(ids, dtype=np.int64), self.n)
        credible = self.goals * self.credibility
        self.weights = {name: (credible, _pair_weights(pairs)) for name, pairs in (
            ("need", NEEDS_THEIR_OFFER), ("give", OFFERS_THEIR_NEED), ("topic", SHARED_TOPIC),
            ("mutual", MUTUAL_EXCHANGE))}
        self.years = np.array([p.years if p.years is not None else np.nan for p in profiles], dtype=np.float32)
        self.visible = np.array([p.visible for p in profiles], dtype=bool)

    def _text_similarity(self, rows: np.ndarray) -> np.ndarray:
        sims = self.vectors[rows] @ self.vectors.T
        if self.concepts is not None:
            shared = (self.concepts[rows] @ self.concepts.T) > 0
            sims = np.where(shared, np.maximum(sims, 0.85), sims)
        return sims

    def _facet_scores(self, block: np.ndarray, mine: str, theirs: str) -> np.ndarray:
        """(block x people): best similarity between my `mine` items and their `theirs` items."""
        index_mine, index_theirs = self.facets[mine], self.facets[theirs]
        mask = np.isin(index_mine.owners, block)
        ids, owners = index_mine.text_ids[mask], index_mine.owners[mask]
        out = np.zeros((len(block), self.n), dtype=np.float32)
        if len(ids) == 0:
            return out
        unique_ids, inverse = np.unique(ids, return_inverse=True)
        per_text = index_theirs.reduce_columns(_calibrate(self._text_similarity(unique_ids)), self.n)
        per_item = per_text[inverse]
        row_of = {person: r for r, person in enumerate(block)}
        rows = np.array([row_of[o] for o in owners])
        np.maximum.at(out, rows, per_item)
        return out

    def _goal_mask(self, block: np.ndarray, kind: str) -> np.ndarray:
        credible, weights = self.weights[kind]
        return credible[block] @ weights @ credible.T

    def score_block(self, block: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Reciprocal scores (block x people) and the facet matrices behind them."""
        need_offer = self._facet_scores(block, "needs", "offers")  # I need what they offer
        offer_need = self._facet_scores(block, "offers", "needs")  # I offer what they need
        topic = self._facet_scores(block, "topics", "topics")
        mutual = np.sqrt(need_offer * offer_need)
        mine = (self._goal_mask(block, "need") * need_offer + self._goal_mask(block, "give") * offer_need
                + self._goal_mask(block, "topic") * topic + self._goal_mask(block, "mutual") * mutual
                + INTEREST_WEIGHT * topic)
        # Their value of meeting me: the same facets seen from their side.
        theirs = (self._goal_mask_transposed(block, "need") * offer_need
                  + self._goal_mask_transposed(block, "give") * need_offer
                  + self._goal_mask_transposed(block, "topic") * topic
                  + self._goal_mask_transposed(block, "mutual") * mutual + INTEREST_WEIGHT * topic)
        mine *= self._seniority_fit(block)
        theirs *= self._seniority_fit(block)
        reciprocal = 2 * mine * theirs / (mine + theirs + 1e-6)
        return reciprocal, {"need_offer": need_offer, "offer_need": offer_need, "topic": topic}

    def _goal_mask_transposed(self, block: np.ndarray, kind: str) -> np.ndarray:
        """For each (me in block, them): the weight of *their* goals against mine."""
        credible, weights = self.weights[kind]
        return credible[block] @ weights.T @ credible.T

    def _seniority_fit(self, block: np.ndarray) -> np.ndarray:
        """Mentoring pairs need a real experience gap; unknown years are neutral."""
        mentor, mentee = GOAL_INDEX["MENTOR"], GOAL_INDEX["GET_MENTORED"]
        gap = self.years[None, :] - self.years[block][:, None]
        mentoring = (self.goals[block][:, [mentee]] * self.goals[None, :, mentor]
                     + self.goals[block][:, [mentor]] * self.goals[None, :, mentee]) > 0
        oriented = np.where(self.goals[block][:, [mentor]] > 0, -gap, gap)
        fit = np.where(np.isnan(oriented), 1.0, 1.0 / (1.0 + np.exp(-(oriented - 2.0) / 2.0)))
        return np.where(mentoring, 0.4 + 0.6 * fit, 1.0).astype(np.float32)

    def recommend(self, controls: Controls, k: int = 10, pool: int = 40, diversity: float = 0.15,
                  viewers: list[int] | None = None) -> dict[int, list[Match]]:
        """Top-k matches (indices into profiles) for every viewer (default: everyone), MMR-diversified."""
        k = self.n - 1 if strategy_for(self.n) == "small_event" else k
        results: dict[int, list[Match]] = {}
        rows = np.arange(self.n) if viewers is None else np.asarray(sorted(set(viewers)), dtype=np.int64)
        for start in range(0, len(rows), BLOCK):
            block = rows[start:start + BLOCK]
            scores, facets = self.score_block(block)
            self._apply_controls(block, scores, controls)
            finite = np.isfinite(scores)
            width = min(max(pool, k), self.n)
            order = np.argsort(-np.where(finite, scores, -np.inf), axis=1, kind="stable")[:, :width]
            top_scores = np.take_along_axis(scores, order, axis=1)
            chosen = self._diversify(order, top_scores, k, diversity)
            for r, person in enumerate(block):
                picks = [c for c in chosen[r] if np.isfinite(scores[r, c])]
                results[person] = [Match(int(c), float(scores[r, c]), PairEvidence(
                    float(facets["need_offer"][r, c]), float(facets["offer_need"][r, c]), float(facets["topic"][r, c]),
                    "")) for c in picks]
        return results

    def _apply_controls(self, block: np.ndarray, scores: np.ndarray, controls: Controls) -> None:
        scores[:, ~self.visible] = -np.inf
        scores[np.arange(len(block)), block] = -np.inf
        for r, person in enumerate(block):
            scores[r, controls.excluded.get(person, [])] = -np.inf
            for liked, sign in ((controls.less_like.get(person, []), -1.0), (controls.more_like.get(person, []), 1.0)):
                if liked:
                    similarity = (self.profile_vectors[liked] @ self.profile_vectors.T).max(axis=0)
                    finite = np.isfinite(scores[r])
                    scores[r, finite] += sign * 0.3 * np.clip(similarity[finite] - 0.3, 0, None)

    def _diversify(self, order: np.ndarray, relevance: np.ndarray, k: int, diversity: float) -> np.ndarray:
        """Maximal marginal relevance for a whole block at once: (rows x pool) candidates -> (rows x k)."""
        rows, width = order.shape
        k = min(k, width)
        if diversity <= 0 or width <= 1:
            return order[:, :k]
        vectors = self.profile_vectors[order]  # rows x pool x dim
        similarity = np.einsum("rpd,rqd->rpq", vectors, vectors)
        relevance = np.where(np.isfinite(relevance), relevance, -1e9)
        taken = np.zeros((rows, width), dtype=bool)
        taken[:, 0] = True
        redundancy = similarity[:, 0, :].copy()
        picks = [np.zeros(rows, dtype=np.int64)]
        for _ in range(1, k):
            marginal = (1 - diversity) * relevance - diversity * redundancy
            marginal[taken] = -np.inf
            best = np.argmax(marginal, axis=1)
            taken[np.arange(rows), best] = True
            redundancy = np.maximum(redundancy, similarity[np.arange(rows), best, :])
            picks.append(best)
        return np.take_along_axis(order, np.stack(picks, axis=1), axis=1)
