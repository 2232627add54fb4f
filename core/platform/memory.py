"""Memory helpers for bulk work: pausing the cyclic garbage collector while many small objects are built."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are built (rows, explanations, index entries):
    otherwise it rescans all of them again and again, which can cost more than the work itself. Reference counting
    still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
