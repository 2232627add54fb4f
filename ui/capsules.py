"""Reads and actions for the Capsules page: the reader's stored ranking (queued for the worker when missing or old),
trending, learning paths, opening, reactions and writing a capsule."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.community import capsule_ranking, capsules
from core.community.capsule_ranking import RankedCapsule
from core.community.capsules import CapsuleDraft, CapsulePath, ReactionKind, TrendingCapsule
from core.platform.queue import request_job
from ui.resources import clock, db_session, embedder, transaction


def ranking(person_id: int) -> tuple[str, datetime | None, list[RankedCapsule]]:
    """(status, computed at, the ranked capsules); a missing or old ranking is queued for the worker."""
    with db_session() as session:
        status, computed_at = capsule_ranking.ranking_status(session, person_id=person_id, now=clock().now())
        items = capsule_ranking.reader_capsules(session, person_id=person_id) if computed_at else []
    if status != "fresh":
        with transaction() as session:
            capsule_ranking.request_ranking(session, person_id=person_id, clock=clock())
    return status, computed_at, items


def library_size() -> int:
    """How many capsules exist (none yet: the page invites the first one)."""
    with db_session() as session:
        return capsules.capsule_count(session)


def trending() -> list[TrendingCapsule]:
    """Capsules read in the last 7 days, by the growth of their views."""
    with db_session() as session:
        return capsules.trending(session, now=clock().now())


@st.cache_data(ttl=600, show_spinner=False)
def roles() -> list[str]:
    """The role families of the career data (rebuilt nightly)."""
    with db_session() as session:
        return capsules.role_choices(session)


def role_path(role: str, person_id: int) -> CapsulePath:
    """The reader's path to a role, recomputed only when the capsules change (or after ten minutes)."""
    with db_session() as session:
        version = capsule_ranking.capsules_version(session)
    return _role_path(role, person_id, version)


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)
def _role_path(role: str, person_id: int, version: str) -> CapsulePath:
    """The path itself, cached by role, reader and capsules version."""
    with db_session() as session:
        keys = capsule_ranking.reader_skill_keys(session, person_id)
        return capsules.path_to_role(session, role=role, reader_keys=keys)


@st.cache_data(ttl=600, max_entries=50, show_spinner="Finding capsules for your goal…")
def goal_path(goal: str) -> CapsulePath:
    """Capsules closest to a goal among those the ranking job has embedded; only the goal is embedded here."""
    with transaction() as session:  # embedding caches the goal's vector
        return capsules.path_to_goal(session, goal=goal, embedder=embedder())


def open_capsule(capsule_id: int, person_id: int) -> None:
    """Record the reader's view (once a day)."""
    with transaction() as session:
        capsules.record_view(session, capsule_id=capsule_id, person_id=person_id, clock=clock())


def react(capsule_id: int, person_id: int, kind: ReactionKind) -> bool:
    """Toggle the reader's like or bookmark; True when it is now on."""
    with transaction() as session:
        return capsules.toggle_reaction(session, capsule_id=capsule_id, person_id=person_id, kind=kind,
                                        clock=clock())


def publish(person_id: int, draft: CapsuleDraft) -> int:
    """Store the capsule and queue a ranking of every reader, so it reaches them within minutes, not an hour."""
    with transaction() as session:
        capsule_id = capsules.write_capsule(session, person_id=person_id, draft=draft, clock=clock())
        request_job(session, job_id=capsule_ranking.CAPSULE_RANKINGS_JOB, event_id=None,
                    reason="a reader published a capsule", clock=clock())
        return capsule_id
