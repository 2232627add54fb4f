"""The analytics page's benchmark panel and "Networking after the match" metrics, from a cache with known values."""
import pytest

from core.analytics.event_analytics import refresh_event_analytics
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from db.models import EventAnalytics
from tests.ui.conftest import page_app, texts
from tests.ui.test_organizer_fixes import chart_titled, values

KNOWN = {"attendees": 10, "connections": 15, "connections_per_attendee": 1.5, "active_networking_rate": 0.6,
         "active_networkers": 6, "funnel": {"generated": 40, "viewed": 30, "pinged": 5, "connected": 2},
         "view_rate": 0.75, "huddle_invites": 0, "huddle_accept_rate": 0.0, "pings": 7,
         "connection_requests_sent": 9, "connection_requests_accepted": 6, "connection_request_accept_rate": 0.6667,
         "introductions_shown": 30, "introductions_accepted": 3, "introduction_accept_rate": 0.1,
         "messages": 12, "people_messaged": 4, "people_with_connections": 8, "follow_ups_sent": 4,
         "follow_ups_answered": 1, "follow_up_senders": 3, "follow_up_sent_rate": 0.375,
         "follow_up_response_rate": 0.25, "reports": 0, "blocks": 0, "reports_per_block": None,
         "diversity_index": 1.5, "diversity_index_normalised": 0.75, "diversity_industries": 3,
         "event_industries": 4, "connection_sides_unknown_industry": 2}


@pytest.fixture
def page(demo, clock):
    """The analytics page over the demo event's cache, its networking numbers replaced by KNOWN."""
    event = get_event(demo, DEMO_EVENT_SLUG)
    refresh_event_analytics(demo, event_id=event.id, now=clock.now())
    cached = demo.get(EventAnalytics, event.id)
    cached.data = {**cached.data, "networking": {**cached.data["networking"], **KNOWN}}
    demo.commit()
    return page_app("organizer", "pages/analytics.py")


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_benchmark_panel_shows_each_value_with_its_target_and_marker(page):
    assert not page.exception and "Benchmark comparison" in texts(page)
    shown = markdown(page)
    for value in ("**1.5**", "**60%**", "**75%**", "**—**", "**25%**", "**38%**"):
        assert value in shown, value
    for target in ("3+", "30%+", "50%+", "40%+"):
        assert target in shown, target
    assert "5–10%" in shown and "15%" in shown and "10%" in shown


def test_the_markers_say_met_not_met_and_no_data_with_material_icons(page):
    markers = [m for m in markdown(page) if ":material/" in m]
    assert markers == [":orange[:material/cancel: Not met]", ":green[:material/check_circle: Met]",
                       ":green[:material/check_circle: Met]", ":gray[:material/help: No data]",
                       ":orange[:material/cancel: Not met]", ":orange[:material/cancel: Not met]"]


def test_the_chart_plots_each_measured_value_as_a_share_of_its_target(page):
    figure = chart_titled(page, "Your value as % of the target")
    shares = {label: share for trace in figure["data"]
              for label, share in zip(values(trace["y"]), values(trace["x"]), strict=True)}
    assert shares == {"Connections per attendee": 50, "Active networking": 200, "Recommendation engagement": 150,
                      "Follow-up response rate": 83, "Follow-up sent rate": 94}


def test_networking_after_the_match_shows_the_new_metrics_with_human_labels(page):
    metrics = {m.label: m.value for m in page.metric}
    assert {label: metrics[label] for label in (
        "Pings", "Connection requests accepted", "Introductions accepted", "Messages", "Follow-up sent rate",
        "Follow-up response rate", "Reports per block", "Diversity of new connections")} == {
        "Pings": "7", "Connection requests accepted": "6 of 9", "Introductions accepted": "10%", "Messages": "12",
        "Follow-up sent rate": "38%", "Follow-up response rate": "25%", "Reports per block": "No blocks",
        "Diversity of new connections": "0.75"}
