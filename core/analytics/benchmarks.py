"""The dashboard's benchmark comparison (seed 000 §9.3 and §7.10): each networking metric against its target."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BenchmarkStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"


STATUS_LABELS = {BenchmarkStatus.MET: "Met", BenchmarkStatus.NOT_MET: "Not met", BenchmarkStatus.NO_DATA: "No data"}
STATUS_ICONS = {BenchmarkStatus.MET: ":material/check_circle:", BenchmarkStatus.NOT_MET: ":material/cancel:",
                BenchmarkStatus.NO_DATA: ":material/help:"}


@dataclass(frozen=True)
class BenchmarkTarget:
    """One row of the comparison: which networking value it reads, its target, and the seed's industry average.

    `basis` names the count that must be above zero for the value to mean anything (its denominator);
    a dotted name reads a nested key ("funnel.generated")."""

    key: str
    label: str
    value_key: str
    basis: str
    target: float
    is_rate: bool
    industry_average: str | None
    source: str
    description: str


# Targets are "at least": the seed's markers are `value >= target` (§9.3 isGood), also where §7.10 writes ">".
BENCHMARK_TARGETS = (
    BenchmarkTarget("connections_per_attendee", "Connections per attendee", "connections_per_attendee", "attendees",
                    3.0, False, None, "seed 000 §7.10, §9.3", "Connections made at the event ÷ attendees."),
    BenchmarkTarget("active_networking", "Active networking", "active_networking_rate", "attendees", 0.30, True,
                    "5–10%", "seed 000 §9.3",
                    "Attendees who pinged, requested, messaged or connected at the event ÷ attendees."),
    BenchmarkTarget("recommendation_engagement", "Recommendation engagement", "view_rate", "funnel.generated", 0.50,
                    True, "15%", "seed 000 §9.3", "People recommendations viewed ÷ generated."),
    BenchmarkTarget("huddle_participation", "Huddle participation", "huddle_accept_rate", "huddle_invites", 0.40,
                    True, None, "seed 000 §9.3", "Huddle invitations accepted (or attended) ÷ sent."),
    BenchmarkTarget("follow_up_response", "Follow-up response rate", "follow_up_response_rate", "follow_ups_sent",
                    0.30, True, "10%", "seed 000 §7.10, §9.3", "Follow-ups answered ÷ follow-ups sent."),
    BenchmarkTarget("follow_up_sent", "Follow-up sent rate", "follow_up_sent_rate", "people_with_connections", 0.40,
                    True, None, "seed 000 §7.10",
                    "Attendees who sent at least one follow-up ÷ attendees with a connection made at the event."),
)


@dataclass(frozen=True)
class Benchmark:
    """One metric's value against its target: met, not met, or no data (nothing to measure yet)."""

    target: BenchmarkTarget
    value: float | None
    status: BenchmarkStatus

    @property
    def label(self) -> str:
        return self.target.label

    @property
    def value_text(self) -> str:
        return "—" if self.value is None else _format(self.value, self.target.is_rate)

    @property
    def target_text(self) -> str:
        return f"{_format(self.target.target, self.target.is_rate)}+"

    @property
    def industry_text(self) -> str:
        return self.target.industry_average or "Not given"

    @property
    def share_of_target(self) -> float | None:
        """The value as a share of its target (1.0 = exactly on target); None without data."""
        return None if self.value is None else round(self.value / self.target.target, 4)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]


def _format(value: float, is_rate: bool) -> str:
    return f"{value:.0%}" if is_rate else f"{value:.2f}".rstrip("0").rstrip(".")


def _lookup(networking: dict, name: str):
    value = networking
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def benchmark_panel(networking: dict) -> list[Benchmark]:
    """Each benchmark of the cached networking metrics: no data while its basis is zero or missing (an older
    cache without the metric), met when the value reaches the target, not met otherwise."""
    panel = []
    for target in BENCHMARK_TARGETS:
        basis, value = _lookup(networking, target.basis), _lookup(networking, target.value_key)
        if not basis or value is None:
            panel.append(Benchmark(target, None, BenchmarkStatus.NO_DATA))
        else:
            status = BenchmarkStatus.MET if value >= target.target else BenchmarkStatus.NOT_MET
            panel.append(Benchmark(target, float(value), status))
    return panel
