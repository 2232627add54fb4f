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


def concept_matrix(texts: list[str]) -> np.ndarray:
    """(texts x concepts) 0/1 matrix: which concept families each text mentions."""
    matrix = np.zeros((len(texts), len(_alias_index()[0])), dtype=np.float32)
    for row, text in enumerate(texts):
        matrix[row, list(_concept_indexes(text))] = 1.0
    return matrix
