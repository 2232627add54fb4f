"""Talent heatmap (seed 003 §3): alumni on a map, DBSCAN hubs with the haversine metric, emerging hubs."""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

import numpy as np
from sqlalchemy import func, literal, select, true, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by, array
from sqlalchemy.orm import Session

from core.platform.clock import Clock
from core.platform.job_context import JobContext
from db.models import Alumnus, JobPosting, TalentHubSnapshot

EARTH_RADIUS_KM = 6371.0088
DEFAULT_RADIUS_KM = 50.0
DEFAULT_MIN_ALUMNI = 5
TOP = 5


@dataclass(frozen=True)
class TalentFilters:
    """Narrow the alumni shown; each empty field means "any". Text matches ignore case."""

    skill: str = ""
    industry: str = ""
    company: str = ""
    role: str = ""
    batch_years: tuple[int, int] | None = None


@dataclass
class FactTally:
    """How often each value of one fact (skills, companies or industries) occurs, counted per place.

    Row i: value `names[value[i]]` occurs `count[i]` times among alumni sharing one place; its first occurrence, in
    alumnus order, is at `position[i]` in the list of alumnus `first[i]` (an index into the points). Alumni at one place
    always share a hub, so that alumnus also says which hub the row belongs to."""

    names: list
    value: np.ndarray
    count: np.ndarray
    first: np.ndarray
    position: np.ndarray

    @classmethod
    def of(cls, values, counts, first, positions) -> FactTally:
        """A tally from parallel sequences of values, counts, first alumni and positions."""
        codes: dict = {}
        value = np.array([codes.setdefault(v, len(codes)) for v in values], dtype=np.int64)
        return cls(list(codes), value, np.asarray(counts, dtype=np.int64), np.asarray(first, dtype=np.int64),
                   np.asarray(positions, dtype=np.int64))


@dataclass
class AlumniPoints:
    """The located alumni that pass the filters: ids, coordinates and batch years as parallel arrays (by id when
    loaded), and their skills, companies and industries tallied per place."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    batch_year: np.ndarray  # 0 when unknown
    skills: FactTally
    companies: FactTally
    industries: FactTally

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_lists(cls, ids, lat, lon, batch_year, skills: list[list[str]], companies: list[str],
                   industries: list[str]) -> AlumniPoints:
        """Points from one entry per alumnus (a skill list, a company and an industry each; "" when unknown)."""
        listed = [(s, i, p) for i, row in enumerate(skills) for p, s in enumerate(row)]
        named = [(i, v) for i, v in enumerate(companies) if v], [(i, v) for i, v in enumerate(industries) if v]
        return cls(np.asarray(ids, dtype=np.int64), np.asarray(lat, dtype=np.float64),
                   np.asarray(lon, dtype=np.float64), np.asarray(batch_year, dtype=np.int32),
                   FactTally.of([s for s, _, _ in listed], [1] * len(listed), [i for _, i, _ in listed],
                                [p for _, _, p in listed]),
                   *(FactTally.of([v for _, v in rows], [1] * len(rows), [i for i, _ in rows], [0] * len(rows))
                     for rows in named))


@dataclass
class Hub:
    """One DBSCAN cluster of alumni."""

    label: int
    size: int
    lat: float
    lon: float
    radius_km: float
    density_per_1000_km2: float
    top_skills: list[tuple[str, int]]
    top_companies: list[tuple[str, int]]
    top_industries: list[tuple[str, int]]
    member_ids: list[int] = field(repr=False, default_factory=list)
    growth: float | None = None  # share of members from the recent batch years vs the hub's earlier ones


def _matching(filters: TalentFilters) -> list:
    """The WHERE clauses of the located alumni matching the filters."""
    where = [Alumnus.lat.is_not(None), Alumnus.lon.is_not(None)]
    if filters.skill:
        where.append(Alumnus.skills.contains([filters.skill.strip()]))
    if filters.industry:
        where.append(Alumnus.industry.ilike(filters.industry.strip()))
    if filters.company:
        where.append(Alumnus.current_company.ilike(f"%{filters.company.strip()}%"))
    if filters.role:
        where.append(Alumnus.current_role.ilike(f"%{filters.role.strip()}%"))
    if filters.batch_years:
        where.append(Alumnus.batch_year.between(*filters.batch_years))
    return where


def load_points(session: Session, filters: TalentFilters = TalentFilters()) -> AlumniPoints:
    """The located alumni matching the filters.

    Postgres does the counting: the coordinates come as one array per column, and the facts as one row per place
    and value, so no row per alumnus becomes a Python object."""
    where = _matching(filters)
    columns = (Alumnus.id, Alumnus.lat, Alumnus.lon, func.coalesce(Alumnus.batch_year, 0))
    arrays = session.execute(select(*(func.array_agg(aggregate_order_by(c, Alumnus.id)) for c in columns))
                             .where(*where)).one()
    ids, lat, lon, batch_year = (np.array(a or [], dtype=t)
                                 for a, t in zip(arrays, (np.int64, np.float64, np.float64, np.int32), strict=True))
    skill = func.unnest(Alumnus.skills).table_valued("value", with_ordinality="position").render_derived("skill")
    place = (Alumnus.lat, Alumnus.lon)
    earliest = func.min(array([Alumnus.id, skill.c.position]))  # the first alumnus and list position with it
    tallies = union_all(
        select(literal(0), skill.c.value, func.count(), earliest[1], earliest[2])
        .select_from(Alumnus).join(skill, true()).where(*where).group_by(*place, skill.c.value),
        *(select(literal(kind), column, func.count(), func.min(Alumnus.id), literal(0))
          .where(*where, column != "").group_by(*place, column)
          for kind, column in ((1, Alumnus.current_company), (2, Alumnus.industry))))
    rows = session.execute(tallies).all()
    kinds, first_ids, positions = (np.array([r[i] for r in rows], dtype=np.int64) for i in (0, 3, 4))
    first = np.searchsorted(ids, first_ids)
    known = np.isin(first_ids, ids)  # not so only for an alumnus added between the two queries
    facts = []
    for kind in range(3):
        keep = np.flatnonzero(known & (kinds == kind))
        facts.append(FactTally.of([rows[i][1] for i in keep], [rows[i][2] for i in keep], first[keep],
                                  positions[keep]))
    return AlumniPoints(ids, lat, lon, batch_year, *facts)


def cluster_labels(lat: np.ndarray, lon: np.ndarray, radius_km: float = DEFAULT_RADIUS_KM,
                   min_alumni: int = DEFAULT_MIN_ALUMNI) -> np.ndarray:
    """DBSCAN (haversine, ball tree) label per point; -1 is noise.

    Alumni share few distinct places, so the distinct coordinates are clustered with their counts as
    sample weights: the same result as clustering every point, at a fraction of the neighbour pairs."""
    if len(lat) == 0:
        return np.zeros(0, dtype=np.int64)
    from sklearn.cluster import DBSCAN

    coordinates = np.radians(np.column_stack([lat, lon]))
    distinct, inverse, counts = np.unique(np.round(coordinates, 7), axis=0, return_inverse=True, return_counts=True)
    model = DBSCAN(eps=radius_km / EARTH_RADIUS_KM, min_samples=min_alumni, metric="haversine",
                   algorithm="ball_tree")
    labels = model.fit_predict(distinct, sample_weight=counts)
    return labels[inverse.ravel()]


def _haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def _top_values(tally: FactTally, labels: np.ndarray) -> dict[int, list[tuple[str, int]]]:
    """Each hub's TOP most common values, ties in order of first occurrence (as `Counter.most_common` has them)."""
    rows = np.flatnonzero(labels[tally.first] >= 0)
    if not len(rows):
        return {}
    hub, value, count = labels[tally.first[rows]], tally.value[rows], tally.count[rows]
    first, position = tally.first[rows], tally.position[rows]
    # One row per hub and value: the total count, and the earliest occurrence (the first row after sorting).
    order = np.lexsort((position, first, value, hub))
    hub, value, count, first, position = hub[order], value[order], count[order], first[order], position[order]
    starts = np.flatnonzero(np.r_[True, (hub[1:] != hub[:-1]) | (value[1:] != value[:-1])])
    total = np.add.reduceat(count, starts)
    hub, value, first, position = hub[starts], value[starts], first[starts], position[starts]
    order = np.lexsort((position, first, -total, hub))
    hub, value, total = hub[order], value[order], total[order]
    shown = np.arange(len(hub)) - np.searchsorted(hub, hub) < TOP
    top: dict[int, list[tuple[str, int]]] = {}
    for h, v, t in zip(hub[shown].tolist(), value[shown].tolist(), total[shown].tolist(), strict=True):
        top.setdefault(h, []).append((tally.names[v], t))
    return top


def find_hubs(points: AlumniPoints, radius_km: float = DEFAULT_RADIUS_KM, min_alumni: int = DEFAULT_MIN_ALUMNI,
              recent_years: int = 5) -> tuple[list[Hub], np.ndarray]:
    """The hubs, largest first, and each point's label. A hub's growth compares its members from the last
    `recent_years` batch years with the same span before them."""
    labels = cluster_labels(points.lat, points.lon, radius_km, min_alumni)
    latest = int(points.batch_year.max()) if len(points) and points.batch_year.max() > 0 else None
    skills, companies, industries = (_top_values(t, labels) for t in (points.skills, points.companies,
                                                                       points.industries))
    # Every hub's members as one slice of the points sorted by label, each slice in point order.
    by_label = np.argsort(labels, kind="stable")
    hub_labels = np.unique(labels[labels >= 0])
    bounds = np.searchsorted(labels[by_label], np.r_[hub_labels, hub_labels[-1:] + 1])
    hubs = []
    for label, start, end in zip(hub_labels.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        members = by_label[start:end]
        lat, lon = float(points.lat[members].mean()), float(points.lon[members].mean())
        spread = float(np.percentile(_haversine_km(lat, lon, points.lat[members], points.lon[members]), 90))
        area = math.pi * max(spread, 1.0) ** 2
        growth = None
        if latest is not None:
            years = points.batch_year[members]
            recent = int(((years > latest - recent_years) & (years > 0)).sum())
            before = int(((years > latest - 2 * recent_years) & (years <= latest - recent_years)).sum())
            growth = (recent - before) / before if before else None
        hubs.append(Hub(label, len(members), lat, lon, spread, 1000 * len(members) / area, skills.get(label, []),
                        companies.get(label, []), industries.get(label, []), points.ids[members].tolist(), growth))
    hubs.sort(key=lambda h: -h.size)
    return hubs, labels


def hub_rows(hubs: list[Hub]) -> list[dict]:
    """The hub table, for display and CSV export."""
    return [{"hub": i, "alumni": h.size, "lat": round(h.lat, 4), "lon": round(h.lon, 4),
             "radius km (90%)": round(h.radius_km, 1), "alumni per 1,000 km²": round(h.density_per_1000_km2, 2),
             "top skills": ", ".join(s for s, _ in h.top_skills),
             "top companies": ", ".join(c for c, _ in h.top_companies),
             "top industries": ", ".join(n for n, _ in h.top_industries),
             "growth (recent vs earlier classes)": f"{h.growth:+.0%}" if h.growth is not None else ""}
            for i, h in enumerate(hubs, start=1)]


def hub_members(session: Session, hub: Hub, limit: int = 500) -> list[Alumnus]:
    """The alumni of one hub, for the drill-down."""
    return list(session.scalars(select(Alumnus).where(Alumnus.id.in_(hub.member_ids[:limit])).order_by(Alumnus.name)))


def alumni_version(session: Session) -> tuple:
    """Changes whenever alumni are added, changed or removed: a cache key for computed hubs."""
    return tuple(session.execute(select(func.count(), func.max(Alumnus.updated_at), func.sum(Alumnus.id))
                                 .select_from(Alumnus)).one())


def filter_options(session: Session) -> dict[str, list]:
    """Values to offer in the filters: industries, the most common skills, and the batch-year range."""
    industries = sorted(i for (i,) in session.execute(select(Alumnus.industry).distinct()) if i)
    skills = Counter(s for (skills,) in session.execute(select(Alumnus.skills)) for s in skills or [])
    years = [y for (y,) in session.execute(select(Alumnus.batch_year).distinct()) if y]
    return {"industries": industries, "skills": [s for s, _ in skills.most_common(200)],
            "years": (min(years), max(years)) if years else None}


def job_demand(session: Session, skill: str = "") -> list[dict]:
    """Job postings per located place (optionally only those asking for `skill`): the job-market overlay."""
    query = select(JobPosting.lat, JobPosting.lon, JobPosting.location, JobPosting.skills).where(
        JobPosting.lat.is_not(None))
    if skill:
        query = query.where(JobPosting.skills.contains([skill]))
    places: dict[tuple[float, float], dict] = {}
    for lat, lon, location, skills in session.execute(query):
        place = places.setdefault((round(lat, 3), round(lon, 3)), {"lat": lat, "lon": lon, "location": location,
                                                                   "jobs": 0, "skills": Counter()})
        place["jobs"] += 1
        place["skills"].update(skills or [])
    return [{**p, "skills": ", ".join(s for s, _ in p["skills"].most_common(3))} for p in places.values()]


def _rounded(coordinates, places: int = 3):
    """Nested GeoJSON coordinates rounded to `places` decimals (about 100 m): the shapes are 1:110m anyway."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(c), places) for c in coordinates]
    return [_rounded(part, places) for part in coordinates]


@cache
def country_outlines() -> dict:
    """Country outlines as a GeoJSON FeatureCollection, for a map base layer that reads without a tile server.

    The shapes (Natural Earth 1:110m, public domain) ship inside the `countryinfo` wheel, one JSON file per country;
    a few small or disputed countries have none there. Read once per process; callers must not modify the result.
    Without the package the collection is empty and the map simply has no outlines."""
    try:
        folder = resources.files("countryinfo").joinpath("data")
    except ModuleNotFoundError:
        return {"type": "FeatureCollection", "features": []}
    features = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        info = json.loads(entry.read_text(encoding="utf-8"))
        shape = info.get("geoJSON")
        for feature in shape.get("features", []) if isinstance(shape, dict) else []:
            geometry = feature.get("geometry") or {}
            if geometry.get("type") in ("Polygon", "MultiPolygon") and geometry.get("coordinates"):
                features.append({"type": "Feature", "properties": {"name": info.get("name", "")},
                                 "geometry": {"type": geometry["type"],
                                              "coordinates": _rounded(geometry["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}


def rebuild_hub_snapshot(session: Session, *, clock: Clock, radius_km: float = DEFAULT_RADIUS_KM,
                         min_alumni: int = DEFAULT_MIN_ALUMNI) -> TalentHubSnapshot:
    """Cluster every located alumnus and keep the hubs as a snapshot, so hub growth can be compared between
    uploads."""
    points = load_points(session)
    hubs, _ = find_hubs(points, radius_km, min_alumni)
    snapshot = TalentHubSnapshot(
        computed_at=clock.now(), radius_km=radius_km, min_alumni=min_alumni, alumni_located=len(points),
        hubs=[{"lat": h.lat, "lon": h.lon, "size": h.size, "radius_km": h.radius_km,
               "top_skills": [s for s, _ in h.top_skills], "top_companies": [c for c, _ in h.top_companies],
               "top_industries": [n for n, _ in h.top_industries]} for h in hubs])
    session.add(snapshot)
    return snapshot


def snapshot_growth(session: Session) -> tuple[datetime, datetime, list[dict]] | None:
    """How each hub of the latest snapshot changed since the one before: (then, now, rows), or None with fewer
    than two snapshots. A hub is the same hub if its centre lies within the larger of the two radii."""
    latest, previous = (list(session.scalars(select(TalentHubSnapshot).order_by(TalentHubSnapshot.id.desc())
                                             .limit(2))) + [None, None])[:2]
    if previous is None:
        return None
    rows = []
    for hub in latest.hubs:
        distances = [float(_haversine_km(hub["lat"], hub["lon"], old["lat"], old["lon"])) for old in previous.hubs]
        nearest = int(np.argmin(distances)) if distances else -1
        reach = max(latest.radius_km, hub["radius_km"], previous.hubs[nearest]["radius_km"]) if nearest >= 0 else 0
        before = previous.hubs[nearest]["size"] if nearest >= 0 and distances[nearest] <= reach else 0
        rows.append({"hub": ", ".join(hub["top_industries"][:1] + hub["top_companies"][:1]) or "mixed",
                     "lat": round(hub["lat"], 3), "lon": round(hub["lon"], 3), "alumni before": before,
                     "alumni now": hub["size"], "change": hub["size"] - before,
                     "growth": (hub["size"] - before) / before if before else None})
    rows.sort(key=lambda r: -r["change"])
    return previous.computed_at, latest.computed_at, rows


def rebuild_clusters_job(ctx: JobContext) -> dict:
    """Job body: a new hub snapshot with the configured radius."""
    radius = ctx.settings.talent_hub_radius_km if ctx.settings else DEFAULT_RADIUS_KM
    snapshot = rebuild_hub_snapshot(ctx.session, clock=ctx.clock, radius_km=radius)
    return {"alumni_located": snapshot.alumni_located, "hubs": len(snapshot.hubs)}
