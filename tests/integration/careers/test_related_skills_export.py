"""`python -m jobs export related-skills` as a real process on a real Postgres, and the CSV it writes."""
import csv
import io

import pytest

from core.careers.skill_graph import rebuild_skill_graph
from core.careers.skill_queries import UnknownSkill, export_related_skills_csv, related_skills
from db.models import Alumnus
from db.models.careers import SkillRelation
from tests.integration.careers.test_skill_graph import community
from tests.integration.jobs.test_cli import cli


def test_the_cli_writes_the_related_skills_of_python_with_the_exact_header(db, clock, real_embedder, database_url,
                                                                            tmp_path):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    db.commit()
    out = tmp_path / "related.csv"
    exported = cli("export", "related-skills", "--skill", "python", "--out", str(out), database_url=database_url)
    assert exported.returncode == 0, exported.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "skill,related,score,reason"
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = related_skills(db, "Python", limit=100)
    assert [(r["skill"], r["related"], float(r["score"])) for r in rows] == [
        ("Python", e.skill, e.score) for e in expected]
    assert {r["reason"] for r in rows} <= {r.value for r in SkillRelation}
    assert f"Wrote {len(rows)} skills related to python" in exported.stdout


def test_an_unknown_skill_fails_with_suggestions_and_writes_nothing(db, clock, real_embedder, database_url,
                                                                     tmp_path):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    db.commit()
    out = tmp_path / "x.csv"
    exported = cli("export", "related-skills", "--skill", "Pyhton", "--out", str(out), database_url=database_url)
    assert exported.returncode == 2 and "Did you mean: Python" in exported.stderr
    assert not out.exists()


def test_an_empty_graph_says_to_run_the_job(db):
    with pytest.raises(UnknownSkill, match="python -m jobs run skill-graph"):
        export_related_skills_csv(db, "Python")


def test_cells_a_spreadsheet_would_run_are_neutralised(db, clock, real_embedder):
    for n in range(3):
        db.add(Alumnus(email=f"a{n}@x.io", name="A", skills=["Python", "=HYPERLINK"]))
        db.add(Alumnus(email=f"b{n}@x.io", name="B", skills=["Sales"]))
    db.flush()
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    rows = list(csv.reader(io.StringIO(export_related_skills_csv(db, "Python"))))
    assert rows[1][:2] == ["Python", "'=HYPERLINK"]
