"""Skill names normalised with the taxonomy: one key per skill, however spelt ("JS", "Javascript" -> javascript)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.knowledge.skills import normalize_phrase
from core.knowledge.taxonomy import CONCEPTS

KEY_LENGTH = 120  # skill_nodes.key
SMALL_WORDS = frozenset({"and", "or", "of", "for", "in", "on", "the", "to", "with", "a", "an", "at", "by"})
VOWELS = frozenset("aeiouy")


@dataclass(frozen=True)
class SkillName:
    """A skill's normalised key, a readable label and its taxonomy family (None for skills the taxonomy lacks)."""

    key: str
    label: str
    family: str | None


def _compact(phrase: str) -> str:
    return phrase.replace(" ", "")


def _initials(phrase: str) -> str:
    return "".join(word[0] for word in phrase.split())


def abbreviates(short: str, long: str) -> int | None:
    """How `short` abbreviates `long` (lower is stronger), or None: initials of its words ("ml" -> "machine
    learning"), a numeronym ("k8s" -> "kubernetes"), or a vowel-less same-first-letter subsequence of one word
    ("js" -> "javascript")."""
    if " " in short or len(short) > 4 or len(_compact(long)) <= len(short) + 1:
        return None
    if " " in long and _initials(long) == short:
        return 0
    numeronym = re.fullmatch(r"([a-z])(\d+)([a-z])", short)
    if numeronym and " " not in long:
        first, count, last = numeronym.groups()
        if long[0] == first and long[-1] == last and len(long) - 2 == int(count):
            return 1
    if short.isalpha() and 2 <= len(short) <= 3 and not VOWELS & set(short) and " " not in long \
            and long[0] == short[0] and len(long) >= len(short) + 3:
        rest = iter(long[1:])
        if all(letter in rest for letter in short[1:]):
            return 2
    return None


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str], dict[str, str], frozenset[str]]:
    """(phrase -> key rewrites, key -> family, compact spelling -> key, abbreviations).

    Rules, applied once when the taxonomy loads (no hand-written list):
    - a family name collapses to its first alias when that alias starts it ("python programming" -> "python");
    - an abbreviation listed in a family becomes the longer alias it abbreviates (see `abbreviates`; the family
      name first, then the strongest kind, then the shortest alias) — unless the abbreviation is the family name
      itself ("aws"), when the long form becomes the abbreviation;
    - spellings that differ only by spaces or a "js" suffix are one skill ("reactjs", "react js" -> "react"; "front
      end" -> "frontend": the family name, else the spelling with fewer spaces).
    An alias listed in several families belongs to the first of them in the taxonomy's order."""
    family_of: dict[str, str] = {}
    for family, aliases in CONCEPTS.items():
        for phrase in (normalize_phrase(family), *(normalize_phrase(a) for a in aliases)):
            if phrase:
                family_of.setdefault(phrase, family)
    rewrites: dict[str, str] = {}
    abbreviations: set[str] = set()
    for family, aliases in CONCEPTS.items():
        name = normalize_phrase(family)
        phrases = list(dict.fromkeys(p for p in (normalize_phrase(a) for a in aliases) if p and p != name))
        head = phrases[0] if phrases else ""
        if head and len(head.split()) < len(name.split()) and name.split()[:len(head.split())] == head.split():
            rewrites.setdefault(name, head)
        for short in (name, *phrases):
            ranked = sorted((long != name, strength, len(long), long)
                            for long in (name, *phrases) if (strength := abbreviates(short, long)) is not None)
            if not ranked:
                continue
            abbreviations.add(short)
            long = ranked[0][3]
            if short == name:
                rewrites.setdefault(long, name)
            elif family_of.get(short) == family:
                rewrites.setdefault(short, long)
        by_compact = {_compact(p): p for p in sorted((name, *phrases), key=lambda p: (len(p), p), reverse=True)}
        for phrase in phrases:
            base = _compact(phrase).removesuffix("js")
            if phrase.endswith("js") and base in by_compact and by_compact[base] != phrase:
                rewrites.setdefault(phrase, by_compact[base])
    compact: dict[str, str] = {}
    families = {normalize_phrase(f) for f in CONCEPTS}
    for phrase in sorted(family_of, key=lambda p: (p not in families, p.count(" "), p)):  # "frontend", not "front end"

        compact.setdefault(_compact(phrase), phrase)
    for phrase in family_of:
        spelled = compact[_compact(phrase)]
        if spelled != phrase and phrase not in rewrites:
            rewrites[phrase] = spelled
    for phrase in list(rewrites):  # follow chains ("ts" -> "typescript" is final; "hpc" -> family name may go on)
        seen = {phrase}
        while (target := rewrites.get(rewrites[phrase])) and target not in seen:
            seen.add(target)
            rewrites[phrase] = target
    return rewrites, family_of, compact, frozenset(abbreviations)


def _key_of(phrase: str) -> str:
    rewrites, _, compact, _ = _index()
    if phrase in rewrites:
        return rewrites[phrase]
    if phrase in _index()[1]:
        return phrase
    spelled = compact.get(_compact(phrase))  # "java script", "node-js" -> a known spelling
    if spelled is None and phrase.endswith("js"):
        spelled = compact.get(_compact(phrase).removesuffix("js"))
    if spelled is not None:
        return rewrites.get(spelled, spelled)
    return phrase


def skill_key(phrase: str) -> str:
    """The normalised key of a skill phrase ('' for empty or junk)."""
    skill = canonical_skill(phrase)
    return skill.key if skill else ""


def default_label(key: str) -> str:
    """A readable label for a key when no spelling from the data is at hand: words capitalised, small joining
    words lower, abbreviations upper ("SQL", "AWS", "UX"): those the taxonomy expands, two-letter taxonomy aliases,
    and words of up to 4 letters without a vowel."""
    abbreviations = _index()[3]
    words = []
    for position, word in enumerate(key.split()):
        if word in abbreviations or (word.isalpha() and len(word) <= 4 and not VOWELS & set(word)) \
                or (len(word) == 2 and word in _index()[1]):
            words.append(word.upper())
        elif position and word in SMALL_WORDS:
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def canonical_skill(phrase: str) -> SkillName | None:
    """A phrase as its skill (key, label, family), or None when it holds no letter. Skills the taxonomy lacks keep
    their own key: the normalised phrase, cut to the key column's length at a word boundary."""
    normal = normalize_phrase(phrase or "")
    if not re.search(r"[a-z]", normal):
        return None
    if len(normal) > KEY_LENGTH:
        normal = normal[:KEY_LENGTH + 1].rsplit(" ", 1)[0][:KEY_LENGTH]
    key = _key_of(normal)
    return SkillName(key=key, label=default_label(key), family=_index()[1].get(key))


def skill_keys(phrases: list[str]) -> list[str]:
    """The distinct keys of a list of skill phrases, in their first order."""
    return list(dict.fromkeys(k for k in (skill_key(p) for p in phrases) if k))
