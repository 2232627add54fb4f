"""A throwaway, migrated Postgres for one benchmark run."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A fresh Postgres 16 (pgserver, in a temp dir) migrated to head; yields its URL and deletes it afterwards."""
    import pgserver

    from db.engine import make_engine, sqlalchemy_url
    from db.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        server = pgserver.get_server(Path(tmp) / "pg", cleanup_mode="stop")
        try:
            server.psql("CREATE DATABASE bench;")
            url = sqlalchemy_url(server.get_uri(database="bench"))
            engine = make_engine(url)
            upgrade_to_head(engine)
            engine.dispose()
            yield url
        finally:
            server.cleanup()
