"""Audit my signals (seed 004 §4–5): what feeds a person's matches, exclusions that matching obeys, category snoozes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.enrichment.facts import INTERESTS, SKILLS, enriched_skills
from core.events.labels import goal_label
from core.knowledge.skills import concepts_of
from core.platform.clock import Clock
from db.filters import in_values
from db.models import (
    CategorySnooze,
    MatchControl,
    Person,
    ProgramSession,
    SessionAction,
    SessionActionKind,
    SignalExclusion,
)

CATEGORY_SNOOZE_DAYS = 30
SIGNAL_KEY_LIMIT = 200  # SignalExclusion.signal's length


class PrivacyGrade(StrEnum):
    """Seed 004 §4: where a signal comes from, and so how private it is."""

    PUBLIC = "public"  # from public profiles (enrichment)
    LIMITED = "limited"  # given to this event (the registration profile)
    PRIVATE = "private"  # private, opt-in: problem statement, goals, behaviour

    @property
    def label(self) -> str:
        return {"public": "Public", "limited": "Limited", "private": "Private (opt-in)"}[self.value]

    @property
    def description(self) -> str:
        return {"public": "From your public profiles", "limited": "Given to this event",
                "private": "Private: you shared it for matching only"}[self.value]


class SignalGroup(StrEnum):
    PROFILE = "profile"
    SKILLS = "skills"
    ENRICHMENT = "enrichment"
    FEEDBACK = "feedback"
    FAVOURITES = "favourites"
    SNOOZED = "snoozed"

    @property
    def label(self) -> str:
        return {"profile": "Profile", "skills": "Skills and concepts", "enrichment": "Enrichment",
                "feedback": "Your feedback", "favourites": "Favourites",
                "snoozed": "Snoozed categories"}[self.value]


class MatchCategory(StrEnum):
    """Kinds of people an attendee can snooze as a whole (seed 004 §5), derived from goals and roles."""

    INVESTORS = "investors"
    RECRUITERS = "recruiters"
    JOB_SEEKERS = "job_seekers"
    MENTORS = "mentors"
    FOUNDERS_FUNDRAISING = "founders_fundraising"
    VENDORS = "vendors"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {MatchCategory.INVESTORS: "Investors", MatchCategory.RECRUITERS: "Recruiters and hiring managers",
                   MatchCategory.JOB_SEEKERS: "Job seekers", MatchCategory.MENTORS: "Mentors",
                   MatchCategory.FOUNDERS_FUNDRAISING: "Founders raising money",
                   MatchCategory.VENDORS: "Vendors and sellers"}
CATEGORY_OF_GOAL = {"INVEST": MatchCategory.INVESTORS, "HIRE": MatchCategory.RECRUITERS,
                    "GET_HIRED": MatchCategory.JOB_SEEKERS, "MENTOR": MatchCategory.MENTORS,
                    "FIND_INVESTORS": MatchCategory.FOUNDERS_FUNDRAISING, "SELL": MatchCategory.VENDORS}
# Role words that place someone in a category even without the goal (a "Partner at a VC fund" who set no goals).
CATEGORY_ROLE_WORDS = {MatchCategory.INVESTORS: ("investor", "venture", "angel"),
                       MatchCategory.RECRUITERS: ("recruiter", "talent acquisition"),
                       MatchCategory.VENDORS: ("sales", "account executive", "business development")}

PROFILE_FIELDS = {  # key -> (label, grade)
    "role": ("Role", PrivacyGrade.LIMITED), "company": ("Company", PrivacyGrade.LIMITED),
    "industry": ("Industry", PrivacyGrade.LIMITED), "bio": ("Bio", PrivacyGrade.LIMITED),
    "problem_statement": ("Problem statement", PrivacyGrade.PRIVATE), "goals": ("Goals", PrivacyGrade.PRIVATE),
    "interests": ("Interests", PrivacyGrade.LIMITED), "skills_offered": ("Skills offered", PrivacyGrade.LIMITED),
    "skills_needed": ("Skills needed", PrivacyGrade.LIMITED), "location": ("Location", PrivacyGrade.LIMITED),
}
ITEM_KINDS = {"skill": ("skills_offered", "Skill you offer"), "need": ("skills_needed", "Skill you need"),
              "interest": ("interests", "Interest")}
FEEDBACK_KINDS = {"more_like": "More like this", "less_like": "Less like this", "dismiss": "Dismissed",
                  "snooze": "Snoozed"}
EXCLUDABLE_PREFIXES = ("field", *ITEM_KINDS, "concept", "enrichment", "feedback")


class SignalError(ValueError):
    """A signal key that cannot be excluded; the message says why."""


@dataclass(frozen=True)
class Signal:
    """One thing that feeds a person's matches, with where it came from and how private it is."""

    key: str  # stable: "skill:Python", "interest:AI", "need:Mentoring", "field:bio", "concept:machine learning"
    group: SignalGroup
    label: str
    value: str
    source: str
    grade: PrivacyGrade
    excluded: bool = False
    excludable: bool = True


def categories_of(person: Person) -> set[MatchCategory]:
    """The snoozable categories a person falls in, from their goals and their role."""
    found = {CATEGORY_OF_GOAL[g] for g in person.goals or () if g in CATEGORY_OF_GOAL}
    role = (person.role or "").lower()
    found |= {category for category, words in CATEGORY_ROLE_WORDS.items() if any(w in role for w in words)}
    return found


def _field_value(person: Person, name: str) -> str:
    if name == "location":
        return ", ".join(x for x in (person.city, person.country) if x)
    if name == "goals":
        return ", ".join(goal_label(g) for g in person.goals or ())
    value = getattr(person, name)
    return ", ".join(value) if isinstance(value, list) else (value or "")


def _concept_sources(person: Person) -> dict[str, list[tuple[str, PrivacyGrade]]]:
    """Each skill-graph concept the matcher sees in the profile -> the texts (and their grades) it is read from."""
    texts = [(f"skill {t}", t, PrivacyGrade.LIMITED) for t in person.skills_offered or ()]
    texts += [(f"need {t}", t, PrivacyGrade.LIMITED) for t in person.skills_needed or ()]
    texts += [(f"interest {t}", t, PrivacyGrade.LIMITED) for t in person.interests or ()]
    texts += [("industry", person.industry, PrivacyGrade.LIMITED), ("bio", person.bio, PrivacyGrade.LIMITED),
              ("problem statement", person.problem_statement, PrivacyGrade.PRIVATE)]
    found: dict[str, list[tuple[str, PrivacyGrade]]] = {}
    for where, text, grade in texts:
        for concept in sorted(concepts_of(text or "")):
            found.setdefault(concept, []).append((where, grade))
    return found


# Enrichment facts whose items are signals of their own, so one skill or language can be excluded alone.
ITEM_FACTS = (SKILLS, "github_top_languages", INTERESTS)


def _item_sources(fact: dict, item: str) -> list[str]:
    """The platform labels an item of a list fact was found on: its by_source entry, else the fact's source."""
    found = (fact.get("by_source") or {}).get(item) or [fact.get("source") or "public profile"]
    return [str(label) for label in found]


def enriched_skill_sources(person: Person) -> dict[str, list[str]]:
    """The skills and languages enrichment found (core.enrichment.facts.enriched_skills), each with the platforms
    it was found on; none without consent to enrichment."""
    if not person.allow_enrichment:
        return {}
    facts = person.enrichment or {}
    found: dict[str, list[str]] = {}
    for skill in enriched_skills(person):
        for key in ("github_top_languages", SKILLS):
            fact = facts.get(key)
            if isinstance(fact, dict) and skill in (fact.get("value") or ()):
                found.setdefault(skill, [])
                found[skill] += [s for s in _item_sources(fact, skill) if s not in found[skill]]
    return found


def _enrichment_facts(enrichment: dict | None) -> list[tuple[str, str, str]]:
    """(key, value, source) of each enrichment fact; a fact is a plain value or {"value": …, "source": …}."""
    facts = []
    for key, fact in sorted((enrichment or {}).items()):
        if isinstance(fact, dict):
            value, source = fact.get("value", ""), str(fact.get("source") or "public profile")
        else:
            value, source = fact, "public profile"
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        facts.append((str(key), shown, source))
    return facts


def _enrichment_items(person: Person, make, excluded: set[str]) -> list[Signal]:
    """One signal per skill, language or interest of the list facts (key enrichment:<fact>:<item>), after the
    whole facts' own signals; a fact excluded as a whole lists no items."""
    signals = []
    for key in ITEM_FACTS:
        fact = (person.enrichment or {}).get(key)
        if not isinstance(fact, dict) or not isinstance(fact.get("value"), list) or f"enrichment:{key}" in excluded:
            continue
        label = "Interest found in public profiles" if key == INTERESTS else "Skill found in public profiles"
        for item in dict.fromkeys(i for i in fact["value"] if isinstance(i, str) and i.strip()):
            signals.append(make(f"enrichment:{key}:{item}", SignalGroup.ENRICHMENT, label, item,
                                "Enrichment: " + ", ".join(_item_sources(fact, item)), PrivacyGrade.PUBLIC))
    return signals


def _without_excluded_items(enrichment: dict | None, excluded: set[str]) -> dict:
    """The enrichment less its excluded facts, and its list facts less their excluded items."""
    kept = {}
    for key, fact in (enrichment or {}).items():
        if f"enrichment:{key}" in excluded:
            continue
        if isinstance(fact, dict) and isinstance(fact.get("value"), list):
            items = [i for i in fact["value"] if f"enrichment:{key}:{i}" not in excluded]
            if len(items) != len(fact["value"]):
                fact = {**fact, "value": items}
                if isinstance(fact.get("by_source"), dict):
                    fact["by_source"] = {i: s for i, s in fact["by_source"].items() if i in items}
        kept[key] = fact
    return kept


def excluded_signals(session: Session, person_ids: list[int]) -> dict[int, set[str]]:
    """The excluded signal keys of each of these people (people without exclusions are left out)."""
    found: dict[int, set[str]] = {}
    for person_id, signal in session.execute(select(SignalExclusion.person_id, SignalExclusion.signal)
                                             .where(in_values(SignalExclusion.person_id, person_ids))):
        found.setdefault(person_id, set()).add(signal)
    return found


def signals_of(session: Session, person_id: int, *, now: datetime | None = None) -> list[Signal]:
    """Every signal that feeds the person's matches, in page order, each with its grade and exclusion state;
    snoozed categories that ended before `now` are left out."""
    person = session.get(Person, person_id)
    if person is None:
        return []
    excluded = excluded_signals(session, [person_id]).get(person_id, set())

    def make(key: str, group: SignalGroup, label: str, value: str, source: str, grade: PrivacyGrade,
             excludable: bool = True) -> Signal:
        return Signal(key, group, label, value, source, grade, key in excluded,
                      excludable and len(key) <= SIGNAL_KEY_LIMIT)

    signals = [make(f"field:{name}", SignalGroup.PROFILE, label, _field_value(person, name), "Your profile", grade)
               for name, (label, grade) in PROFILE_FIELDS.items() if _field_value(person, name)]
    for kind, (column, label) in ITEM_KINDS.items():
        signals += [make(f"{kind}:{item}", SignalGroup.SKILLS, label, item, "Your profile", PrivacyGrade.LIMITED)
                    for item in dict.fromkeys(getattr(person, column) or ()) if item.strip()]
    for concept, sources in sorted(_concept_sources(person).items()):
        grade = PrivacyGrade.PRIVATE if all(g == PrivacyGrade.PRIVATE for _, g in sources) else PrivacyGrade.LIMITED
        signals.append(make(f"concept:{concept}", SignalGroup.SKILLS, "Skill concept", concept,
                            "Derived from your " + ", ".join(dict.fromkeys(w for w, _ in sources)), grade))
    signals += [make(f"enrichment:{key}", SignalGroup.ENRICHMENT, key.replace("_", " ").capitalize(), value,
                     f"Enrichment: {source}", PrivacyGrade.PUBLIC)
                for key, value, source in _enrichment_facts(person.enrichment)]
    signals += _enrichment_items(person, make, excluded)
    controls = session.execute(select(MatchControl.kind, MatchControl.target_person_id, MatchControl.until,
                                      Person.first_name, Person.last_name)
                               .join(Person, Person.id == MatchControl.target_person_id)
                               .where(MatchControl.person_id == person_id, MatchControl.kind.in_(FEEDBACK_KINDS),
                                      Person.deleted_at.is_(None))
                               .order_by(MatchControl.created_at, MatchControl.id))
    for kind, target, until, first, last in controls:
        if kind == "snooze" and until is not None and now is not None and until <= now:
            continue
        when = f" until {until:%d %b %Y}" if kind == "snooze" and until else ""
        signals.append(make(f"feedback:{kind}:{target}", SignalGroup.FEEDBACK, FEEDBACK_KINDS[kind],
                            f"{first} {last}".strip() + when, "Your actions on For you", PrivacyGrade.PRIVATE))
    bookmarks = session.execute(select(ProgramSession.id, ProgramSession.title)
                                .join(SessionAction, SessionAction.session_id == ProgramSession.id)
                                .where(SessionAction.person_id == person_id,
                                       SessionAction.kind == SessionActionKind.BOOKMARK)
                                .order_by(ProgramSession.starts_at, ProgramSession.id))
    signals += [make(f"bookmark:{session_id}", SignalGroup.FAVOURITES, "Bookmarked session", title,
                     "Your bookmarks on Program and For you", PrivacyGrade.PRIVATE, excludable=False)
                for session_id, title in bookmarks]
    signals += [make(f"category:{category}", SignalGroup.SNOOZED, "Snoozed category", label,
                     f"Hidden from For you until {until:%d %b %Y}", PrivacyGrade.PRIVATE, excludable=False)
                for category, label, until in category_snoozes(session, person_id=person_id, now=now)]
    return signals


def _check_key(signal: str) -> str:
    prefix, _, rest = signal.partition(":")
    if prefix not in EXCLUDABLE_PREFIXES or not rest.strip():
        raise SignalError(f"'{signal[:60]}' is not a signal that matching can leave out.")
    if len(signal) > SIGNAL_KEY_LIMIT:
        raise SignalError("This signal is too long to exclude; shorten the text on My profile instead.")
    return signal


def exclude_signal(session: Session, *, person_id: int, signal: str, clock: Clock) -> None:
    """Ask matching to ignore one signal from the next refresh on; excluding it twice is harmless."""
    session.execute(insert(SignalExclusion).values(person_id=person_id, signal=_check_key(signal),
                                                   created_at=clock.now()).on_conflict_do_nothing())
    session.flush()


def include_signal(session: Session, *, person_id: int, signal: str) -> None:
    """Let matching use an excluded signal again from the next refresh on."""
    session.execute(delete(SignalExclusion).where(SignalExclusion.person_id == person_id,
                                                  SignalExclusion.signal == signal))
    session.flush()


def _without(items, excluded: set[str], kind: str, concepts: set[str]) -> list[str]:
    return [i for i in items or () if f"{kind}:{i}" not in excluded and not concepts_of(i) & concepts]


def without_excluded_signals(person: Person, excluded: set[str]) -> Person:
    """A detached copy of the person as matching may see them: excluded fields blanked, excluded skills, needs,
    interests and enrichment facts removed, and every text naming an excluded concept dropped. The copy is never
    added to a session, so nothing of it is stored."""
    values = {attr.key: getattr(person, attr.key) for attr in orm_inspect(Person).column_attrs}
    view = Person(**values)
    fields = {key.partition(":")[2] for key in excluded if key.startswith("field:")}
    concepts = {key.partition(":")[2] for key in excluded if key.startswith("concept:")}
    for kind, (column, _) in ITEM_KINDS.items():
        setattr(view, column, [] if column in fields else _without(getattr(person, column), excluded, kind, concepts))
    for name in ("role", "company", "bio", "problem_statement"):
        text = getattr(person, name)
        if name in fields or (text and concepts_of(text) & concepts):
            setattr(view, name, "" if name in ("role", "company") else None)
    if "industry" in fields or (person.industry and concepts_of(person.industry) & concepts):
        view.industry = None
    if "goals" in fields:
        view.goals = []
    if "location" in fields:
        view.city = view.country = view.lat = view.lon = None
    view.enrichment = _without_excluded_items(person.enrichment, excluded)
    return view


def with_signal_exclusions(session: Session, people: list[Person]) -> list[Person]:
    """The people as matching, explanations and LLM prompts may see them: each person with exclusions is
    replaced by a copy without the excluded signals; the others are returned as they are."""
    excluded = excluded_signals(session, [p.id for p in people])
    return [without_excluded_signals(p, excluded[p.id]) if p.id in excluded else p for p in people]


def snooze_category(session: Session, *, person_id: int, category: str, clock: Clock,
                    days: int = CATEGORY_SNOOZE_DAYS) -> datetime:
    """Hide a whole category of people from the person's For you feed for `days`; snoozing again restarts it.
    Returns when it ends."""
    try:
        chosen = MatchCategory(category)
    except ValueError:
        raise SignalError(f"'{category}' is not a category you can snooze.") from None
    now = clock.now()
    until = now + timedelta(days=days)
    session.execute(insert(CategorySnooze).values(person_id=person_id, category=chosen.value, until=until,
                                                  created_at=now)
                    .on_conflict_do_update(index_elements=["person_id", "category"],
                                           set_={"until": until, "created_at": now}))
    session.flush()
    return until


def unsnooze_category(session: Session, *, person_id: int, category: str) -> None:
    """Show the category again at once."""
    session.execute(delete(CategorySnooze).where(CategorySnooze.person_id == person_id,
                                                 CategorySnooze.category == category))
    session.flush()


def category_snoozes(session: Session, *, person_id: int, now: datetime | None
                     ) -> list[tuple[str, str, datetime]]:
    """(category, label, until) of the person's snoozes still running at `now` (all of them when None)."""
    query = select(CategorySnooze.category, CategorySnooze.until).where(CategorySnooze.person_id == person_id)
    if now is not None:
        query = query.where(CategorySnooze.until > now)
    return [(category, CATEGORY_LABELS.get(category, category), until)
            for category, until in session.execute(query.order_by(CategorySnooze.category))]


def snoozed_categories(session: Session, *, person_id: int, now: datetime) -> set[str]:
    """The categories the person has snoozed at `now`."""
    return {category for category, _, _ in category_snoozes(session, person_id=person_id, now=now)}
