"""The skill graph's knowledge layer: map free phrases to curated concept families by their aliases."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from core.knowledge.taxonomy import CONCEPTS


def normalize_phrase(text: str) -> str:
    """Lowercase ASCII words separated by single spaces ('React.js / SPAs' -> 'react js spas')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9+#]+", ascii_text))


@lru_cache(maxsize=1)
def _alias_index() -> tuple[list[str], dict[tuple[str, ...], list[int]], int]:
    """Concept names, normalised alias words -> concept indexes, and the longest alias in words."""
    names = list(CONCEPTS)
    owners: dict[tuple[str, ...], list[int]] = {}
    for index, name in enumerate(names):
        for alias in (name, *CONCEPTS[name]):
            words = tuple(normalize_phrase(alias).split())
            if words and index not in owners.get(words, []):
                owners.setdefault(words, []).append(index)
    return names, owners, max(len(words) for words in owners)


@lru_cache(maxsize=1)
def _longest_from() -> dict[str, int]:
    """First word of an alias -> the longest alias starting with it, in words."""
    longest: dict[str, int] = {}
    for words in _alias_index()[1]:
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


def _concept_indexes(text: str) -> set[int]:
    """Leftmost-longest, non-overlapping whole-word alias matches in the text."""
    owners, longest_from = _alias_index()[1], _longest_from()
    words = normalize_phrase(text).split()
    found: set[int] = set()
    position = 0
    while position < len(words):
        # only the aliases that start with this word can match here
        for size in range(min(longest_from.get(words[position], 0), len(words) - position), 0, -1):
            hit = owners.get(tuple(words[position:position + size]))
            if hit:
                found.update(hit)
                position += size
                break
        else:
            position += 1
    return found


def concepts_of(text: str) -> set[str]:
    """Concept names whose alias appears as whole words in the text."""
    names = _alias_index()[0]
    return {names[i] for i in _concept_indexes(text)}


SPELLING_ROWS = 1024  # phrases compared with their aliases at a time (a score matrix of a few MB)


def _spelling_key(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """What a typo never changes: the first letter and the words of one or two characters ("IT strategy" is not
    "AI strategy")."""
    return (words[0][0], *(w for w in words if len(w) <= 2))


@lru_cache(maxsize=1)
def _spelt_aliases() -> dict[tuple[str, ...], tuple[list[str], list[list[int]]]]:
    """The aliases of two words or more and six characters or more, normalised, by spelling key: their texts and
    the concept indexes of each."""
    by_key: dict[tuple[str, ...], tuple[list[str], list[list[int]]]] = {}
    for words, owners in _alias_index()[1].items():
        if len(words) >= 2 and len(" ".join(words)) >= 6:
            texts, concepts = by_key.setdefault(_spelling_key(words), ([], []))
            texts.append(" ".join(words))
            concepts.append(owners)
    return by_key


def misspelt_concept_matrix(texts: list[str], min_ratio: float) -> np.ndarray:
    """(texts x concepts) 0/1: the concepts of the alias each text is another spelling of, for texts of two words or
    more: a typo, or a word more or less (character similarity of at least `min_ratio`, with the same first letter
    and words of one or two characters), the closest alias winning. An alias itself is not another spelling. A single
    word is never respelled: one letter apart, it is as often another word ("baking", "banking")."""
    from rapidfuzz import fuzz, process

    matrix = np.zeros((len(texts), len(_alias_index()[0])), dtype=np.float32)
    aliases = _spelt_aliases()
    exact = _alias_index()[1]
    by_key: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for row, text in enumerate(texts):
        words = normalize_phrase(text).split()
        key = _spelling_key(words) if len(words) >= 2 else None
        if key in aliases and tuple(words) not in exact:
            by_key.setdefault(key, []).append((row, " ".join(words)))
    for key, phrases in by_key.items():  # each phrase is compared only with the aliases it could be a spelling of
        candidates, owners = aliases[key]
        for start in range(0, len(phrases), SPELLING_ROWS):
            chunk = phrases[start:start + SPELLING_ROWS]
            scores = process.cdist([p for _, p in chunk], candidates, scorer=fuzz.ratio,
                                   score_cutoff=100 * min_ratio, workers=1)
            best = scores.argmax(axis=1)
            for position in np.flatnonzero(scores[np.arange(len(chunk)), best]).tolist():
                matrix[chunk[position][0], owners[best[position]]] = 1.0
    return matrix


def concept_matrix(texts: list[str]) -> np.ndarray:
    """(texts x concepts) 0/1 matrix: which concept families each text mentions."""
    matrix = np.zeros((len(texts), len(_alias_index()[0])), dtype=np.float32)
    for row, text in enumerate(texts):
        matrix[row, list(_concept_indexes(text))] = 1.0
    return matrix
