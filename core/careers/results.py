"""What the careers services return to pages, the CLI and each other: plain frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AlumniViewer:
    """Who is searching alumni: an attendee (their person id) sees community alumni they may see; an organizer or
    admin also sees alumni visible to organizers. Hidden alumni are never listed."""

    person_id: int | None
    organizer_view: bool = False


@dataclass(frozen=True)
class RelatedSkill:
    """A skill related to another, with the evidence and the reason."""

    skill: str  # display name
    score: float  # 0..1, the edge weight
    similarity: float  # embedding cosine
    cooccurrence: float  # P(related | skill), context-weighted
    reason: str  # a SkillRelation value
    reason_text: str  # in words, e.g. "often listed together (38 % of profiles with Python)"


@dataclass(frozen=True)
class AlumnusMatch:
    """An alumnus found by skills: how well they cover the asked skills and which ones."""

    alumnus_id: int
    name: str
    current_role: str | None
    current_company: str | None
    batch_year: int | None
    department: str | None
    score: float  # 0..1 coverage of the asked skills, exact 1.0 each, related ones at their edge weight
    matching_skills: list[str]  # asked skills the alumnus has exactly (display names)
    related_skills: list[tuple[str, str]] = field(default_factory=list)  # (asked skill, alumnus's related skill)


@dataclass(frozen=True)
class CourseOption:
    """A course that taught a skill, with its time estimate."""

    course_name: str
    hours: float
    hours_estimated: bool
    completions: int


@dataclass(frozen=True)
class LearningStep:
    """One missing skill on a learning path, with its priority and courses."""

    skill: str  # display name
    priority: str  # "high", "medium" or "low"
    mover_share: float  # share of people who moved into the role who had the skill
    demand: float  # share of job postings asking for it
    courses: list[CourseOption]


@dataclass(frozen=True)
class LearningPath:
    """The missing skills for a target role in priority order, and the alumni who made the move."""

    current_role: str | None
    target_role: str
    current_skills: list[str]
    steps: list[LearningStep]  # missing skills, highest priority first
    total_hours: float  # the first course of every step
    movers_count: int  # alumni who made the move from the current role to the target
    movers: list[AlumnusMatch]  # of those, the ones the viewer may see, best skill match first
