"""Seed 000 §8.3: huddle kinds by event size."""
import pytest

from core.huddles.eligibility import eligibility_for
from db.models import HuddleKind


@pytest.mark.parametrize(("attendees", "kinds"), [
    (0, set()), (29, set()), (30, {HuddleKind.PROBLEM}), (49, {HuddleKind.PROBLEM}), (50, set(HuddleKind)),
    (10_000, set(HuddleKind)),
])
def test_huddle_kinds_follow_the_event_size(attendees, kinds):
    assert set(eligibility_for(attendees).kinds) == kinds


def test_an_event_without_huddles_says_why_with_its_size():
    assert "29" in eligibility_for(29).reason and "30" in eligibility_for(29).reason


def test_an_event_with_every_kind_needs_no_explanation():
    assert eligibility_for(50).reason == ""
