"""An alumnus's role history (plus the current role as the last step) as dated steps between role families."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.careers.roles import role_family

OPEN_WORDS = frozenset({"present", "current", "now", "today", "ongoing", ""})
_ROLE_KEYS = ("role", "title", "position", "job_title")
_START_KEYS = ("from", "start", "start_date", "started")
_END_KEYS = ("to", "end", "end_date", "until")
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}


@dataclass(frozen=True)
class CareerStep:
    """One stretch in a role family; `end` None means it is still open (the current role)."""

    title: str
    family: str
    start: date | None
    end: date | None
    company: str | None = None


def parse_month(value: object) -> date | None:
    """The first day of the month a value names: 2019, "2019", "2019-03", "2019-03-15", "03/2019", "Mar 2019";
    None for empty, open ("present") or unreadable values."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return _parse_month(value)


@lru_cache(maxsize=8192)  # histories repeat the same few hundred months
def _parse_month(value: str | int | float) -> date | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        year = int(value)
        return date(year, 1, 1) if 1900 <= year <= 2200 else None
    text = str(value).strip().lower()
    if text in OPEN_WORDS:
        return None
    if match := re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.]\d{1,2})?)?(?:t.*)?", text):
        year, month = int(match[1]), int(match[2] or 1)
    elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        year, month = int(match[2]), int(match[1])
    elif match := re.fullmatch(r"([a-z]+)\.?,?\s+(\d{4})", text):
        year, month = int(match[2]), _MONTHS.get(match[1], 0)
    else:
        return None
    return date(year, month, 1) if 1900 <= year <= 2200 and 1 <= month <= 12 else None


def months_between(start: date | None, end: date | None) -> int | None:
    """Whole months from one month to another (None when either is unknown or the order is wrong)."""
    if start is None or end is None:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if months >= 0 else None


def _first(entry: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        if key in entry:
            return entry[key]
    return None


def career_steps(role_history: object, current_role: str | None = None,
                 current_company: str | None = None) -> list[CareerStep]:
    """Dated steps, oldest first: history entries (role or title, from/to as years, months or dates; junk skipped;
    unsorted entries sorted; a missing end is the next start), the current role appended when the history does not
    already end in its family, and consecutive steps in one family merged."""
    raw: list[tuple[date | None, int, CareerStep]] = []
    for position, entry in enumerate(role_history if isinstance(role_history, list) else []):
        if not isinstance(entry, dict):
            continue
        title = _first(entry, _ROLE_KEYS)
        family = role_family(title) if isinstance(title, str) else None
        if family is None:
            continue
        start = parse_month(_first(entry, _START_KEYS))
        end = parse_month(_first(entry, _END_KEYS))
        company = entry.get("company") if isinstance(entry.get("company"), str) else None
        raw.append((start, position, CareerStep(" ".join(title.split()), family, start, end, company)))
    raw.sort(key=lambda item: (item[0] or date.min, item[1]))
    steps = [step for _, _, step in raw]
    for index, step in enumerate(steps[:-1]):  # a missing end is where the next step starts
        if step.end is None:
            steps[index] = CareerStep(step.title, step.family, step.start, steps[index + 1].start, step.company)
    current = role_family(current_role)
    if current is not None and (not steps or steps[-1].family != current):
        start = steps[-1].end if steps else None
        steps.append(CareerStep(" ".join(current_role.split()), current, start, None, current_company))
    merged: list[CareerStep] = []
    for step in steps:
        if merged and merged[-1].family == step.family:
            last = merged[-1]
            merged[-1] = CareerStep(step.title, step.family, last.start or step.start, step.end,
                                    step.company or last.company)
        else:
            merged.append(step)
    return merged


def current_family(steps: list[CareerStep], current_role: str | None) -> str | None:
    """The family someone holds now: the last step when it is open, else their current role's."""
    if steps and steps[-1].end is None:
        return steps[-1].family
    return role_family(current_role)


def years_of_experience(steps: list[CareerStep], today: date) -> float | None:
    """Years since the first dated step started (None without dates)."""
    starts = [step.start for step in steps if step.start is not None]
    if not starts:
        return None
    return max(0.0, round((today - min(starts)).days / 365.25, 2))
