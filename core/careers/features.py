"""The next-role model's training samples and feature matrix, built column-wise from alumni's dated role steps.

A sample is one spell in a role family (consecutive steps in the same family are one spell), seen at the spell's
start. Its label is the next family when the person moved within HORIZON_MONTHS; a spell that lasted longer (a later
move, or the current role held for longer than the horizon) is labelled STAYS; a current spell younger than the
horizon has no outcome yet and is left out. Features: the role family (one-hot), the person's skills (multi-hot over
the K most common canonical skill keys), years of experience at the spell's start, the industry (one-hot), and the
demand for their skills in job postings (mean and max share of postings asking for each skill, and the count of
skills at all).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from core.careers.histories import career_steps

HORIZON_MONTHS = 24
STAYS = "stays"  # the label of spells with no move within the horizon; never shown as a next role
TOP_SKILLS = 150  # K of the skill multi-hot
TOP_INDUSTRIES = 20
DEMAND_KEYS = 2000  # skills whose posting share the stored spec keeps, for prediction
OTHER = "(other)"


@dataclass
class FeatureSpec:
    """What the columns mean, stored with the model so a prediction encodes a person the same way."""

    families: list[str]
    skills: list[str]  # canonical skill keys
    industries: list[str]
    demand: dict[str, float]  # skill key -> share of postings asking for it
    horizon_months: int = HORIZON_MONTHS

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FeatureSpec:
        return cls(**data)

    @property
    def columns(self) -> list[str]:
        return ([f"role={f}" for f in self.families] + [f"skill={s}" for s in self.skills]
                + [f"industry={i}" for i in self.industries] + [f"industry={OTHER}"]
                + ["years_experience", "skill_demand_mean", "skill_demand_max", "skill_count"])


def steps_frame(alumni: pd.DataFrame) -> pd.DataFrame:
    """Every alumnus's dated steps (histories.career_steps: the one parsing rule) as rows alumnus_id, family,
    start_month (year*12+month-1; steps without a start are left out)."""
    ids, families, starts = [], [], []
    for alumnus_id, history, current in zip(alumni["id"], alumni["role_history"], alumni["current_role"],
                                            strict=True):
        steps = career_steps(history, current)
        for position, step in enumerate(steps):
            if step.start is not None:
                ids.append(alumnus_id)
                families.append(step.family)
                starts.append(step.start.year * 12 + step.start.month - 1)
            elif position == len(steps) - 1 and position > 0:  # a move to the current role, date unknown
                ids.append(alumnus_id)
                families.append(step.family)
                starts.append(np.nan)
    return pd.DataFrame({"alumnus_id": ids, "family": families, "start_month": starts})


def spells(steps: pd.DataFrame) -> pd.DataFrame:
    """Steps (alumnus_id, family, start_month as year*12+month-1) merged into spells per person, in order, with
    the start of the next spell, the next family and the years of experience at the spell's start."""
    undated = steps[steps["start_month"].isna()].drop_duplicates("alumnus_id", keep="last").set_index("alumnus_id")
    frame = steps.dropna(subset=["family", "start_month"]).sort_values(["alumnus_id", "start_month"], kind="stable")
    person = frame["alumnus_id"].to_numpy()
    family = frame["family"].to_numpy()
    first_of_spell = np.ones(len(frame), dtype=bool)
    first_of_spell[1:] = (person[1:] != person[:-1]) | (family[1:] != family[:-1])
    out = frame.loc[first_of_spell, ["alumnus_id", "family", "start_month"]].reset_index(drop=True)
    first_start = out.groupby("alumnus_id")["start_month"].transform("min")
    out["years_experience"] = (out["start_month"] - first_start) / 12.0
    same_person = out["alumnus_id"].shift(-1) == out["alumnus_id"]
    out["next_family"] = out["family"].shift(-1).where(same_person)
    out["next_start"] = out["start_month"].shift(-1).where(same_person)
    # The last dated spell of someone whose current role started on an unknown date ended in a move to it, at an
    # unknown time: its next family is known, its next start is not (label_spells leaves it out as censored).
    last_dated = ~same_person & out["alumnus_id"].isin(undated.index)
    moved_on = last_dated & (out["alumnus_id"].map(undated["family"]) != out["family"])
    out.loc[moved_on, "next_family"] = out.loc[moved_on, "alumnus_id"].map(undated["family"])
    return out


def label_spells(spell_frame: pd.DataFrame, *, now_month: int, horizon: int = HORIZON_MONTHS) -> pd.DataFrame:
    """The spells with a known outcome and their label: the next family, STAYS, or (censored) dropped."""
    months = spell_frame["next_start"].fillna(now_month) - spell_frame["start_month"]
    moved_when_unknown = spell_frame["next_family"].notna() & spell_frame["next_start"].isna()
    moved = spell_frame["next_family"].notna() & (months <= horizon) & ~moved_when_unknown
    stayed = (months > horizon) & ~moved_when_unknown
    labelled = spell_frame.loc[moved | stayed].copy()
    labelled["label"] = np.where(moved[moved | stayed], labelled["next_family"], STAYS)
    return labelled.reset_index(drop=True)


def posting_demand(skill_counts: pd.Series, postings: int) -> dict[str, float]:
    """Share of postings asking for each skill key (counts by key, already normalised)."""
    if postings <= 0 or skill_counts.empty:
        return {}
    top = skill_counts.sort_values(ascending=False, kind="stable").head(DEMAND_KEYS)
    return {str(k): round(float(v) / postings, 5) for k, v in top.items()}


def build_spec(samples: pd.DataFrame, alumni: pd.DataFrame, demand: dict[str, float]) -> FeatureSpec:
    """The vocabularies: every family seen in a spell, the K most common skills and the top industries."""
    families = sorted(set(samples["family"]) | set(samples.loc[samples["label"] != STAYS, "label"]))
    skill_counts = alumni["skill_keys"].explode().dropna().value_counts()
    industries = alumni["industry"].dropna().value_counts().head(TOP_INDUSTRIES).index.tolist()
    return FeatureSpec(families=families, skills=[str(s) for s in skill_counts.head(TOP_SKILLS).index],
                       industries=sorted(str(i) for i in industries), demand=demand)


def person_matrix(spec: FeatureSpec, alumni: pd.DataFrame) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Per alumnus row: the skill multi-hot and the industry one-hot (sparse), and the dense demand features
    (mean, max, count of skills)."""
    n = len(alumni)
    exploded = alumni[["skill_keys"]].reset_index(drop=True).explode("skill_keys").dropna()
    rows = exploded.index.to_numpy()
    keys = exploded["skill_keys"].astype(str)
    skill_index = {s: i for i, s in enumerate(spec.skills)}
    columns = keys.map(skill_index)
    known = columns.notna().to_numpy()
    skills = sparse.csr_matrix((np.ones(known.sum(), dtype=np.float32), (rows[known], columns[known].astype(int))),
                               shape=(n, len(spec.skills)))
    skills.data[:] = 1.0  # duplicates summed by the constructor count once
    industry_index = {s: i for i, s in enumerate(spec.industries)}
    industry = alumni["industry"].map(industry_index).fillna(len(spec.industries)).astype(int).to_numpy()
    industries = sparse.csr_matrix((np.ones(n, dtype=np.float32), (np.arange(n), industry)),
                                   shape=(n, len(spec.industries) + 1))
    share = keys.map(spec.demand).fillna(0.0).to_numpy(dtype=np.float32)
    dense = np.zeros((n, 3), dtype=np.float32)
    if len(rows):
        by_row = pd.DataFrame({"row": rows, "share": share}).groupby("row")["share"].agg(["mean", "max", "size"])
        dense[by_row.index.to_numpy()] = by_row.to_numpy(dtype=np.float32)
    return sparse.hstack([skills, industries], format="csr"), dense


def encode(spec: FeatureSpec, families: pd.Series, years: np.ndarray, person_rows: np.ndarray,
           people: tuple[sparse.csr_matrix, np.ndarray]) -> np.ndarray:
    """The dense float32 feature matrix for samples: their family, years, and their person's row of `people`."""
    n = len(families)
    family_index = {f: i for i, f in enumerate(spec.families)}
    family_column = families.map(family_index)
    known = family_column.notna().to_numpy()
    one_hot = np.zeros((n, len(spec.families)), dtype=np.float32)
    one_hot[np.flatnonzero(known), family_column[known].astype(int).to_numpy()] = 1.0
    person_sparse, person_dense = people
    picked = person_sparse[person_rows].toarray()
    dense = person_dense[person_rows]
    years_column = np.clip(np.nan_to_num(np.asarray(years, dtype=np.float32)), 0, 60)[:, None]
    return np.hstack([one_hot, picked, years_column, dense]).astype(np.float32, copy=False)
