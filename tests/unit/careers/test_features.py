"""The next-role samples and features: spells from dated steps, labels within the horizon, and the encoding."""
import numpy as np
import pandas as pd

from core.careers import features as F


def month(year: int, number: int = 1) -> int:
    return year * 12 + number - 1


def steps(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["alumnus_id", "family", "start_month"])


def test_consecutive_steps_in_one_family_are_one_spell_with_years_from_the_first_start():
    frame = F.spells(steps((1, "Data Analyst", month(2018)), (1, "Data Analyst", month(2019)),
                           (1, "Data Scientist", month(2020)), (2, "Software Engineer", month(2021))))
    assert frame[["alumnus_id", "family"]].values.tolist() == [
        [1, "Data Analyst"], [1, "Data Scientist"], [2, "Software Engineer"]]
    assert frame["years_experience"].tolist() == [0.0, 2.0, 0.0]
    assert frame["next_family"].tolist()[:1] == ["Data Scientist"]
    assert frame["next_family"].isna().tolist() == [False, True, True]


def test_a_move_within_two_years_is_the_label_a_longer_stay_is_stays_and_a_young_current_role_is_left_out():
    frame = F.spells(steps((1, "Data Analyst", month(2018)), (1, "Data Scientist", month(2019, 6)),  # 18 months
                           (2, "Data Analyst", month(2015)), (2, "Data Scientist", month(2019)),  # 48 months
                           (3, "Data Analyst", month(2026, 1))))  # open for 10 months
    labelled = F.label_spells(frame, now_month=month(2026, 11))
    by_person = {(r.alumnus_id, r.family): r.label for r in labelled.itertuples()}
    assert by_person == {(1, "Data Analyst"): "Data Scientist", (1, "Data Scientist"): F.STAYS,
                         (2, "Data Analyst"): F.STAYS, (2, "Data Scientist"): F.STAYS}


def test_the_encoding_has_one_column_per_spec_column_with_family_skills_industry_years_and_demand():
    spec = F.FeatureSpec(families=["Data Analyst", "Data Scientist"], skills=["python", "sql"],
                         industries=["Software"], demand={"python": 0.5, "sql": 0.1})
    alumni = pd.DataFrame({"id": [7, 8], "skill_keys": [["sql", "python", "rust"], []],
                           "industry": ["Software", "Farming"]})
    people = F.person_matrix(spec, alumni)
    X = F.encode(spec, pd.Series(["Data Scientist", "Unknown"]), np.array([3.0, 1.5]), np.array([0, 1]), people)
    assert X.shape == (2, len(spec.columns))
    first = dict(zip(spec.columns, X[0], strict=True))
    assert first["role=Data Scientist"] == 1 and first["role=Data Analyst"] == 0
    assert first["skill=python"] == 1 and first["skill=sql"] == 1
    assert first["industry=Software"] == 1 and first["years_experience"] == 3.0
    assert first["skill_count"] == 3 and np.isclose(first["skill_demand_max"], 0.5)
    assert np.isclose(first["skill_demand_mean"], 0.2)
    second = dict(zip(spec.columns, X[1], strict=True))
    assert second[f"industry={F.OTHER}"] == 1 and second["skill_count"] == 0
    assert sum(v for k, v in second.items() if k.startswith("role=")) == 0


def test_the_spec_survives_a_round_trip_through_its_stored_dict():
    spec = F.FeatureSpec(families=["A"], skills=["x"], industries=[], demand={"x": 0.2})
    assert F.FeatureSpec.from_dict(spec.to_dict()) == spec


def test_a_move_to_the_current_role_on_an_unknown_date_is_neither_a_stay_nor_a_timed_move():
    alumni = pd.DataFrame({"id": [1], "role_history": [[{"role": "Data Analyst", "from": 2018}]],
                           "current_role": ["Data Scientist"]})
    frame = F.spells(F.steps_frame(alumni))
    assert frame[["family", "next_family"]].values.tolist() == [["Data Analyst", "Data Scientist"]]
    assert F.label_spells(frame, now_month=month(2026, 11)).empty


def test_the_majority_move_candidate_predicts_each_familys_most_frequent_outcome():
    from core.careers.career_model import MajorityMoveClassifier

    X = np.array([[1, 0, 5.0], [1, 0, 1.0], [1, 0, 2.0], [0, 1, 3.0], [0, 0, 1.0]], dtype=np.float32)
    y = np.array(["Data Scientist", "Data Scientist", F.STAYS, F.STAYS, "Data Scientist"], dtype=object)
    model = MajorityMoveClassifier(n_families=2).fit(X, y)
    assert list(model.predict(np.array([[1, 0, 9.0], [0, 1, 9.0]], dtype=np.float32))) == ["Data Scientist", F.STAYS]
    assert model.predict_proba(np.array([[1, 0, 0.0]], dtype=np.float32)).tolist() == [[2 / 3, 1 / 3]]
    assert model.predict_proba(np.array([[0, 0, 0.0]], dtype=np.float32)).tolist() == [[3 / 5, 2 / 5]]
