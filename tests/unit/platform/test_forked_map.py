"""map_in_forked_processes: forked workers inherit the state, return results in order, and run single-core."""
import os
import threading

import pytest

from core.platform import parallel
from core.platform.parallel import map_in_forked_processes


def _with_state(state, item):
    return state["offset"] + item, os.getpid()


def _cores_in_worker(_state, _item):
    return parallel.cores()


def _failing(_state, item):
    if item == 3:
        raise ValueError("item 3 is bad")
    return item


def test_results_come_back_in_order_from_other_processes():
    with map_in_forked_processes(_with_state, range(8), {"offset": 100}) as results:
        found = list(results)
    assert [value for value, _ in found] == list(range(100, 108))
    assert os.getpid() not in {pid for _, pid in found}


def test_the_state_is_inherited_without_being_pickled():
    unpicklable = {"offset": 1, "lock": threading.Lock(), "function": lambda: None}
    with map_in_forked_processes(_with_state, [1, 2], unpicklable) as results:
        assert [value for value, _ in results] == [2, 3]


def test_each_worker_uses_a_single_core():
    with map_in_forked_processes(_cores_in_worker, range(4), None) as results:
        assert set(results) == {1}


def test_a_worker_error_reaches_the_caller():
    with pytest.raises(ValueError, match="item 3 is bad"), map_in_forked_processes(_failing, range(6), None) as results:
        list(results)


def test_the_state_is_not_kept_after_the_map():
    with map_in_forked_processes(_with_state, [0], {"offset": 0}) as results:
        list(results)
    assert parallel._inherited is None
