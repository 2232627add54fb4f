"""The clock services depend on, so tests can fix the time."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stays where it is set; tests move it by hand."""

    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at
