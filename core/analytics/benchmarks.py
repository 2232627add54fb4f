"""The dashboard's benchmark comparisons: each networking metric against its target (seed 000 §9.3 and §7.10), and
each huddle metric against the huddle targets (§6.8)."""
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
    a dotted name reads a nested key ("funnel.generated"). `upper`, when set, makes the target a range
    (`target` ≤ value ≤ `upper`) instead of a floor."""

    key: str
    label: str
    value_key: str
    basis: str
    target: float
    is_rate: bool
    industry_average: str | None
    source: str
    description: str
    upper: float | None = None

    def is_met(self, value: float) -> bool:
        return value >= self.target and (self.upper is None or value <= self.upper)


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

# Seed 000 §6.8, read from the cached "huddles" metrics. The seed writes ">40%"; as above, reaching it counts.
HUDDLE_TARGETS = (
    BenchmarkTarget("huddle_invite_accept", "Invite → accept rate", "invite_accept_rate", "invites", 0.40, True,
                    None, "seed 000 §6.8", "Invitations accepted ÷ invitations sent (huddles not cancelled)."),
    BenchmarkTarget("huddle_accept_attend", "Accept → attend rate", "accept_attend_rate", "accepted_in_held", 0.70,
                    True, None, "seed 000 §6.8",
                    "People who checked in ÷ people who accepted, of huddles that have started."),
    BenchmarkTarget("huddle_size", "Average huddle size", "avg_size", "sized_huddles", 4.0, False, None,
                    "seed 000 §6.8", "People per huddle: those who checked in, or those who accepted while nobody "
                    "has checked in yet.", upper=6.0),
    BenchmarkTarget("huddle_connections", "Huddle connections", "connections_per_huddle", "completed", 1.0,
                    False, None, "seed 000 §6.8", "Connections made in a huddle ÷ completed huddles."),
    BenchmarkTarget("huddle_repeat_joins", "Repeat huddle joins", "repeat_join_rate", "people_accepted", 0.30, True,
                    None, "seed 000 §6.8", "People who accepted two or more huddles ÷ people who accepted one."),
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
        low = _format(self.target.target, self.target.is_rate)
        return f"{low}+" if self.target.upper is None else f"{low}–{_format(self.target.upper, self.target.is_rate)}"

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


def _panel(targets: tuple[BenchmarkTarget, ...], metrics: dict) -> list[Benchmark]:
    panel = []
    for target in targets:
        basis, value = _lookup(metrics, target.basis), _lookup(metrics, target.value_key)
        if not basis or value is None:
            panel.append(Benchmark(target, None, BenchmarkStatus.NO_DATA))
        else:
            status = BenchmarkStatus.MET if target.is_met(value) else BenchmarkStatus.NOT_MET
            panel.append(Benchmark(target, float(value), status))
    return panel


def benchmark_panel(networking: dict) -> list[Benchmark]:
    """Each benchmark of the cached networking metrics: no data while its basis is zero or missing (an older
    cache without the metric), met when the value reaches the target, not met otherwise."""
    return _panel(BENCHMARK_TARGETS, networking)


def huddle_panel(huddles: dict | None) -> list[Benchmark]:
    """Each §6.8 huddle target against the cached huddle metrics, by the same rules (a range target is met inside
    its range); all no data for a cache computed before the huddle metrics existed."""
    return _panel(HUDDLE_TARGETS, huddles or {})
