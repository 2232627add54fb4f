"""The skill graph's knowledge layer: map free phrases to curated concept families by their aliases."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from core.skill_taxonomy import CONCEPTS


def normalize_phrase(text: str) -> str:
    """Lowercase ASCII words separated by single spaces ('React.js / SPAs' -> 'react js spas')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9+#]+", ascii_text))


@lru_cache(maxsize=1)
def _alias_patterns() -> tuple[list[str], re.Pattern, dict[str, list[int]]]:
    names = list(CONCEPTS)
    owners: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        for alias in (name, *CONCEPTS[name]):
            key = normalize_phrase(alias)
            if key:
                owners.setdefault(key, []).append(index)
    keys = sorted(owners, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9+#])(" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9+#])")
    return names, pattern, owners


def concepts_of(text: str) -> set[str]:
    """Concept names whose alias appears as whole words in the text."""
    names, pattern, owners = _alias_patterns()
    found = {i for m in pattern.finditer(normalize_phrase(text)) for i in owners[m.group(1)]}
    return {names[i] for i in found}


def concept_matrix(texts: list[str]) -> np.ndarray:
    """(texts x concepts) 0/1 matrix: which concept families each text mentions."""
    names, pattern, owners = _alias_patterns()
    matrix = np.zeros((len(texts), len(names)), dtype=np.float32)
    for row, text in enumerate(texts):
        for m in pattern.finditer(normalize_phrase(text)):
            matrix[row, owners[m.group(1)]] = 1.0
    return matrix
