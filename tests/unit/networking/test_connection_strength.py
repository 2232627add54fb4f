"""The §7.2 strength rules, as a pure function of the interaction count and the activity kinds."""
from core.networking.connections import ActivityKind, ConnectionStrength, connection_strength


def test_a_single_interaction_is_weak():
    assert connection_strength(1, [ActivityKind.CONNECTED]) == ConnectionStrength.WEAK


def test_a_connection_with_no_interaction_yet_is_weak():
    assert connection_strength(0, []) == ConnectionStrength.WEAK


def test_multiple_interactions_are_moderate():
    assert connection_strength(2, [ActivityKind.CONNECTED, ActivityKind.PING]) == ConnectionStrength.MODERATE


def test_a_follow_up_exchanged_is_moderate_even_after_one_interaction():
    assert connection_strength(1, [ActivityKind.FOLLOW_UP_RESPONSE]) == ConnectionStrength.MODERATE


def test_three_events_together_are_strong():
    kinds = [ActivityKind.CONNECTED, ActivityKind.RECONNECTED, ActivityKind.RECONNECTED]
    assert connection_strength(3, kinds) == ConnectionStrength.STRONG


def test_two_events_together_are_not_yet_strong():
    assert connection_strength(2, [ActivityKind.CONNECTED, ActivityKind.RECONNECTED]) == ConnectionStrength.MODERATE


def test_active_direct_messages_are_strong():
    assert connection_strength(4, [ActivityKind.CONNECTED, *[ActivityKind.DM_EXCHANGED] * 3]) == \
        ConnectionStrength.STRONG


def test_many_pings_without_conversation_stay_moderate():
    assert connection_strength(6, [ActivityKind.PING] * 6) == ConnectionStrength.MODERATE


def test_stored_kinds_given_as_plain_strings_count_the_same():
    assert connection_strength(1, ["connected", "reconnected", "reconnected"]) == ConnectionStrength.STRONG
