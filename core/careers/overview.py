"""The Skills, Careers and My career pages' read model: the skill network, trends and clusters, the moves between
role families and their statistics, the model versions, and one person's alumni record and stored predictions, all
read from what the skill-graph and career-model jobs stored."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from db.models import (
    AdviceSource,
    Alumnus,
    BuildKind,
    CareerBuild,
    CareerModel,
    CareerPrediction,
    CareerRole,
    CareerTransition,
    ModelStatus,
    Person,
    SkillCluster,
    SkillEdge,
    SkillNode,
)

NETWORK_SKILLS = 60  # the network chart stays readable (and its layout fast) up to about this many nodes
NETWORK_EDGES_PER_SKILL = 4  # the strongest relations of each shown skill, so the chart is not a hairball
TOP_MOVES = 20
PREDICTIONS_SHOWN = 5


@dataclass(frozen=True)
class CareersVersion:
    """When each kind of careers data was last built (None: never); the pages' cache key."""

    skill_graph: datetime | None
    career_paths: datetime | None
    career_model: datetime | None
    predictions: datetime | None


@dataclass(frozen=True)
class NetworkNode:
    """A skill on the network chart."""

    name: str
    cluster_id: int | None
    cluster: str  # the cluster's name, or "Unclustered"
    alumni_count: int
    job_count: int
    popularity: float
    centrality: float


@dataclass(frozen=True)
class NetworkEdge:
    """A relation drawn between two skills on the network chart."""

    source: str
    target: str
    weight: float
    reason: str  # a SkillRelation value


@dataclass(frozen=True)
class GraphSummary:
    """What the last skill-graph build holds, for the page header."""

    skills: int
    relations: int
    clusters: int
    built_at: datetime


@dataclass(frozen=True)
class ModelVersion:
    """One stored next-role model version with its metrics."""

    version: int
    status: str  # ModelStatus
    algorithm: str
    trained_at: datetime
    training_rows: int
    metrics: dict

    @property
    def in_use(self) -> bool:
        return self.status == ModelStatus.ACTIVE


@dataclass(frozen=True)
class AlumnusRecord:
    """The alumni record whose email is a person's (case-insensitive)."""

    alumnus_id: int
    name: str
    current_role: str | None
    current_company: str | None
    industry: str | None
    skills: list[str]
    visibility: str


@dataclass(frozen=True)
class StoredPrediction:
    """An alumnus's stored next roles and advice."""

    current_role: str | None
    # each: role, probability, timeframe, confidence, required_skills, skills_gap, similar_alumni_count
    predictions: list[dict]
    advice: str | None
    advice_source: str | None  # AdviceSource
    computed_at: datetime
    model_version: int | None

    @property
    def advice_by_ai(self) -> bool:
        return self.advice_source == AdviceSource.LLM


def careers_version(session: Session) -> CareersVersion:
    """The last build time of each kind, and of the stored predictions."""
    built = dict(session.execute(select(CareerBuild.kind, CareerBuild.built_at)).all())
    return CareersVersion(built.get(BuildKind.SKILL_GRAPH), built.get(BuildKind.CAREER_PATHS),
                          built.get(BuildKind.CAREER_MODEL),
                          session.scalar(select(func.max(CareerPrediction.computed_at))))


# --- Skills ---------------------------------------------------------------------------------------------------------

def graph_summary(session: Session) -> GraphSummary | None:
    """How big the stored skill graph is and when it was built; None before the first build or when it is empty."""
    built_at = session.scalar(select(CareerBuild.built_at).where(CareerBuild.kind == BuildKind.SKILL_GRAPH))
    skills = session.scalar(select(func.count()).select_from(SkillNode))
    if built_at is None or not skills:
        return None
    return GraphSummary(skills, session.scalar(select(func.count()).select_from(SkillEdge)),
                        session.scalar(select(func.count()).select_from(SkillCluster)), built_at)


def skill_network(session: Session, limit: int = NETWORK_SKILLS,
                  edges_per_skill: int = NETWORK_EDGES_PER_SKILL) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    """The most popular skills with their clusters, and the strongest relations among them (each pair once)."""
    rows = session.execute(
        select(SkillNode.id, SkillNode.name, SkillNode.cluster_id, SkillCluster.name, SkillNode.alumni_count,
               SkillNode.job_count, SkillNode.popularity, SkillNode.centrality)
        .outerjoin(SkillCluster, SkillCluster.id == SkillNode.cluster_id)
        .order_by(SkillNode.popularity.desc(), SkillNode.centrality.desc(), SkillNode.name).limit(limit)).all()
    names = {row[0]: row[1] for row in rows}
    nodes = [NetworkNode(name, cluster_id, cluster or "Unclustered", alumni, jobs, popularity, centrality)
             for _, name, cluster_id, cluster, alumni, jobs, popularity, centrality in rows]
    ranked = (select(SkillEdge.source_id, SkillEdge.target_id, SkillEdge.weight, SkillEdge.reason,
                     func.row_number().over(partition_by=SkillEdge.source_id,
                                            order_by=(SkillEdge.weight.desc(), SkillEdge.target_id)).label("rank"))
              .where(SkillEdge.source_id.in_(names), SkillEdge.target_id.in_(names)).subquery())
    strongest: dict[tuple[int, int], tuple[float, str]] = {}
    for source, target, weight, reason in session.execute(
            select(ranked.c.source_id, ranked.c.target_id, ranked.c.weight, ranked.c.reason)
            .where(ranked.c.rank <= edges_per_skill).order_by(ranked.c.source_id, ranked.c.target_id)):
        pair = (min(source, target), max(source, target))
        if pair not in strongest or weight > strongest[pair][0]:
            strongest[pair] = (weight, reason)
    edges = [NetworkEdge(names[a], names[b], weight, reason) for (a, b), (weight, reason) in sorted(strongest.items())]
    return nodes, edges


def trending_skills(session: Session, rising: int = 10, falling: int = 5) -> list[dict]:
    """The skills whose demand grew most in recent postings against earlier ones, then those that fell most."""
    columns = (SkillNode.name.label("skill"), SkillNode.trend.label("growth"), SkillNode.recent_jobs.label("recent"),
               SkillNode.earlier_jobs.label("earlier"))
    up = session.execute(select(*columns).where(SkillNode.trend > 0)
                         .order_by(SkillNode.trend.desc(), SkillNode.recent_jobs.desc(), SkillNode.name)
                         .limit(rising)).mappings().all()
    down = session.execute(select(*columns).where(SkillNode.trend < 0)
                           .order_by(SkillNode.trend, SkillNode.earlier_jobs.desc(), SkillNode.name)
                           .limit(falling)).mappings().all()
    return [dict(row) for row in up] + [dict(row) for row in reversed(down)]


def cluster_rows(session: Session, shown_skills: int = 8) -> list[dict]:
    """One row per skill cluster, largest first: its name, size and most central skills."""
    clusters = session.scalars(select(SkillCluster).order_by(SkillCluster.size.desc(), SkillCluster.id)).all()
    return [{"cluster": c.id, "name": c.name, "skills": c.size,
             "most central": ", ".join(c.skills[:shown_skills]) + (" …" if len(c.skills) > shown_skills else "")}
            for c in clusters]


def skill_names(session: Session, limit: int = 3000) -> list[str]:
    """Skill names for pickers, most popular first."""
    return list(session.scalars(select(SkillNode.name).order_by(SkillNode.popularity.desc(), SkillNode.name)
                                .limit(limit)))


# --- Careers --------------------------------------------------------------------------------------------------------

def top_moves(session: Session, limit: int = TOP_MOVES) -> list[dict]:
    """The most frequent moves between different role families."""
    return [dict(row) for row in session.execute(
        select(CareerTransition.from_role, CareerTransition.to_role, CareerTransition.count,
               CareerTransition.probability, CareerTransition.mean_months)
        .where(CareerTransition.from_role != CareerTransition.to_role)
        .order_by(CareerTransition.count.desc(), CareerTransition.probability.desc(), CareerTransition.from_role,
                  CareerTransition.to_role).limit(limit)).mappings()]


def role_stats(session: Session) -> list[dict]:
    """Each role family's holders, movers in and out, time in role, experience and typical skills."""
    return [{"role family": r.role, "current holders": r.alumni_count, "moved in": r.movers_in,
             "moved out": r.movers_out, "mean months in role": r.mean_months_in_role,
             "mean years of experience": r.mean_years_experience, "typical skills": ", ".join(r.required_skills[:6])}
            for r in session.scalars(select(CareerRole).order_by(CareerRole.alumni_count.desc(), CareerRole.role))]


def transitions_from(session: Session, role: str) -> list[dict]:
    """Where people in `role` moved next, most likely first."""
    return [{"to": t.to_role, "people": t.count, "probability": t.probability, "mean months": t.mean_months,
             "skills common among movers": ", ".join(t.common_skills)}
            for t in session.scalars(select(CareerTransition).where(CareerTransition.from_role == role)
                                     .order_by(CareerTransition.probability.desc(), CareerTransition.to_role))]


def role_families(session: Session) -> list[str]:
    """Every role family with statistics or a transition into it, the most held first."""
    known = union(select(CareerRole.role.label("role")), select(CareerTransition.to_role.label("role")),
                  select(CareerTransition.from_role.label("role"))).subquery()
    return list(session.scalars(
        select(known.c.role).outerjoin(CareerRole, CareerRole.role == known.c.role)
        .order_by(func.coalesce(CareerRole.alumni_count, 0).desc(), known.c.role)))


def model_versions(session: Session) -> list[ModelVersion]:
    """The trained next-role models, newest first (without their bytes)."""
    return [ModelVersion(*row) for row in session.execute(
        select(CareerModel.version, CareerModel.status, CareerModel.algorithm, CareerModel.trained_at,
               CareerModel.training_rows, CareerModel.metrics).order_by(CareerModel.version.desc()))]


# --- My career ------------------------------------------------------------------------------------------------------

def alumnus_for_person(session: Session, person_id: int) -> AlumnusRecord | None:
    """The alumni record with the person's email, compared without case."""
    alumnus = session.scalar(select(Alumnus).join(Person, func.lower(Person.email) == func.lower(Alumnus.email))
                             .where(Person.id == person_id).order_by(Alumnus.id).limit(1))
    if alumnus is None:
        return None
    return AlumnusRecord(alumnus.id, alumnus.name, alumnus.current_role, alumnus.current_company, alumnus.industry,
                         list(alumnus.skills or []), alumnus.visibility)


def stored_prediction(session: Session, alumnus_id: int) -> StoredPrediction | None:
    """The alumnus's stored top next roles and advice; None before the career model first ran for them."""
    row = session.execute(select(CareerPrediction, CareerModel.version)
                          .outerjoin(CareerModel, CareerModel.id == CareerPrediction.model_id)
                          .where(CareerPrediction.alumnus_id == alumnus_id)).first()
    if row is None:
        return None
    stored, version = row
    predictions = sorted(stored.predictions or [], key=lambda p: -float(p.get("probability") or 0))
    return StoredPrediction(stored.current_role, predictions[:PREDICTIONS_SHOWN], stored.advice,
                            stored.advice_source, stored.computed_at, version)

