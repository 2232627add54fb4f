"""Cached reads of the stored skill graph, career paths, model versions and predictions for the Skills, Careers and
My career pages, keyed by the time of the build they come from (so a rerun for a pick reads almost nothing), and the
skill network's layout, computed once per graph build."""
from __future__ import annotations

import math
from datetime import datetime

import networkx as nx
import numpy as np
import streamlit as st

from core.careers import overview
from core.careers.alumni_search import match_alumni
from core.careers.learning_path import learning_path
from core.careers.overview import (
    AlumnusRecord,
    CareersVersion,
    GraphSummary,
    ModelVersion,
    NetworkEdge,
    NetworkNode,
    StoredPrediction,
)
from core.careers.paths import export_transitions_csv
from core.careers.results import AlumniViewer, AlumnusMatch, LearningPath, RelatedSkill
from core.careers.skill_queries import find_skill, related_skills, suggest_skills
from ui.resources import db_session

LAYOUT_SEED = 7  # the same graph always gets the same picture


def current_version() -> CareersVersion:
    """When each kind of careers data was last built: one small query per run."""
    with db_session() as session:
        return overview.careers_version(session)


# --- Skills ---------------------------------------------------------------------------------------------------------

@st.cache_data(max_entries=4, show_spinner=False)
def graph_summary(built_at: datetime | None) -> GraphSummary | None:
    """The counts of the last skill-graph build."""
    with db_session() as session:
        return overview.graph_summary(session)


@st.cache_data(max_entries=4, show_spinner=False)
def network(built_at: datetime | None) -> tuple[list[NetworkNode], list[NetworkEdge], dict[str, tuple[float, float]]]:
    """The top skills, their strongest relations and a spring layout of them (fixed seed, at most ~60 nodes)."""
    with db_session() as session:
        nodes, edges = overview.skill_network(session)
    # Each cluster starts around its own point on a circle, and every relation pulls the same (harder inside a
    # cluster) whatever its weight: weighted springs pull the most related skills on top of each other, unreadable.
    cluster_ids = sorted({node.cluster_id for node in nodes}, key=lambda c: (c is None, c or 0))
    centres = {c: (math.cos(2 * math.pi * i / len(cluster_ids)), math.sin(2 * math.pi * i / len(cluster_ids)))
               for i, c in enumerate(cluster_ids)}
    jitter = np.random.default_rng(LAYOUT_SEED).uniform(-0.4, 0.4, size=(len(nodes), 2))
    start = {node.name: (centres[node.cluster_id][0] + dx, centres[node.cluster_id][1] + dy)
             for node, (dx, dy) in zip(nodes, jitter, strict=True)}
    cluster_of = {node.name: node.cluster_id for node in nodes}
    graph = nx.Graph()
    graph.add_nodes_from(node.name for node in nodes)
    graph.add_weighted_edges_from((edge.source, edge.target, 1.0 if cluster_of[edge.source] == cluster_of[edge.target]
                                   else 0.2) for edge in edges)
    positions = nx.spring_layout(graph, pos=start, seed=LAYOUT_SEED, weight="weight", iterations=100,
                                 k=3.0 / max(len(nodes), 1) ** 0.5)
    return nodes, edges, {name: (float(x), float(y)) for name, (x, y) in positions.items()}


@st.cache_data(max_entries=4, show_spinner=False)
def trending(built_at: datetime | None) -> list[dict]:
    """Rising and falling skills in job postings."""
    with db_session() as session:
        return overview.trending_skills(session)


@st.cache_data(max_entries=4, show_spinner=False)
def clusters(built_at: datetime | None) -> list[dict]:
    """The clusters table."""
    with db_session() as session:
        return overview.cluster_rows(session)


@st.cache_data(max_entries=4, show_spinner=False)
def skill_choices(built_at: datetime | None) -> list[str]:
    """Skill names for the pickers, most popular first."""
    with db_session() as session:
        return overview.skill_names(session)


@st.cache_data(max_entries=64, show_spinner=False)
def related(text: str, built_at: datetime | None) -> tuple[str | None, list[RelatedSkill], list[str]]:
    """The skill `text` names (None if none), its related skills, and close names to suggest when it names none."""
    with db_session() as session:
        node = find_skill(session, text)
        if node is None:
            return None, [], suggest_skills(session, text)
        return node.name, related_skills(session, node.name), []


def alumni_with(skills: tuple[str, ...], viewer: AlumniViewer) -> list[AlumnusMatch]:
    """Alumni ranked by how well they cover `skills`, among those `viewer` may see (read fresh: visibility and
    blocks change between graph builds)."""
    with db_session() as session:
        return match_alumni(session, list(skills), viewer=viewer)


# --- Careers --------------------------------------------------------------------------------------------------------

@st.cache_data(max_entries=4, show_spinner=False)
def moves(built_at: datetime | None) -> list[dict]:
    """The most frequent moves between role families, for the Sankey."""
    with db_session() as session:
        return overview.top_moves(session)


@st.cache_data(max_entries=4, show_spinner=False)
def roles(built_at: datetime | None) -> list[dict]:
    """Each role family's statistics."""
    with db_session() as session:
        return overview.role_stats(session)


@st.cache_data(max_entries=4, show_spinner=False)
def families(built_at: datetime | None) -> list[str]:
    """Every role family, for the pickers."""
    with db_session() as session:
        return overview.role_families(session)


@st.cache_data(max_entries=64, show_spinner=False)
def transitions(role: str, built_at: datetime | None) -> list[dict]:
    """The moves out of one role family."""
    with db_session() as session:
        return overview.transitions_from(session, role)


@st.cache_data(max_entries=4, show_spinner=False)
def models(trained_at: datetime | None) -> list[ModelVersion]:
    """The stored model versions, newest first."""
    with db_session() as session:
        return overview.model_versions(session)


def transitions_csv() -> bytes:
    """The transitions CSV (as `python -m jobs export transitions` writes it), made only when the button is clicked."""
    with db_session() as session:
        return export_transitions_csv(session).encode()


# --- My career ------------------------------------------------------------------------------------------------------

def alumnus_of(person_id: int | None) -> AlumnusRecord | None:
    """The alumni record with this person's email, if any."""
    if person_id is None:
        return None
    with db_session() as session:
        return overview.alumnus_for_person(session, person_id)


def prediction_of(alumnus_id: int) -> StoredPrediction | None:
    """An alumnus's stored prediction, or None before the first model run."""
    with db_session() as session:
        return overview.stored_prediction(session, alumnus_id)


def path_to(alumnus_id: int, role: str, viewer: AlumniViewer) -> LearningPath:
    """The learning path from the alumnus's skills to `role`; not cached, because the alumni who made the move are
    listed under today's blocks and deletions (it reads stored tables in well under 0.1 s)."""
    with db_session() as session:
        return learning_path(session, alumnus_id=alumnus_id, target_role=role, viewer=viewer)
