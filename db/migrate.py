"""Apply the alembic migrations programmatically."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from db.locks import advisory_key

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


# one schema change at a time: two processes starting together (two workers, a worker and the app) would otherwise
# both create the same table and one of them fail on the duplicate
SCHEMA_LOCK_KEY = advisory_key("globalconnect:schema")


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's schema-change lock (a session advisory lock) for the block, waiting for it if need be."""
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
            connection.commit()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema up to the newest migration (idempotent; concurrent callers take turns)."""
    with schema_lock(engine):
        command.upgrade(alembic_config(engine), "head")
