"""Input hashes change exactly when something a member's profile depends on changes."""
from datetime import date

from core.reengagement.profiles import input_hashes
from tests.unit.reengagement.builders import event, frames, message, order, user

AS_OF = date(2024, 6, 30)


def hashes(users=None, events=None, orders=(), messages=(), as_of=AS_OF, cooldown_days=14) -> dict:
    users = users or [user(1, "ana@x.io", "Ana"), user(2, "ben@x.io", "Ben"), user(3, "cal@x.io", "Cal")]
    events = events if events is not None else [event("e1", "2024-06-01", ["ana@x.io", "ben@x.io"])]
    computed = input_hashes(frames(users, events, orders, messages), as_of=as_of, cooldown_days=cooldown_days)
    return computed.to_dict()


def test_the_same_inputs_give_the_same_hashes():
    first = hashes()
    assert first == hashes()
    assert len(set(first.values())) == 3 and all(len(h) == 64 for h in first.values())


def test_a_new_message_changes_only_its_members_hash():
    before, after = hashes(), hashes(messages=[message("u3", "queued")])
    assert before[3] != after[3] and before[1] == after[1] and before[2] == after[2]


def test_a_new_order_changes_only_its_members_hash():
    before, after = hashes(), hashes(orders=[order("u1")])
    assert before[1] != after[1] and before[3] == after[3]


def test_a_co_participants_new_name_changes_the_members_hash():
    renamed = [user(1, "ana@x.io", "Ana"), user(2, "ben@x.io", "Benjamin"), user(3, "cal@x.io", "Cal")]
    before, after = hashes(), hashes(users=renamed)
    assert before[1] != after[1] and before[3] == after[3]


def test_a_co_participant_without_a_user_row_differs_from_one_with_an_empty_name():
    event_rows = [event("e1", "2024-06-01", ["ana@x.io", "dee@x.io"])]
    without = hashes(users=[user(1, "ana@x.io")], events=event_rows)
    with_row = hashes(users=[user(1, "ana@x.io"), user(4, "dee@x.io", "")], events=event_rows)
    assert without[1] != with_row[1]


def test_a_changed_event_changes_its_participants_hashes():
    before = hashes()
    after = hashes(events=[event("e1", "2024-06-01", ["ana@x.io", "ben@x.io"], venue="Elsewhere")])
    assert before[1] != after[1] and before[2] != after[2] and before[3] == after[3]


def test_the_day_and_the_cooldown_are_inputs():
    before = hashes()
    assert hashes(as_of=date(2024, 7, 1))[3] != before[3]
    assert hashes(cooldown_days=7)[3] != before[3]


def test_a_members_own_field_is_an_input():
    changed = [user(1, "ana@x.io", "Ana", interests=["jazz"]), user(2, "ben@x.io", "Ben"), user(3, "cal@x.io", "Cal")]
    before, after = hashes(), hashes(users=changed)
    assert before[1] != after[1] and before[2] == after[2]
