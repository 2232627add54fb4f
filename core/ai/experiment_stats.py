"""Statistics for A/B testing prompt variants: intervals, a two-proportion z test and lift."""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    """A closed interval [low, high]."""

    low: float
    high: float


@dataclass(frozen=True)
class ProportionTest:
    """Result of a two-sided two-proportion z test; difference is p_a - p_b."""

    z: float
    p_value: float
    difference: float


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def z_for(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence level in (0, 1)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence}")
    target = (1 + confidence) / 2
    low, high = 0.0, 40.0
    while high - low > 1e-12:
        mid = (low + high) / 2
        if _normal_cdf(mid) < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval for successes / trials; (0, 1) when there are no trials."""
    if successes < 0 or trials < 0:
        raise ValueError(f"successes and trials must be non-negative, got {successes} and {trials}")
    if successes > trials:
        raise ValueError(f"successes ({successes}) cannot exceed trials ({trials})")
    if trials == 0:
        return Interval(0.0, 1.0)
    z = z_for(confidence)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # Clamp away rounding noise at the 0/n and n/n edges.
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def two_proportion_z_test(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> ProportionTest:
    """Pooled two-proportion z test of A against B with a two-sided p-value."""
    for successes, trials in ((successes_a, trials_a), (successes_b, trials_b)):
        if successes < 0 or trials < 0 or successes > trials:
            raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if trials_a == 0 or trials_b == 0:
        return ProportionTest(z=0.0, p_value=1.0, difference=0.0)
    p_a, p_b = successes_a / trials_a, successes_b / trials_b
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    if se == 0:
        return ProportionTest(z=0.0, p_value=1.0, difference=p_a - p_b)
    z = (p_a - p_b) / se
    return ProportionTest(z=z, p_value=math.erfc(abs(z) / math.sqrt(2)), difference=p_a - p_b)


def relative_lift(rate: float, baseline: float) -> float | None:
    """(rate - baseline) / baseline, or None when the baseline is zero."""
    if baseline == 0:
        return None
    return (rate - baseline) / baseline


def mean_interval(values: list[float], confidence: float = 0.95) -> tuple[float, Interval] | None:
    """Mean and normal-approximation interval (sample sd); None when there are no values."""
    if not values:
        return None
    mean = statistics.fmean(values)
    if len(values) == 1:
        return mean, Interval(mean, mean)
    half = z_for(confidence) * statistics.stdev(values) / math.sqrt(len(values))
    return mean, Interval(mean - half, mean + half)
