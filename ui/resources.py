"""Process-wide resources cached across reruns and sessions."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.orm import Session

from core.ai.wiring import build_embedder, build_llm

from core.platform.wiring import build_clock, build_engine
from core.platform.settings import Settings, get_settings


@st.cache_resource(show_spinner="Connecting to the database…")
def engine():
    return build_engine(settings())


@st.cache_resource(show_spinner=False)
def embedder():
    return build_embedder(settings())


@st.cache_resource(show_spinner=False)
def llm():
    return build_llm(settings())


def settings() -> Settings:
    return get_settings()


def clock():
    return build_clock()


@contextmanager
def db_session() -> Iterator[Session]:
    """A session for one page action; services decide when to commit."""
    with Session(engine(), expire_on_commit=False) as session:
        yield session
