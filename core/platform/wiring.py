"""The one place that wires the platform's real implementations (engine, clock) from settings."""
from __future__ import annotations

from sqlalchemy import Engine

from core.platform.clock import SystemClock
from core.platform.settings import Settings
from db.engine import make_engine
from db.migrate import upgrade_to_head


def build_engine(settings: Settings, *, migrate: bool = False) -> Engine:
    """The process's database engine; optionally bring the schema up to date first."""
    engine = make_engine(settings.database_url, pg_dir=settings.pg_dir)
    if migrate:
        upgrade_to_head(engine)
    return engine


def build_clock() -> SystemClock:
    return SystemClock()
