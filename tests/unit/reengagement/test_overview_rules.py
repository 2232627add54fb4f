"""The Re-engagement page's pure rules: shown values, field labels, the suggested angle, the send list's filters and
the SQL the filters add (compiled for Postgres, not run)."""
import dataclasses

import pytest
from sqlalchemy import func
from sqlalchemy.dialects import postgresql

from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.overview import (
    DAY_BUCKETS,
    LIST_SHOWN,
    Activity,
    ProfileFilters,
    _events,
    _filtered,
    _joined,
    _missing_details,
    _spoken,
    _user_fields,
    field_label,
    field_rows,
    send_list_filters,
    show_value,
    suggested_angle,
)
from db.models import BehaviorUser, ReengagementDecision

SEND = ReengagementDecision.SEND_PERSONALISED_MESSAGE
ASK = ReengagementDecision.REQUEST_MORE_DETAILS
WAIT = ReengagementDecision.WAIT
BASE_SQL = ("SELECT count(*) AS count_1 \nFROM reengagement_profiles JOIN behavior_users "
            "ON behavior_users.id = reengagement_profiles.user_id")
REGULAR = {"number_of_events_attended": 3, "favorite_event_types": ["wine_tasting", "dinner", "cooking_class"],
           "event_history_hosts": ["Chef Mario", "Chef Ploy"], "friends": ["Mike", "Jenny", "Alex"]}


def filtered_sql(filters: ProfileFilters) -> str:
    statement = _filtered(_joined(func.count()), filters)
    return str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


# --- show_value ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("empty", [None, [], ""])
def test_an_empty_value_is_shown_as_a_dash(empty):
    assert show_value(empty) == "—"


def test_booleans_are_shown_as_yes_and_no():
    assert (show_value(True), show_value(False)) == ("Yes", "No")


def test_floats_are_shown_with_at_most_two_decimals_and_no_trailing_zeros():
    assert [show_value(v) for v in (1.256, 0.5, 2.0, 0.0)] == ["1.26", "0.5", "2", "0"]


def test_integers_and_text_are_shown_as_they_are():
    assert (show_value(0), show_value(85), show_value("Teacher")) == ("0", "85", "Teacher")


def test_a_list_is_joined_with_semicolons():
    assert show_value(["Mike", "Jenny"]) == "Mike; Jenny"


def test_a_long_list_shows_its_first_items_and_how_many_more():
    names = [f"n{i}" for i in range(LIST_SHOWN + 3)]
    assert show_value(names) == "; ".join(names[:LIST_SHOWN]) + " … and 3 more"


def test_a_list_of_exactly_the_shown_length_has_no_more_note():
    names = [f"n{i}" for i in range(LIST_SHOWN)]
    assert show_value(names) == "; ".join(names)


def test_past_events_are_shown_as_name_with_date_and_venue():
    history = [{"name": "Wine Tasting", "date": "2024-01-15", "venue": "The Vault"},
               {"name": "Dinner", "date": "2024-02-05", "venue": None},
               {"name": "Walk"}, {"date": "2024-03-01"}, {}]
    assert show_value(history) == ("Wine Tasting (2024-01-15, The Vault); Dinner (2024-02-05); Walk; "
                                   "Event (2024-03-01); Event")


# --- labels and rows -----------------------------------------------------------------------------------------------

def test_a_field_with_its_own_label_uses_it():
    assert field_label("friends") == "Friends (2+ shared events)"


def test_a_field_without_its_own_label_is_spelled_out_from_its_name():
    assert field_label("days_since_last_event") == "Days since last event"


def test_field_rows_list_every_calculated_field_in_the_seeds_order():
    rows = field_rows({})
    assert [label for label, _ in rows] == [field_label(name) for name in CALCULATED_FIELDS]
    assert {value for _, value in rows} == {"—"}


def test_field_rows_read_event_types_as_words():
    rows = dict(field_rows({"favorite_event_types": ["wine_tasting", "cooking_class"]}))
    assert rows["Favourite event types"] == "wine tasting; cooking class"


def test_field_rows_show_only_the_names_of_attended_events():
    history = [{"name": "Wine Tasting", "date": "2024-01-15", "venue": "The Vault"}, {"date": "2024-02-05"}]
    assert dict(field_rows({"event_history": history}))["Events attended"] == "Wine Tasting; Event"


def test_field_rows_show_scores_booleans_and_dates_as_words():
    rows = dict(field_rows({"personalization_score": 85, "is_healthy_active_user": True,
                            "last_event_date": "2024-02-05", "average_events_per_month": 1.5}))
    assert rows["Personalisation score (0–100)"] == "85"
    assert rows["Active (3+ events)"] == "Yes"
    assert rows["Last event date"] == "2024-02-05"
    assert rows["Events per month"] == "1.5"


# --- missing details and spoken lists ------------------------------------------------------------------------------

def test_every_detail_is_missing_from_empty_fields_in_the_asking_order():
    assert _missing_details({}) == ["cuisine preferences", "occupation", "interests", "age"]


def test_empty_text_and_empty_lists_count_as_missing_but_an_age_of_zero_does_not():
    fields = {"cuisine_preference": ["Thai"], "occupation": "", "interests": [], "age": 0}
    assert _missing_details(fields) == ["occupation", "interests"]


def test_one_item_is_spoken_alone():
    assert _spoken(["hiking"]) == "hiking"


def test_two_items_are_joined_with_and():
    assert _spoken(["Mike", "Jenny"]) == "Mike and Jenny"


def test_more_items_are_comma_separated_with_the_given_last_word():
    assert _spoken(["dinner", "brunch", "picnic"], "or") == "dinner, brunch or picnic"


# --- suggested angle -----------------------------------------------------------------------------------------------

def test_asking_for_details_names_the_first_two_missing_ones():
    assert suggested_angle({}, ASK) == "Ask about their cuisine preferences and occupation"


def test_asking_for_details_skips_the_details_already_known():
    fields = {"cuisine_preference": ["Thai"], "occupation": "Teacher"}
    assert suggested_angle(fields, ASK) == "Ask about their interests and age"


def test_asking_for_one_missing_detail_names_only_it():
    fields = {"cuisine_preference": ["Thai"], "occupation": "Teacher", "interests": ["hiking"]}
    assert suggested_angle(fields, ASK) == "Ask about their age"


def test_asking_when_no_detail_is_missing_asks_about_cuisine_and_occupation():
    fields = {"cuisine_preference": ["Thai"], "occupation": "Teacher", "interests": ["hiking"], "age": 40}
    assert suggested_angle(fields, ASK) == "Ask about their cuisine preferences and occupation"


def test_without_a_decision_the_should_request_field_decides_to_ask():
    assert suggested_angle({"should_request_more_details": True, "age": 30}) == (
        "Ask about their cuisine preferences and occupation")


def test_a_chosen_decision_overrides_the_should_request_field():
    fields = {**REGULAR, "should_request_more_details": True}
    assert suggested_angle(fields, SEND).startswith("Invite to a wine tasting or dinner")


def test_a_member_who_never_came_is_welcomed_around_their_first_interest():
    fields = {"number_of_events_attended": 0, "interests": ["hiking", "cooking"]}
    assert suggested_angle(fields, SEND) == "Welcome them to a first event around hiking"


def test_a_member_who_never_came_and_has_no_interests_is_welcomed_plainly():
    assert suggested_angle({}, SEND) == "Welcome them to a first event"


def test_a_regular_is_invited_to_their_two_favourite_kinds_with_host_and_friends():
    assert suggested_angle(REGULAR, SEND) == ("Invite to a wine tasting or dinner — Chef Mario is their most frequent "
                                              "host; they often come with Mike and Jenny")


def test_a_regular_without_kinds_hosts_or_friends_is_invited_to_another_event():
    assert suggested_angle({"number_of_events_attended": 2}, SEND) == "Invite to another event"


def test_a_regular_with_only_friends_is_told_whom_they_come_with():
    fields = {"number_of_events_attended": 2, "friends": ["Mike"]}
    assert suggested_angle(fields, SEND) == "Invite to another event — they often come with Mike"


def test_a_member_to_wait_for_gets_the_invitation_for_later():
    fields = {"number_of_events_attended": 1, "favorite_event_types": ["dinner"]}
    assert suggested_angle(fields, WAIT) == "Later: invite to a dinner"


def test_the_decision_may_be_given_as_plain_text():
    fields = {"number_of_events_attended": 1, "favorite_event_types": ["dinner"]}
    assert suggested_angle(fields, "wait") == "Later: invite to a dinner"
    assert suggested_angle({}, "request_more_details") == "Ask about their cuisine preferences and occupation"


def test_the_members_own_details_feed_the_angle_under_the_seeds_names():
    member = BehaviorUser(email="ana@x.io", cuisine_preference=["Thai"], occupation="Teacher", interests=[], age=None)
    own = _user_fields(member)
    assert own == {"cuisine_preference": ["Thai"], "occupation": "Teacher", "interests": [], "age": None}
    assert suggested_angle(own, ASK) == "Ask about their interests and age"


# --- events table --------------------------------------------------------------------------------------------------

def test_the_events_table_has_name_date_and_venue_with_blanks_for_missing_ones():
    history = [{"name": "Dinner", "date": "2024-02-05", "venue": "The Vault"}, {"name": "Walk", "venue": None}]
    assert _events(history) == [{"event": "Dinner", "date": "2024-02-05", "venue": "The Vault"},
                                {"event": "Walk", "date": "", "venue": ""}]


def test_the_events_table_skips_entries_that_are_not_events():
    assert _events(["Dinner", {"name": "Walk"}]) == [{"event": "Walk", "date": "", "venue": ""}]


@pytest.mark.parametrize("history", [None, "Dinner", {"name": "Dinner"}])
def test_the_events_table_is_empty_when_the_history_is_not_a_list(history):
    assert _events(history) == []


# --- filters -------------------------------------------------------------------------------------------------------

def test_filters_default_to_any_member():
    assert ProfileFilters() == ProfileFilters(decision=None, activity=Activity.ALL, first_time_only=False,
                                              queued_only=False, neighbourhood=None, interest=None)


def test_filters_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ProfileFilters().decision = "wait"  # type: ignore[misc]


def test_the_activity_filter_reads_its_values_from_text():
    assert [Activity(v) for v in ("all", "active", "inactive")] == [Activity.ALL, Activity.ACTIVE, Activity.INACTIVE]


def test_the_send_list_keeps_only_members_to_message_when_no_decision_is_chosen():
    filters = ProfileFilters(activity=Activity.ACTIVE, neighbourhood="SOMA", interest="hiking")
    assert send_list_filters(filters) == ProfileFilters(decision="send_personalised_message",
                                                        activity=Activity.ACTIVE, neighbourhood="SOMA",
                                                        interest="hiking")


def test_the_send_list_keeps_a_chosen_decision():
    filters = ProfileFilters(decision="wait", queued_only=True)
    assert send_list_filters(filters) is filters


def test_no_filter_adds_no_condition():
    assert filtered_sql(ProfileFilters()) == BASE_SQL


def test_the_all_activity_adds_no_condition():
    assert filtered_sql(ProfileFilters(activity=Activity.ALL)) == BASE_SQL


@pytest.mark.parametrize(("filters", "condition"), [
    (ProfileFilters(decision="wait"), "reengagement_profiles.decision = 'wait'"),
    (ProfileFilters(activity=Activity.ACTIVE), "reengagement_profiles.is_healthy_active_user IS true"),
    (ProfileFilters(activity=Activity.INACTIVE), "reengagement_profiles.is_healthy_active_user IS false"),
    (ProfileFilters(first_time_only=True), "reengagement_profiles.is_first_time_user IS true"),
    (ProfileFilters(queued_only=True), "reengagement_profiles.has_queued_messages IS true"),
    (ProfileFilters(neighbourhood="Mission"), "behavior_users.home_neighborhood = 'Mission'"),
    (ProfileFilters(interest="hiking"), "behavior_users.interests @> ARRAY['hiking']"),
])
def test_each_filter_adds_its_own_condition(filters, condition):
    assert filtered_sql(filters) == f"{BASE_SQL} \nWHERE {condition}"


def test_all_filters_together_are_joined_with_and():
    filters = ProfileFilters(decision="send_personalised_message", activity=Activity.INACTIVE, first_time_only=True,
                             queued_only=True, neighbourhood="SOMA", interest="cooking")
    assert filtered_sql(filters).split("\nWHERE ")[1] == (
        "reengagement_profiles.decision = 'send_personalised_message' AND "
        "reengagement_profiles.is_healthy_active_user IS false AND reengagement_profiles.is_first_time_user IS true "
        "AND reengagement_profiles.has_queued_messages IS true AND behavior_users.home_neighborhood = 'SOMA' AND "
        "(behavior_users.interests @> ARRAY['cooking'])")


def test_a_quote_in_a_filter_value_stays_inside_the_literal():
    assert filtered_sql(ProfileFilters(neighbourhood="O'Farrell")).endswith(
        "behavior_users.home_neighborhood = 'O''Farrell'")


# --- the histogram's buckets ---------------------------------------------------------------------------------------

def test_the_day_buckets_follow_each_other_without_gaps_from_day_zero():
    bounds = [(low, high) for _, low, high in DAY_BUCKETS]
    assert bounds[0][0] == 0 and bounds[-1][1] is None
    assert all(low == previous_high + 1 for (_, previous_high), (low, _) in zip(bounds, bounds[1:], strict=False))
