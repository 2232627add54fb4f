"""Engagement points per factor (each with its cap), totals in whole points, levels at their boundaries, badges
earned from counts, and streaks from activity days."""
from datetime import date

import pandas as pd
import pytest

from core.community import engagement as E
from core.community.badges import Badge, earned_badges
from core.community.engagement import COUNT_COLUMNS, Factor, factor_points, level_of, next_level, totals
from db.models import EngagementLevel


def counts(**values) -> pd.DataFrame:
    """One person's counts: nothing done, active today, except what is given."""
    row = dict.fromkeys(COUNT_COLUMNS, 0.0) | values
    return pd.DataFrame([row], index=pd.Index([1], name="person_id"))


def points(factor: Factor, **values) -> float:
    return float(factor_points(counts(**values))[factor.value].iloc[0])


def test_a_complete_profile_with_social_links_and_a_verified_record_earns_the_profile_maximum():
    assert points(Factor.PROFILE, completeness=1.0, social=1, verified=1) == E.FACTOR_MAX[Factor.PROFILE] == 100


def test_half_a_profile_earns_half_the_completeness_points():
    assert points(Factor.PROFILE, completeness=0.5) == E.PROFILE_COMPLETE_POINTS / 2


def test_an_event_attended_and_checked_in_earns_the_event_and_the_check_in_points():
    assert points(Factor.EVENTS, events_attended=1, check_ins=1) == E.EVENT_POINTS + E.CHECK_IN_POINTS


def test_event_points_stop_at_their_cap():
    assert points(Factor.EVENTS, events_attended=20, check_ins=20) == E.FACTOR_MAX[Factor.EVENTS]


def test_each_connection_earns_its_points_up_to_the_cap():
    assert points(Factor.CONNECTIONS, connections=3) == 3 * E.CONNECTION_POINTS
    assert points(Factor.CONNECTIONS, connections=500) == E.FACTOR_MAX[Factor.CONNECTIONS]


def test_each_meeting_held_earns_its_points_up_to_the_cap():
    assert points(Factor.MEETINGS, meetings=2) == 2 * E.MEETING_POINTS
    assert points(Factor.MEETINGS, meetings=50) == E.FACTOR_MAX[Factor.MEETINGS]


def test_each_huddle_attended_earns_its_points_up_to_the_cap():
    assert points(Factor.HUDDLES, huddles=2) == 2 * E.HUDDLE_POINTS
    assert points(Factor.HUDDLES, huddles=50) == E.FACTOR_MAX[Factor.HUDDLES]


def test_each_follow_up_sent_earns_its_points_up_to_the_cap():
    assert points(Factor.FOLLOW_UPS, follow_ups=3) == 3 * E.FOLLOW_UP_POINTS
    assert points(Factor.FOLLOW_UPS, follow_ups=99) == E.FACTOR_MAX[Factor.FOLLOW_UPS]


def test_each_feedback_given_earns_its_points_up_to_the_cap():
    assert points(Factor.FEEDBACK, feedback=2) == 2 * E.FEEDBACK_POINTS
    assert points(Factor.FEEDBACK, feedback=99) == E.FACTOR_MAX[Factor.FEEDBACK]


def test_a_capsule_earns_points_for_itself_its_views_likes_and_bookmarks():
    expected = E.CAPSULE_POINTS + 10 * E.VIEW_POINTS + 2 * E.LIKE_POINTS + 1 * E.BOOKMARK_POINTS
    assert points(Factor.KNOWLEDGE, capsules=1, views=10, likes=2, bookmarks=1) == expected


def test_knowledge_points_stop_at_their_cap():
    assert points(Factor.KNOWLEDGE, capsules=5, views=1000) == E.FACTOR_MAX[Factor.KNOWLEDGE]


def test_a_streak_and_a_week_of_activity_earn_activity_points_up_to_the_cap():
    assert points(Factor.ACTIVITY, streak_days=4, active_last_week=1) == 4 * E.STREAK_POINTS + E.WEEKLY_ACTIVE_POINTS
    assert points(Factor.ACTIVITY, streak_days=40, active_last_week=1) == E.FACTOR_MAX[Factor.ACTIVITY]


def test_each_inactive_day_takes_off_the_decay_down_to_its_floor():
    assert points(Factor.ACTIVITY, days_inactive=4) == -4 * E.DECAY_PER_DAY
    assert points(Factor.ACTIVITY, days_inactive=300) == -E.DECAY_CAP


def test_someone_at_every_factor_maximum_scores_seven_hundred_and_is_a_legend():
    best = counts(completeness=1, social=1, verified=1, events_attended=9, check_ins=9, connections=99, meetings=99,
                  huddles=99, follow_ups=99, feedback=99, capsules=9, streak_days=30, active_last_week=1)
    assert totals(factor_points(best)).iloc[0] == 700
    assert level_of(700) == EngagementLevel.LEGEND


def test_a_total_never_goes_below_zero_however_long_the_inactivity():
    assert totals(factor_points(counts(days_inactive=100))).iloc[0] == 0


@pytest.mark.parametrize(("total", "level"), [
    (50, EngagementLevel.BEGINNER), (51, EngagementLevel.ACTIVE), (150, EngagementLevel.ACTIVE),
    (151, EngagementLevel.CONTRIBUTOR), (300, EngagementLevel.CONTRIBUTOR), (301, EngagementLevel.VETERAN),
    (500, EngagementLevel.VETERAN), (501, EngagementLevel.LEGEND), (0, EngagementLevel.BEGINNER)])
def test_each_level_starts_and_ends_at_its_documented_boundary(total, level):
    assert level_of(total) == level
    assert E.levels(pd.Series([total])).iloc[0] == level.value


def test_fractional_totals_are_rounded_to_whole_points_before_the_level_is_read():
    assert level_of(50.4) == EngagementLevel.BEGINNER
    assert level_of(50.5) == EngagementLevel.ACTIVE


def test_the_points_to_the_next_level_count_from_the_whole_point_total():
    assert next_level(148) == (EngagementLevel.CONTRIBUTOR, 3)
    assert next_level(501) == (None, 0)


def test_a_streak_counts_consecutive_days_up_to_yesterday_and_no_decay_within_the_grace_day():
    days = pd.DataFrame({"person_id": [1, 1, 1, 1, 2],
                         "day": [date(2026, 11, 30), date(2026, 11, 29), date(2026, 11, 28), date(2026, 11, 25),
                                 date(2026, 11, 20)]})
    result = E.activity_counts(days, today=date(2026, 12, 1))
    assert result.loc[1].tolist() == [3, 1, 0]
    assert result.loc[2].tolist() == [0, 0, 10]


def test_milestones_and_every_level_up_to_the_reached_one_earn_badges():
    frame = counts(connections=10, capsules=1, streak_days=7).assign(level=EngagementLevel.CONTRIBUTOR.value)
    assert set(earned_badges(frame)) == {(1, b) for b in (
        Badge.FIRST_CONNECTION, Badge.TEN_CONNECTIONS, Badge.FIRST_CAPSULE, Badge.STREAK_7, Badge.LEVEL_ACTIVE,
        Badge.LEVEL_CONTRIBUTOR)}
