"""`python -m jobs export transitions` as a real process on a real Postgres, and the CSV it writes."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from core.careers.paths import export_transitions_csv, rebuild_career_paths
from core.demo.careers import generate_career_community, store_career_community
from db.models import Alumnus
from db.models.careers import CareerTransition
from tests.integration.jobs.test_cli import cli


def test_the_cli_writes_every_stored_transition_under_the_exact_header(db, clock, database_url, tmp_path) -> None:
    store_career_community(db, generate_career_community(alumni=500, postings=50, seed=2), clock.now())
    rebuild_career_paths(db, clock=clock)
    db.commit()
    out = tmp_path / "f.csv"
    exported = cli("export", "transitions", "--out", str(out), database_url=database_url)
    assert exported.returncode == 0, exported.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "from_role,to_role,count,probability,mean_months"
    rows = list(csv.DictReader(io.StringIO(text)))
    stored = {(t.from_role, t.to_role): t for t in db.scalars(select(CareerTransition))}
    assert len(rows) == len(stored) > 0
    for row in rows:
        transition = stored[(row["from_role"], row["to_role"])]
        assert int(row["count"]) == transition.count
        assert float(row["probability"]) == round(transition.probability, 4)


def test_role_names_a_spreadsheet_would_run_are_neutralised(db, clock) -> None:
    db.add(Alumnus(email="x@x.org", name="X", current_role="Data Scientist",
                   role_history=[{"role": "=HYPERLINK(1) Analyst", "from": 2018, "to": 2020}]))
    db.flush()
    rebuild_career_paths(db, clock=clock)
    row = next(csv.DictReader(io.StringIO(export_transitions_csv(db))))
    assert row["from_role"].startswith("'=") and row["to_role"] == "Data Scientist"


def test_an_empty_matrix_exports_only_the_header(db) -> None:
    assert export_transitions_csv(db) == "from_role,to_role,count,probability,mean_months\n"
