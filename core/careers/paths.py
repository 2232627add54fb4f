"""Career paths from the alumni's role histories: moves between role families, the transition matrix, role
statistics, how much each skill matters for reaching a role, and the courses that teach each skill."""
from __future__ import annotations

import csv
import hashlib
import io
import time

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from core.careers.histories import career_steps, months_between, years_of_experience
from core.careers.roles import role_family
from core.careers.skill_labels import SkillLabels
from core.ingest.tabular import safe_csv_cell
from core.knowledge.skill_names import skill_keys
from core.platform.clock import Clock
from db.bulk import copy_to_temp_table
from db.models.careers import (
    BuildKind,
    CareerBuild,
    CareerMove,
    CareerRole,
    CareerRoleSkill,
    CareerTransition,
    SkillCourse,
)

PATHS_VERSION = "1"  # bump when the rules below change, so the next build does not skip
COMMON_SKILL_SHARE = 0.30  # a transition's common skills: held by at least this share of its movers
COMMON_SKILLS = 8
REQUIRED_SKILL_SHARE = 0.10  # a role's required skills: held by at least this share of its current holders
REQUIRED_SKILLS = 8
ROLE_SKILLS = 20  # learning-path candidates kept per role
# priority = MOVER_WEIGHT x share of the movers into the role who had the skill + DEMAND_WEIGHT x share of the
# role's job postings asking for it (all postings when none has the role's family).
MOVER_WEIGHT = 0.6
DEMAND_WEIGHT = 0.4
# A course without stated durations: the median stated hours per taught skill over the courses that state them,
# times the number of skills it teaches (DEFAULT_HOURS_PER_SKILL when no course states any).
DEFAULT_HOURS_PER_SKILL = 12.0
TEXT_LIMIT = 120  # role and skill columns
EXPORT_HEADER = ("from_role", "to_role", "count", "probability", "mean_months")


def input_hash(session: Session) -> str:
    """A digest of the alumni histories and skills, the posting titles and skills, and the course completions."""
    alumni = session.scalar(text(
        "SELECT md5(string_agg(md5(concat_ws('|', id, \"current_role\", current_company, role_history::text, "
        "skills::text, skill_keys::text)), '' ORDER BY id)) FROM alumni")) or ""
    postings = session.scalar(text(
        "SELECT md5(string_agg(md5(concat_ws('|', title, skills::text)), '' ORDER BY id)) FROM job_postings")) or ""
    courses = session.scalar(text(
        "SELECT md5(string_agg(md5(concat_ws('|', course_name, skills_learned::text, duration_hours)), '' "
        "ORDER BY id)) FROM course_completions")) or ""
    return hashlib.sha256(f"{PATHS_VERSION}|{alumni}|{postings}|{courses}".encode()).hexdigest()


def _alumni_frames(session: Session, today) -> tuple[int, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(alumni read, moves, current holders, alumnus skills) from every alumnus's history."""
    moves: list[tuple] = []
    holders: list[tuple] = []
    skill_rows: list[tuple[int, str]] = []
    keys_of: dict[str, list[str]] = {}
    rows = session.execute(text(
        'SELECT id, "current_role", current_company, role_history, skills, skill_keys FROM alumni'))
    count = 0
    for alumnus_id, current_role, company, history, skills, keys in rows:
        count += 1
        steps = career_steps(history, current_role, company)
        for before, after in zip(steps, steps[1:], strict=False):
            moved = after.start or before.end
            moves.append((alumnus_id, before.family[:TEXT_LIMIT], after.family[:TEXT_LIMIT],
                          months_between(before.start, before.end or after.start), moved.year if moved else None))
        if steps and steps[-1].end is None:
            holders.append((alumnus_id, steps[-1].family[:TEXT_LIMIT], years_of_experience(steps, today)))
        if not keys and skills:
            cache_key = "\x1f".join(skills)
            keys = keys_of.get(cache_key) or keys_of.setdefault(cache_key, skill_keys(skills))
        skill_rows.extend((alumnus_id, key) for key in keys or ())
    return (count, _frame(moves, {"alumnus_id": "int64", "from_role": object, "to_role": object,
                                  "months": "float64", "moved_year": "float64"}),
            _frame(holders, {"alumnus_id": "int64", "role": object, "years": "float64"}),
            _frame(skill_rows, {"alumnus_id": "int64", "key": object}).drop_duplicates())


def _frame(rows: list[tuple], dtypes: dict[str, object]) -> pd.DataFrame:
    """Rows as a frame with fixed column types, also when there are none (so empty merges and divisions work)."""
    frame = pd.DataFrame(rows, columns=list(dtypes), dtype=object)
    return frame.astype({c: ("float64" if t == "int64" and frame[c].isna().any() else t) for c, t in dtypes.items()})


def _transitions(moves: pd.DataFrame, skills: pd.DataFrame, label) -> pd.DataFrame:
    pairs = moves.groupby(["from_role", "to_role"]).agg(count=("alumnus_id", "size"), mean_months=("months", "mean"),
                                                        movers=("alumnus_id", "nunique")).reset_index()
    pairs["probability"] = pairs["count"] / pairs.groupby("from_role")["count"].transform("sum")
    movers = moves[["from_role", "to_role", "alumnus_id"]].drop_duplicates().merge(skills, on="alumnus_id")
    held = movers.groupby(["from_role", "to_role", "key"]).size().rename("holders").reset_index()
    held = held.merge(pairs[["from_role", "to_role", "movers"]], on=["from_role", "to_role"])
    held["share"] = held["holders"] / held["movers"]
    held = held[held["share"] >= COMMON_SKILL_SHARE].sort_values(["from_role", "to_role", "share", "key"],
                                                                  ascending=[True, True, False, True])
    common = held.groupby(["from_role", "to_role"])["key"].agg(lambda k: [label(x) for x in k[:COMMON_SKILLS]])
    pairs = pairs.merge(common.rename("common_skills").reset_index(), on=["from_role", "to_role"], how="left")
    pairs["common_skills"] = pairs["common_skills"].apply(lambda v: v if isinstance(v, list) else [])
    return pairs


def _top_keys(members: pd.DataFrame, skills: pd.DataFrame, group: str, min_share: float, top: int) -> pd.Series:
    """Per group, the keys held by at least `min_share` of its members, most held first."""
    size = members.groupby(group)["alumnus_id"].nunique()
    held = members[[group, "alumnus_id"]].drop_duplicates().merge(skills, on="alumnus_id")
    counts = held.groupby([group, "key"]).size().rename("n").reset_index()
    counts["share"] = counts["n"] / counts[group].map(size)
    counts = counts[counts["share"] >= min_share].sort_values([group, "share", "key"], ascending=[True, False, True])
    return counts.groupby(group)["key"].agg(lambda k: list(k[:top]))


def _roles(moves: pd.DataFrame, holders: pd.DataFrame, skills: pd.DataFrame, label) -> pd.DataFrame:
    names = sorted(set(moves["from_role"]) | set(moves["to_role"]) | set(holders["role"]))
    roles = pd.DataFrame(index=pd.Index(names, name="role"))
    roles["alumni_count"] = holders.groupby("role").size()
    roles["movers_out"] = moves.groupby("from_role").size()
    roles["movers_in"] = moves.groupby("to_role").size()
    roles["mean_months_in_role"] = moves.groupby("from_role")["months"].mean()
    roles["mean_years_experience"] = holders.groupby("role")["years"].mean()
    required = _top_keys(holders, skills, "role", REQUIRED_SKILL_SHARE, REQUIRED_SKILLS)
    roles["required_skills"] = [[label(k) for k in required.get(role, [])] for role in names]
    for column in ("alumni_count", "movers_out", "movers_in"):
        roles[column] = roles[column].fillna(0).astype(int)
    return roles.reset_index()


def _posting_frame(session: Session) -> pd.DataFrame:
    """One row per (posting, skill key) with the posting's title family."""
    rows = []
    keys_of: dict[str, list[str]] = {}
    for posting_id, title, skills in session.execute(text("SELECT id, title, skills FROM job_postings")):
        family = role_family(title)
        for skill in skills or ():
            keys = keys_of.get(skill)
            if keys is None:
                keys = keys_of[skill] = skill_keys([skill])
            rows.extend((posting_id, family, key) for key in keys)
    return pd.DataFrame(rows, columns=["posting_id", "role", "key"]).drop_duplicates()


def _role_skills(moves: pd.DataFrame, holders: pd.DataFrame, skills: pd.DataFrame, postings: pd.DataFrame,
                 roles: list[str], label) -> pd.DataFrame:
    movers_in = moves[["to_role", "alumnus_id"]].drop_duplicates().rename(columns={"to_role": "role"})
    # Roles nobody moved into (where careers start) take their current holders instead.
    starters = holders[~holders["role"].isin(set(movers_in["role"]))][["role", "alumnus_id"]]
    people = pd.concat([movers_in, starters], ignore_index=True)
    size = people.groupby("role")["alumnus_id"].nunique()
    held = people.merge(skills, on="alumnus_id").groupby(["role", "key"]).size().rename("n").reset_index()
    held["mover_share"] = held["n"] / held["role"].map(size)
    total_postings = postings["posting_id"].nunique()
    overall = (postings.groupby("key")["posting_id"].nunique() / total_postings) if total_postings else pd.Series(
        dtype=float, index=pd.Index([], dtype=object, name="key"))
    by_role = postings.dropna(subset=["role"])
    role_size = by_role.groupby("role")["posting_id"].nunique()
    demand = by_role.groupby(["role", "key"])["posting_id"].nunique().rename("n").reset_index()
    demand["demand"] = demand["n"] / demand["role"].map(role_size)
    frames = []
    for role in roles:
        mine = held[held["role"] == role][["key", "mover_share"]]
        if role in role_size.index:
            asked = demand[demand["role"] == role][["key", "demand"]]
        else:
            asked = overall.rename("demand").rename_axis("key").reset_index()
            asked = asked[asked["key"].isin(set(mine["key"]))]
        frame = mine.merge(asked, on="key", how="outer").fillna(0.0)
        if frame.empty:
            continue
        frame["priority"] = MOVER_WEIGHT * frame["mover_share"] + DEMAND_WEIGHT * frame["demand"]
        frame = frame.sort_values(["priority", "key"], ascending=[False, True]).head(ROLE_SKILLS)
        frame["role"] = role
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["role", "skill", "mover_share", "demand", "priority"])
    result = pd.concat(frames, ignore_index=True)
    result["skill"] = result["key"].map(label)
    return result.drop_duplicates(["role", "skill"])


def _courses(session: Session, label) -> pd.DataFrame:
    rows = session.execute(text("SELECT course_name, skills_learned, duration_hours FROM course_completions")).all()
    if not rows:
        return pd.DataFrame(columns=["skill", "course_name", "completions", "hours", "hours_estimated"])
    frame = pd.DataFrame(rows, columns=["course_name", "skills", "hours"])
    keys_of: dict[str, list[str]] = {}
    frame["keys"] = frame["skills"].map(lambda s: keys_of.setdefault("\x1f".join(s or ()), skill_keys(s or [])))
    course = frame.groupby("course_name").agg(completions=("course_name", "size"), hours=("hours", "median"))
    taught = frame[["course_name", "keys"]].explode("keys").dropna().drop_duplicates()
    course["skills_taught"] = taught.groupby("course_name").size()
    course["skills_taught"] = course["skills_taught"].fillna(0).clip(lower=1)
    stated = course.dropna(subset=["hours"])
    per_skill = float((stated["hours"] / stated["skills_taught"]).median()) if len(stated) else DEFAULT_HOURS_PER_SKILL
    course["hours_estimated"] = course["hours"].isna()
    course["hours"] = course["hours"].fillna(course["skills_taught"] * per_skill).round(1)
    result = taught.rename(columns={"keys": "key"}).merge(course.reset_index(), on="course_name")
    result["skill"] = result["key"].map(label)
    result["course_name"] = result["course_name"].str.slice(0, 300)
    return result.drop_duplicates(["skill", "course_name"])[
        ["skill", "course_name", "completions", "hours", "hours_estimated"]]


def _none(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _write(session: Session, moves: pd.DataFrame, transitions: pd.DataFrame, roles: pd.DataFrame,
           role_skills: pd.DataFrame, courses: pd.DataFrame) -> None:
    for model in (CareerMove, CareerTransition, CareerRole, CareerRoleSkill, SkillCourse):
        session.execute(delete(model))
    if len(moves):
        columns = ("alumnus_id", "from_role", "to_role", "months", "moved_year")
        copy_to_temp_table(session, "new_career_moves", "career_moves", columns, (
            (a, f, t, _none(m), None if y is None or y != y else int(y))
            for a, f, t, m, y in moves[list(columns)].itertuples(index=False, name=None)))
        names = ", ".join(columns)
        session.execute(text(f"INSERT INTO career_moves ({names}) SELECT {names} FROM new_career_moves"))
        session.execute(text("DROP TABLE new_career_moves"))
    if len(transitions):
        session.execute(insert(CareerTransition), [
            {"from_role": r.from_role, "to_role": r.to_role, "count": int(r.count),
             "probability": round(float(r.probability), 6), "mean_months": _none(r.mean_months),
             "common_skills": r.common_skills} for r in transitions.itertuples(index=False)])
    if len(roles):
        session.execute(insert(CareerRole), [
            {"role": r.role, "alumni_count": int(r.alumni_count), "movers_out": int(r.movers_out),
             "movers_in": int(r.movers_in), "mean_months_in_role": _none(r.mean_months_in_role),
             "mean_years_experience": _none(r.mean_years_experience), "required_skills": r.required_skills}
            for r in roles.itertuples(index=False)])
    if len(role_skills):
        session.execute(insert(CareerRoleSkill), [
            {"role": r.role, "skill": r.skill, "mover_share": round(float(r.mover_share), 6),
             "demand": round(float(r.demand), 6), "priority": round(float(r.priority), 6)}
            for r in role_skills.itertuples(index=False)])
    if len(courses):
        session.execute(insert(SkillCourse), [
            {"skill": r.skill, "course_name": r.course_name, "completions": int(r.completions),
             "hours": float(r.hours), "hours_estimated": bool(r.hours_estimated)}
            for r in courses.itertuples(index=False)])


def rebuild_career_paths(session: Session, *, clock: Clock, force: bool = False) -> dict:
    """Rebuild moves, transitions, role statistics, role skills and the course index from the alumni, postings and
    completions; skipped when they are unchanged since the last build, unless forced. Replaces the rows in a
    savepoint, so a failure keeps the previous ones; the caller commits."""
    started = time.perf_counter()
    digest = input_hash(session)
    build = session.get(CareerBuild, BuildKind.CAREER_PATHS.value)
    if build is not None and build.input_hash == digest and not force:
        return {**build.summary, "skipped": True}
    now = clock.now()
    label = SkillLabels(session)
    alumni, moves, holders, skills = _alumni_frames(session, now.date())
    transitions = _transitions(moves, skills, label)
    roles = _roles(moves, holders, skills, label)
    role_skills = _role_skills(moves, holders, skills, _posting_frame(session), list(roles["role"]), label)
    courses = _courses(session, label)
    summary = {"alumni": alumni, "moves": len(moves),
               "transitions": len(transitions), "roles": len(roles), "role_skills": len(role_skills),
               "skill_courses": len(courses)}
    with session.begin_nested():
        _write(session, moves, transitions, roles, role_skills, courses)
        if build is None:
            build = CareerBuild(kind=BuildKind.CAREER_PATHS.value)
            session.add(build)
        build.input_hash, build.built_at, build.summary = digest, now, summary
    session.flush()
    return {**summary, "seconds": round(time.perf_counter() - started, 2), "skipped": False}


def export_transitions_csv(session: Session) -> str:
    """The transition matrix as CSV (from_role, to_role, count, probability, mean_months), most likely first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    rows = session.scalars(select(CareerTransition).order_by(
        CareerTransition.from_role, CareerTransition.probability.desc(), CareerTransition.to_role))
    for row in rows:
        writer.writerow([safe_csv_cell(row.from_role), safe_csv_cell(row.to_role), row.count,
                         f"{row.probability:.4f}", "" if row.mean_months is None else f"{row.mean_months:.1f}"])
    return out.getvalue()
