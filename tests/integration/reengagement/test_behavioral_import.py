"""Behavioural uploads on a real Postgres: one JSON document or one file per part, bad records, wrong files."""
import json

from sqlalchemy import func, select

from core.jobs.uploads import import_dataset
from db.models import BehaviorEvent, BehaviorMessage, BehaviorOrder, BehaviorUser

DOCUMENT = {
    "users": [{"id": "user_001", "email": "sarah.chen@email.com", "interests": ["hiking", "photography"],
               "cuisine_preference": ["Italian", "Thai"], "dietary_restrictions": ["vegetarian"], "age": 32,
               "occupation": "Software Engineer", "home_neighborhood": "Mission District"},
              {"id": "user_002", "email": "mike.jones@email.com", "name": "Mike Jones"}],
    "orders": [{"id": "order_001", "user_id": "user_001", "event_id": "event_001", "amount": 75.0,
                "date": "2024-01-10"}],
    "events": [{"id": "event_001", "name": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault",
                "host": "Chef Mario", "event_type": "wine_tasting",
                "participants": ["sarah.chen@email.com", "Mike.Jones@email.com"]}],
    "messages": [{"id": "msg_001", "user_id": "user_001", "content": "Chef Mario is hosting again", "status": "sent",
                  "sent_date": "2024-01-25"},
                 {"id": "msg_002", "user_id": "user_001", "content": "New Thai class", "status": "queued",
                  "created_date": "2024-02-10"}],
}


def load(db, clock, data: bytes, filename: str = "behaviour.json"):
    return import_dataset(db, kind="behavioral", data=data, filename=filename, event_slug=None, actor_id=None,
                          clock=clock, max_mb=5)


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_one_json_document_loads_users_orders_events_and_messages(db, clock):
    report = load(db, clock, json.dumps(DOCUMENT).encode())
    assert report.ok and report.inserted == 6
    assert [count(db, m) for m in (BehaviorUser, BehaviorOrder, BehaviorEvent, BehaviorMessage)] == [2, 1, 1, 2]
    event = db.scalar(select(BehaviorEvent))
    assert event.participants == ["sarah.chen@email.com", "mike.jones@email.com"]
    assert db.scalar(select(BehaviorUser.interests).where(BehaviorUser.external_id == "user_001")) == [
        "hiking", "photography"]
    assert db.scalar(select(BehaviorOrder.amount)) == 75.0


def test_a_csv_of_one_part_is_recognised_by_its_name(db, clock):
    data = b"Order ID,User ID,Event ID,Total,Order Date\no1,user_001,event_001,$85.00,18/01/2024\n"
    report = load(db, clock, data, "orders-2024.csv")
    assert report.ok and count(db, BehaviorOrder) == 1
    assert db.scalar(select(BehaviorOrder.amount)) == 85.0


def test_event_participants_may_be_separated_by_semicolons_in_a_csv(db, clock):
    data = b"id,name,date,participants\ne1,Dinner,2024-02-05,a@x.io; b@x.io\n"
    assert load(db, clock, data, "events.csv").ok
    assert db.scalar(select(BehaviorEvent.participants)) == ["a@x.io", "b@x.io"]


def test_bad_records_are_reported_with_their_part_and_the_good_ones_load(db, clock):
    document = {
        "users": [DOCUMENT["users"][0], {"id": "u2", "email": "not-an-email"}, {"id": "u3", "email": "c@x.io",
                                                                               "age": "old"}],
        "orders": [{"id": "o1", "user_id": "user_001", "amount": "lots"}],
        "events": [{"id": "e1", "name": "Dinner", "participants": ["a@x.io", "nobody"]}],
        "messages": [{"id": "m1", "user_id": "user_001", "status": "bounced"}],
    }
    report = load(db, clock, json.dumps(document).encode())
    assert report.ok and report.rows_valid == 1 and report.rows_invalid == 5
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "users[1].email"), (3, "users[2].age"), (4, "orders[0].amount"), (5, "events[0].participants"),
        (6, "messages[0].status")]
    assert "'nobody' is not an email address" in report.problems[3].message
    assert count(db, BehaviorUser) == 1 and count(db, BehaviorOrder) == 0


def test_a_repeated_id_within_a_part_is_reported_as_a_duplicate(db, clock):
    document = {"users": [DOCUMENT["users"][0], {**DOCUMENT["users"][0], "age": 33}]}
    report = load(db, clock, json.dumps(document).encode())
    assert report.rows_valid == 1 and "duplicates record 1" in report.problems[0].message


def test_a_file_that_is_no_behavioural_part_is_rejected_and_nothing_is_written(db, clock):
    report = load(db, clock, b"title,start\nKeynote,2026-12-01 09:00\n", "program.csv")
    assert not report.ok and "users, orders, events or messages" in report.message
    assert sum(count(db, m) for m in (BehaviorUser, BehaviorOrder, BehaviorEvent, BehaviorMessage)) == 0


def test_a_part_missing_a_required_column_is_rejected_naming_it(db, clock):
    report = load(db, clock, b"id,content,status\nm1,hello,sent\n", "messages.csv")
    assert not report.ok and "user_id" in report.message
    assert count(db, BehaviorMessage) == 0


def test_reloading_the_same_document_changes_nothing(db, clock):
    data = json.dumps(DOCUMENT).encode()
    load(db, clock, data)
    again = load(db, clock, data)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)
