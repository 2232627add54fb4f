"""Talent hubs from alumni in Postgres: counted per place there, the same as clustering every alumnus."""
import math
from collections import Counter

import numpy as np
from sklearn.cluster import DBSCAN

from core.alumni.talent import EARTH_RADIUS_KM, TalentFilters, find_hubs, load_points
from db.models import Alumnus

CITIES = [(52.52, 13.405), (38.72, -9.14), (48.86, 2.35), (41.9, 12.5), (59.33, 18.07)]
LONE_PLACES = [(64.15, -21.94), (35.9, 14.5), (70.0, 25.0)]
SKILLS = ["Python", "SQL", "Sales", "Design", "Rust", "Go"]
COMPANIES = ["Acme", "Globex", "Initech", "", None]
INDUSTRIES = ["Software", "Biotech", None]


def generated_alumni(db, seed: int = 3) -> None:
    """Alumni in a few cities (on shared and on scattered coordinates), some alone far away, some not located."""
    rng = np.random.default_rng(seed)
    places = []
    for city, size in zip(CITIES, (40, 25, 31, 12, 3), strict=True):
        shared = [(city[0] + rng.uniform(-0.2, 0.2), city[1] + rng.uniform(-0.2, 0.2)) for _ in range(3)]
        places += [shared[rng.integers(3)] if rng.random() < 0.6 else
                   (city[0] + rng.uniform(-0.2, 0.2), city[1] + rng.uniform(-0.2, 0.2)) for _ in range(size)]
    places += LONE_PLACES + [None] * 4
    for i in rng.permutation(len(places)):
        place = places[i]
        db.add(Alumnus(email=f"a{i}@alumni.io", name=f"Alumnus {i}",
                       batch_year=None if rng.random() < 0.1 else int(rng.integers(2008, 2025)),
                       current_company=COMPANIES[rng.integers(len(COMPANIES))],
                       industry=INDUSTRIES[rng.integers(len(INDUSTRIES))],
                       lat=place[0] if place else None, lon=place[1] if place else None,
                       skills=[SKILLS[k] for k in rng.integers(len(SKILLS), size=rng.integers(0, 4))]))
    db.flush()


def hubs_of_every_alumnus(alumni: list[Alumnus], radius_km: float, min_alumni: int) -> list[tuple]:
    """The hubs as DBSCAN finds them on every alumnus (no weights), summarised with Counters in id order."""
    lat, lon = np.array([a.lat for a in alumni]), np.array([a.lon for a in alumni])
    years = np.array([a.batch_year or 0 for a in alumni])
    labels = DBSCAN(eps=radius_km / EARTH_RADIUS_KM, min_samples=min_alumni, metric="haversine").fit_predict(
        np.radians(np.column_stack([lat, lon])))
    hubs = []
    for label in set(labels.tolist()) - {-1}:
        members = np.flatnonzero(labels == label)
        centre = float(lat[members].mean()), float(lon[members].mean())
        phi, lam = np.radians(lat[members]), np.radians(lon[members])
        a = (np.sin((phi - math.radians(centre[0])) / 2) ** 2
             + math.cos(math.radians(centre[0])) * np.cos(phi) * np.sin((lam - math.radians(centre[1])) / 2) ** 2)
        spread = float(np.percentile(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))), 90))
        recent = int(((years[members] > years.max() - 5) & (years[members] > 0)).sum())
        before = int(((years[members] > years.max() - 10) & (years[members] <= years.max() - 5)).sum())
        hubs.append((len(members), centre, spread, 1000 * len(members) / (math.pi * max(spread, 1.0) ** 2),
                     Counter(s for i in members for s in alumni[i].skills).most_common(5),
                     Counter(alumni[i].current_company for i in members if alumni[i].current_company).most_common(5),
                     Counter(alumni[i].industry for i in members if alumni[i].industry).most_common(5),
                     [alumni[i].id for i in members], (recent - before) / before if before else None))
    return sorted(hubs, key=lambda h: (-h[0], h[7][0]))


def test_hubs_counted_per_place_in_postgres_equal_those_of_clustering_every_alumnus(db):
    generated_alumni(db)
    alumni = sorted((a for a in db.query(Alumnus) if a.lat is not None), key=lambda a: a.id)
    hubs, labels = find_hubs(load_points(db), radius_km=50, min_alumni=5)
    ours = sorted(((h.size, (h.lat, h.lon), h.radius_km, h.density_per_1000_km2, h.top_skills, h.top_companies,
                    h.top_industries, h.member_ids, h.growth) for h in hubs), key=lambda h: (-h[0], h[7][0]))
    assert len(ours) == 4 and (labels == -1).sum() == 3 + 3
    assert ours == hubs_of_every_alumnus(alumni, radius_km=50, min_alumni=5)


def test_filtered_points_keep_only_the_matching_alumni_and_their_facts(db):
    generated_alumni(db)
    points = load_points(db, TalentFilters(skill="Rust"))
    rust = sorted(a.id for a in db.query(Alumnus) if a.lat is not None and "Rust" in a.skills)
    assert points.ids.tolist() == rust
    assert int(points.skills.count[np.array(points.skills.names)[points.skills.value] == "Rust"].sum()) >= len(rust)
