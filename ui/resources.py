"""Process-wide resources cached across reruns and sessions."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.orm import Session

from core.ai.prompts import ensure_seed_variants
from core.ai.wiring import build_embedder, build_llm
from core.platform.settings import Settings, get_settings
from core.platform.wiring import build_clock, build_engine


@st.cache_resource(show_spinner="Connecting to the database…")
def engine():
    """The database engine, built once; the first build also seeds the prompt variants if there are none."""
    built = build_engine(settings())
    with Session(built) as session, session.begin():
        ensure_seed_variants(session)
    return built


@st.cache_resource(show_spinner=False)
def embedder():
    return build_embedder(settings())


@st.cache_resource(show_spinner=False)
def llm():
    """The app's LLM client: it never waits for its rate limit, so a page falls back to the algorithm at once."""
    return build_llm(settings(), wait_for_rate_limit=False)


def settings() -> Settings:
    return get_settings()


def clock():
    return build_clock()


@contextmanager
def db_session() -> Iterator[Session]:
    """A session for reading: whatever it might have written is rolled back when the block ends."""
    with Session(engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def transaction() -> Iterator[Session]:
    """A session for one page action that writes: committed when the block succeeds, rolled back if it raises."""
    with Session(engine(), expire_on_commit=False) as session, session.begin():
        yield session
