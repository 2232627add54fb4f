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
# The app under AppTest and in the browser reads the real clock, so the data those tests show it is dated now (to the
# minute, once per test process): data dated FIXED_NOW would expire on its pages as the calendar moves on.
APP_NOW = datetime.now(UTC).replace(second=0, microsecond=0)
# The migrated, empty schema, kept as a template database beside the tests' own.
EMPTY_SCHEMA = "globalconnect_empty_schema"


# The longest tests first. With one worker per core, a browser journey of a minute left for the end kept one worker
# busy while the other stood idle; `make test` also turns off xdist's own order (files with the most tests first),
# which put the one-test journeys last.
LAYERS_SLOWEST_FIRST = ("e2e", "integration", "ui", "unit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser journeys first and the quick unit tests last, each layer in its usual order."""
    def layer(item: pytest.Item) -> int:
        parts = item.path.relative_to(ROOT / "tests").parts if item.path.is_relative_to(ROOT / "tests") else ("",)
        return LAYERS_SLOWEST_FIRST.index(parts[0]) if parts[0] in LAYERS_SLOWEST_FIRST else len(LAYERS_SLOWEST_FIRST)

    items.sort(key=layer)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory) -> str:
    """A throwaway Postgres 16 + pgvector with the tests' database migrated to head, and its URL; exported as
    DATABASE_URL for app code."""
    import pgserver

    from db.engine import make_engine, sqlalchemy_url
    from db.migrate import upgrade_to_head

    # deleted after the run: a run's data and write-ahead log took half a gigabyte per worker
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="delete")
    # A test database never recovers from a crash, so it keeps little write-ahead log: with the defaults it grew
    # to 300 MB per worker, and a CI disk that filled up stopped every worker's Postgres at once.
    for setting in ("max_wal_size = '64MB'", "min_wal_size = '32MB'", "full_page_writes = off"):
        server.psql(f"ALTER SYSTEM SET {setting};")
    server.psql("SELECT pg_reload_conf();")
    server.psql("CREATE DATABASE globalconnect_test;")
    url = sqlalchemy_url(server.get_uri(database="globalconnect_test"))
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    # Copied now, while nothing else is connected (a template must have no connections): the browser journeys start
    # from copies of this empty schema, each in a database of its own.
    server.psql(f"CREATE DATABASE {EMPTY_SCHEMA} TEMPLATE globalconnect_test;")
    os.environ["DATABASE_URL"] = url
    yield url


@pytest.fixture(scope="session")
def database_url(postgres) -> str:
    """The URL of the tests' database (the browser journeys each get a database of their own instead)."""
    return postgres


@pytest.fixture(scope="session")
def engine(database_url):
    from db.engine import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


# The identity sequences of the app's tables, found once per database.
_OWNED_SEQUENCES = """
SELECT format('%I.%I', n.nspname, s.relname) FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
WHERE s.relkind = 'S' AND t.relnamespace = n.oid AND n.nspname = current_schema() AND t.relname = ANY(:tables)"""
_sequences_of: dict[str, list[str]] = {}


def empty_database(engine) -> None:
    """Empty every table of the app and restart its identities, as one TRUNCATE … RESTART IDENTITY of all of them
    would. Only the tables that hold rows are emptied and only the sequences that were used are restarted. Rows are
    deleted rather than truncated, with foreign keys unchecked (every table that holds rows is emptied): a TRUNCATE
    gives every table and index new files, 0.2 s after a demo seeding against 0.01 s, twice per test."""
    from db.models import Base

    names = [t.name for t in Base.metadata.sorted_tables]
    holding_rows = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT FROM \"{name}\")" for name in names)
    with engine.begin() as conn:
        key = engine.url.render_as_string(hide_password=False)
        if key not in _sequences_of:
            _sequences_of[key] = list(conn.scalars(text(_OWNED_SEQUENCES), {"tables": names}))
        if filled := conn.scalars(text(holding_rows)).all():
            conn.execute(text("SET LOCAL session_replication_role = replica; "
                              + "; ".join(f'DELETE FROM "{name}"' for name in filled)))
        # Rows that were rolled back or deleted moved their table's identity on too.
        conn.execute(text("SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                          "FROM pg_sequences WHERE last_value IS NOT NULL "
                          "AND format('%I.%I', schemaname, sequencename) = ANY(:owned)"),
                     {"owned": _sequences_of[key]})
        conn.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))


@pytest.fixture
def db(engine):
    """A session on an empty database; everything is deleted after the test."""
    empty_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    empty_database(engine)


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
