"""The careers pages' read model on a real Postgres: build times, the skill network, trends, clusters, moves, role
statistics, model versions, and a person's alumni record and stored predictions."""
from datetime import UTC, datetime, timedelta

from core.careers.overview import (
    alumnus_for_person,
    careers_version,
    cluster_rows,
    graph_summary,
    model_versions,
    role_families,
    role_stats,
    skill_names,
    skill_network,
    stored_prediction,
    top_moves,
    transitions_from,
    trending_skills,
)
from db.models import (
    AdviceSource,
    AlumniVisibility,
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
    SkillRelation,
)

BUILT = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
# (name, cluster, alumni, jobs, popularity, trend)
SKILLS = [("Python", 0, 120, 300, 1.0, 0.5), ("SQL", 0, 100, 250, 0.9, 0.1), ("Machine Learning", 0, 60, 200, 0.8, 1.2),
          ("Excel", 1, 90, 80, 0.6, -0.3), ("Tableau", 1, 40, 60, 0.5, None), ("Negotiation", 2, 20, 10, 0.2, -0.6)]
CLUSTERS = [(0, "Python, SQL", ["Python", "SQL", "Machine Learning"]), (1, "Excel, Tableau", ["Excel", "Tableau"]),
            (2, "Negotiation", ["Negotiation"])]
# (source, target, weight, reason)
EDGES = [("Python", "SQL", 0.8, SkillRelation.DEMANDED_TOGETHER), ("SQL", "Python", 0.6, SkillRelation.OFTEN_TOGETHER),
         ("Python", "Machine Learning", 0.7, SkillRelation.DEMANDED_TOGETHER),
         ("Excel", "Tableau", 0.5, SkillRelation.OFTEN_TOGETHER),
         ("Tableau", "SQL", 0.3, SkillRelation.SIMILAR_MEANING),
         ("Negotiation", "Excel", 0.2, SkillRelation.SIMILAR_MEANING)]
# (from, to, count, probability, mean months)
MOVES = [("Data Analyst", "Data Scientist", 40, 0.4, 26.0), ("Data Analyst", "Senior Data Analyst", 50, 0.5, 30.0),
         ("Data Analyst", "Product Manager", 10, 0.1, None),
         ("Data Scientist", "Senior Data Scientist", 30, 0.75, 34.0),
         ("Data Scientist", "Data Analyst", 10, 0.25, 12.0)]
ROLES = [("Data Analyst", 300, 100, 10, ["SQL", "Excel", "Tableau"]), ("Data Scientist", 120, 40, 40, ["Python"]),
         ("Senior Data Analyst", 80, 0, 50, ["SQL"])]


def add_skill_graph(db, skills=SKILLS, clusters=CLUSTERS, edges=EDGES, built_at=BUILT) -> None:
    """A stored skill graph, as the skill-graph job writes it."""
    for cluster_id, name, members in clusters:
        db.add(SkillCluster(id=cluster_id, name=name, skills=members, size=len(members)))
    ids = {}
    for position, (name, cluster, alumni, jobs, popularity, trend) in enumerate(skills):
        node = SkillNode(key=name.lower(), name=name, family=None, alumni_count=alumni, job_count=jobs,
                         popularity=popularity, trend=trend, recent_jobs=jobs // 2, earlier_jobs=jobs // 3,
                         cluster_id=cluster, centrality=1.0 - position / 10)
        db.add(node)
        db.flush()
        ids[name] = node.id
    for source, target, weight, reason in edges:
        db.add(SkillEdge(source_id=ids[source], target_id=ids[target], similarity=weight, cooccurrence=weight,
                         weight=weight, reason=reason))
    db.merge(CareerBuild(kind=BuildKind.SKILL_GRAPH, input_hash="g" * 64, built_at=built_at, summary={}))
    db.flush()


def add_career_paths(db, moves=MOVES, roles=ROLES, built_at=BUILT) -> None:
    """Stored transitions and role statistics, as the career-paths build writes them."""
    for from_role, to_role, count, probability, months in moves:
        db.add(CareerTransition(from_role=from_role, to_role=to_role, count=count, probability=probability,
                                mean_months=months, common_skills=["SQL", "Python"]))
    for role, holders, moved_in, moved_out, skills in roles:
        db.add(CareerRole(role=role, alumni_count=holders, movers_in=moved_in, movers_out=moved_out,
                          mean_months_in_role=28.0, mean_years_experience=5.5, required_skills=skills))
    db.merge(CareerBuild(kind=BuildKind.CAREER_PATHS, input_hash="p" * 64, built_at=built_at, summary={}))
    db.flush()


def add_model(db, version: int, *, status=ModelStatus.ACTIVE, trained_at=BUILT, metrics: dict | None = None) -> int:
    """A trained model version, as the career-model job stores it."""
    model = CareerModel(version=version, algorithm="random_forest", status=status, trained_at=trained_at,
                        training_rows=4200, metrics=metrics or {"holdout_top1": 0.52, "baseline_top1": 0.41},
                        features={}, input_hash="m" * 64, payload=b"model")
    db.add(model)
    db.merge(CareerBuild(kind=BuildKind.CAREER_MODEL, input_hash="m" * 64, built_at=trained_at, summary={}))
    db.flush()
    return model.id


def add_person(db, email: str, first: str = "Dana", last: str = "Lee") -> int:
    person = Person(email=email, first_name=first, last_name=last)
    db.add(person)
    db.flush()
    return person.id


def add_alumnus(db, email: str, *, name: str = "Dana Lee", role: str | None = "Data Analyst",
                skills: tuple[str, ...] = ("SQL", "Excel"), visibility=AlumniVisibility.COMMUNITY) -> int:
    alumnus = Alumnus(email=email, name=name, batch_year=2018, department="Economics", current_company="Acme",
                      current_role=role, industry="Retail", skills=list(skills),
                      skill_keys=[s.lower() for s in skills], visibility=visibility)
    db.add(alumnus)
    db.flush()
    return alumnus.id


def prediction(role: str, probability: float, gap: tuple[str, ...] = ("Python",)) -> dict:
    return {"role": role, "probability": probability, "timeframe": "1–2 years", "confidence": "medium",
            "required_skills": ["SQL", *gap], "skills_gap": list(gap), "similar_alumni_count": 12}


def add_prediction(db, alumnus_id: int, email: str, predictions: list[dict], *, model_id: int | None = None,
                   advice: str | None = "Learn Python.", source=AdviceSource.TEMPLATE) -> None:
    db.add(CareerPrediction(alumnus_id=alumnus_id, email=email, model_id=model_id, current_role="Data Analyst",
                            predictions=predictions, advice=advice, advice_source=source, computed_at=BUILT))
    db.flush()


def test_before_any_build_every_time_is_empty_and_there_is_no_graph(db):
    version = careers_version(db)
    assert (version.skill_graph, version.career_paths, version.career_model, version.predictions) == (
        None, None, None, None)
    assert graph_summary(db) is None


def test_the_version_carries_each_builds_time(db):
    add_skill_graph(db, built_at=BUILT)
    add_career_paths(db, built_at=BUILT + timedelta(hours=1))
    version = careers_version(db)
    assert (version.skill_graph, version.career_paths, version.career_model) == (BUILT, BUILT + timedelta(hours=1),
                                                                                 None)


def test_the_graph_summary_counts_skills_relations_and_clusters(db):
    add_skill_graph(db)
    summary = graph_summary(db)
    assert (summary.skills, summary.relations, summary.clusters, summary.built_at) == (6, 6, 3, BUILT)


def test_the_network_holds_the_most_popular_skills_with_their_cluster_names(db):
    add_skill_graph(db)
    nodes, _ = skill_network(db, limit=4)
    assert [n.name for n in nodes] == ["Python", "SQL", "Machine Learning", "Excel"]
    assert {n.name: n.cluster for n in nodes}["Excel"] == "Excel, Tableau"


def test_the_network_lists_each_pair_once_with_its_stronger_weight_and_only_among_shown_skills(db):
    add_skill_graph(db)
    _, edges = skill_network(db, limit=4)
    pairs = {frozenset((e.source, e.target)): e for e in edges}
    assert set(pairs) == {frozenset(("Python", "SQL")), frozenset(("Python", "Machine Learning"))}
    assert pairs[frozenset(("Python", "SQL"))].weight == 0.8


def test_trending_skills_list_the_rising_by_growth_then_the_falling(db):
    add_skill_graph(db)
    assert [row["skill"] for row in trending_skills(db, rising=2, falling=2)] == [
        "Machine Learning", "Python", "Excel", "Negotiation"]


def test_clusters_are_listed_largest_first_with_their_central_skills(db):
    add_skill_graph(db)
    rows = cluster_rows(db)
    assert [r["name"] for r in rows] == ["Python, SQL", "Excel, Tableau", "Negotiation"]
    assert rows[0]["most central"] == "Python, SQL, Machine Learning" and rows[0]["skills"] == 3


def test_skill_names_for_pickers_come_most_popular_first(db):
    add_skill_graph(db)
    assert skill_names(db)[:3] == ["Python", "SQL", "Machine Learning"]


def test_top_moves_are_the_most_frequent_moves_between_different_families(db):
    add_career_paths(db, moves=[*MOVES, ("Data Analyst", "Data Analyst", 99, 0.9, 10.0)])
    moves = top_moves(db, limit=3)
    assert [(m["from_role"], m["to_role"], m["count"]) for m in moves] == [
        ("Data Analyst", "Senior Data Analyst", 50), ("Data Analyst", "Data Scientist", 40),
        ("Data Scientist", "Senior Data Scientist", 30)]


def test_transitions_from_a_role_come_most_likely_first(db):
    add_career_paths(db)
    rows = transitions_from(db, "Data Analyst")
    assert [r["to"] for r in rows] == ["Senior Data Analyst", "Data Scientist", "Product Manager"]
    assert rows[1]["probability"] == 0.4 and rows[1]["skills common among movers"] == "SQL, Python"


def test_role_stats_come_most_held_first(db):
    add_career_paths(db)
    rows = role_stats(db)
    assert [r["role family"] for r in rows] == ["Data Analyst", "Data Scientist", "Senior Data Analyst"]
    assert rows[0]["typical skills"] == "SQL, Excel, Tableau" and rows[0]["moved out"] == 10


def test_role_families_include_targets_that_have_no_statistics(db):
    add_career_paths(db)
    families = role_families(db)
    assert families[:3] == ["Data Analyst", "Data Scientist", "Senior Data Analyst"]
    assert set(families[3:]) == {"Product Manager", "Senior Data Scientist"}


def test_model_versions_come_newest_first_with_their_status_and_metrics(db):
    add_model(db, 1, status=ModelStatus.RETIRED)
    add_model(db, 2, metrics={"holdout_top1": 0.6})
    versions = model_versions(db)
    assert [m.version for m in versions] == [2, 1]
    assert [m.status for m in versions] == [ModelStatus.ACTIVE, ModelStatus.RETIRED]
    assert versions[0].metrics == {"holdout_top1": 0.6}


def test_a_persons_alumni_record_is_found_by_email_without_case(db):
    person = add_person(db, "Dana.Lee@Example.org")
    add_alumnus(db, "dana.lee@example.ORG", skills=("SQL", "Excel"))
    record = alumnus_for_person(db, person)
    assert (record.name, record.current_role, record.skills) == ("Dana Lee", "Data Analyst", ["SQL", "Excel"])


def test_a_person_who_is_no_alumnus_has_no_record(db):
    person = add_person(db, "someone@example.org")
    add_alumnus(db, "other@example.org")
    assert alumnus_for_person(db, person) is None


def test_a_stored_prediction_shows_the_five_most_likely_roles_with_its_model_version(db):
    alumnus = add_alumnus(db, "dana@example.org")
    model = add_model(db, 3)
    roles = [prediction(f"Role {i}", p) for i, p in enumerate((0.05, 0.3, 0.1, 0.2, 0.15, 0.12))]
    add_prediction(db, alumnus, "dana@example.org", roles, model_id=model, source=AdviceSource.LLM)
    stored = stored_prediction(db, alumnus)
    assert [p["probability"] for p in stored.predictions] == [0.3, 0.2, 0.15, 0.12, 0.1]
    assert (stored.model_version, stored.advice_source) == (3, "llm")


def test_an_alumnus_without_a_model_run_has_no_stored_prediction(db):
    assert stored_prediction(db, add_alumnus(db, "dana@example.org")) is None
