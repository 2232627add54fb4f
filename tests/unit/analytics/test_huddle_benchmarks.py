"""The huddle targets of seed 000 §6.8 as a pure mapping: which figure each reads, its target, and met / not met /
no data, the size target being a range."""
from core.analytics.benchmarks import HUDDLE_TARGETS, BenchmarkStatus, huddle_panel

MET, NOT_MET, NO_DATA = BenchmarkStatus.MET, BenchmarkStatus.NOT_MET, BenchmarkStatus.NO_DATA

HUDDLES = {"invites": 20, "invite_accept_rate": 0.45, "accepted_in_held": 9, "accept_attend_rate": 0.5,
           "sized_huddles": 2, "avg_size": 5.0, "completed": 2, "connections_per_huddle": 1.0, "people_accepted": 8,
           "repeat_join_rate": 0.25}


def by_key(huddles: dict | None) -> dict:
    return {item.target.key: item for item in huddle_panel(huddles)}


def test_the_panel_lists_the_five_huddle_targets_of_the_seed_in_order():
    assert [(item.label, item.target_text) for item in huddle_panel(HUDDLES)] == [
        ("Invite → accept rate", "40%+"), ("Accept → attend rate", "70%+"), ("Average huddle size", "4–6"),
        ("Huddle connections", "1+"), ("Repeat huddle joins", "30%+")]


def test_each_huddle_target_is_met_or_not_met_by_its_value():
    assert {key: item.status for key, item in by_key(HUDDLES).items()} == {
        "huddle_invite_accept": MET, "huddle_accept_attend": NOT_MET, "huddle_size": MET,
        "huddle_connections": MET, "huddle_repeat_joins": NOT_MET}


def test_the_size_target_is_a_range_met_only_from_four_to_six():
    statuses = [by_key({**HUDDLES, "avg_size": size})["huddle_size"].status for size in (3.99, 4.0, 6.0, 6.01)]
    assert statuses == [NOT_MET, MET, MET, NOT_MET]


def test_a_target_without_anything_to_measure_has_no_data():
    panel = by_key({**HUDDLES, "completed": 0, "sized_huddles": 0, "avg_size": None})
    assert (panel["huddle_connections"].status, panel["huddle_size"].status, panel["huddle_size"].value_text) == (
        NO_DATA, NO_DATA, "—")


def test_a_cache_from_before_the_huddle_metrics_shows_no_data_everywhere():
    assert {item.status for item in huddle_panel(None)} == {NO_DATA}
    assert len(HUDDLE_TARGETS) == 5


def test_values_are_shown_as_the_target_reads():
    panel = by_key(HUDDLES)
    assert (panel["huddle_invite_accept"].value_text, panel["huddle_size"].value_text,
            panel["huddle_connections"].value_text) == ("45%", "5", "1")
