"""Row-validation helpers every upload kind shares: a field error, cell length limits taken from the ORM models, the
email check, and `;`-separated lists."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Linear time on any input: the domain is checked by one lookahead that backtracks at most once over it, instead of
# `[^@\s]+\.[^@\s]+$`, which tries every dot of a long domain against the rest of the cell (quadratic).
EMAIL_RE = re.compile(r"^[^@\s]+@(?=[^@\s]+\.[^@\s])[^@\s]+$")
MAX_EMAIL = 254  # RFC 5321: the longest address a mail server accepts, and every email column's size

TEXT_LIMIT = 10_000  # characters of a Text column (descriptions, bios, messages)
CELL_LIMIT = 10_000  # characters of any other cell: lists, dates, numbers, JSON


@dataclass
class FieldError:
    column: str
    message: str


def is_email(text: str) -> bool:
    """An email address as the uploads accept it; the length is checked before the pattern."""
    return len(text) <= MAX_EMAIL and EMAIL_RE.match(text) is not None


def column_limit(model, column: str) -> int:
    """The size of `model`'s column `column` in characters: String(n) gives n, Text and others `TEXT_LIMIT`.

    Limits read here cannot drift from the database schema."""
    length = getattr(model.__table__.c[column].type, "length", None)
    return length or TEXT_LIMIT


def column_limits(model, columns: Iterable[str] | dict[str, str]) -> dict[str, int]:
    """Limits of several columns: names, or {upload column: model column} where they differ."""
    pairs = columns.items() if isinstance(columns, dict) else ((c, c) for c in columns)
    return {upload: column_limit(model, stored) for upload, stored in pairs}


def too_long(column: str, value: str, limit: int) -> FieldError | None:
    """The error for a cell over its column's limit, naming the column and the limit; None when it fits."""
    if len(value) <= limit:
        return None
    return FieldError(column, f"is {len(value):,} characters long; the maximum for {column} is {limit:,}")


def length_errors(values: dict[str, str], limits: dict[str, int], default: int = CELL_LIMIT) -> list[FieldError]:
    """Every cell of a row over its column's limit (`default` for columns without one)."""
    errors = []
    for column, value in values.items():
        if len(value) > limits.get(column, default):
            errors.append(too_long(column, value, limits.get(column, default)))
    return errors


def shown(value: str, limit: int = 60) -> str:
    """A cell quoted in a message, shortened so that a report never repeats a whole oversized cell."""
    return value if len(value) <= limit else value[:limit] + "…"


def split_list(value: str) -> list[str]:
    """'a; b;;a' -> ['a', 'b'] (order kept, blanks and repeats dropped)."""
    seen: set[str] = set()
    items: list[str] = []
    for item in (value or "").split(";"):
        item = " ".join(item.split())
        if item and item.lower() not in seen:
            seen.add(item.lower())
            items.append(item)
    return items
