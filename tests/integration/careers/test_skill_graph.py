"""The skill graph build on a real Postgres with the real embedding model: nodes, counts, labels, clusters, trends,
skipping unchanged inputs, refreshing alumni skill keys, and keeping the previous graph when a rebuild fails."""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from core.careers.skill_graph import SKILL_GRAPH_JOB, rebuild_skill_graph
from core.jobs.runner import run_job
from db.models import Alumnus, CourseCompletion, JobPosting, Person
from db.models.careers import CareerBuild, SkillCluster, SkillEdge, SkillNode

DATA_SKILLS = [["Python", "SQL", "Pandas"], ["python", "SQL", "Machine Learning"], ["Python", "ML", "Statistics"]]
WEB_SKILLS = [["JavaScript", "React", "CSS"], ["JS", "React.js", "HTML"], ["javascript", "TypeScript", "CSS"]]


def alumnus(db, email: str, skills: list[str], **fields) -> Alumnus:
    row = Alumnus(email=email, name=email.split("@")[0].title(), skills=skills, **fields)
    db.add(row)
    db.flush()
    return row


def community(db) -> None:
    """Two groups of alumni (data, web), postings asking for each group's skills together, a course, attendees."""
    for n, skills in enumerate(DATA_SKILLS * 2 + WEB_SKILLS * 2):
        alumnus(db, f"alum{n}@x.io", skills)
    for n, skills in enumerate([["python programming", "sql"], ["Python", "Statistics", "SQL"],
                                ["JavaScript", "React"], ["TypeScript", "React", "CSS"]] * 3):
        db.add(JobPosting(natural_key=f"job{n}", title="Engineer", skills=skills))
    db.add(CourseCompletion(student_id="s1", course_name="Data 101", skills_learned=["Python", "Pandas"]))
    db.add(Person(email="ana@x.io", first_name="Ana", last_name="T", skills_offered=["Python", "Django"]))
    db.add(Person(email="gone@x.io", first_name="Gone", last_name="T", skills_offered=["Cobol"],
                  deletion_requested_at=datetime(2026, 11, 1)))
    db.add(Person(email="no@x.io", first_name="No", last_name="T", skills_offered=["Fortran"],
                  consents={"analytics_participation": False}))
    db.flush()


def node(db, key: str) -> SkillNode | None:
    return db.scalar(select(SkillNode).where(SkillNode.key == key))


def test_every_spelling_of_a_skill_is_one_node_counted_per_source(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    python = node(db, "python")
    assert (python.alumni_count, python.job_count, python.course_count, python.attendee_count) == (6, 6, 1, 1)
    javascript = node(db, "javascript")
    assert javascript.alumni_count == 6 and javascript.name == "JavaScript"  # the data's capitalised spelling
    assert node(db, "machine learning").alumni_count == 4  # "Machine Learning" and "ML"
    assert node(db, "react").alumni_count == 4  # "React" and "React.js"


def test_attendees_who_asked_for_deletion_are_left_out(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    assert node(db, "cobol") is None and node(db, "django").attendee_count == 1


def test_attendees_who_said_no_to_analytics_are_left_out(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    assert node(db, "fortran") is None


def test_popularity_is_highest_for_the_most_listed_skill(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    nodes = db.scalars(select(SkillNode)).all()
    top = max(nodes, key=lambda n: n.alumni_count + n.job_count + n.course_count + n.attendee_count)
    assert top.popularity == 1.0 and all(0 < n.popularity <= 1 for n in nodes)


def test_skills_asked_for_together_are_related_more_than_skills_of_the_other_group(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    python, sql, css = node(db, "python"), node(db, "sql"), node(db, "css")
    weights = dict(db.execute(select(SkillEdge.target_id, SkillEdge.weight)
                              .where(SkillEdge.source_id == python.id)).all())
    assert weights[sql.id] > weights.get(css.id, 0.0)


def test_the_data_and_web_skills_fall_into_different_clusters_named_by_their_central_skills(db, clock,
                                                                                            real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    python, javascript = node(db, "python"), node(db, "javascript")
    assert python.cluster_id and javascript.cluster_id and python.cluster_id != javascript.cluster_id
    cluster = db.get(SkillCluster, python.cluster_id)
    assert cluster.size == len(cluster.skills) and cluster.name.split(", ") == cluster.skills[:3]


def test_two_forced_rebuilds_of_the_same_data_give_identical_clusters(db, clock, real_embedder):
    community(db)

    def clusters():
        rebuild_skill_graph(db, embedder=real_embedder, clock=clock, force=True)
        return ([(c.id, c.name, c.skills) for c in db.scalars(select(SkillCluster).order_by(SkillCluster.id))],
                [(n.key, n.cluster_id, n.centrality) for n in db.scalars(select(SkillNode).order_by(SkillNode.key))])

    assert clusters() == clusters()


def test_an_unchanged_rebuild_is_skipped_and_a_changed_input_rebuilds(db, clock, real_embedder):
    community(db)
    first = rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    assert first["skipped"] is False
    assert rebuild_skill_graph(db, embedder=real_embedder, clock=clock)["skipped"] is True
    alumnus(db, "new@x.io", ["Rust"])
    again = rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    assert again["skipped"] is False and again["nodes"] == first["nodes"] + 1 and node(db, "rust") is not None


def test_the_build_fills_alumni_skill_keys_that_are_missing(db, clock, real_embedder):
    row = alumnus(db, "keys@x.io", ["JS", "Python 3", "k8s"])
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    db.refresh(row)
    assert row.skill_keys == ["javascript", "python3", "kubernetes"]


def test_demand_grows_for_a_skill_asked_for_more_in_recent_postings(db, clock, real_embedder):
    newest = date(2026, 11, 1)
    for n in range(25):
        db.add(JobPosting(natural_key=f"old{n}", title="Dev", posted_on=newest - timedelta(days=200 + n),
                          skills=["Rust", "Go"] if n < 5 else ["Go"]))
        db.add(JobPosting(natural_key=f"new{n}", title="Dev", posted_on=newest - timedelta(days=n),
                          skills=["Rust", "Go"] if n < 15 else ["Go"]))
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    rust, go = node(db, "rust"), node(db, "go")
    assert (rust.recent_jobs, rust.earlier_jobs) == (15, 5)
    assert abs(rust.trend - ((15 / 25) / (5 / 25) - 1)) < 1e-6 and abs(go.trend) < 1e-6


def test_trends_stay_empty_without_dated_postings_in_both_windows(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    assert all(n.trend is None for n in db.scalars(select(SkillNode)))


class BrokenEmbedder:
    """An embedding model that fails (e.g. the model files went missing)."""

    model_name = "broken-model"

    def encode(self, texts):
        raise RuntimeError("the embedding model is unavailable")


def test_a_failed_rebuild_keeps_the_previous_graph(db, engine, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    db.commit()
    before = [(n.key, n.name, n.cluster_id) for n in db.scalars(select(SkillNode).order_by(SkillNode.key))]
    edges = len(db.scalars(select(SkillEdge)).all())
    run = run_job(SKILL_GRAPH_JOB, engine=engine, clock=clock, embedder=BrokenEmbedder())
    assert run.status == "failed" and "unavailable" in run.error
    db.expire_all()
    assert [(n.key, n.name, n.cluster_id) for n in db.scalars(select(SkillNode).order_by(SkillNode.key))] == before
    assert len(db.scalars(select(SkillEdge)).all()) == edges
    assert db.get(CareerBuild, "skill_graph").summary["nodes"] == len(before)


def test_the_job_run_by_hand_rebuilds_even_when_nothing_changed(db, engine, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    db.commit()
    run = run_job(SKILL_GRAPH_JOB, engine=engine, clock=clock, embedder=real_embedder)
    assert run.status == "succeeded" and run.counts["skipped"] is False


def test_an_empty_database_builds_an_empty_graph(db, clock, real_embedder):
    counts = rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    assert (counts["nodes"], counts["edges"], counts["clusters"], counts["skipped"]) == (0, 0, 0, False)
    assert rebuild_skill_graph(db, embedder=real_embedder, clock=clock)["skipped"] is True


def test_a_relation_by_meaning_alone_needs_a_close_meaning(db, clock, real_embedder):
    for n, skills in enumerate([["Excel"], ["Spreadsheets"], ["Python"], ["Bioinformatics"]] * 2):
        alumnus(db, f"solo{n}@x.io", skills)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    related = {(db.get(SkillNode, edge.source_id).key, db.get(SkillNode, edge.target_id).key)
               for edge in db.scalars(select(SkillEdge))}
    assert ("excel", "spreadsheets") in related  # cosine .81, never listed together
    assert ("python", "bioinformatics") not in related  # cosine .40: not related by meaning alone
