"""Rebuilding career paths (real Postgres): exact figures on a hand-written history, skipping unchanged inputs,
forcing, and keeping the previous rows when a rebuild fails."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.careers import paths
from core.careers.paths import rebuild_career_paths
from core.demo.careers import generate_career_community, store_career_community
from db.models import Alumnus
from db.models.careers import BuildKind, CareerBuild, CareerMove, CareerRole, CareerTransition


def alumnus(email: str, current: str, history: list[dict], skills: list[str]) -> Alumnus:
    return Alumnus(email=email, name=email.split("@")[0], current_role=current, role_history=history, skills=skills)


def test_a_hand_written_history_gives_exact_moves_probabilities_and_months(db, clock) -> None:
    db.add_all([
        alumnus("a@x.org", "Sr. Data Scientist", [{"role": "Data Analyst - Finance", "from": 2018, "to": "2020-07"},
                                                  {"role": "Data Scientist II", "from": "2020-07", "to": "2023-01"}],
                ["SQL", "Machine Learning"]),
        alumnus("b@x.org", "Senior BI Analyst", [{"title": "BI Analyst", "start": 2019, "end": 2021}], ["SQL"]),
        alumnus("c@x.org", "Applied Scientist", [{"role": "Data Analyst", "from": "2017-03-15", "to": "2019-03"}],
                ["Machine Learning", "Python"]),
    ])
    db.flush()
    summary = rebuild_career_paths(db, clock=clock)
    stored = {(t.from_role, t.to_role): t for t in db.scalars(select(CareerTransition))}
    assert {pair: (t.count, round(t.probability, 4), t.mean_months) for pair, t in stored.items()} == {
        ("Data Analyst", "Data Scientist"): (2, 0.6667, 27.0),
        ("Data Analyst", "Senior Data Analyst"): (1, 0.3333, 24.0),
        ("Data Scientist", "Senior Data Scientist"): (1, 1.0, 30.0)}
    # ties by name
    assert stored[("Data Analyst", "Data Scientist")].common_skills == ["Machine Learning", "Python", "SQL"]
    assert (summary["moves"], summary["transitions"], summary["skipped"]) == (4, 3, False)
    analyst = db.get(CareerRole, "Data Analyst")
    assert (analyst.alumni_count, analyst.movers_out, analyst.movers_in, analyst.mean_months_in_role) == (0, 3, 0, 26.0)
    scientist = db.get(CareerRole, "Data Scientist")
    assert (scientist.alumni_count, scientist.movers_in, scientist.movers_out) == (1, 2, 1)
    years = [m.moved_year for m in db.scalars(select(CareerMove).order_by(CareerMove.moved_year))]
    assert years == [2019, 2020, 2021, 2023]


def test_an_unchanged_rebuild_is_skipped_and_a_forced_one_is_not(db, clock) -> None:
    store_career_community(db, generate_career_community(alumni=400, postings=60, seed=4), clock.now())
    first = rebuild_career_paths(db, clock=clock)
    again = rebuild_career_paths(db, clock=clock)
    forced = rebuild_career_paths(db, clock=clock, force=True)
    assert (first["skipped"], again["skipped"], forced["skipped"]) == (False, True, False)
    assert again["moves"] == first["moves"] == forced["moves"]


def test_a_changed_history_rebuilds(db, clock) -> None:
    store_career_community(db, generate_career_community(alumni=200, postings=30, seed=4), clock.now())
    first = rebuild_career_paths(db, clock=clock)
    db.add(alumnus("new@x.org", "Data Scientist", [{"role": "Data Analyst", "from": 2015, "to": 2018}], []))
    db.flush()
    second = rebuild_career_paths(db, clock=clock)
    assert second["skipped"] is False and second["moves"] == first["moves"] + 1
    assert db.get(CareerBuild, BuildKind.CAREER_PATHS.value).summary["moves"] == second["moves"]


def test_a_failed_rebuild_keeps_the_previous_rows_and_build(db, clock, monkeypatch) -> None:
    store_career_community(db, generate_career_community(alumni=300, postings=40, seed=4), clock.now())
    rebuild_career_paths(db, clock=clock)
    db.commit()
    before = db.scalar(select(func.count()).select_from(CareerMove))
    digest = db.get(CareerBuild, BuildKind.CAREER_PATHS.value).input_hash
    write = paths._write

    def write_then_fail(*args) -> None:  # the disk fills after every table was replaced
        write(*args)
        raise OSError("no space left on device")

    monkeypatch.setattr(paths, "_write", write_then_fail)
    with pytest.raises(OSError):
        rebuild_career_paths(db, clock=clock, force=True)
    assert db.scalar(select(func.count()).select_from(CareerMove)) == before
    assert db.get(CareerBuild, BuildKind.CAREER_PATHS.value).input_hash == digest


def test_an_empty_database_builds_empty_tables(db, clock) -> None:
    summary = rebuild_career_paths(db, clock=clock)
    assert (summary["alumni"], summary["moves"], summary["transitions"], summary["roles"]) == (0, 0, 0, 0)
