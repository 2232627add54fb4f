"""The benchmark comparison: each networking metric against the seed's target, met / not met / no data."""
from core.analytics.benchmarks import BenchmarkStatus, benchmark_panel

MET, NOT_MET, NO_DATA = BenchmarkStatus.MET, BenchmarkStatus.NOT_MET, BenchmarkStatus.NO_DATA

NETWORKING = {"attendees": 10, "connections_per_attendee": 3.0, "active_networking_rate": 0.2,
              "funnel": {"generated": 40, "viewed": 30}, "view_rate": 0.75, "huddle_invites": 0,
              "huddle_accept_rate": 0.0, "follow_ups_sent": 8, "follow_up_response_rate": 0.25,
              "people_with_connections": 5, "follow_up_sent_rate": 0.4}


def by_key(networking: dict) -> dict:
    return {item.target.key: item for item in benchmark_panel(networking)}


def test_the_panel_lists_the_seeds_six_benchmarks_in_order():
    assert [item.label for item in benchmark_panel(NETWORKING)] == [
        "Connections per attendee", "Active networking", "Recommendation engagement", "Huddle participation",
        "Follow-up response rate", "Follow-up sent rate"]


def test_each_benchmark_is_met_not_met_or_without_data():
    assert {key: item.status for key, item in by_key(NETWORKING).items()} == {
        "connections_per_attendee": MET, "active_networking": NOT_MET, "recommendation_engagement": MET,
        "huddle_participation": NO_DATA, "follow_up_response": NOT_MET, "follow_up_sent": MET}


def test_a_value_exactly_on_its_target_meets_it():
    panel = by_key(NETWORKING)
    assert (panel["connections_per_attendee"].status, panel["follow_up_sent"].status) == (MET, MET)


def test_targets_and_industry_averages_follow_the_seed():
    panel = by_key(NETWORKING)
    assert {key: (item.target_text, item.industry_text) for key, item in panel.items()} == {
        "connections_per_attendee": ("3+", "Not given"), "active_networking": ("30%+", "5–10%"),
        "recommendation_engagement": ("50%+", "15%"), "huddle_participation": ("40%+", "Not given"),
        "follow_up_response": ("30%+", "10%"), "follow_up_sent": ("40%+", "Not given")}


def test_values_read_as_percentages_or_numbers_with_their_share_of_target():
    panel = by_key({**NETWORKING, "connections_per_attendee": 1.5})
    assert (panel["connections_per_attendee"].value_text, panel["connections_per_attendee"].share_of_target) == (
        "1.5", 0.5)
    assert (panel["recommendation_engagement"].value_text, panel["recommendation_engagement"].share_of_target) == (
        "75%", 1.5)


def test_a_zero_denominator_is_no_data_rather_than_a_zero_that_misses():
    panel = by_key({**NETWORKING, "follow_ups_sent": 0, "people_with_connections": 0})
    assert [panel[k].status for k in ("follow_up_response", "follow_up_sent")] == [NO_DATA, NO_DATA]
    assert (panel["follow_up_sent"].value_text, panel["follow_up_sent"].share_of_target) == ("—", None)


def test_an_older_cache_without_the_new_metrics_shows_no_data_for_them():
    old = {key: value for key, value in NETWORKING.items()
           if key not in ("active_networking_rate", "follow_up_sent_rate", "follow_up_response_rate",
                          "people_with_connections")}
    panel = by_key(old)
    assert [panel[k].status for k in ("active_networking", "follow_up_response", "follow_up_sent")] == [
        NO_DATA, NO_DATA, NO_DATA]
    assert panel["recommendation_engagement"].status == MET


def test_every_status_has_a_label_and_a_material_icon():
    for item in benchmark_panel(NETWORKING):
        assert item.status_label in ("Met", "Not met", "No data") and item.icon.startswith(":material/")
