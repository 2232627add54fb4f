"""The one job-title rule: a messy title ("Sr. Data Analyst II - Marketing") -> its role family ("Senior Data
Analyst")."""
from __future__ import annotations

import re
from functools import lru_cache

# Seniority words kept as a prefix of the family, in the order they are written.
SENIORITY = ("Junior", "Senior", "Lead", "Principal", "Staff")
LEADERSHIP = ("Head of", "Director of", "VP of")

# Abbreviations and spellings -> words (lower-case keys; "." and trailing punctuation already removed).
_WORDS = {
    "sr": "Senior", "snr": "Senior", "senior": "Senior", "jr": "Junior", "jnr": "Junior", "junior": "Junior",
    "mgr": "Manager", "mngr": "Manager", "dir": "Director", "vp": "VP", "svp": "VP", "evp": "VP",
    "avp": "VP", "engr": "Engineer", "dev": "Developer", "swe": "Software Engineer", "sde": "Software Engineer",
    "pm": "Product Manager", "tpm": "Technical Program Manager", "mle": "Machine Learning Engineer",
    "ml": "Machine Learning", "ai": "AI", "bi": "Business Intelligence", "sre": "Site Reliability Engineer",
    "ux": "UX", "ui": "UI", "qa": "QA", "hr": "HR", "it": "IT", "ae": "Account Executive",
    "cto": "Chief Technology Officer", "ceo": "Chief Executive Officer", "cfo": "Chief Financial Officer",
    "coo": "Chief Operating Officer", "cmo": "Chief Marketing Officer", "cpo": "Chief Product Officer",
    "ciso": "Chief Information Security Officer", "cio": "Chief Information Officer",
    "cdo": "Chief Data Officer", "sdet": "QA Engineer",
}
_LEVEL = re.compile(r"^(i{1,3}|iv|v|vi{0,3}|[0-9]+|l[0-9]+|ic[0-9]+|e[0-9]+|p[0-9]+|t[0-9]+)$", re.I)
_LEVEL_PHRASE = re.compile(r"\b(level|grade|band|tier)\s*[0-9ivx]+\b", re.I)

# Base function (lower case) -> family base.
_SYNONYMS: dict[str, str] = {}
for _family, _names in {
    "Software Engineer": ("software engineer", "software developer", "developer", "programmer", "engineer",
                          "backend engineer", "back-end engineer", "backend developer", "back-end developer",
                          "frontend engineer", "front-end engineer", "frontend developer", "front-end developer",
                          "full stack developer", "full-stack developer", "fullstack developer",
                          "full stack engineer", "full-stack engineer", "fullstack engineer", "web developer",
                          "application developer", "software development engineer", "member of technical staff",
                          "programmer analyst", "software"),
    "Data Analyst": ("data analyst", "business intelligence analyst", "analytics analyst", "reporting analyst",
                     "insights analyst", "data & analytics analyst", "business intelligence developer"),
    "Data Scientist": ("data scientist", "applied scientist", "data science"),
    "Data Engineer": ("data engineer", "big data engineer", "etl developer", "etl engineer", "analytics engineer",
                      "data platform engineer"),
    "Machine Learning Engineer": ("machine learning engineer", "ai engineer", "deep learning engineer",
                                  "ai/machine learning engineer", "machine learning developer"),
    "Product Manager": ("product manager", "product owner", "technical product manager", "digital product manager",
                        "product management manager"),
    "Engineering Manager": ("engineering manager", "software engineering manager", "software development manager",
                            "development manager", "engineer manager"),
    "Product Designer": ("product designer", "ux designer", "ui designer", "ui/ux designer", "ux/ui designer",
                         "ux ui designer", "ui ux designer"),
    "UX Researcher": ("ux researcher", "user researcher", "user experience researcher"),
    "QA Engineer": ("qa engineer", "test engineer", "quality assurance engineer", "software tester", "qa analyst"),
    "DevOps Engineer": ("devops engineer", "dev ops engineer", "platform engineer", "cloud engineer"),
    "Founder": ("founder", "co-founder", "cofounder", "founder & chief executive officer",
                "co-founder & chief technology officer", "founder and chief executive officer",
                "co-founder & chief executive officer", "founder & ceo"),
}.items():
    _SYNONYMS.update(dict.fromkeys(_names, _family))

# The "X" of Head of / Director of / VP of X.
_DEPARTMENTS = {"engineering": "Engineering", "software engineering": "Engineering",
                "software development": "Engineering", "technology": "Engineering", "data": "Data",
                "data science": "Data", "analytics": "Data", "data & analytics": "Data", "data and analytics": "Data",
                "data analytics": "Data", "product": "Product", "product management": "Product"}
_SMALL = {"of", "and", "&", "for", "in", "the", "to", "at"}
_ACRONYMS = {"AI", "UX", "UI", "QA", "HR", "IT", "VP", "BI", "ML", "CRM", "SEO", "ESG", "R&D", "MSc", "PhD", "MBA",
             "SRE", "ETL", "MLOps", "DevOps", "SaaS", "B2B", "GTM", "PR"}
_ACRONYM_BY_LOWER = {a.lower(): a for a in _ACRONYMS}


def _case(word: str) -> str:
    """Title-case a word, keeping acronyms and words already written in mixed case (MSc, iOS)."""
    if word.lower() in _ACRONYM_BY_LOWER:
        return _ACRONYM_BY_LOWER[word.lower()]
    if word.lower() in _SMALL:
        return word.lower()
    if any(c.isupper() for c in word[1:]) and not word.isupper():
        return word
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _strip_context(text: str) -> str:
    """Drop parenthesised notes, '@ company' / 'at Company', and '- team' / '| team' / ', region' suffixes; turn
    'Manager, X' / 'Director, X' inversions around."""
    text = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", text)
    text = re.sub(r"\s+(@|at)\s+[A-Z].*$", "", text)
    text = re.split(r"\s+[-–—|/]\s+|\s*\|\s*", text)[0]
    head, sep, tail = text.partition(",")
    if sep:
        first = head.strip().lower()
        if first in ("manager", "director", "head", "vp", "vice president", "lead", "senior director"):
            tail = tail.split(",")[0].strip()
            text = f"{tail} Manager" if first == "manager" else f"{head.strip()} of {tail}"
        else:
            text = head
    return text


def _words(text: str) -> list[str]:
    """Tokens with levels removed and abbreviations expanded."""
    text = _LEVEL_PHRASE.sub(" ", text)
    words: list[str] = []
    raw = [w.strip(".,;:") for w in text.replace("/", " / ").split()]
    raw = [w for w in raw if w and w != "/"]
    for index, word in enumerate(raw):
        low = word.lower()
        if _LEVEL.match(word) and index > 0:
            continue
        if low == "eng":  # "Eng Manager" / "Eng Director" but "Software Eng"
            following = raw[index + 1].lower() if index + 1 < len(raw) else ""
            words.append("Engineering" if following in ("manager", "mgr", "director", "dir", "lead", "head")
                         else "Engineer")
            continue
        if index == 0 and low in ("graduate", "grad", "trainee", "entry-level"):
            words.append("Junior")
            continue
        if low == "vice" and index + 1 < len(raw) and raw[index + 1].lower() == "president":
            words.append("VP")
            continue
        if low == "president" and words and words[-1] == "VP":
            continue
        words.extend(_WORDS.get(low, word).split())
    return words


def _leadership(words: list[str]) -> str | None:
    """'Head of X' / 'Director of X' / 'VP of X' (also 'X Director', 'VP X'), with X's department named."""
    lower = [w.lower() for w in words]
    for lead, key in (("Head", "head"), ("Director", "director"), ("VP", "vp")):
        if lower[:1] == [key] and len(words) > 1:
            rest = words[2:] if lower[1:2] == ["of"] else words[1:]
        elif lower[-1:] == [key] and len(words) > 1:
            rest = words[:-1]
        else:
            continue
        if not rest:
            return None
        department = " ".join(rest)
        return f"{lead} of {_DEPARTMENTS.get(department.lower(), ' '.join(_case(w) for w in rest))}"
    return None


@lru_cache(maxsize=65536)
def role_family(title: str | None) -> str | None:
    """The role family of a job title: levels, teams and regions dropped, abbreviations expanded, synonyms merged,
    seniority (Junior/Senior/Lead/Principal/Staff, Head of/Director of/VP of) kept as a prefix; None for no title."""
    if not title or not title.strip():
        return None
    text = " ".join(_strip_context(" ".join(title.split())).split())
    words = _words(text)
    if not words:
        return None
    seniority: list[str] = []
    while words and words[0] in SENIORITY and len(words) > 1:
        if words[0] not in seniority:
            seniority.append(words[0])
        words = words[1:]
    if len(words) > 1 and words[-1] in ("Lead", "Senior") and " ".join(words[:-1]).lower() in _SYNONYMS:
        seniority.append(words[-1])
        words = words[:-1]
    if [w.lower() for w in words] == ["tech", "lead"]:
        seniority, words = ["Lead"], ["Software", "Engineer"]
    leader = _leadership(words)
    if leader is not None:
        return leader
    base = " ".join(words)
    family = _SYNONYMS.get(base.lower()) or " ".join(_case(w) for w in words)
    if family == "Founder":
        return family
    seniority = seniority[:1]  # "Senior Lead X" -> "Senior X"
    return " ".join([*seniority, family])
