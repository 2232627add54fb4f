"""Tag-like phrases pulled out of free text ("years of work in X", "looking for Y"), with the direction they point."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Direction(StrEnum):
    """Whether a phrase is something the writer offers, needs, follows with interest, or only mentions."""

    OFFER = "offer"
    NEED = "need"
    INTEREST = "interest"
    MENTION = "mention"


# Cue words are general English for having or wanting something; they name no field.
NEED_CUES = re.compile(
    r"\b(looking for|look for|searching for|search for|hoping to find|need|needs|needed|want|wants|wanting|"
    r"seek|seeking|evaluating|evaluate|hiring|recruiting|guidance|help with|advice|struggl\w*|stuck|trouble|"
    r"problem\w*|challeng\w*|learn\w*|figure out|figuring out|raising|vendors?|short on|lack\w*|"
    r"missing|gap|would love|keen to|hard time|walls?|anyone who)\b", re.IGNORECASE)
OFFER_CUES = re.compile(
    r"\b(experience|experienced|years|worked|work|working|specialis\w*|specializ\w*|expert\w*|background|"
    r"built|build|building|sell|selling|sells|product|offer\w*|provid\w*|mentor\w*|teach\w*|coach\w*|advis\w*|"
    r"backing|invest\w*|led|lead|leading|run|running|ran|hands-on|known for|practitioner|spent|done|"
    r"deliver\w*|consult\w*|can help|happy to help|happy to|day job|for a living|handle|handling|"
    r"responsible for|in charge of|manage|managing|my job)\b", re.IGNORECASE)
INTEREST_CUES = re.compile(
    r"\b(interested|interest|interests|curious|keen on|fascinated|follow|following|passionate|love|enjoy|"
    r"excited|reading up|into|fan of)\b", re.IGNORECASE)
# verbs whose object is the thing offered or wanted ("evaluating X", "backing X")
OBJECT_VERB = re.compile(
    r"\b(?:need|needs|want|wants|seek|seeking|evaluating|hiring|recruiting|built|building|build|sell|selling|sells|"
    r"offer|offering|offers|provide|providing|provides|backing|mentor|mentoring|teach|teaching|coach|coaching|"
    r"run|running|lead|leading|knows?|master(?:ed)?|practis\w*|practic\w*|studying|study)\s+", re.IGNORECASE)
PREPOSITION = re.compile(r"\b(?:in|on|for|with|about|around|into|of|at|across|behind|through)\s+", re.IGNORECASE)
BOUNDARY = re.compile(r"[,;:.!?()\"]|\s(?:and then|but|so|because|while|which|who|that|where|when|to|if|as|than)\s",
                      re.IGNORECASE)
LIST_SPLIT = re.compile(r"\s*(?:,|/|\s&\s|\band\b|\bor\b|\bplus\b)\s*", re.IGNORECASE)  # "P&I", "R&D" stay whole
LEADING = {"a", "an", "the", "our", "my", "your", "their", "his", "her", "its", "some", "any", "more", "better",
           "new", "good", "great", "strong", "solid", "real", "deep", "serious", "all", "things", "stuff",
           "people", "someone", "somebody", "anyone", "folks", "teams", "team", "us", "me", "this", "that",
           "these", "those", "lots", "lot", "bit", "little", "many", "much", "very", "really", "hands-on",
           "practical", "modern", "next", "early-stage", "early", "stage", "growing", "help", "guidance",
           "advice", "work", "working", "experience", "years", "year", "expertise", "knowledge", "partner",
           "partners", "vendors", "vendor", "products", "product", "companies", "company", "startups", "startup",
           "solutions", "solution", "know", "knows", "knowing", "understand", "understands", "use", "using",
           "do", "doing", "does", "get", "getting", "make", "making", "real-world", "production"}
GENERIC = {"role", "roles", "job", "jobs", "career", "opportunity", "opportunities", "position", "platform", "round",
           "seed", "team", "teams", "company", "startup", "business", "people", "mentor", "mentors", "investor",
           "investors", "customers", "clients", "partners", "partner", "vendors", "product", "products", "help",
           "guidance", "advice", "feedback", "intros", "introductions", "contacts", "network", "conversations"}
TRAILING = {"teams", "team", "companies", "company", "startups", "startup", "projects", "project", "work",
            "space", "sector", "industry", "field", "area", "areas", "skills", "skill", "stuff", "things",
            "people", "folks", "experts", "expert", "specialists", "specialist", "vendors", "vendor", "tools",
            "well", "too", "right", "now", "today", "lately", "daily", "again", "here", "there", "more",
            "the", "a", "an", "our", "my", "of", "in", "on", "for", "with", "and", "or"}
MAX_WORDS = 6
MAX_PHRASES = 4


@dataclass(frozen=True)
class ProsePhrase:
    """One phrase of a clause: its words as written and the direction of the cue before it."""

    text: str
    direction: Direction


def _trimmed(words: list[str]) -> list[str]:
    while words and words[0].lower() in LEADING:
        words = words[1:]
    while words and words[-1].lower() in TRAILING:
        words = words[:-1]
    return words


def _case_sensitive(pattern: re.Pattern) -> re.Pattern:
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


# The same patterns without IGNORECASE, for ASCII text once lowercased: the same matches at the same places, found
# several times faster (case-insensitive matching of long alternations is slow in `re`).
LOWER = {pattern: _case_sensitive(pattern)
         for pattern in (NEED_CUES, OFFER_CUES, INTEREST_CUES, OBJECT_VERB, PREPOSITION, BOUNDARY)}


def _searchable(clause: str) -> tuple[str, dict[re.Pattern, re.Pattern]]:
    """The text to search and the patterns to search it with: lowercased ASCII with the case-sensitive patterns,
    or (any other text) the clause as it is with the patterns as written."""
    if clause.isascii():
        return clause.lower(), LOWER
    return clause, {pattern: pattern for pattern in LOWER}


def _cues(clause: str) -> list[tuple[int, Direction]]:
    """Where each cue of the clause starts, and the direction it gives, in order."""
    text, patterns = _searchable(clause)
    cues = [(m.start(), Direction.NEED) for m in patterns[NEED_CUES].finditer(text)]
    cues += [(m.start(), Direction.OFFER) for m in patterns[OFFER_CUES].finditer(text)]
    cues += [(m.start(), Direction.INTEREST) for m in patterns[INTEREST_CUES].finditer(text)]
    return sorted(cues)


def _direction(cues: list[tuple[int, Direction]], start: int) -> Direction:
    """The direction of the last cue that starts before a phrase (the nearest cue decides)."""
    before = [direction for position, direction in cues if position < start]
    return before[-1] if before else Direction.MENTION


def _spans(clause: str) -> list[tuple[int, str]]:
    """(start, text) of what follows each preposition or cue up to the next boundary, innermost last."""
    text, patterns = _searchable(clause)
    starts = ([m.end() for m in patterns[PREPOSITION].finditer(text)]
              + [m.end() for m in patterns[OBJECT_VERB].finditer(text)])
    spans = []
    for start in sorted(set(starts)):
        rest = clause[start:]
        end = patterns[BOUNDARY].search(text, start)
        spans.append((start, rest[:end.start() - start] if end else rest))
    return spans


@lru_cache(maxsize=65536)
def prose_phrases(clause: str) -> tuple[ProsePhrase, ...]:
    """The tag-like phrases a clause names, each with the direction of its nearest cue (cached: a refresh reads
    every clause of the event twice, and most clauses again the next night).

    'Years of hands-on work in mite treatment and queen rearing' gives 'mite treatment' and 'queen rearing',
    both offers. A span that contains a further preposition yields only its innermost part, so 'people strong in
    X' gives X, not 'people strong'."""
    found: dict[str, ProsePhrase] = {}
    spans = _spans(clause)
    cues = _cues(clause)
    for position, (start, span) in enumerate(spans):
        nested = any(other_start > start and other_start < start + len(span) for other_start, _ in spans[position + 1:])
        if nested:
            continue
        for part in LIST_SPLIT.split(span):
            words = _trimmed(re.findall(r"[\w+#.'&-]+", part))
            words = [w.strip(".'&") for w in words if w.strip(".'&")]
            if not words or len(words) > MAX_WORDS or len("".join(words)) < 2:
                continue
            phrase = " ".join(words)
            if phrase.lower() in GENERIC:
                continue
            if phrase.lower() not in found:
                found[phrase.lower()] = ProsePhrase(phrase, _direction(cues, start))
    return tuple(found.values())[:MAX_PHRASES]
