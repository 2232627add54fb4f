"""DBSCAN talent hubs with the haversine metric."""
import numpy as np

from core.alumni.talent import AlumniPoints, cluster_labels, find_hubs

BERLIN, LISBON, REYKJAVIK = (52.52, 13.405), (38.72, -9.14), (64.15, -21.94)


def points(*places):
    lat = np.array([p[0] for p in places])
    lon = np.array([p[1] for p in places])
    n = len(places)
    return AlumniPoints.from_lists(np.arange(n), lat, lon, np.full(n, 2020), [["python"]] * n, ["Acme"] * n,
                                   ["Software"] * n)


def test_two_distant_cities_make_two_hubs_and_a_lone_alumnus_is_noise():
    labels = cluster_labels(*(np.array(a) for a in zip(*([BERLIN] * 6 + [LISBON] * 5 + [REYKJAVIK]), strict=False)),
                            radius_km=50, min_alumni=5)
    assert len(set(labels[:6])) == 1 and len(set(labels[6:11])) == 1 and labels[0] != labels[6]
    assert labels[11] == -1


def test_alumni_a_few_km_apart_join_one_hub_within_the_radius():
    near_berlin = (52.60, 13.30)  # about 11 km away
    points = [BERLIN] * 3 + [near_berlin] * 3
    labels = cluster_labels(*(np.array(a) for a in zip(*points, strict=False)), radius_km=20,
                            min_alumni=5)
    assert set(labels) == {0}


def test_clustering_distinct_places_with_weights_matches_clustering_every_point():
    rng = np.random.default_rng(1)
    lat = np.round(rng.uniform(40, 55, 400), 1)
    lon = np.round(rng.uniform(-5, 20, 400), 1)
    from sklearn.cluster import DBSCAN

    direct = DBSCAN(eps=80 / 6371.0088, min_samples=4, metric="haversine").fit_predict(
        np.radians(np.column_stack([lat, lon])))
    ours = cluster_labels(lat, lon, radius_km=80, min_alumni=4)
    assert ((direct == -1) == (ours == -1)).all()
    assert len(set(direct)) == len(set(ours))  # border points reachable from two hubs may go to either one


def test_hubs_are_largest_first_with_their_top_skills_and_companies():
    hubs, _ = find_hubs(points(*([BERLIN] * 6 + [LISBON] * 8)), radius_km=50, min_alumni=5)
    assert [h.size for h in hubs] == [8, 6]
    assert hubs[0].top_skills == [("python", 8)] and hubs[0].top_companies == [("Acme", 8)]
    assert abs(hubs[0].lat - LISBON[0]) < 1e-6


def test_top_skills_tied_in_count_come_in_the_order_they_were_first_seen():
    berlin = points(*[BERLIN] * 5)
    listed = AlumniPoints.from_lists(berlin.ids, berlin.lat, berlin.lon, berlin.batch_year,
                                     [["Go", "SQL"], ["Rust"], ["SQL", "Rust", "SQL"], ["Go"], []],
                                     ["", "Globex", "Acme", "Acme", "Globex"], [""] * 5)
    hub = find_hubs(listed, radius_km=50, min_alumni=5)[0][0]
    assert hub.top_skills == [("SQL", 3), ("Go", 2), ("Rust", 2)]
    assert hub.top_companies == [("Globex", 2), ("Acme", 2)] and hub.top_industries == []
