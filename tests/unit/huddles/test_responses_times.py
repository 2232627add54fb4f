"""The pure rules of answering huddles: how the start time reads and when check-in is open."""
from datetime import UTC, datetime, timedelta

from core.huddles.responses import check_in_open, time_until

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_time_until_reads_like_a_person_would_say_it():
    now = NOW
    assert [time_until(now + timedelta(minutes=m), now) for m in (25, 125, 0, -4, -180, 3 * 24 * 60)] == [
        "in 25 min", "in 2 h 5 min", "now", "started 4 min ago", "3 h ago", "in 3 days"]


def test_check_in_opens_five_minutes_before_and_closes_fifteen_after_the_start():
    assert [check_in_open(NOW, NOW + timedelta(minutes=m)) for m in (-6, -5, 0, 15, 16)] == [
        False, True, True, True, False]
