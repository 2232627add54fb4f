"""Postgres advisory lock keys: one stable signed 64-bit key per name."""
from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock and its kin, from a name (a job id, "people-lists:7")."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock_until_commit(session: Session, name: str) -> None:
    """Take the advisory lock `name` until this transaction ends (waiting while another transaction holds it)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(name)})
