"""Huddle slots: 5-minute steps inside the windows, the earliest time free for all, and leaving out the busiest."""
from datetime import UTC, datetime, timedelta

from core.huddles.scheduling import candidate_starts, earliest_common_slot, round_up

T = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def minutes(n: int) -> datetime:
    return T + timedelta(minutes=n)


def test_times_round_up_to_the_next_five_minutes():
    assert round_up(minutes(11) + timedelta(seconds=1)) == minutes(15) and round_up(minutes(10)) == minutes(10)


def test_candidate_starts_step_five_minutes_and_fit_the_window():
    assert candidate_starts([(T, minutes(30))], earliest=minutes(3), minutes=15) == [minutes(5), minutes(10),
                                                                                       minutes(15)]


def test_the_earliest_start_free_for_everyone_is_chosen():
    busy = {1: [(T, minutes(20))], 2: [(minutes(25), minutes(40))]}
    starts = candidate_starts([(T, minutes(120))], earliest=T, minutes=15)
    assert earliest_common_slot([1, 2, 3], busy, starts).starts_at == minutes(40)


def test_the_busiest_member_is_left_out_when_there_is_no_common_time():
    busy = {4: [(T, minutes(120))]}
    starts = candidate_starts([(T, minutes(120))], earliest=T, minutes=15)
    slot = earliest_common_slot([1, 2, 3, 4], busy, starts)
    assert (slot.starts_at, slot.person_ids) == (T, (1, 2, 3))


def test_no_slot_when_fewer_than_three_could_come():
    busy = {2: [(T, minutes(120))], 3: [(T, minutes(120))]}
    starts = candidate_starts([(T, minutes(120))], earliest=T, minutes=15)
    assert earliest_common_slot([1, 2, 3], busy, starts) is None
