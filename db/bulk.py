"""Bulk writes: stream rows with COPY into a temporary table, then merge them with one set-based statement."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import datetime
from json.encoder import encode_basestring_ascii
from typing import Generic, TypeVar

from pgvector.psycopg.vector import register_vector_info
from psycopg.types import TypeInfo
from sqlalchemy import text
from sqlalchemy.orm import Session


def copy_to_temp_table(session: Session, name: str, source_table: str, columns: Sequence[str],
                       rows: Iterable[Sequence], binary_types: Sequence[str] | None = None) -> None:
    """Create the temporary table `name` with `source_table`'s `columns` (dropped at commit) and COPY rows in.

    Without `binary_types` values go through COPY's text format (JSON columns take `json_text`). With them,
    one Postgres type name per column, the binary format is used, and a `vector` column takes numpy
    arrays as they are: no float is ever formatted as text."""
    create_temp_table(session, name, source_table, columns)
    copy_rows(session, name, columns, rows, binary_types)
    session.execute(text(f"ANALYZE {name}"))  # temporary tables have no statistics until analysed


def create_temp_table(session: Session, name: str, source_table: str, columns: Sequence[str]) -> None:
    """Create the empty temporary table `name` with `source_table`'s `columns`, dropped at commit."""
    session.execute(text(f"DROP TABLE IF EXISTS {name}"))
    session.execute(text(
        f"CREATE TEMP TABLE {name} ON COMMIT DROP AS SELECT {_column_list(columns)} FROM {source_table} WITH NO DATA"))


def copy_rows(session: Session, name: str, columns: Sequence[str], rows: Iterable[Sequence],
              binary_types: Sequence[str] | None = None) -> None:
    """COPY rows into the existing table `name` (formats as in `copy_to_temp_table`)."""
    column_list = _column_list(columns)
    connection = session.connection().connection.driver_connection
    cursor = connection.cursor()
    statement = f"COPY {name} ({column_list}) FROM STDIN"
    if binary_types:
        statement += " (FORMAT BINARY)"
        if "vector" in binary_types:  # registered on this cursor only
            register_vector_info(cursor, TypeInfo.fetch(connection, "vector"))
    with cursor.copy(statement) as copy:
        if binary_types:
            copy.set_types(list(binary_types))
        for row in rows:
            copy.write_row(row)


def copy_text(rows: Iterable[Sequence]) -> bytes:
    """Rows in COPY's text format, ready for `copy_data`: built where the rows are made (e.g. in a worker
    process), so that the connection's process only streams bytes. Takes None, str, int, float and datetime
    (and their subclasses, such as a StrEnum's values)."""
    formats = _COPY_FORMATS
    # a value that is the same object as the previous row's in its column (a shared timestamp, the event's id, a
    # kind) is formatted once: in a batch of recommendations that is half of the fields
    previous: list = []
    texts: list[str] = []
    lines = []
    for row in rows:
        if len(previous) != len(row):
            previous, texts = [_UNSET] * len(row), [""] * len(row)
        for column, value in enumerate(row):
            if value is not previous[column]:
                previous[column] = value
                texts[column] = (formats.get(type(value)) or _copy_field)(value)
        lines.append("\t".join(texts))
    return "".join(line + "\n" for line in lines).encode()


_UNSET = object()


_FLOAT_WORDS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}  # as Postgres reads them


def _copy_str(value: str) -> str:
    if "\\" in value or "\n" in value or "\r" in value or "\t" in value:
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return value


def _copy_float(value: float) -> str:
    text = repr(value)
    return _FLOAT_WORDS.get(text, text)


# by exact type, the common case: the isinstance chain of _copy_field took a third of the time
_COPY_FORMATS = {type(None): lambda _: "\\N", str: _copy_str, bool: lambda v: "t" if v else "f", int: str,
                 float: _copy_float, datetime: datetime.isoformat}


def _copy_field(value) -> str:
    """A subclass of a supported type (a StrEnum's value, a bool before an int) by the first format it is one of."""
    for kind, format_value in _COPY_FORMATS.items():
        if isinstance(value, kind):
            return format_value(value)
    raise TypeError(f"COPY text of a {type(value).__name__} is not supported")


def copy_data(session: Session, name: str, columns: Sequence[str], data: bytes) -> None:
    """COPY `copy_text` bytes into the existing table `name`."""
    connection = session.connection().connection.driver_connection
    with connection.cursor().copy(f"COPY {name} ({_column_list(columns)}) FROM STDIN") as copy:
        copy.write(data)


def _column_list(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)  # quoted: some names (current_role) are reserved


def json_text(value) -> str:
    """`json.dumps(value)`; a list of strings (a card's reasons, chips or starters) without its per-call set-up."""
    if type(value) is list:
        try:
            return "[" + ", ".join(map(encode_basestring_ascii, value)) + "]"
        except TypeError:  # not all strings
            pass
    return json.dumps(value)


def upsert_rows(session: Session, table: str, key: str | tuple[str, ...], columns: Sequence[str],
                rows: Iterable[Sequence]) -> tuple[int, int]:
    """Insert rows, or update the row with the same `key` column(s) where anything changed; (inserted, updated).

    Rows that are unchanged are not rewritten, so a re-upload is idempotent. Does not commit."""
    keys = (key,) if isinstance(key, str) else key
    copy_to_temp_table(session, f"new_{table}", table, columns, rows)
    names = [f'"{c}"' for c in columns]
    others = [n for c, n in zip(columns, names, strict=False) if c not in keys]
    changed = " OR ".join(f"{table}.{n} IS DISTINCT FROM excluded.{n}" for n in others)
    target = ", ".join(f'"{k}"' for k in keys)
    result = session.execute(text(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM new_{table} "
        f"ON CONFLICT ({target}) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in others)}, "
        f"updated_at = now() WHERE {changed} RETURNING (xmax = 0) AS inserted"))
    outcomes = [inserted for (inserted,) in result]
    session.execute(text(f"DROP TABLE new_{table}"))
    return sum(outcomes), len(outcomes) - sum(outcomes)


Batch = TypeVar("Batch")


class BackgroundWrites(Generic[Batch]):
    """`write(batch)` for each submitted batch, on a thread of its own, one at a time and in order, while the caller
    builds the next batch: Postgres works through one batch's statements while Python makes the next one's rows.

    The caller leaves the session alone until the block ends. A write's error is raised by the next `submit` or on
    leaving the block; if the block itself fails, its error wins once the write under way has ended."""

    def __init__(self, write: Callable[[Batch], None]):
        self.write = write
        self.pending: Future | None = None
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="bulk-writes")

    def __enter__(self) -> BackgroundWrites[Batch]:
        return self

    def submit(self, batch: Batch) -> None:
        """Write this batch once the previous one is written."""
        self._wait()
        self.pending = self.thread.submit(self.write, batch)

    def _wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if kind is None:
                self._wait()
            elif self.pending is not None:
                wait([self.pending])  # the session is the caller's again only once the write has ended
        finally:
            self.thread.shutdown()


@contextmanager
def staged_writes(session: Session, staging: str, table: str, columns: Sequence[str],
                  write: Callable[[Batch], None]) -> Iterator[BackgroundWrites[Batch]]:
    """`BackgroundWrites` of `write`, each batch staged in the temporary table `staging` (`table`'s `columns`):
    `write` fills and merges it, and it is emptied after each batch and dropped at the end."""
    create_temp_table(session, staging, table, columns)

    def write_and_empty(batch: Batch) -> None:
        write(batch)
        session.execute(text(f"TRUNCATE {staging}"))

    with BackgroundWrites(write_and_empty) as writes:
        yield writes
    session.execute(text(f"DROP TABLE {staging}"))
