"""Row-validation helpers every upload kind shares: a field error, the email check, and `;`-separated lists."""
from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class FieldError:
    column: str
    message: str


def split_list(value: str) -> list[str]:
    """'a; b;;a' -> ['a', 'b'] (order kept, blanks and repeats dropped)."""
    seen: dict[str, None] = {}
    for item in (value or "").split(";"):
        item = " ".join(item.split())
        if item and item.lower() not in {k.lower() for k in seen}:
            seen[item] = None
    return list(seen)
