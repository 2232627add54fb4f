"""The declarative base, the embedding width and the enum column helper shared by every model module."""
from __future__ import annotations

import enum

from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase

EMBEDDING_DIM = 384


class Base(DeclarativeBase):
    pass


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e])
