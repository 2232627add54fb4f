"""Postgres advisory lock keys: one stable signed 64-bit key per name."""
from __future__ import annotations

import hashlib


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock and its kin, from a name (a job id, "people-lists:7")."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
