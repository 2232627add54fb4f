"""A/B test statistics for prompt variants, checked against hand-computed values."""
import pytest

from core.ai.experiment_stats import (
    Interval,
    mean_interval,
    relative_lift,
    two_proportion_z_test,
    wilson_interval,
    z_for,
)


def test_z_for_95_percent_confidence_is_the_familiar_1_96():
    assert z_for(0.95) == pytest.approx(1.959963984540054, abs=1e-9)


def test_z_for_99_percent_confidence_is_2_5758():
    assert z_for(0.99) == pytest.approx(2.5758293035489, abs=1e-9)


def test_z_for_rejects_a_confidence_outside_zero_and_one():
    with pytest.raises(ValueError, match="confidence"):
        z_for(1.0)


def test_the_wilson_interval_of_8_out_of_10_matches_the_hand_computed_bounds():
    interval = wilson_interval(8, 10)
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)


def test_the_wilson_interval_of_0_out_of_20_starts_at_zero_and_stays_informative():
    interval = wilson_interval(0, 20)
    assert interval.low == 0.0
    assert interval.high == pytest.approx(0.1611, abs=1e-4)


def test_the_wilson_interval_with_no_trials_is_the_whole_unit_range():
    assert wilson_interval(0, 0) == Interval(0.0, 1.0)


def test_the_wilson_interval_rejects_more_successes_than_trials():
    with pytest.raises(ValueError, match="cannot exceed trials"):
        wilson_interval(11, 10)


def test_the_wilson_interval_rejects_negative_counts():
    with pytest.raises(ValueError, match="non-negative"):
        wilson_interval(-1, 10)


def test_60_of_100_against_45_of_100_is_significant_at_the_5_percent_level():
    result = two_proportion_z_test(60, 100, 45, 100)
    assert result.difference == pytest.approx(0.15, abs=1e-9)
    assert result.z == pytest.approx(2.1240, abs=1e-4)
    assert result.p_value == pytest.approx(0.0337, abs=1e-4)


def test_swapping_the_variants_flips_the_sign_of_z_but_not_the_p_value():
    result = two_proportion_z_test(45, 100, 60, 100)
    assert result.z == pytest.approx(-2.1240, abs=1e-4)
    assert result.p_value == pytest.approx(0.0337, abs=1e-4)


def test_a_variant_with_zero_trials_gives_a_p_value_of_one():
    result = two_proportion_z_test(0, 0, 45, 100)
    assert (result.z, result.p_value) == (0.0, 1.0)


def test_identical_all_success_variants_have_zero_standard_error_and_a_p_value_of_one():
    result = two_proportion_z_test(10, 10, 20, 20)
    assert (result.z, result.p_value) == (0.0, 1.0)


def test_the_z_test_rejects_more_successes_than_trials():
    with pytest.raises(ValueError, match="successes <= trials"):
        two_proportion_z_test(5, 4, 1, 10)


def test_a_rate_of_12_percent_against_a_10_percent_baseline_is_a_20_percent_lift():
    assert relative_lift(0.12, 0.10) == pytest.approx(0.2, abs=1e-9)


def test_the_relative_lift_over_a_zero_baseline_is_none():
    assert relative_lift(0.12, 0.0) is None


def test_the_mean_interval_of_1_to_5_is_3_plus_or_minus_1_3859():
    mean, interval = mean_interval([1, 2, 3, 4, 5])
    assert mean == pytest.approx(3.0)
    assert interval.low == pytest.approx(1.6141, abs=1e-4)
    assert interval.high == pytest.approx(4.3859, abs=1e-4)


def test_the_mean_interval_of_a_single_value_collapses_to_that_value():
    assert mean_interval([0.7]) == (0.7, Interval(0.7, 0.7))


def test_the_mean_interval_of_no_values_is_none():
    assert mean_interval([]) is None
