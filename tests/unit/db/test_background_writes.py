"""Background writes run one batch at a time, in order, and never lose an error."""
import threading
import time

import pytest

from db.bulk import BackgroundWrites


def test_batches_are_written_in_the_order_they_were_submitted():
    written = []

    def write(batch: int) -> None:
        time.sleep(0.02 if batch == 0 else 0)
        written.append(batch)

    with BackgroundWrites(write) as writes:
        for batch in range(5):
            writes.submit(batch)
    assert written == [0, 1, 2, 3, 4]


def test_a_batch_is_written_on_another_thread_while_the_caller_goes_on():
    started, release = threading.Event(), threading.Event()

    def write(batch: int) -> None:
        started.set()
        release.wait(5)

    with BackgroundWrites(write) as writes:
        writes.submit(1)
        assert started.wait(5)  # the caller got here while the write is still running
        release.set()


def test_a_failed_write_is_raised_by_the_next_submit():
    def write(batch: int) -> None:
        if batch == 1:
            raise ValueError("batch 1 failed")

    with pytest.raises(ValueError, match="batch 1 failed"), BackgroundWrites(write) as writes:
        writes.submit(1)
        writes.submit(2)


def test_a_failed_last_write_is_raised_when_the_block_ends():
    def write(batch: int) -> None:
        raise ValueError("the last batch failed")

    with pytest.raises(ValueError, match="the last batch failed"), BackgroundWrites(write) as writes:
        writes.submit(1)


def test_the_blocks_own_error_wins_once_the_write_under_way_has_ended():
    ended = threading.Event()

    def write(batch: int) -> None:
        time.sleep(0.05)
        ended.set()

    with pytest.raises(KeyError), BackgroundWrites(write) as writes:
        writes.submit(1)
        raise KeyError("the caller failed")
    assert ended.is_set()
