"""The Careers page under AppTest: the empty state, the Sankey of top moves, role statistics, transitions from a
role, the model versions against the baseline, the transitions download, and hostile role names shown as typed."""
import csv
import io
import json

from db.models import ModelStatus
from tests.integration.careers.test_overview import MOVES, ROLES, add_career_paths, add_model
from tests.ui.conftest import page_app, texts
from tests.ui.test_reengagement_page import downloaded, media  # noqa: F401 (a fixture)
from ui.text import plain

PAGE = "pages/careers.py"
HOSTILE = "<b>Evil</b> [Role](http://evil.example)"
METRICS = {"candidates": {"random_forest": {"cv_top1_mean": 0.51, "cv_top1_std": 0.02},
                          "logistic_regression": {"cv_top1_mean": 0.47, "cv_top1_std": 0.01}},
           "chosen": "random_forest", "holdout_top1": 0.53, "holdout_top3": 0.81, "baseline_top1": 0.42,
           "baseline_top3": 0.7, "train_people": 800, "holdout_people": 200}


def sankey(at) -> dict:
    return next(trace for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]
                if trace["type"] == "sankey")


def test_before_the_first_build_the_page_says_how_career_paths_are_built(organizer):
    at = page_app("organizer", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "No career paths yet" in shown and "role history" in shown and "python -m jobs run career-model" in shown


def test_the_sankey_joins_each_role_to_the_roles_people_moved_to_by_their_counts(organizer):
    add_career_paths(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert not at.exception
    flows = sankey(at)
    labels = flows["node"]["label"]
    moved = {(labels[s], labels[t], v) for s, t, v in
             zip(flows["link"]["source"], flows["link"]["target"], flows["link"]["value"], strict=True)}
    assert moved == {(a, b, count) for a, b, count, _, _ in MOVES}


def test_role_family_statistics_are_listed_most_held_first(organizer):
    add_career_paths(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    table = next(d.value for d in at.dataframe if "role family" in d.value.columns)
    assert list(table["role family"]) == [role for role, *_ in ROLES]


def test_choosing_a_role_lists_where_its_people_moved_most_likely_first(organizer):
    add_career_paths(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    at.selectbox(key="careers_from_role").set_value("Data Scientist").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "skills common among movers" in d.value.columns)
    assert list(table["to"]) == ["Senior Data Scientist", "Data Analyst"]


def test_the_model_in_use_is_shown_with_its_held_out_accuracy_against_the_baseline(organizer):
    add_career_paths(organizer)
    add_model(organizer, 1, status=ModelStatus.RETIRED, metrics={**METRICS, "holdout_top1": 0.4})
    add_model(organizer, 2, metrics=METRICS)
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert not at.exception
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    assert metrics["Model in use"] == ("version 2", "Random forest")
    assert metrics["Held-out top-1 accuracy"] == ("53%", "baseline 42%")
    candidates = next(d.value for d in at.dataframe if "mean top-1 accuracy" in d.value.columns)
    assert list(candidates["chosen"]) == [True, False]
    versions = next(d.value for d in at.dataframe if "training steps" in d.value.columns)
    assert list(versions["version"]) == [2, 1] and list(versions["status"]) == ["in use", "retired"]


def test_without_a_model_the_page_says_it_is_trained_by_the_career_model_job(organizer):
    add_career_paths(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert any("No next-role model yet" in i.value for i in at.info)


def test_a_hostile_role_name_is_escaped_in_the_sankey_and_the_notes(organizer):
    add_career_paths(organizer, moves=[*MOVES, (HOSTILE, "Data Analyst", 5, 1.0, 12.0)],
                     roles=[*ROLES, (HOSTILE, 500, 0, 5, [])])
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert not at.exception
    shown = json.dumps([json.loads(chart.proto.spec)["data"] for chart in at.get("plotly_chart")], ensure_ascii=False)
    assert "<b>Evil" not in shown and "&lt;b&gt;Evil&lt;/b&gt;" in shown
    at.selectbox(key="careers_from_role").set_value("Senior Data Analyst").run()
    assert not at.exception
    assert any(plain("Senior Data Analyst") in i.value for i in at.info)


def test_the_transitions_download_has_the_clis_columns(organizer, media):  # noqa: F811
    add_career_paths(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    button = next(b for b in at.get("download_button") if b.label == "Download all transitions (CSV)")
    rows = list(csv.reader(io.StringIO(downloaded(media, button))))
    assert rows[0] == ["from_role", "to_role", "count", "probability", "mean_months"]
    assert {(r[0], r[1]) for r in rows[1:]} == {(a, b) for a, b, *_ in MOVES}
