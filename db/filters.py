"""Query filters whose bound values travel as one parameter, however many there are."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import BigInteger, Integer, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.sqltypes import NullType


def in_values(column: ColumnElement, values: Iterable) -> ColumnElement[bool]:
    """`column = ANY(:values)`: whether the column is one of `values`, sent as a single array parameter.

    Use it instead of `column.in_(values)` wherever the list grows with an event (its people, their ids or
    emails): an IN list binds one parameter per value, and Postgres's protocol takes at most 65,535 parameters
    per statement, so an event of more attendees than that could not be queried at all; the array also costs
    less to send. The array is typed from the column (integers as bigint[], strings as varchar[]; an expression of
    no known type, such as `func.lower(...)`, by its values). An empty list matches no row, as an empty IN list
    does."""
    values = list(values)
    kind = column.type
    if isinstance(kind, NullType) and values:
        kind = String() if isinstance(values[0], str) else Integer()
    if isinstance(kind, Integer):  # SmallInteger and BigInteger too
        array = ARRAY(BigInteger)
    elif isinstance(kind, String | NullType):
        array = ARRAY(String)
    else:
        array = ARRAY(kind)
    return column == any_(bindparam(None, values, type_=array, unique=True))
