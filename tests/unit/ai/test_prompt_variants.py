"""Prompt templates render strictly, and attendees are assigned to variants deterministically by weight."""
from collections import Counter

import pytest

from core.ai.prompts import VariantError, pick_variant, render_template, template_diff, validate_template
from core.ai.seed_prompts import SEED_VARIANTS


def test_the_seed_variants_are_valid_templates_with_50_25_25_traffic():
    for _, _, template in SEED_VARIANTS.values():
        validate_template(template)
    assert [weight for weight, _, _ in SEED_VARIANTS.values()] == [50.0, 25.0, 25.0]


def test_an_unknown_placeholder_is_refused_with_its_name():
    with pytest.raises(VariantError, match=r"\{speaker\}"):
        validate_template("{attendee} {candidates} {speaker}")


def test_a_template_without_the_candidates_is_refused():
    with pytest.raises(VariantError, match=r"must include \{candidates\}"):
        validate_template("Rank people for {attendee}")


def test_rendering_without_a_needed_value_fails_loudly():
    with pytest.raises(VariantError, match=r"needs \{k\}"):
        render_template("{attendee} {candidates} top {k}", attendee="A", candidates="C")


def test_the_diff_shows_removed_and_added_lines():
    diff = template_diff("line one\nline two\n", "line one\nline 2\n")
    assert "-line two" in diff and "+line 2" in diff


def test_the_same_weights_always_give_the_same_variant():
    weights = [(1, 50.0), (2, 25.0), (3, 25.0)]
    assert [pick_variant(i, weights) for i in range(500)] == [pick_variant(i, weights) for i in range(500)]


def test_the_order_the_weights_are_listed_in_does_not_change_the_assignment():
    assert [pick_variant(i, [(1, 50.0), (2, 25.0), (3, 25.0)]) for i in range(300)] == [
        pick_variant(i, [(3, 25.0), (1, 50.0), (2, 25.0)]) for i in range(300)]


def test_weights_of_50_25_25_over_10000_ids_land_within_2_points_of_target():
    counts = Counter(pick_variant(i, [(1, 50.0), (2, 25.0), (3, 25.0)]) for i in range(1, 10_001))
    shares = {v: 100 * n / 10_000 for v, n in counts.items()}
    assert abs(shares[1] - 50) <= 2 and abs(shares[2] - 25) <= 2 and abs(shares[3] - 25) <= 2
