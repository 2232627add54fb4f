"""Reciprocal people matching for a whole event: vectorised, blocked numpy over embedded profile facets."""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from core.knowledge.prose_phrases import Direction, prose_phrases
from core.platform.parallel import map_on_cores

GOALS = ["LEARN", "NETWORK", "HIRE", "GET_HIRED", "FIND_PARTNERS", "FIND_INVESTORS", "INVEST", "SELL", "BUY",
         "MENTOR", "GET_MENTORED"]
GOAL_INDEX = {g: i for i, g in enumerate(GOALS)}

# Goal pairs (mine, theirs, weight) grouped by which facets decide whether the pair is worth it.
# A founder raising money needs an investor whose thesis ("backing X companies") covers what they build.
NEEDS_THEIR_OFFER = [("HIRE", "GET_HIRED", 1.0), ("GET_MENTORED", "MENTOR", 1.0), ("BUY", "SELL", 1.0),
                     ("LEARN", "MENTOR", 0.6), ("FIND_PARTNERS", "SELL", 0.3), ("FIND_INVESTORS", "INVEST", 0.5)]
OFFERS_THEIR_NEED = [(b, a, w) for a, b, w in NEEDS_THEIR_OFFER]
SHARED_TOPIC = [("FIND_INVESTORS", "INVEST", 1.0), ("INVEST", "FIND_INVESTORS", 1.0),
                ("FIND_INVESTORS", "FIND_PARTNERS", 0.3), ("FIND_PARTNERS", "FIND_INVESTORS", 0.3),
                ("NETWORK", "NETWORK", 0.3), ("LEARN", "LEARN", 0.2)]
MUTUAL_EXCHANGE = [("FIND_PARTNERS", "FIND_PARTNERS", 1.0)]
INTEREST_WEIGHT = 0.15
TASTE_WEIGHT = 0.1  # seed 004: shared taste (favourite books, films…) is a small, optional term
# a swap of skills still counts when one direction is only partly there (sqrt of a product would zero it)
MUTUAL_FLOOR = 0.3
BLOCK = 128
SHORTLIST = 25  # candidates scored exactly per viewer, and the pool a list is diversified from
# candidates whose coarse scores are computed at once for a block: the dozen block x columns temporaries of the
# score formula then stay in cache, and each chunk's best are kept before the next one is scored
COARSE_COLUMNS = 2048
POOL_ROWS = 1024  # people whose item vectors are summed at once for their pooled vector
EXACT_ROWS = 2  # viewers whose shortlisted candidates' items are gathered at once (about 1.5 MB: fits in L2)
MAX_ITEMS = 8
# From this many people on, the shortlist's pooled vectors are compared in the few directions that hold
# PROJECTED_ENERGY of their energy (about half of the dimensions): the products that find the shortlist are most
# of a large event's matching, and the shortlist is scored exactly anyway.
PROJECTED_FROM = 2000
PROJECTED_ENERGY = 0.99
CONCEPT_WEIGHT = 0.8
ADJACENT_BAND = (0.25, 0.75)  # calibrated similarity of "related but not the same" (1.0 is the same concept)
ADJACENT_MIN_SHARE = 0.5  # an adjacent pick scores at least half the list's best, so it is still a good match
ADJACENT_MIN_LIST = 10  # shorter lists (a re-rank pool's head, a page's preview) keep only the best matches
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
    problem_statements: list[str] = field(default_factory=list)  # the clauses (of `statements`) stating a problem
    # skills and languages found in public profiles: a facet of their own, never in the profile vector
    enriched_offers: list[str] = field(default_factory=list)
    # tag-like phrases found in the statements (core.knowledge.prose_phrases), by the direction of their cue
    prose_offers: list[str] = field(default_factory=list)
    prose_needs: list[str] = field(default_factory=list)
    prose_mentions: list[str] = field(default_factory=list)  # no cue: could be either
    prose_interests: list[str] = field(default_factory=list)  # "interested in X", "follow X closely": a topic

    def prose_phrases(self) -> list[str]:
        """Every phrase found in the statements, whatever its direction."""
        return [*self.prose_offers, *self.prose_needs, *self.prose_mentions, *self.prose_interests]

    def facet_texts(self, facet: str) -> list[str]:
        """A facet's items, then the clauses most likely to speak to it: problems first for needs.

        The order matters because only the first MAX_ITEMS texts of a facet are scored. Enriched offers have
        no clauses: they only ever add a second chance to match a need."""
        if facet == "enriched_offers":
            return list(self.enriched_offers)
        problems = set(self.problem_statements)
        others = [t for t in self.statements if t not in problems]
        clauses = [*self.problem_statements, *others] if facet == "needs" else [*others, *self.problem_statements]
        phrases = {"needs": [*self.prose_needs, *self.prose_mentions, *self.prose_offers],
                   "offers": [*self.prose_offers, *self.prose_mentions, *self.prose_needs],
                   "topics": self.prose_interests}[facet]
        return list(dict.fromkeys([*getattr(self, facet), *phrases, *clauses]))


@dataclass
class Controls:
    """Per-event exclusions and preferences, as index pairs into the profile list."""

    excluded: dict[int, list[int]] = field(default_factory=dict)  # viewer -> candidates never shown
    less_like: dict[int, list[int]] = field(default_factory=dict)  # viewer -> people they liked less
    more_like: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class PairEvidence:
    """Why a pair scored: the exact facet scores behind it."""

    need_offer: float
    offer_need: float
    topic: float


@dataclass
class Match:
    candidate: int  # index into the profile list
    score: float
    evidence: PairEvidence
    adjacent: bool = False  # holds the list's adjacent-interest slot


def adjacent_candidates(evidence: dict[str, np.ndarray]) -> np.ndarray:
    """Which candidates are an 'adjacent interest': their interests are related to the viewer's but not the same,
    so they widen the list rather than repeat it (seed 004 §3)."""
    return (evidence["topic"] >= ADJACENT_BAND[0]) & (evidence["topic"] < ADJACENT_BAND[1])


def with_prose_phrases(profile: MatchProfile) -> MatchProfile:
    """The profile with the tag-like phrases of its statements filled in, each under its cue's direction."""
    seen = {t.lower() for t in (*profile.offers, *profile.needs)}
    buckets = {Direction.OFFER: profile.prose_offers, Direction.NEED: profile.prose_needs,
               Direction.MENTION: profile.prose_mentions, Direction.INTEREST: profile.prose_interests}
    for clause in profile.statements:
        for phrase in prose_phrases(clause):
            if phrase.text.lower() not in seen:
                seen.add(phrase.text.lower())
                buckets[phrase.direction].append(phrase.text)
    return profile


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


class Facet:
    """One facet (needs, offers or topics) of every person: padded item ids, plus a pooled vector for retrieval."""

    def __init__(self, items: list[list[int]], vectors: np.ndarray, concepts: np.ndarray | None,
                 text_bits: np.ndarray | None = None):
        """`vectors` are the event's text vectors with one zero row appended, so that the padding id -1 picks
        zeros; `text_bits` the texts' packed concept bits (`pack_concept_bits(concepts)`), when already known."""
        people = len(items)
        self.ids = np.full((people, MAX_ITEMS), -1, dtype=np.int64)
        for person, ids in enumerate(items):
            ids = ids[:MAX_ITEMS]
            self.ids[person, :len(ids)] = ids
        # candidates' items are gathered from `vectors` by these ids (people x items x dim is never built whole)
        self.vectors = vectors
        present = self.ids >= 0
        pooled = np.empty((people, vectors.shape[1]), np.float32)
        for start in range(0, people, POOL_ROWS):
            vectors[self.ids[start:start + POOL_ROWS]].sum(axis=1, out=pooled[start:start + POOL_ROWS])
        parts = [_normalize(pooled)]
        self.concept_bits = None
        if concepts is not None and concepts.shape[1]:
            # OR the items' packed concept bits (far cheaper than a dense people x items x concepts gather)
            text_bits = pack_concept_bits(concepts) if text_bits is None else text_bits
            safe = np.where(present, self.ids, 0)
            self.concept_bits = np.bitwise_or.reduce(np.where(present[..., None], text_bits[safe], 0), axis=1)
            hits = np.unpackbits(self.concept_bits.view(np.uint8), axis=1, bitorder="little")[:, :concepts.shape[1]]
            parts.append(CONCEPT_WEIGHT * _normalize(hits.astype(np.float32)))
        self.retrieval = np.concatenate(parts, axis=1).astype(np.float32, copy=False)

    def project(self, basis: np.ndarray) -> None:
        """Put the pooled vectors of `retrieval` in the directions of `basis` (dim x fewer); concepts stay."""
        dim = basis.shape[0]
        self.retrieval = np.concatenate([self.retrieval[:, :dim] @ basis, self.retrieval[:, dim:]], axis=1)


class RetrievalProduct:
    """`clip(left[block] @ right[chunk].T, 0, 1)` of two facets' retrieval matrices (pooled vector, then concept
    columns), for one chunk of the right side's rows at a time.

    Only the columns both sides use take part (a concept nobody's needs name adds nothing to a needs x offers
    product), cut once here rather than in every block. The concept columns are sparse (a person names a few of
    hundreds), so that part is a sparse product: a third of the dense one's work for a few percent of it. Its
    dense side is stored chunk by chunk, each contiguous: a strided slice made that product three times slower."""

    def __init__(self, left: np.ndarray, right: np.ndarray, dim: int, chunks: list[slice]):
        """`dim`: how many leading columns are the pooled vectors' (the rest are concepts); `chunks`: the right
        side's rows that `scores` is asked for, one slice at a time."""
        used = np.flatnonzero(left.any(axis=0) & right.any(axis=0))
        dense, concepts = used[used < dim], used[used >= dim]
        self.left, self.right = np.ascontiguousarray(left[:, dense]), np.ascontiguousarray(right[:, dense])
        self.chunks = chunks
        self.left_concepts = sparse.csr_matrix(left[:, concepts]) if len(concepts) else None
        self.right_concepts = ([np.ascontiguousarray(right[chunk][:, concepts].T) for chunk in chunks]
                               if len(concepts) else None)

    def scores(self, block: np.ndarray, chunk: int) -> np.ndarray:
        """(block x the rows of `chunks[chunk]`), in [0, 1]."""
        scores = self.left[block] @ self.right[self.chunks[chunk]].T
        if self.left_concepts is not None:
            scores += self.left_concepts[block] @ self.right_concepts[chunk]
        return np.clip(scores, 0.0, 1.0, out=scores)


def retrieval_basis(pooled: list[np.ndarray], energy: float = PROJECTED_ENERGY) -> np.ndarray:
    """(dim x fewer) orthonormal directions that keep `energy` of the pooled vectors' dot products: the leading
    eigenvectors of their (uncentred) second-moment matrix, so that dot products are kept, not distances."""
    moment = np.zeros((pooled[0].shape[1],) * 2, np.float64)
    for vectors in pooled:
        moment += vectors.T @ vectors  # a float32 product (the sums are of unit-length rows): 5x faster
    values, directions = np.linalg.eigh(moment)  # ascending
    values, directions = values[::-1].clip(0), directions[:, ::-1]
    kept = int(np.searchsorted(np.cumsum(values) / max(values.sum(), 1e-12), energy)) + 1
    return np.ascontiguousarray(directions[:, :min(kept, len(values))], dtype=np.float32)


def pack_concept_bits(concepts: np.ndarray) -> np.ndarray:
    """(texts x concepts) 0/1 -> (texts x words) uint64 bitsets, so 'share a concept' is a cheap AND."""
    words = -(-concepts.shape[1] // 64)
    padded = np.zeros((concepts.shape[0], words * 64), dtype=np.uint8)
    padded[:, :concepts.shape[1]] = concepts > 0
    return np.packbits(padded, axis=1, bitorder="little").view(np.uint64)


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


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


TASTE_FLOOR = 0.55  # mean vectors of unrelated titles (a few each) still share about this much cosine


def calibrate_taste(similarity: np.ndarray) -> np.ndarray:
    """Cosine of two taste vectors -> shared taste in [0, 1]; a missing vector (zeros) gives 0."""
    return np.clip((similarity - TASTE_FLOOR) / (1.0 - TASTE_FLOOR), 0.0, 1.0)


class EventMatcher:
    """Scores every pair of an event and returns each person's diversified top matches."""

    def __init__(self, profiles: list[MatchProfile], text_vectors: np.ndarray, text_index: dict[str, int],
                 profile_vectors: np.ndarray, credibility: np.ndarray | None = None,
                 text_concepts: np.ndarray | None = None, taste_vectors: np.ndarray | None = None):
        """`taste_vectors` (people x dim, zero rows for people without one) adds the taste term; None leaves
        it out entirely."""
        self.profiles = profiles
        self.n = len(profiles)
        self.profile_vectors = profile_vectors
        self.credibility = credibility if credibility is not None else np.ones((self.n, len(GOALS)), np.float32)
        self.goals = _goal_matrix(profiles)
        # one zero row after the texts: the padding id -1 gathers it, so padding items are "no match"
        vectors = np.zeros((len(text_vectors) + 1, text_vectors.shape[1] if text_vectors.ndim == 2 else 0),
                           np.float32)
        vectors[:-1] = text_vectors
        text_bits = (pack_concept_bits(text_concepts) if text_concepts is not None and text_concepts.shape[1]
                     else None)
        names = ["needs", "offers", "topics"]
        # only built when someone has enrichment, so an event without it scores exactly as before
        if any(p.enriched_offers for p in profiles):
            names.append("enriched_offers")
        self.facets = {
            name: Facet([[text_index[t] for t in p.facet_texts(name) if t in text_index] for p in profiles],
                        vectors, text_concepts, text_bits)
            for name in names}
        self.retrieval: dict[tuple[str, str], RetrievalProduct] = {}
        self.chunks = [slice(start, min(start + COARSE_COLUMNS, self.n)) for start in range(0, self.n, COARSE_COLUMNS)]
        dim = vectors.shape[1]
        if self.n >= PROJECTED_FROM and dim:
            basis = retrieval_basis([f.retrieval[:, :dim] for f in self.facets.values()])
            for facet in self.facets.values():
                facet.project(basis)
            dim = basis.shape[1]
        for mine, theirs in (("needs", "offers"), ("topics", "topics"), ("needs", "enriched_offers")):
            if theirs in self.facets:
                left, right = self.facets[mine].retrieval, self.facets[theirs].retrieval
                self.retrieval[mine, theirs] = RetrievalProduct(left, right, dim, self.chunks)
                self.retrieval[theirs, mine] = RetrievalProduct(right, left, dim, self.chunks)
        self.taste = None
        if taste_vectors is not None and np.any(taste_vectors):
            self.taste = _normalize(np.asarray(taste_vectors, dtype=np.float32))
        credible = self.goals * self.credibility
        self.weights = {name: (credible, _pair_weights(pairs)) for name, pairs in (
            ("need", NEEDS_THEIR_OFFER), ("give", OFFERS_THEIR_NEED), ("topic", SHARED_TOPIC),
            ("mutual", MUTUAL_EXCHANGE))}
        self.years = np.array([p.years if p.years is not None else np.nan for p in profiles], dtype=np.float32)
        self.mentors = self.goals[:, GOAL_INDEX["MENTOR"]] > 0
        self.mentees = self.goals[:, GOAL_INDEX["GET_MENTORED"]] > 0
        self.visible = np.array([p.visible for p in profiles], dtype=bool)

    def _retrieval_scores(self, block: np.ndarray, chunk: int, mine: str, theirs: str) -> np.ndarray:
        """Cheap facet fit of (block x a chunk of everyone) from pooled vectors, used only to shortlist
        candidates."""
        return self.retrieval[mine, theirs].scores(block, chunk)

    def _offer_scores(self, scores, block: np.ndarray, *rest) -> tuple[np.ndarray, np.ndarray]:
        """(need_offer, offer_need) from `scores(block, *rest, mine, theirs)`, each the better of the stated and
        the enriched offers, so enrichment can only raise a pair's fit, never lower it."""
        need_offer = scores(block, *rest, "needs", "offers")
        offer_need = scores(block, *rest, "offers", "needs")
        if "enriched_offers" in self.facets:
            need_offer = np.maximum(need_offer, scores(block, *rest, "needs", "enriched_offers"))
            offer_need = np.maximum(offer_need, scores(block, *rest, "enriched_offers", "needs"))
        return need_offer, offer_need

    def _taste_scores(self, block: np.ndarray, candidates: np.ndarray | slice) -> np.ndarray | None:
        """Shared taste of (block x columns) for a slice of everyone, or of (block x shortlist) for each row's
        candidates."""
        if self.taste is None:
            return None
        if isinstance(candidates, slice):
            return calibrate_taste(self.taste[block] @ self.taste[candidates].T).astype(np.float32)
        return calibrate_taste(np.einsum("bd,bld->bl", self.taste[block], self.taste[candidates])).astype(np.float32)

    def _exact_scores(self, block: np.ndarray, candidates: np.ndarray, mine: str, theirs: str) -> np.ndarray:
        """(block x shortlist): best calibrated similarity between my `mine` items and their `theirs` items.

        Two items naming the same skill-graph concept count as a full match, so it is enough to intersect
        the two facets' concept sets."""
        vectors = self.facets[theirs].vectors
        ids_b = self.facets[theirs].ids
        vectors_a = vectors[self.facets[mine].ids[block]].transpose(0, 2, 1)  # B x d x M
        rows, width = candidates.shape
        items, dim = ids_b.shape[1], vectors.shape[1]
        # the candidates' items are gathered a few rows at a time into one reused buffer that stays in cache:
        # gathering the whole block (B x L x M x d) at once made the products wait on memory
        gathered = np.empty((EXACT_ROWS, width, items, dim), np.float32)
        sims = np.empty((EXACT_ROWS, width * items, vectors_a.shape[2]), np.float32)
        best = np.empty((rows, width), np.float32)
        for start in range(0, rows, EXACT_ROWS):
            count = min(EXACT_ROWS, rows - start)
            np.take(vectors, ids_b[candidates[start:start + count]], axis=0, out=gathered[:count])
            # padding items are zero vectors: similarity 0, which calibrates to "no match" like any weak pair
            np.matmul(gathered[:count].reshape(count, width * items, dim), vectors_a[start:start + count],
                      out=sims[:count])
            sims[:count].reshape(count, width, -1).max(axis=2, out=best[start:start + count])
        best = _calibrate(best)
        bits_a, bits_b = self.facets[mine].concept_bits, self.facets[theirs].concept_bits
        if bits_a is not None:
            shared = (bits_a[block][:, None, :] & bits_b[candidates]).any(axis=-1)
            best = np.where(shared, 1.0, best)
        return best.astype(np.float32)

    def _goal_mask(self, block: np.ndarray, kind: str, columns: slice) -> np.ndarray:
        credible, weights = self.weights[kind]
        return credible[block] @ weights @ credible[columns].T

    def _pair_masks(self, block: np.ndarray, candidates: np.ndarray) -> dict[str, np.ndarray]:
        """The goal masks of each (viewer, candidate) pair, block x shortlist, as `_goal_mask` has them."""
        masks = {}
        for kind in ("need", "give", "topic", "mutual"):
            credible, weights = self.weights[kind]
            theirs = credible[candidates]  # B x L x goals
            masks[kind] = np.einsum("bg,blg->bl", credible[block] @ weights, theirs)
            masks[kind + "_t"] = np.einsum("bg,blg->bl", credible[block] @ weights.T, theirs)
        return masks

    def _combine(self, masks: dict[str, np.ndarray], need_offer: np.ndarray, offer_need: np.ndarray,
                 topic: np.ndarray, seniority: np.ndarray | None, taste: np.ndarray | None = None) -> np.ndarray:
        """Value to me, value to them, and their harmonic mean (so one-sided matches score low).

        Shared taste, when known, adds a little to both sides alike. Without `seniority` the score is the same both
        ways round (the masks swap with their `_t` twins, need_offer with offer_need)."""
        # written in place into a few buffers rather than a new block x everyone temporary per operation,
        # each sum in the order of the formula so that the figures are the same to the last bit:
        # mutual = sqrt((need_offer + F)(offer_need + F)) - F
        # mine = need * need_offer + give * offer_need + topic * topic + mutual * mutual + INTEREST_WEIGHT * topic
        # theirs = the same with their weights (need_t ... mutual_t), need_offer and offer_need swapped
        # score = 2 * mine * theirs / (mine + theirs + 1e-6), each side first times seniority when it is given
        # (the coarse score leaves it out, so that one product serves both ways, and multiplies by it afterwards)
        dtype = np.result_type(*masks.values(), need_offer, offer_need, topic,
                               *(array for array in (seniority, taste) if array is not None))
        mutual = np.add(need_offer, MUTUAL_FLOOR, dtype=dtype)
        term = np.add(offer_need, MUTUAL_FLOOR, dtype=dtype)
        mutual *= term
        np.sqrt(mutual, out=mutual)
        mutual -= MUTUAL_FLOOR
        interest = np.multiply(INTEREST_WEIGHT, topic, dtype=dtype)
        shared = None if taste is None else np.multiply(TASTE_WEIGHT, taste, dtype=dtype)

        def side(suffix: str, mine_gets: np.ndarray, they_get: np.ndarray) -> np.ndarray:
            value = np.multiply(masks["need" + suffix], mine_gets, dtype=dtype)
            for weights, facet in (("give", they_get), ("topic", topic), ("mutual", mutual)):
                value += np.multiply(masks[weights + suffix], facet, out=term)
            value += interest
            if shared is not None:
                value += shared
            if seniority is not None:
                value *= seniority
            return value

        mine, theirs = side("", need_offer, offer_need), side("_t", offer_need, need_offer)
        score = np.multiply(mine, 2, out=term)
        score *= theirs
        mine += theirs
        mine += 1e-6
        score /= mine
        return score

    def score_block(self, block: np.ndarray, controls: Controls, shortlist: int,
                    shortlisted: tuple[np.ndarray, np.ndarray] | None = None
                    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Shortlist candidates for the block with pooled vectors (unless `shortlisted` holds the block's candidates
        and which are excluded), then score the shortlist exactly.

        Returns (candidates, scores, facets), each block x shortlist; excluded pairs score -inf."""
        candidates, excluded = shortlisted or self._shortlist(block, controls, min(shortlist, self.n))
        need_offer, offer_need = self._offer_scores(self._exact_scores, block, candidates)
        facets = {"need_offer": need_offer, "offer_need": offer_need,
                  "topic": self._exact_scores(block, candidates, "topics", "topics")}
        scores = self._combine(self._pair_masks(block, candidates), facets["need_offer"], facets["offer_need"],
                               facets["topic"], self._seniority_fit(block[:, None], candidates),
                               self._taste_scores(block, candidates))
        self._prefer(block, candidates, scores, controls)
        scores[excluded] = -np.inf
        return candidates, scores, facets

    def _coarse_scores(self, block: np.ndarray, chunk: int) -> np.ndarray:
        """The score formula of (block x a chunk of everyone) over pooled vectors, without the seniority fit (so that
        it is the same both ways round): cheap, to shortlist candidates."""
        columns = self.chunks[chunk]
        masks = {}
        for kind in ("need", "give", "topic", "mutual"):
            masks[kind] = self._goal_mask(block, kind, columns)
            masks[kind + "_t"] = self._goal_mask_transposed(block, kind, columns)
        return self._combine(masks, *self._offer_scores(self._retrieval_scores, block, chunk),
                             self._retrieval_scores(block, chunk, "topics", "topics"), None,
                             self._taste_scores(block, columns))

    def _shown_scores(self, coarse: np.ndarray, viewers: np.ndarray, columns: slice, controls: Controls
                      ) -> np.ndarray:
        """`coarse` (viewers x columns, changed in place) times each pair's seniority fit, and -inf where the
        candidate is never shown to the viewer."""
        coarse *= self._seniority_fit(viewers[:, None], np.arange(columns.start, columns.stop)[None, :])
        coarse[:, ~self.visible[columns]] = -np.inf
        hidden_rows, hidden_columns = self._hidden(viewers, controls)
        inside = (hidden_columns >= columns.start) & (hidden_columns < columns.stop)
        coarse[hidden_rows[inside], hidden_columns[inside] - columns.start] = -np.inf
        return coarse

    def _shortlist(self, block: np.ndarray, controls: Controls, width: int) -> tuple[np.ndarray, np.ndarray]:
        """Each viewer's `width` best candidates by the coarse score, in index order (block x width), and which of
        them are excluded (only when fewer than `width` are not)."""
        best = _BestCandidates(len(block), width)
        for chunk, columns in enumerate(self.chunks):
            best.offer(slice(0, len(block)),
                       self._shown_scores(self._coarse_scores(block, chunk), block, columns, controls), columns.start)
        return best.shortlist()

    def _everyones_shortlists(self, controls: Controls, width: int) -> tuple[np.ndarray, np.ndarray]:
        """`_shortlist` of everyone (n x width) in half the work: the coarse score is the same both ways round, so
        each tile of chunks on or above the diagonal is scored once, then read by rows for its rows' candidates and
        by columns for its columns' candidates, each way with its own seniority fit and hidden pairs."""
        best = _BestCandidates(self.n, width)

        def score_tile(tile: tuple[int, int]) -> None:
            rows, columns = self.chunks[tile[0]], self.chunks[tile[1]]
            mirrored = (np.empty((columns.stop - columns.start, rows.stop - rows.start), np.float32)
                        if tile[0] != tile[1] else None)
            for start in range(rows.start, rows.stop, BLOCK):
                block = np.arange(start, min(start + BLOCK, rows.stop))
                coarse = self._coarse_scores(block, tile[1])
                if mirrored is not None:
                    mirrored[:, start - rows.start:start - rows.start + len(block)] = coarse.T
                best.offer(slice(start, start + len(block)), self._shown_scores(coarse, block, columns, controls),
                           columns.start)
            if mirrored is not None:
                viewers = np.arange(columns.start, columns.stop)
                best.offer(columns, self._shown_scores(mirrored, viewers, rows, controls), rows.start)

        chunks = len(self.chunks)
        map_on_cores(score_tile, [(a, b) for a in range(chunks) for b in range(a, chunks)])
        return best.shortlist()

    def _hidden(self, block: np.ndarray, controls: Controls) -> tuple[np.ndarray, np.ndarray]:
        """(rows, columns) of the block's pairs never shown: each viewer themself and their excluded people."""
        rows = [np.arange(len(block))]
        columns = [block]
        for r, person in enumerate(block.tolist()):
            excluded = controls.excluded.get(person)
            if excluded:
                rows.append(np.full(len(excluded), r))
                columns.append(np.asarray(excluded, dtype=np.int64))
        return np.concatenate(rows), np.concatenate(columns)

    def _goal_mask_transposed(self, block: np.ndarray, kind: str, columns: slice) -> np.ndarray:
        """For each (me in block, them in columns): the weight of *their* goals against mine."""
        credible, weights = self.weights[kind]
        return credible[block] @ weights.T @ credible[columns].T

    def _seniority_fit(self, viewers: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Mentoring pairs need a real experience gap; unknown years are neutral. `viewers` (B x 1) and
        `candidates` (B x L, or 1 x L for every viewer) broadcast to the pairs. Only the mentoring pairs (a small
        share of everyone) are computed: every other pair fits 1.0. A viewer who mentors wants the younger side."""
        mentoring = ((self.mentees[viewers] & self.mentors[candidates])
                     | (self.mentors[viewers] & self.mentees[candidates]))
        fit = np.ones(mentoring.shape, np.float32)
        rows, columns = np.nonzero(mentoring)
        mine = viewers[rows, 0]
        theirs = candidates[rows if candidates.shape[0] > 1 else 0, columns]
        gap = self.years[theirs] - self.years[mine]
        oriented = np.where(self.mentors[mine], -gap, gap)
        sigmoid = 1.0 / (1.0 + np.exp(-(oriented - 2.0) / 2.0))
        fit[rows, columns] = 0.4 + 0.6 * np.where(np.isnan(oriented), 1.0, sigmoid)
        return fit

    def recommend(self, controls: Controls, k: int = 10, pool: int = SHORTLIST, diversity: float = 0.15,
                  viewers: list[int] | None = None, adjacent_slot: bool = True) -> dict[int, list[Match]]:
        """Top-k matches (indices into profiles) for every viewer (default: everyone), MMR-diversified.

        With `adjacent_slot`, one match of each list is a strong adjacent-interest candidate (`Match.adjacent`):
        the best one already in the list, else the best of the pool, which then takes the last place."""
        small = strategy_for(self.n) == "small_event"
        k = self.n - 1 if small else k
        adjacent_slot = adjacent_slot and not small and k >= ADJACENT_MIN_LIST
        results: dict[int, list[Match]] = {}
        rows = np.arange(self.n) if viewers is None else np.asarray(sorted(set(viewers)), dtype=np.int64)
        shortlist = max(SHORTLIST, pool, k)
        # everyone's shortlists at once when everyone is asked for: the coarse scores are then read both ways
        everyone = (self._everyones_shortlists(controls, min(shortlist, self.n))
                    if viewers is None and len(self.chunks) > 1 else None)

        def match_block(block: np.ndarray) -> dict[int, list[Match]]:
            shortlisted = everyone and (everyone[0][block], everyone[1][block])
            candidates, scores, facets = self.score_block(block, controls, shortlist, shortlisted)
            width = min(max(pool, k), candidates.shape[1])
            order = np.argsort(-scores, axis=1, kind="stable")[:, :width]
            top_scores = np.take_along_axis(scores, order, axis=1)
            chosen = self._diversify(np.take_along_axis(candidates, order, axis=1), top_scores, order, k, diversity)
            adjacent = (_adjacent_picks(chosen, order, scores, adjacent_candidates(facets)) if adjacent_slot
                        else np.full(len(block), -1))
            if adjacent_slot:
                chosen = _with_adjacent_last(chosen, adjacent)
            # plain Python numbers, converted once per block rather than one numpy scalar at a time
            people, values, need_offer, offer_need, topic = (a.tolist() for a in (
                candidates, scores, facets["need_offer"], facets["offer_need"], facets["topic"]))
            adjacent = adjacent.tolist()
            return {person: [Match(people[r][c], values[r][c],
                                   PairEvidence(need_offer[r][c], offer_need[r][c], topic[r][c]),
                                   adjacent=c == adjacent[r])
                             for c in chosen[r].tolist() if math.isfinite(values[r][c])]
                    for r, person in enumerate(block.tolist())}

        for found in map_on_cores(match_block, [rows[start:start + BLOCK] for start in range(0, len(rows), BLOCK)]):
            results.update(found)
        return results

    def _prefer(self, block: np.ndarray, candidates: np.ndarray, scores: np.ndarray, controls: Controls) -> None:
        """'More/less like this': nudge candidates similar to the people the viewer rated."""
        for r, person in enumerate(block):
            for liked, sign in ((controls.less_like.get(person, []), -1.0), (controls.more_like.get(person, []), 1.0)):
                if liked:
                    similarity = (self.profile_vectors[liked] @ self.profile_vectors[candidates[r]].T).max(axis=0)
                    scores[r] += sign * 0.3 * np.clip(similarity - 0.3, 0, None)

    def _diversify(self, people: np.ndarray, relevance: np.ndarray, positions: np.ndarray, k: int,
                   diversity: float) -> np.ndarray:
        """Maximal marginal relevance for a whole block: picks k of each row's pool; returns `positions` entries."""
        rows, width = people.shape
        k = min(k, width)
        if diversity <= 0 or width <= 1:
            return positions[:, :k]
        vectors = self.profile_vectors[people]  # rows x pool x dim
        similarity = np.matmul(vectors, vectors.transpose(0, 2, 1))
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
        return np.take_along_axis(positions, np.stack(picks, axis=1), axis=1)


class _BestCandidates:
    """Each row's `width` best columns among the scores offered so far, from any thread."""

    HIDDEN = np.float32(-3e38)  # a pair never shown: still a real candidate, so it outranks an empty slot (-inf)

    def __init__(self, rows: int, width: int):
        self.width = width
        self.values = np.full((rows, width), -np.inf, np.float32)
        self.ids = np.full((rows, width), -1, np.int64)
        self.lock = threading.Lock()

    def offer(self, rows: slice, scores: np.ndarray, first_column: int) -> None:
        """`scores` of these rows against the columns from `first_column` on (-inf: never shown)."""
        keep = min(self.width, scores.shape[1])
        best = np.argpartition(scores, scores.shape[1] - keep, axis=1)[:, -keep:]  # the keep largest, unordered
        values = np.maximum(np.take_along_axis(scores, best, axis=1), self.HIDDEN)
        with self.lock:
            values = np.concatenate([self.values[rows], values], axis=1)
            ids = np.concatenate([self.ids[rows], best + first_column], axis=1)
            kept = np.argpartition(values, values.shape[1] - self.width, axis=1)[:, -self.width:]
            self.values[rows] = np.take_along_axis(values, kept, axis=1)
            self.ids[rows] = np.take_along_axis(ids, kept, axis=1)

    def shortlist(self) -> tuple[np.ndarray, np.ndarray]:
        """The candidates in index order (ties by index), and which of them are never shown."""
        order = np.argsort(self.ids, axis=1)
        return (np.take_along_axis(self.ids, order, axis=1),
                np.take_along_axis(self.values, order, axis=1) <= self.HIDDEN)


def _adjacent_picks(chosen: np.ndarray, order: np.ndarray, scores: np.ndarray, adjacent: np.ndarray) -> np.ndarray:
    """Per row, the shortlist position of the list's adjacent-interest pick, or -1 when there is none.

    A chosen candidate that qualifies is kept as the pick (the lowest-placed one: the list's top matches are there
    for what they match); otherwise the best-scoring qualifying candidate of the pool (`order`, best first) that
    scores at least ADJACENT_MIN_SHARE of the row's best."""
    rows = np.arange(len(chosen))
    best = np.where(np.isfinite(scores), scores, -np.inf).max(axis=1, initial=-np.inf)
    strong = adjacent & np.isfinite(scores) & (scores >= ADJACENT_MIN_SHARE * best[:, None]) & (scores > 0)
    picks = np.full(len(chosen), -1, dtype=np.int64)
    for r in rows:
        listed = set(chosen[r].tolist())
        inside = [c for c in chosen[r].tolist() if strong[r, c]]
        if inside:
            picks[r] = inside[-1]
            continue
        outside = next((c for c in order[r] if strong[r, c] and c not in listed), None)
        if outside is not None and listed:
            picks[r] = outside
    return picks


def _with_adjacent_last(chosen: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """Each row's chosen positions, with an adjacent pick from outside the list in place of the last one."""
    chosen = chosen.copy()
    for r, pick in enumerate(picks):
        if pick >= 0 and pick not in chosen[r] and chosen.shape[1]:
            chosen[r, -1] = pick
    return chosen
