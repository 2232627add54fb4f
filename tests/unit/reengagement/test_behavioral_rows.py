"""The behavioural upload's reading and row checks, without a database: parts, synonyms and per-field errors."""
import json

import pytest

from core.ingest.tabular import FileRejected
from core.reengagement.behavioral import read_behavioral, record_key, validate_record

MAX_BYTES = 1_000_000


def rows_of(data: bytes, filename: str) -> list[dict]:
    return [row[1] for row in read_behavioral(data, filename, MAX_BYTES).rows]


def test_a_json_document_gives_rows_tagged_with_their_part_and_record():
    document = {"users": [{"id": "u1", "email": "A@x.io"}], "events": [{"id": "e1", "name": "Dinner",
                                                                        "participants": ["a@x.io"]}]}
    rows = rows_of(json.dumps(document).encode(), "data.json")
    assert [(r["section"], r["record"]) for r in rows] == [("users", "users[0]"), ("events", "events[0]")]


def test_a_part_that_is_not_a_list_is_rejected():
    with pytest.raises(FileRejected, match="must be a list"):
        read_behavioral(json.dumps({"users": {"id": "u1"}}).encode(), "data.json", MAX_BYTES)


def test_a_csv_is_recognised_by_its_file_name_and_synonyms():
    rows = rows_of(b"order_id,user,total\no1,u1,12.50\n", "orders.csv")
    assert rows[0]["section"] == "orders" and rows[0]["user_id"] == "u1" and rows[0]["amount"] == "12.50"


def test_a_csv_is_recognised_by_its_columns_when_its_name_says_nothing():
    assert rows_of(b"id,name,participants\ne1,Dinner,a@x.io\n", "export.csv")[0]["section"] == "events"
    assert rows_of(b"id,user_id,status\nm1,u1,sent\n", "export.csv")[0]["section"] == "messages"
    assert rows_of(b"id,email\nu1,a@x.io\n", "export.csv")[0]["section"] == "users"


def test_a_file_of_unknown_content_is_rejected():
    with pytest.raises(FileRejected, match="Could not tell"):
        read_behavioral(b"a,b\n1,2\n", "export.csv", MAX_BYTES)


def test_a_recognised_part_missing_a_required_column_is_rejected():
    with pytest.raises(FileRejected, match="missing"):
        read_behavioral(b"id,name\nu1,Ana\n", "users.csv", MAX_BYTES)


def test_a_user_row_is_cleaned():
    clean, errors = validate_record({"section": "users", "id": " u1 ", "email": " Ana@X.io ", "age": "32",
                                     "interests": "hiking, photography", "is_on_team": "yes", "name": " Ana  Ruiz "})
    assert errors == []
    assert (clean["external_id"], clean["email"], clean["age"], clean["name"]) == ("u1", "ana@x.io", 32, "Ana Ruiz")
    assert clean["interests"] == ["hiking", "photography"] and clean["is_on_team"] is True
    assert record_key(clean) == "users u1"


@pytest.mark.parametrize(("values", "column"), [
    ({"section": "users", "id": "u1", "email": "not-an-email"}, "email"),
    ({"section": "users", "id": "u1", "email": "a@x.io", "age": "200"}, "age"),
    ({"section": "users", "id": "u1", "email": "a@x.io", "is_on_team": "maybe"}, "is_on_team"),
    ({"section": "orders", "id": "o1", "user_id": "u1", "amount": "1.2.3"}, "amount"),
    ({"section": "events", "id": "e1", "name": "Dinner", "participants": "a@x.io;nobody"}, "participants"),
    ({"section": "messages", "id": "m1", "user_id": "u1", "status": "shouted"}, "status"),
    ({"section": "messages", "id": "m1", "user_id": "u1", "status": "sent", "sent_date": "someday"}, "sent_date"),
    ({"section": "users", "id": "", "email": "a@x.io"}, "id"),
])
def test_a_bad_field_is_reported_by_its_column(values, column):
    clean, errors = validate_record(values)
    assert clean is None and [e.column for e in errors] == [column]


def test_an_error_in_a_json_record_names_the_record():
    _, errors = validate_record({"section": "users", "id": "u1", "email": "bad", "record": "users[3]"})
    assert errors[0].column == "users[3].email"


def test_event_participants_are_lowercased_emails_and_messages_keep_their_dates():
    event, _ = validate_record({"section": "events", "id": "e1", "name": "Dinner", "date": "2024-01-15",
                                "participants": "A@x.io, b@x.io"})
    assert event["participants"] == ["a@x.io", "b@x.io"] and event["held_at"].year == 2024
    sent, _ = validate_record({"section": "messages", "id": "m1", "user_id": "u1", "status": "SENT",
                               "sent_date": "2024-01-25"})
    assert sent["status"] == "sent" and sent["sent_at"].day == 25
