"""The skill graph built from the real Google job-skills export with the real embedding model."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.alumni.job_market import JOB_MARKET_UPLOAD, store_postings
from core.careers.skill_graph import rebuild_skill_graph
from core.careers.skill_queries import related_skills
from core.ingest.pipeline import validate_table
from core.ingest.tabular import read_table
from core.platform.clock import FixedClock
from db.models.careers import SkillCluster, SkillEdge, SkillNode
from tests.conftest import FIXED_NOW, SHARED, empty_database

GOOGLE_JOBS = SHARED / "data" / "jobs" / "google_job_skills_2018.csv"
# Skills a Python programmer's postings share with it in this export, and skills of other trades that they do not.
PROGRAMMING_OR_DATA = {"Java", "C and C++ Programming", "JVM Languages", "Go Programming", "SQL", "Machine Learning",
                       "Data Science", "Data Analysis", "JavaScript", "Software Engineering", "Software Development",
                       "Statistics", "Distributed Systems", "Linux", "Databases", "Data Engineering"}
UNRELATED = {"Sales", "Marketing", "Legal", "Enterprise Sales", "Public Relations", "Human Resources", "Recruiting",
             "Accounting", "Advertising", "Social Media Marketing"}


@pytest.fixture(scope="module")
def google_graph(engine, real_embedder):
    """The export validated and stored as the job-market upload does, and the graph built once from it."""
    empty_database(engine)
    clock = FixedClock(FIXED_NOW)
    table = read_table(GOOGLE_JOBS.read_bytes(), GOOGLE_JOBS.name, max_bytes=50 * 2**20)
    with Session(engine, expire_on_commit=False) as session:
        rows = validate_table(table, JOB_MARKET_UPLOAD).good
        JOB_MARKET_UPLOAD.process(rows)  # the upload's processing stage: coordinates from the gazetteer
        store_postings(session, None, rows, clock.now())
        counts = rebuild_skill_graph(session, embedder=real_embedder, clock=clock, force=True)
        session.commit()
        yield session, counts, clock
    empty_database(engine)


def test_related_skills_of_python_are_programming_and_data_skills(google_graph):
    session, _, _ = google_graph
    related = {r.skill for r in related_skills(session, "Python", limit=10)}
    assert len(related & PROGRAMMING_OR_DATA) >= 3
    assert not related & UNRELATED


def test_each_related_skill_of_python_says_why_in_words(google_graph):
    session, _, _ = google_graph
    for related in related_skills(session, "python programming", limit=5):
        assert related.reason_text and 0 < related.score <= 1
        if related.reason == "demanded_together":
            assert f"{round(related.cooccurrence * 100)} % of the listings with Python" in related.reason_text


def test_the_google_export_has_clusters_that_cover_programming_and_sales_apart(google_graph):
    session, counts, _ = google_graph
    python = session.scalar(select(SkillNode).where(SkillNode.key == "python"))
    sales = session.scalar(select(SkillNode).where(SkillNode.key == "sales"))
    assert counts["clusters"] == len(session.scalars(select(SkillCluster)).all()) >= 2
    assert python.cluster_id != sales.cluster_id and python.job_count > 100


def test_every_stored_edge_has_a_weight_between_zero_and_one_and_at_most_ten_per_skill(google_graph):
    session, counts, _ = google_graph
    edges = session.execute(select(SkillEdge.source_id, SkillEdge.weight)).all()
    assert len(edges) == counts["edges"] and all(0 < w <= 1 for _, w in edges)
    per_source = {}
    for source, _ in edges:
        per_source[source] = per_source.get(source, 0) + 1
    assert max(per_source.values()) <= 10
