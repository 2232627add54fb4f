"""Seed 002's calculated fields on hand-built frames: events, friends, messages, orders, personalisation."""
from datetime import date

import pytest

from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.profiles import compute_profiles, jsonable_fields
from db.models import ReengagementDecision
from tests.unit.reengagement.builders import FULL_PROFILE, event, frames, message, order, profiles, user

ANA = user(1, "ana@x.io", "Ana Ruiz")
BEN = user(2, "ben@x.io", "Ben Ode")
CAL = user(3, "cal@x.io", "Cal Poe")


# --- events --------------------------------------------------------------------------------------------------------

def test_events_match_the_users_email_whatever_its_case_and_spaces():
    rows = profiles([user(1, " Ana@X.io ")], [event("e1", "2024-06-01", ["ANA@x.io "])])
    assert rows[1]["number_of_events_attended"] == 1


def test_a_user_whose_email_is_in_no_event_has_empty_histories():
    row = profiles([ANA], [event("e1", "2024-06-01", ["ben@x.io"])])[1]
    assert row["friends"] == row["event_history_hosts"] == row["event_history"] == row["venue_history"] == []
    assert row["favorite_event_types"] == []
    assert row["number_of_events_attended"] == 0
    assert row["last_event_date"] is None and row["days_since_last_event"] is None
    assert row["average_events_per_month"] == 0.0


def test_no_events_at_all_gives_empty_histories():
    row = profiles([ANA])[1]
    assert row["event_history"] == [] and row["is_first_time_user"] is True


def test_event_history_is_in_date_order_with_iso_dates():
    rows = profiles([ANA], [event("e2", "2024-05-02", ["ana@x.io"], venue="B", name="Second"),
                            event("e1", "2024-04-01", ["ana@x.io"], venue="A", name="First")])
    assert rows[1]["event_history"] == [{"name": "First", "date": "2024-04-01", "venue": "A"},
                                        {"name": "Second", "date": "2024-05-02", "venue": "B"}]


def test_venue_history_lists_each_venue_once_in_order_of_first_visit():
    rows = profiles([ANA], [event(f"e{n}", f"2024-0{n}-01", ["ana@x.io"], venue=v)
                            for n, v in enumerate(["Loft", "Barn", "Loft", "Cafe"], start=1)])
    assert rows[1]["venue_history"] == ["Loft", "Barn", "Cafe"]


def test_hosts_are_listed_once_most_frequent_first():
    rows = profiles([ANA], [event(f"e{n}", f"2024-0{n}-01", ["ana@x.io"], host=h)
                            for n, h in enumerate(["Chef A", "Chef B", "Chef B", None], start=1)])
    assert rows[1]["event_history_hosts"] == ["Chef B", "Chef A"]


def test_the_favourite_event_type_is_the_most_attended():
    rows = profiles([ANA], [event(f"e{n}", f"2024-0{n}-01", ["ana@x.io"], event_type=t)
                            for n, t in enumerate(["dinner", "class", "dinner"], start=1)])
    assert rows[1]["favorite_event_types"] == ["dinner"]


def test_tied_favourite_event_types_are_all_kept_by_name():
    rows = profiles([ANA], [event(f"e{n}", f"2024-0{n}-01", ["ana@x.io"], event_type=t)
                            for n, t in enumerate(["tasting", "class", "tasting", "class"], start=1)])
    assert rows[1]["favorite_event_types"] == ["class", "tasting"]


def test_last_event_date_and_days_since_count_to_the_as_of_day():
    rows = profiles([ANA], [event("e1", "2024-06-10", ["ana@x.io"]), event("e2", "2024-06-20", ["ana@x.io"])],
                    as_of=date(2024, 6, 30))
    assert rows[1]["last_event_date"] == date(2024, 6, 20)
    assert rows[1]["days_since_last_event"] == 10


def test_events_held_after_the_as_of_day_are_not_counted():
    rows = profiles([ANA], [event("e1", "2024-06-10", ["ana@x.io"]), event("e2", "2024-07-20", ["ana@x.io"])])
    assert rows[1]["number_of_events_attended"] == 1
    assert rows[1]["last_event_date"] == date(2024, 6, 10)


def test_average_events_per_month_divides_by_the_months_since_the_first_event():
    # 4 events since 2024-03-01, 121 days before 2024-06-30: 121 / 30.44 = 3.975 months.
    rows = profiles([ANA], [event(f"e{n}", f"2024-0{n}-01", ["ana@x.io"]) for n in (3, 4, 5, 6)])
    assert rows[1]["average_events_per_month"] == round(4 / (121 / 30.44), 2) == 1.01


def test_average_events_per_month_counts_at_least_one_month():
    rows = profiles([ANA], [event("e1", "2024-06-25", ["ana@x.io"]), event("e2", "2024-06-28", ["ana@x.io"])])
    assert rows[1]["average_events_per_month"] == 2.0


def test_an_undated_event_counts_as_attended_without_a_date():
    row = profiles([ANA], [event("e1", None, ["ana@x.io"], name="Undated")])[1]
    assert row["number_of_events_attended"] == 1
    assert row["event_history"] == [{"name": "Undated", "date": None, "venue": "Hall"}]
    assert row["last_event_date"] is None and row["days_since_last_event"] is None


def test_a_participant_listed_twice_in_one_event_attended_it_once():
    rows = profiles([ANA], [event("e1", "2024-06-01", ["ana@x.io", "ANA@x.io"])])
    assert rows[1]["number_of_events_attended"] == 1


# --- friends -------------------------------------------------------------------------------------------------------

def test_friends_need_two_shared_events():
    rows = profiles([ANA, BEN, CAL], [event("e1", "2024-06-01", ["ana@x.io", "ben@x.io", "cal@x.io"]),
                                      event("e2", "2024-06-02", ["ana@x.io", "ben@x.io"])])
    assert rows[1]["friends"] == ["Ben Ode"]


def test_one_shared_event_does_not_make_a_friend():
    rows = profiles([ANA, BEN], [event("e1", "2024-06-01", ["ana@x.io", "ben@x.io"]),
                                 event("e2", "2024-06-02", ["ana@x.io"])])
    assert rows[1]["friends"] == [] and rows[2]["friends"] == []


def test_friends_with_more_shared_events_come_first():
    three = [event(f"e{n}", f"2024-06-0{n}", ["ana@x.io", "cal@x.io"]) for n in (1, 2, 3)]
    two = [event(f"f{n}", f"2024-05-0{n}", ["ana@x.io", "ben@x.io"]) for n in (1, 2)]
    assert profiles([ANA, BEN, CAL], two + three)[1]["friends"] == ["Cal Poe", "Ben Ode"]


def test_friends_with_as_many_shared_events_are_in_the_order_first_met():
    rows = profiles([ANA, BEN, CAL], [event("e1", "2024-06-01", ["ana@x.io", "cal@x.io", "ben@x.io"]),
                                      event("e2", "2024-06-02", ["ana@x.io", "ben@x.io", "cal@x.io"])])
    assert rows[1]["friends"] == ["Cal Poe", "Ben Ode"]


def test_a_co_participant_without_a_user_row_is_not_named():
    rows = profiles([ANA], [event(f"e{n}", f"2024-06-0{n}", ["ana@x.io", "stranger@x.io"]) for n in (1, 2)])
    assert rows[1]["friends"] == []


def test_a_friend_whose_user_row_has_no_name_is_named_by_their_email():
    rows = profiles([ANA, user(2, "dee.lee@x.io")],
                    [event(f"e{n}", f"2024-06-0{n}", ["ana@x.io", "dee.lee@x.io"]) for n in (1, 2)])
    assert rows[1]["friends"] == ["dee.lee"]


# --- messages ------------------------------------------------------------------------------------------------------

def test_a_user_without_messages_can_be_messaged():
    row = profiles([ANA])[1]
    assert (row["has_queued_messages"], row["queued_message_count"], row["has_sent_messages"]) == (False, 0, False)
    assert row["last_message_sent_date"] is None and row["days_since_last_message"] is None
    assert row["total_messages_sent"] == 0 and row["can_send_new_message"] is True


def test_queued_only_messages_are_counted_and_do_not_block_sending():
    row = profiles([ANA], messages=[message("u1", "queued", queued="2024-06-29"), message("u1", "QUEUED")])[1]
    assert row["has_queued_messages"] is True and row["queued_message_count"] == 2
    assert row["has_sent_messages"] is False and row["can_send_new_message"] is True


def test_the_last_sent_message_gives_the_date_and_the_days_since():
    row = profiles([ANA], messages=[message("u1", "sent", "2024-06-01"), message("u1", "sent", "2024-06-10"),
                                    message("u1", "failed", "2024-06-29")])[1]
    assert row["last_message_sent_date"] == date(2024, 6, 10)
    assert row["days_since_last_message"] == 20 and row["total_messages_sent"] == 2


def test_thirteen_days_after_a_message_the_cooldown_still_holds():
    row = profiles([ANA], messages=[message("u1", "sent", "2024-06-17")])[1]
    assert row["days_since_last_message"] == 13 and row["can_send_new_message"] is False


def test_fourteen_days_after_a_message_the_cooldown_is_over():
    row = profiles([ANA], messages=[message("u1", "sent", "2024-06-16")])[1]
    assert row["days_since_last_message"] == 14 and row["can_send_new_message"] is True


def test_the_cooldown_is_configurable():
    row = profiles([ANA], messages=[message("u1", "sent", "2024-06-16")], cooldown_days=30)[1]
    assert row["can_send_new_message"] is False


def test_a_message_sent_after_the_as_of_day_is_not_counted():
    row = profiles([ANA], messages=[message("u1", "sent", "2024-07-05")])[1]
    assert row["has_sent_messages"] is False and row["can_send_new_message"] is True


def test_messages_are_matched_by_the_users_external_id():
    rows = profiles([ANA, BEN], messages=[message("u2", "sent", "2024-06-29")])
    assert rows[1]["total_messages_sent"] == 0 and rows[2]["total_messages_sent"] == 1


# --- orders and personalisation ------------------------------------------------------------------------------------

def test_total_orders_counts_the_users_orders():
    rows = profiles([ANA, BEN], orders=[order("u1"), order("u1", "e1"), order("u2")])
    assert (rows[1]["total_orders"], rows[2]["total_orders"]) == (2, 1)


@pytest.mark.parametrize(("fields", "enough", "ask"), [
    ({"interests": ["a"], "cuisine_preference": ["b"], "age": 30, "occupation": "Chef"}, True, False),
    ({"interests": ["a"], "cuisine_preference": ["b"], "age": 30}, True, False),
    ({"interests": ["a"], "occupation": "Chef"}, False, False),
    ({"age": 30}, False, True),
    ({"interests": [" "], "occupation": "  "}, False, True),
])
def test_enough_fields_needs_three_of_four_and_fewer_than_two_asks_for_more(fields, enough, ask):
    row = profiles([user(1, "ana@x.io", **fields)])[1]
    assert row["has_enough_fields_to_personalize"] is enough
    assert row["should_request_more_details"] is ask


def test_a_user_with_no_events_is_a_first_time_user():
    rows = profiles([ANA, BEN], [event("e1", "2024-06-01", ["ben@x.io"])])
    assert rows[1]["is_first_time_user"] is True and rows[2]["is_first_time_user"] is False


def test_a_healthy_active_user_attended_three_events():
    rows = profiles([ANA, BEN], [event(f"e{n}", f"2024-06-0{n}", ["ana@x.io"] + (["ben@x.io"] if n < 3 else []))
                                 for n in (1, 2, 3)])
    assert rows[1]["is_healthy_active_user"] is True and rows[2]["is_healthy_active_user"] is False


def test_team_membership_is_copied_from_the_user():
    rows = profiles([user(1, "ana@x.io", is_on_team=True), BEN])
    assert rows[1]["is_on_team"] is True and rows[2]["is_on_team"] is False


@pytest.mark.parametrize(("fields", "events", "score"), [
    ({}, 0, 0),
    (FULL_PROFILE, 0, 70),
    (FULL_PROFILE, 6, 100),
    (FULL_PROFILE, 9, 100),
    ({"age": 30, "occupation": "Chef", "interests": ["x"], "gender": "Female", "home_neighborhood": "Mission"}, 2, 45),
])
def test_the_personalisation_score_weighs_filled_fields_and_events(fields, events, score):
    rows = profiles([user(1, "ana@x.io", **fields)],
                    [event(f"e{n}", f"2024-06-{n + 1:02d}", ["ana@x.io"]) for n in range(events)])
    assert rows[1]["personalization_score"] == score


# --- the decision --------------------------------------------------------------------------------------------------

def test_a_reachable_user_with_enough_fields_gets_a_personalised_message():
    row = profiles([user(1, "ana@x.io", **FULL_PROFILE)])[1]
    assert row["decision"] is ReengagementDecision.SEND_PERSONALISED_MESSAGE


def test_a_user_lacking_details_is_asked_for_more_even_in_the_cooldown():
    row = profiles([ANA], messages=[message("u1", "sent", "2024-06-29")])[1]
    assert row["decision"] is ReengagementDecision.REQUEST_MORE_DETAILS
    assert "Fewer than 2" in row["decision_reason"]


def test_a_user_in_the_cooldown_waits_until_a_date():
    row = profiles([user(1, "ana@x.io", **FULL_PROFILE)], messages=[message("u1", "sent", "2024-06-20")])[1]
    assert row["decision"] is ReengagementDecision.WAIT
    assert row["decision_reason"] == "Cooldown until 2024-07-04"


def test_a_reachable_user_with_two_key_fields_waits_for_more_data():
    row = profiles([user(1, "ana@x.io", interests=["a"], occupation="Chef")])[1]
    assert row["decision"] is ReengagementDecision.WAIT
    assert row["decision_reason"] == "Not enough data to personalise"


# --- the frame -----------------------------------------------------------------------------------------------------

def test_the_result_has_one_row_per_user_with_every_calculated_field():
    computed = compute_profiles(frames([ANA, BEN, CAL]), as_of=date(2024, 6, 30))
    assert computed["user_id"].tolist() == [1, 2, 3]
    assert {*CALCULATED_FIELDS, "summary", "decision", "decision_reason", "id", "email", "name"} <= set(computed)


def test_numbers_are_python_ints_and_missing_values_none():
    row = profiles([ANA], [event("e1", "2024-06-01", ["ana@x.io"])])[1]
    assert type(row["number_of_events_attended"]) is int and type(row["days_since_last_event"]) is int
    assert row["age"] is None and row["occupation"] is None and row["days_since_last_message"] is None


def test_jsonable_fields_give_iso_dates_under_the_seeds_names():
    row = profiles([ANA], [event("e1", "2024-06-01", ["ana@x.io"])])[1]
    fields = jsonable_fields(row)
    assert list(fields) == list(CALCULATED_FIELDS)
    assert fields["last_event_date"] == "2024-06-01" and fields["last_message_sent_date"] is None
