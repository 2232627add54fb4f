"""The stored profiles' rows built in memory: the polishing order, the row shape with its filter copies, the JSON of
dates, numpy values and missing numbers, the refresh report, and the loaded orders and messages typed alike however
they were read."""
import json
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.profiles import MESSAGE_COLUMNS, ORDER_COLUMNS, _typed_messages, _typed_orders, compute_profiles
from core.reengagement.store import (
    FILTER_COLUMNS,
    STORED_COLUMNS,
    ReengagementReport,
    _polish_order,
    _stored_rows,
    json_column,
    json_default,
)
from db.models import ReengagementDecision
from tests.unit.reengagement.builders import AS_OF, FULL_PROFILE, event, frames, message, user

SEND = ReengagementDecision.SEND_PERSONALISED_MESSAGE.value
ASK = ReengagementDecision.REQUEST_MORE_DETAILS.value
WAIT = ReengagementDecision.WAIT.value
NOW = datetime(2024, 6, 30, 8, 0, tzinfo=UTC)


def computed() -> pd.DataFrame:
    """Ana (full profile, two events, one sent message) and Ben (empty profile, same events, one queued message)."""
    return compute_profiles(frames(
        [user(1, "ana@x.io", "Ana", **FULL_PROFILE), user(2, "ben@x.io", "Ben")],
        [event("e1", "2024-06-01", ["ana@x.io", "ben@x.io"]), event("e2", "2024-06-10", ["ana@x.io", "ben@x.io"])],
        messages=[message("u1", "sent", sent="2024-06-05"), message("u2", "queued", queued="2024-06-20")]),
        as_of=AS_OF, cooldown_days=14)


def stored(changed: pd.DataFrame, summaries=None) -> dict[int, dict]:
    """{user_id: {column: value}} of the rows _stored_rows builds."""
    summaries = summaries or [f"summary {i}" for i in range(len(changed))]
    hashes = {int(u): f"hash-{u}" for u in changed["user_id"]}
    rows = _stored_rows(changed, summaries, hashes, now=NOW, as_of=AS_OF)
    return {row[0]: dict(zip(STORED_COLUMNS, row, strict=True)) for row in rows}


# --- polishing order -----------------------------------------------------------------------------------------------

def test_members_to_message_are_polished_first_best_profile_first():
    changed = pd.DataFrame({"decision": [WAIT, SEND, ASK, SEND, WAIT],
                            "personalization_score": [90, 40, 100, 85, 95]})
    assert _polish_order(changed) == [3, 1, 2, 4, 0]


def test_members_with_the_same_decision_and_score_keep_their_order():
    changed = pd.DataFrame({"decision": [SEND, SEND, SEND], "personalization_score": [50, 50, 50]})
    assert _polish_order(changed) == [0, 1, 2]


def test_decisions_given_as_the_enum_are_ranked_like_their_text():
    changed = pd.DataFrame({"decision": [ReengagementDecision.WAIT, ReengagementDecision.SEND_PERSONALISED_MESSAGE],
                            "personalization_score": [100, 10]}, dtype=object)
    assert _polish_order(changed) == [1, 0]


def test_nothing_changed_means_nothing_to_polish():
    assert _polish_order(pd.DataFrame({"decision": [], "personalization_score": []})) == []


# --- stored rows ---------------------------------------------------------------------------------------------------

def test_each_stored_row_has_every_stored_column_for_its_member():
    changed = computed()
    rows = stored(changed, ["Ana's summary", "Ben's summary"])
    ana = rows[1]
    assert (ana["user_id"], ana["computed_at"], ana["as_of"], ana["input_hash"], ana["summary"]) == (
        1, NOW, AS_OF, "hash-1", "Ana's summary")
    assert (ana["decision"], ana["decision_reason"]) == (SEND, "Can be messaged and has enough fields")
    assert (rows[2]["input_hash"], rows[2]["summary"], rows[2]["decision"]) == ("hash-2", "Ben's summary", ASK)


def test_stored_decisions_are_plain_text():
    assert {type(row["decision"]) for row in stored(computed()).values()} == {str}


def test_the_filter_columns_copy_the_calculated_fields():
    changed = computed()
    rows = stored(changed)
    for record in changed.to_dict("records"):
        row = rows[record["user_id"]]
        assert {name: row[name] for name in FILTER_COLUMNS} == {name: record[name] for name in FILTER_COLUMNS}
    assert {name: rows[2][name] for name in FILTER_COLUMNS} == {
        "personalization_score": 10, "number_of_events_attended": 2, "days_since_last_event": 20,
        "is_first_time_user": False, "is_healthy_active_user": False, "has_queued_messages": True,
        "can_send_new_message": True}


def test_the_fields_json_holds_every_calculated_field_in_the_seeds_order():
    fields = json.loads(stored(computed())[1]["fields"])
    assert list(fields) == list(CALCULATED_FIELDS)


def test_the_fields_json_has_iso_dates_and_empty_values_as_null():
    rows = stored(computed())
    ana, ben = json.loads(rows[1]["fields"]), json.loads(rows[2]["fields"])
    assert (ana["last_event_date"], ana["last_message_sent_date"]) == ("2024-06-10", "2024-06-05")
    assert ana["event_history"] == [{"name": "Event e1", "date": "2024-06-01", "venue": "Hall"},
                                    {"name": "Event e2", "date": "2024-06-10", "venue": "Hall"}]
    assert (ben["last_message_sent_date"], ben["days_since_last_message"]) == (None, None)
    assert (ben["friends"], ben["queued_message_count"], ben["personalization_score"]) == (["Ana"], 1, 10)


def test_a_long_decision_reason_is_cut_to_300_characters():
    changed = computed()
    changed["decision_reason"] = ["x" * 400, "short"]
    rows = stored(changed)
    assert (rows[1]["decision_reason"], rows[2]["decision_reason"]) == ("x" * 300, "short")


def test_only_the_given_members_get_rows():
    changed = computed()
    rows = stored(changed[changed["user_id"] == 2].reset_index(drop=True))
    assert list(rows) == [2]


def test_missing_numbers_in_float_filter_columns_are_stored_as_null():
    changed = computed()
    changed["days_since_last_event"] = pd.Series([5.0, float("nan")], dtype="float64")
    rows = stored(changed)
    assert (rows[1]["days_since_last_event"], rows[2]["days_since_last_event"]) == (5.0, None)
    assert json.loads(rows[2]["fields"])["days_since_last_event"] is None


# --- JSON values ---------------------------------------------------------------------------------------------------

def test_a_date_is_written_as_iso_8601():
    assert json_default(date(2024, 2, 5)) == "2024-02-05"


def test_a_timestamp_is_written_as_iso_8601_with_its_offset():
    assert json_default(pd.Timestamp("2024-02-05 09:30", tz="UTC")) == "2024-02-05T09:30:00+00:00"
    assert json_default(datetime(2024, 2, 5, 9, 30, tzinfo=UTC)) == "2024-02-05T09:30:00+00:00"


def test_numpy_scalars_become_python_values():
    values = [json_default(np.int64(7)), json_default(np.float64(1.5)), json_default(np.bool_(True))]
    assert values == [7, 1.5, True]
    assert [type(v) for v in values] == [int, float, bool]


def test_a_numpy_array_becomes_a_list():
    assert json_default(np.array([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]


def test_json_dumps_with_the_default_writes_numpy_and_dates():
    text = json.dumps({"n": np.int64(3), "on": date(2024, 1, 1), "kinds": np.array(["dinner"])}, default=json_default)
    assert text == '{"n": 3, "on": "2024-01-01", "kinds": ["dinner"]}'


def test_other_values_are_refused_by_name():
    with pytest.raises(TypeError, match="set is not JSON serialisable"):
        json_default({1, 2})


def test_a_float_column_writes_nan_as_none():
    assert json_column(pd.Series([1.5, np.nan, 0.0])) == [1.5, None, 0.0]


def test_a_datetime_column_writes_utc_days_and_nat_as_none():
    column = pd.Series(pd.to_datetime(["2024-01-02 23:00", None], utc=True))
    assert json_column(column) == ["2024-01-02", None]


def test_a_naive_datetime_column_writes_days_too():
    assert json_column(pd.Series(pd.to_datetime(["2024-03-04 10:00"]))) == ["2024-03-04"]


def test_an_object_column_writes_nan_as_none_and_keeps_other_values():
    column = pd.Series([3, float("nan"), "text", None, ["a"]], dtype=object)
    assert json_column(column) == [3, None, "text", None, ["a"]]


def test_an_integer_column_writes_python_integers():
    written = json_column(pd.Series([1, 2], dtype="int64"))
    assert written == [1, 2] and all(type(v) is int for v in written)


# --- report --------------------------------------------------------------------------------------------------------

def test_the_report_counts_under_their_names():
    report = ReengagementReport(members=10, computed=10, changed=4, unchanged=6, removed=1, polished=2)
    assert report.counts() == {"members": 10, "computed": 10, "changed": 4, "unchanged": 6, "removed": 1,
                               "polished": 2}


def test_the_report_counts_no_polishing_unless_told():
    assert ReengagementReport(3, 0, 0, 3, 0).counts()["polished"] == 0


# --- loaded rows typed alike ---------------------------------------------------------------------------------------

def test_order_user_ids_become_text_whether_read_as_numbers_or_text():
    orders = pd.DataFrame({"user_external_id": [7, "u2"], "event_external_id": ["e1", None], "amount": [10.0, 5.0],
                           "ordered_at": ["2024-01-01", "2024-01-02"]}, columns=list(ORDER_COLUMNS))
    assert _typed_orders(orders)["user_external_id"].tolist() == ["7", "u2"]


def test_typing_orders_leaves_the_loaded_frame_as_it_was():
    orders = pd.DataFrame({"user_external_id": [7], "event_external_id": ["e1"], "amount": [1.0],
                           "ordered_at": ["2024-01-01"]})
    _typed_orders(orders)
    assert orders["user_external_id"].tolist() == [7]


def test_message_user_ids_become_text():
    messages = pd.DataFrame({"user_external_id": [7, "u2"], "status": ["sent", "queued"], "sent_at": [None, None],
                             "queued_at": [None, None]}, columns=list(MESSAGE_COLUMNS))
    assert _typed_messages(messages)["user_external_id"].tolist() == ["7", "u2"]


def test_message_times_read_as_iso_text_are_parsed_to_utc():
    messages = pd.DataFrame({"user_external_id": ["u1", "u1", "u1"], "status": ["sent"] * 3,
                             "sent_at": ["2024-01-25 10:00:00+00", "2024-01-25 12:00:00+02:00", "2024-01-25 10:00:00"],
                             "queued_at": [None] * 3})
    typed = _typed_messages(messages)
    assert typed["sent_at"].tolist() == [pd.Timestamp("2024-01-25 10:00", tz="UTC")] * 3
    assert str(typed["sent_at"].dt.tz) == "UTC"


def test_message_times_read_as_timestamps_are_converted_to_utc():
    messages = pd.DataFrame({"user_external_id": ["u1", "u1"], "status": ["sent", "sent"],
                             "sent_at": [pd.Timestamp("2024-01-25 10:00", tz="UTC"),
                                         pd.Timestamp("2024-01-25 11:00", tz="Europe/Paris")],
                             "queued_at": [None, None]})
    assert _typed_messages(messages)["sent_at"].tolist() == [pd.Timestamp("2024-01-25 10:00", tz="UTC")] * 2


def test_messages_read_as_text_and_as_timestamps_give_the_same_times():
    as_text = pd.DataFrame({"user_external_id": [1], "status": ["queued"], "sent_at": [""],
                            "queued_at": ["2024-02-10T08:30:00+00:00"]})
    as_rows = pd.DataFrame({"user_external_id": ["1"], "status": ["queued"], "sent_at": [None],
                            "queued_at": [pd.Timestamp("2024-02-10 08:30", tz="UTC")]})
    from_text, from_rows = _typed_messages(as_text), _typed_messages(as_rows)
    assert from_text["user_external_id"].tolist() == from_rows["user_external_id"].tolist() == ["1"]
    assert from_text["queued_at"].tolist() == from_rows["queued_at"].tolist()
    assert pd.isna(from_text["sent_at"].iloc[0]) and pd.isna(from_rows["sent_at"].iloc[0])


def test_missing_or_unreadable_message_times_become_not_a_time():
    messages = pd.DataFrame({"user_external_id": ["u1", "u1"], "status": ["queued", "queued"],
                             "sent_at": [None, float("nan")], "queued_at": ["not a date", None]})
    typed = _typed_messages(messages)
    assert typed["sent_at"].isna().tolist() == [True, True]
    assert typed["queued_at"].isna().tolist() == [True, True]
