"""Numpy-heavy work on every core: threads over independent chunks, each with a single-threaded BLAS."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from threadpoolctl import ThreadpoolController

Item = TypeVar("Item")
Result = TypeVar("Result")


@cache
def _thread_pools() -> ThreadpoolController:
    """The process's native thread pools (BLAS, OpenMP), found once: scanning the loaded libraries takes 15 ms."""
    return ThreadpoolController()


def map_on_cores(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """`[function(item) for item in items]`, computed on up to one thread per core, in order.

    numpy releases the GIL in gathers, products and reductions, so independent chunks run in parallel; a
    multi-threaded BLAS inside every chunk would only fight the other chunks for the same cores."""
    items = list(items)
    workers = max(1, min(len(items), os.cpu_count() or 1))
    if workers == 1:
        return [function(item) for item in items]
    with _thread_pools().limit(limits=1), ThreadPoolExecutor(workers) as threads:
        return list(threads.map(function, items))
