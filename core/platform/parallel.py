"""Work on every core: numpy-heavy chunks on threads, pure-Python chunks in forked processes."""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from threadpoolctl import ThreadpoolController, threadpool_limits

Item = TypeVar("Item")
Result = TypeVar("Result")


@cache
def _thread_pools() -> ThreadpoolController:
    """The process's native thread pools (BLAS, OpenMP), found once: scanning the loaded libraries takes 15 ms."""
    return ThreadpoolController()


_cores_here: int | None = None  # set to 1 in a forked worker: its siblings have the other cores
_inherited: Any = None  # the state a forked map's workers inherit (see map_in_forked_processes)
_forking = threading.Lock()


def cores() -> int:
    """The cores this process may use for its own threads."""
    return _cores_here or os.cpu_count() or 1


def can_fork_workers() -> bool:
    """Whether forked worker processes would add a core: more than one, and a platform that forks."""
    return cores() > 1 and "fork" in multiprocessing.get_all_start_methods()


def _forked_worker_started() -> None:
    global _cores_here
    _cores_here = 1
    threadpool_limits(1)


def _call_with_inherited(function: Callable[[Any, Item], Result], item: Item) -> Result:
    return function(_inherited, item)


@contextmanager
def map_in_forked_processes(function: Callable[[Any, Item], Result], items: Iterable[Item], state: Any
                            ) -> Iterator[Iterator[Result]]:
    """Yields the results of `function(state, item)` for the items, in order, as forked processes (one per core)
    compute them: pure-Python work that threads could not run in parallel.

    The processes inherit `state` as it is on entry, so nothing of it is pickled; `function` (a module-level
    function), the items and the results are. Workers run single-threaded and must not touch the parent's
    connections or files. Call it before starting threads of your own: a fork copies only the calling thread."""
    global _inherited
    items = list(items)
    with _forking:  # another thread's map must not swap the state between setting it and forking
        _inherited = state
        workers = ProcessPoolExecutor(max(1, min(len(items), cores())), mp_context=multiprocessing.get_context("fork"),
                                      initializer=_forked_worker_started)
        try:
            results = workers.map(_call_with_inherited, [function] * len(items), items)  # forks the workers now
        finally:
            _inherited = None
    try:
        yield results
    finally:
        workers.shutdown(cancel_futures=True)


def map_on_cores(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """`[function(item) for item in items]`, computed on up to one thread per core, in order.

    numpy releases the GIL in gathers, products and reductions, so independent chunks run in parallel; a
    multi-threaded BLAS inside every chunk would only fight the other chunks for the same cores."""
    items = list(items)
    workers = max(1, min(len(items), cores()))
    if workers == 1:
        return [function(item) for item in items]
    with _thread_pools().limit(limits=1), ThreadPoolExecutor(workers) as threads:
        return list(threads.map(function, items))
