"""Shared fixtures: one real Postgres (pgserver) per test session, emptied between tests."""
from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.platform.clock import FixedClock

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL_ATTENDEES = SHARED / "eval" / "matching_public" / "attendees.csv"
FIXED_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A throwaway Postgres 16 + pgvector, migrated to head; exported as DATABASE_URL for app code."""
    import pgserver

    from db.engine import make_engine, sqlalchemy_url
    from db.migrate import upgrade_to_head

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    server.psql("CREATE DATABASE globalconnect_test;")
    url = sqlalchemy_url(server.get_uri(database="globalconnect_test"))
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    os.environ["DATABASE_URL"] = url
    yield url


@pytest.fixture(scope="session")
def engine(database_url):
    from db.engine import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _truncate_all(engine) -> None:
    from db.models import Base

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))


@pytest.fixture
def db(engine):
    """A session on an empty database; everything is truncated after the test."""
    _truncate_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    _truncate_all(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


@pytest.fixture(scope="session")
def real_embedder():
    """The real sentence-transformers model (loaded once per test run), for tests of semantic behaviour."""
    from core.ai.wiring import build_embedder
    from core.platform.settings import Settings

    return build_embedder(Settings())


@pytest.fixture
def smtp_server():
    """A real local SMTP server; its `inbox` holds the parsed messages it received."""
    from tests.stubs.smtp_server import LocalSmtpServer

    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
def mail_settings(smtp_server):
    """Settings that send plain SMTP to the local server."""
    from core.platform.settings import Settings

    return Settings(smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_tls="none",
                    public_base_url="http://127.0.0.1:8501")
