"""The re-engagement export's cells and CSV: lists, dates, booleans and empty values as text, the header, and
formula-looking cells neutralised."""
import csv
import io
from datetime import date

import pytest

from core.reengagement.export import COLUMNS, _write, csv_value
from core.reengagement.fields import CALCULATED_FIELDS
from core.reengagement.profiles import compute_profiles, jsonable_fields
from tests.unit.reengagement.seed_example import AS_OF, seed_frames


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- cells ---------------------------------------------------------------------------------------------------------

def test_no_value_is_an_empty_cell():
    assert csv_value(None) == ""


def test_booleans_are_lower_case_true_and_false():
    assert (csv_value(True), csv_value(False)) == ("true", "false")


def test_a_list_is_joined_with_semicolons():
    assert csv_value(["Mike Jones", "Jenny Kim"]) == "Mike Jones;Jenny Kim"


def test_an_empty_list_is_an_empty_cell():
    assert csv_value([]) == ""


def test_list_items_are_written_like_single_values():
    assert csv_value([True, None, 3, "x"]) == "true;;3;x"


def test_a_past_event_is_its_date_name_and_venue():
    assert csv_value({"name": "Farm to Table Dinner", "date": "2024-02-05", "venue": "The Vault"}) == (
        "2024-02-05 Farm to Table Dinner @ The Vault")


def test_a_past_event_leaves_out_what_it_lacks():
    assert csv_value({"name": "Dinner", "date": "2024-02-05", "venue": None}) == "2024-02-05 Dinner"
    assert csv_value({"name": "Dinner", "venue": "Hall"}) == "Dinner @ Hall"
    assert csv_value({}) == ""


def test_an_event_history_is_its_events_joined_with_semicolons():
    history = [{"name": "Wine Tasting", "date": "2024-01-15", "venue": "The Vault"},
               {"name": "Thai Class", "date": "2024-01-22", "venue": "Culinary Studio"}]
    assert csv_value(history) == "2024-01-15 Wine Tasting @ The Vault;2024-01-22 Thai Class @ Culinary Studio"


def test_dates_are_written_in_iso_8601():
    assert csv_value(date(2024, 2, 5)) == "2024-02-05"


def test_numbers_are_written_as_text():
    assert [csv_value(v) for v in (0, 85, 1.5)] == ["0", "85", "1.5"]


def test_a_formula_looking_value_is_left_to_the_writer_to_neutralise():
    assert csv_value("=SUM(A1:A9)") == "=SUM(A1:A9)"


# --- the CSV -------------------------------------------------------------------------------------------------------

def test_the_header_is_the_member_columns_then_every_calculated_field():
    assert read(_write([]))[0] == ["id", "email", "decision", "summary", *CALCULATED_FIELDS]
    assert ["id", "email", "decision", "summary", *CALCULATED_FIELDS] == COLUMNS


def test_no_rows_give_only_the_header():
    assert _write([]) == ",".join(COLUMNS) + "\r\n"


def test_a_row_has_one_cell_per_column_and_empty_cells_for_missing_fields():
    rows = read(_write([("u1", "ana@x.io", "wait", "Ana.", {"total_orders": 2, "is_on_team": True})]))
    assert len(rows) == 2
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert (cells["id"], cells["email"], cells["decision"], cells["summary"]) == ("u1", "ana@x.io", "wait", "Ana.")
    assert (cells["total_orders"], cells["is_on_team"], cells["friends"]) == ("2", "true", "")


def test_rows_keep_the_order_they_are_given_in():
    rows = read(_write([("u2", "b@x.io", "wait", "", {}), ("u1", "a@x.io", "wait", "", {})]))
    assert [row[0] for row in rows[1:]] == ["u2", "u1"]


@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "  =1+1", "\tx"])
def test_a_formula_looking_summary_is_neutralised(formula):
    cells = read(_write([("u1", "a@x.io", "wait", formula, {})]))[1]
    assert cells[3] == "'" + formula


def test_a_formula_looking_field_value_is_neutralised():
    fields = {"friends": ["=cmd|'/c calc'!A1", "Ben"]}
    cells = dict(zip(COLUMNS, read(_write([("u1", "a@x.io", "wait", "", fields)]))[1], strict=True))
    assert cells["friends"] == "'=cmd|'/c calc'!A1;Ben"


def test_a_formula_looking_id_or_email_is_neutralised():
    cells = read(_write([("=1", "@a@x.io", "wait", "", {})]))[1]
    assert cells[:2] == ["'=1", "'@a@x.io"]


def test_a_hyphen_inside_text_is_left_alone():
    cells = read(_write([("u-1", "a-b@x.io", "wait", "Likes wine-tasting", {})]))[1]
    assert cells[:4] == ["u-1", "a-b@x.io", "wait", "Likes wine-tasting"]


def test_commas_quotes_and_newlines_survive_a_round_trip():
    summary = 'She said "hi",\nthen left.'
    assert read(_write([("u1", "a@x.io", "wait", summary, {})]))[1][3] == summary


def test_the_seeds_sarah_is_written_with_her_calculated_fields():
    sarah = compute_profiles(seed_frames(), as_of=AS_OF, cooldown_days=14).to_dict("records")[0]
    rows = read(_write([(sarah["id"], sarah["email"], str(sarah["decision"]), sarah["summary"],
                         jsonable_fields(sarah))]))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert (cells["id"], cells["email"], cells["decision"]) == (
        "user_001", "sarah.chen@email.com", "send_personalised_message")
    assert cells["friends"] == "Mike Jones;Jenny Kim"
    assert cells["event_history"] == ("2024-01-15 Italian Wine Tasting @ The Vault;"
                                      "2024-01-22 Thai Cooking Class @ Culinary Studio;"
                                      "2024-02-05 Farm to Table Dinner @ The Vault")
    assert (cells["last_event_date"], cells["days_since_last_event"], cells["last_message_sent_date"]) == (
        "2024-02-05", "5", "2024-01-25")
    assert (cells["has_queued_messages"], cells["personalization_score"], cells["total_orders"]) == (
        "true", "85", "2")
