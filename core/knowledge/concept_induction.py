"""Concepts induced from an event's own phrases: spellings, abbreviations and close meanings grouped together."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.knowledge.prose_phrases import prose_phrases
from core.knowledge.skill_names import abbreviates
from core.knowledge.skills import concept_matrix, misspelt_concept_matrix, normalize_phrase

BLOCK = 2048


@dataclass(frozen=True)
class InductionSettings:
    """How close two phrases must be to count as one concept."""

    neighbours: int = 2            # mutual nearest neighbours considered
    mutual_similarity: float = 0.65  # cosine for a mutual-nearest-neighbour link
    strong_similarity: float = 0.8  # cosine that links two phrases on its own
    typo_ratio: float = 0.88       # character similarity of two spellings of one phrase
    max_concept_size: int = 12     # larger groups are chains of loosely related phrases, not one concept


class _Groups:
    """Union-find over phrase indexes."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _grouped(count: int, links: list[tuple[int, int]], settings: InductionSettings) -> list[list[int]]:
    """The groups that the links join (two or more members, at most max_concept_size)."""
    groups = _Groups(count)
    for a, b in links:
        groups.join(a, b)
    return _members(groups, count, settings)


def _members(groups: _Groups, count: int, settings: InductionSettings) -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for index in range(count):
        members.setdefault(groups.find(index), []).append(index)
    return [group for group in members.values() if 2 <= len(group) <= settings.max_concept_size]


def _meaning_links(vectors: np.ndarray, settings: InductionSettings) -> list[tuple[int, int]]:
    """Pairs linked by meaning: mutual nearest neighbours above one bar, or any pair above a higher one."""
    count = len(vectors)
    if count < 2:
        return []
    k = min(settings.neighbours, count - 1)
    nearest = np.zeros((count, k), dtype=np.int64)
    links: list[tuple[int, int]] = []
    for start in range(0, count, BLOCK):
        sims = vectors[start:start + BLOCK] @ vectors.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -1.0
        nearest[start:start + BLOCK] = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        strong_rows, strong_cols = np.nonzero(sims >= settings.strong_similarity)
        links += [(int(r) + start, int(c)) for r, c in zip(strong_rows, strong_cols, strict=False) if r + start < c]
    neighbour_sets = [set(row) for row in nearest.tolist()]
    for a in range(count):
        for b in neighbour_sets[a]:
            if a < b and a in neighbour_sets[b] and float(vectors[a] @ vectors[b]) >= settings.mutual_similarity:
                links.append((a, b))
    return links


def _spelling_links(phrases: list[str], settings: InductionSettings) -> list[tuple[int, int]]:
    """Pairs that are one phrase spelt two ways: a typo, or an abbreviation of the other's words."""
    from rapidfuzz import fuzz, process

    normal = [normalize_phrase(p) for p in phrases]
    links = []
    by_initials: dict[str, list[int]] = {}
    for index, phrase in enumerate(normal):
        if " " in phrase:
            by_initials.setdefault("".join(w[0] for w in phrase.split()), []).append(index)
    for index, phrase in enumerate(normal):
        if " " not in phrase and len(phrase) <= 4:
            links += [(index, other) for other in by_initials.get(phrase, [])
                      if abbreviates(phrase, normal[other]) is not None]
    long_enough = [i for i, p in enumerate(normal) if len(p) >= 6]
    choices = [normal[i] for i in long_enough]
    scores = process.cdist(choices, choices, scorer=fuzz.ratio, score_cutoff=100 * settings.typo_ratio, workers=1)
    rows, cols = np.nonzero(scores)
    links += [(long_enough[r], long_enough[c]) for r, c in zip(rows, cols, strict=False) if r < c]
    return links


def induce_concepts(phrases: list[str], vectors: np.ndarray, settings: InductionSettings | None = None
                    ) -> list[list[int]]:
    """Groups (of indexes into `phrases`, two or more each) that name one concept in this event.

    Phrases are linked when they are mutual nearest neighbours by meaning above a bar, very close by meaning,
    or one spelling of the other (a typo or an abbreviation); linked phrases form a group. Groups larger than
    `max_concept_size` are chains of related ideas rather than one concept, and are left out."""
    settings = settings or InductionSettings()
    return _grouped(len(phrases), [*_meaning_links(np.asarray(vectors, dtype=np.float32), settings),
                                   *_spelling_links(phrases, settings)], settings)


def event_concepts(texts: list[str], vectors: np.ndarray, phrases: set[str],
                   settings: InductionSettings | None = None) -> np.ndarray:
    """(texts x concepts) 0/1: the taxonomy's concepts, then the concepts induced from this event's phrases.

    Only `phrases` (tags and the phrases found in free text) take part in induction. Two spellings of one
    phrase share their taxonomy concepts too ("Kuberentes" is Kubernetes). A free-text clause carries the
    concepts of the phrases it names, never those of its other words ("we're hiring…" is not a skill)."""
    settings = settings or InductionSettings()
    position = {t: i for i, t in enumerate(texts)}
    clauses = [(row, [position[p.text] for p in prose_phrases(text) if p.text in position])
               for row, text in enumerate(texts) if text not in phrases]
    rows = [i for i, t in enumerate(texts) if t in phrases]
    names = [texts[i] for i in rows]
    # a clause's own words never count (below): only the phrases, and those the clauses name, are looked up
    tagged = sorted({*rows, *(i for _, named in clauses for i in named)})
    found = concept_matrix([texts[i] for i in tagged])
    taxonomy = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
    taxonomy[tagged] = found
    if rows:  # a typo of a taxonomy alias, or the alias with a word more or less, is that concept too
        taxonomy[rows] = np.maximum(taxonomy[rows], misspelt_concept_matrix(names, settings.typo_ratio))
    spelling = _spelling_links(names, settings) if rows else []
    meaning = _meaning_links(np.asarray(vectors[rows], dtype=np.float32), settings) if rows else []
    groups = _grouped(len(names), [*meaning, *spelling], settings)
    induced = np.zeros((len(texts), len(groups)), dtype=np.float32)
    for concept, members in enumerate(groups):
        induced[[rows[m] for m in members], concept] = 1.0
    for members in _grouped(len(names), spelling, settings):
        spelt = [rows[m] for m in members]
        taxonomy[spelt] = taxonomy[spelt].max(axis=0)
    for row, named in clauses:
        taxonomy[row] = taxonomy[named].max(axis=0) if named else 0.0
        induced[row] = induced[named].max(axis=0) if named else 0.0
    return np.concatenate([taxonomy, induced], axis=1)
