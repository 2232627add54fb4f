"""Organizer page: career paths in the alumni community — a Sankey of the top moves between role families, role-family
statistics, transitions from a role, the next-role model's versions and the transitions download."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Role
from ui import careers
from ui.auth import require_role
from ui.tables import data_table
from ui.text import chart_safe, plain

user = require_role(Role.ORGANIZER, Role.ADMIN)
st.title("Careers")

ALGORITHMS = {"random_forest": "Random forest", "logistic_regression": "Logistic regression",
              "extra_trees": "Extra trees", "majority_move": "Majority move (the transition matrix)"}


def algorithm_name(name: str) -> str:
    return ALGORITHMS.get(name, name.replace("_", " ").capitalize())


def rgba(colour: str, alpha: float) -> str:
    """A plotly colour ("#1f77b4" or "rgb(…)") made translucent."""
    red, green, blue = px.colors.hex_to_rgb(colour) if colour.startswith("#") else px.colors.unlabel_rgb(colour)
    return f"rgba({red:.0f}, {green:.0f}, {blue:.0f}, {alpha})"


def share(value) -> str:
    return "–" if value is None else f"{value:.0%}"


version = careers.current_version()
top = careers.moves(version.career_paths) if version.career_paths else []
if not top:
    st.info("No career paths yet. They are built from the alumni's role histories: an admin uploads **Alumni** (with "
            "their role history) on the Uploads page, and the jobs worker builds the transitions and trains the "
            "next-role model after each alumni upload, and nightly. To build them now, run "
            "`python -m jobs run career-model`.")
    st.stop()
st.caption(f"Built {version.career_paths:%Y-%m-%d %H:%M} UTC from the alumni's role histories, titles grouped into "
           "role families (\"Sr. Software Engineer II\" counts as Senior Software Engineer). Rebuilt after every "
           "alumni upload, and nightly.")

st.subheader("Top moves between role families")
left = list(dict.fromkeys(m["from_role"] for m in top))
right = list(dict.fromkeys(m["to_role"] for m in top))
labels = [chart_safe(role, 40) for role in left + right]
# One colour per role family on both sides, so a family reads as the same thing where people leave and arrive.
palette = px.colors.qualitative.D3 + px.colors.qualitative.Set2 + px.colors.qualitative.Pastel
colour_of = {role: palette[i % len(palette)] for i, role in enumerate(dict.fromkeys(left + right))}
figure = go.Figure(go.Sankey(
    arrangement="snap",
    node={"label": labels, "color": [colour_of[role] for role in left + right], "pad": 14, "thickness": 14,
          "line": {"width": 0.5, "color": "#888"},
          "hovertemplate": "%{label}<br>%{value:,} moves<extra></extra>"},
    link={"source": [left.index(m["from_role"]) for m in top],
          "target": [len(left) + right.index(m["to_role"]) for m in top],
          "value": [m["count"] for m in top],
          "customdata": [[chart_safe(m["from_role"], 40), chart_safe(m["to_role"], 40), f"{m['probability']:.0%}",
                          "time in role not known" if m["mean_months"] is None
                          else f"after {m['mean_months']:.0f} months in the role on average"] for m in top],
          "hovertemplate": "%{customdata[0]} → %{customdata[1]}<br>%{value:,} people (%{customdata[2]} of those "
                           "who left)<br>%{customdata[3]}<extra></extra>",
          "color": [rgba(colour_of[m["from_role"]], 0.3) for m in top]},
    textfont={"color": "#1f2430", "size": 13, "shadow": "1px 1px 2px white"}))
figure.update_layout(height=max(420, 34 * max(len(left), len(right))), margin={"t": 10, "b": 10, "l": 10, "r": 10},
                     font={"size": 12})
st.plotly_chart(figure, width="stretch", key="careers_sankey")
st.caption(f"The {len(top)} most frequent moves: where people were (left) and the role family they moved to (right); "
           "a band is wider the more people made the move. Hover for counts, shares and time in role.")

st.subheader("Role families")
role_rows = careers.roles(version.career_paths)
frame = pd.DataFrame(role_rows)
for column, digits in (("mean months in role", 0), ("mean years of experience", 1)):
    frame[column] = frame[column].map(lambda v, d=digits: "–" if v is None or pd.isna(v) else f"{v:.{d}f}")
data_table(frame, height=min(420, 35 * (len(role_rows) + 1) + 3), column_config={
    "role family": st.column_config.TextColumn(width=210),
    "current holders": st.column_config.NumberColumn(width=115),
    "moved in": st.column_config.NumberColumn(width=80),
    "moved out": st.column_config.NumberColumn(width=85),
    "mean months in role": st.column_config.TextColumn("months in role", width=110,
                                                       help="Mean months in the role before moving on (– when "
                                                            "nobody moved on yet)"),
    "mean years of experience": st.column_config.TextColumn("years of experience", width=140,
                                                            help="Mean years of experience of the current holders"),
    "typical skills": st.column_config.TextColumn(width="large")})

st.subheader("Transitions from a role")
families = careers.families(version.career_paths)
start = st.selectbox("Role family", left + [f for f in families if f not in left], key="careers_from_role",
                     help="Role families with moves out of them come first")
rows = careers.transitions(start, version.career_paths)
if not rows:
    st.info(f"Nobody in the data moved on from {plain(start)} yet.")
else:
    data_table(pd.DataFrame(rows), column_config={
        "probability": st.column_config.ProgressColumn("probability", min_value=0.0, max_value=1.0, format="percent",
                                                       help="Of the people who left this role, the share who went "
                                                            "there"),
        "mean months": st.column_config.NumberColumn("mean months in role", format="%.0f"),
        "skills common among movers": st.column_config.TextColumn(width="large")})
st.download_button("Download all transitions (CSV)", careers.transitions_csv, "transitions.csv", "text/csv",
                   icon=":material/download:", key="careers_transitions_csv", on_click="ignore")
st.caption("Columns: from_role, to_role, count, probability, mean_months — the same file as "
           "`python -m jobs export transitions`.")

st.subheader("Next-role model")
models = careers.models(version.career_model)
if not models:
    st.info("No next-role model yet: it is trained by the career-model job after the career paths are built, when the "
            "role histories hold enough moves.")
    st.stop()
active = next((m for m in models if m.in_use), models[0])
metrics = active.metrics
c1, c2, c3 = st.columns(3)
c1.metric("Model in use", f"version {active.version}", algorithm_name(active.algorithm), delta_color="off",
          delta_arrow="off", border=True)
c2.metric("Held-out top-1 accuracy", share(metrics.get("holdout_top1")),
          f"baseline {share(metrics.get('baseline_top1'))}", delta_color="off", delta_arrow="off", border=True,
          help="On people kept out of training: how often the most likely next role was right. The baseline "
               "always predicts the most frequent move from the person's role.")
c3.metric("Held-out top-3 accuracy", share(metrics.get("holdout_top3")),
          f"baseline {share(metrics.get('baseline_top3'))}", delta_color="off", delta_arrow="off", border=True,
          help="How often the right next role was among the three most likely ones")
st.caption(f"Trained {active.trained_at:%Y-%m-%d %H:%M} UTC on {active.training_rows:,} career steps"
           + (f" of {metrics['train_people']:,} people; tested on {metrics['holdout_people']:,} others"
              if "train_people" in metrics and "holdout_people" in metrics else "")
           + ". It predicts the next role within two years, or that the person stays.")
candidates = metrics.get("candidates") or {}
if candidates:
    st.markdown("**Candidates compared by cross-validation** (the best was chosen)")
    data_table(pd.DataFrame([{"algorithm": algorithm_name(name), "chosen": name == metrics.get("chosen"),
                              "mean top-1 accuracy": scores.get("cv_top1_mean"),
                              "spread (std)": scores.get("cv_top1_std")} for name, scores in candidates.items()]),
               column_config={"mean top-1 accuracy": st.column_config.NumberColumn(format="percent"),
                              "spread (std)": st.column_config.NumberColumn(format="%.3f")})
st.markdown("**Versions**")
data_table(pd.DataFrame([{"version": m.version, "status": "in use" if m.in_use else "retired",
                          "trained": m.trained_at, "algorithm": algorithm_name(m.algorithm),
                          "training steps": m.training_rows, "held-out top-1": m.metrics.get("holdout_top1"),
                          "baseline top-1": m.metrics.get("baseline_top1")} for m in models]),
           column_config={"trained": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                          "held-out top-1": st.column_config.NumberColumn(format="percent"),
                          "baseline top-1": st.column_config.NumberColumn(format="percent")})
