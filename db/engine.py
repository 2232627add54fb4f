"""Engine and session factory: DATABASE_URL when set, otherwise an embedded pgserver."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker


def embedded_database_url(pg_dir: Path) -> str:
    """Start (or attach to) the embedded Postgres in `pg_dir` and return its SQLAlchemy URL."""
    import pgserver  # imported lazily: only the embedded default needs it

    pg_dir = Path(pg_dir).resolve()
    pg_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pg_dir)
    server.psql("SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector;")
    return sqlalchemy_url(server.get_uri())


def sqlalchemy_url(url: str) -> str:
    """Force the psycopg 3 driver on a plain postgres URL."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    raise ValueError(f"DATABASE_URL must be a postgresql:// URL, got {url.split(':', 1)[0]}://…")


def make_engine(url: str | None, *, pg_dir: Path | None = None) -> Engine:
    """The one engine of a process: on `url` when given, otherwise on the embedded Postgres in `pg_dir`."""
    resolved = sqlalchemy_url(url) if url else embedded_database_url(pg_dir)
    return create_engine(resolved, pool_pre_ping=True, pool_size=5, max_overflow=5)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
