"""Organizer page: the community's skill graph — the network of top skills by cluster, related skills, trending
skills, the clusters, and alumni found by skills."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Role
from core.careers.results import AlumniViewer
from ui import careers
from ui.auth import require_role
from ui.tables import data_table
from ui.text import chart_safe, plain

user = require_role(Role.ORGANIZER, Role.ADMIN)
st.title("Skills")

REASONS = {"same_family": "same skill family", "demanded_together": "demanded together in job postings",
           "often_together": "often listed together", "similar_meaning": "similar meaning"}
LABELLED_NODES = 20  # the most popular skills are named on the chart; every skill has its name on hover


version = careers.current_version()
summary = careers.graph_summary(version.skill_graph)
if summary is None:
    st.info("No skill graph yet. It is built from the skills of alumni, job postings, course completions and "
            "attendees: an admin uploads **Alumni**, **Job market** or **Educational** data on the Uploads page, and "
            "the jobs worker rebuilds the graph right after each upload, and nightly. To build it now, run "
            "`python -m jobs run skill-graph`.")
    st.stop()
st.caption(f"{summary.skills:,} skills, {summary.relations:,} relations between them and {summary.clusters:,} "
           f"clusters, built {summary.built_at:%Y-%m-%d %H:%M} UTC from the skills of alumni, job postings, courses "
           "and attendees. Rebuilt after every alumni, job-market or educational upload, and nightly.")

st.subheader("Skill network")
nodes, edges, positions = careers.network(version.skill_graph)
figure = go.Figure()
for strong in (False, True):
    xs, ys = [], []
    for edge in edges:
        if (edge.weight >= 0.5) == strong:
            (x0, y0), (x1, y1) = positions[edge.source], positions[edge.target]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
    figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                line={"width": 1.8 if strong else 0.6, "color": "#8a8f98" if strong else "#c9ccd1"}))
labelled = {node.name for node in sorted(nodes, key=lambda n: -n.popularity)[:LABELLED_NODES]}
colours = px.colors.qualitative.D3 + px.colors.qualitative.Set2
by_cluster: dict[str, list] = {}
for node in nodes:
    by_cluster.setdefault(node.cluster, []).append(node)
for index, (cluster, members) in enumerate(sorted(by_cluster.items(), key=lambda item: -len(item[1]))):
    figure.add_trace(go.Scatter(
        x=[positions[n.name][0] for n in members], y=[positions[n.name][1] for n in members], mode="markers+text",
        name=chart_safe(cluster, 40), text=[chart_safe(n.name, 30) if n.name in labelled else "" for n in members],
        textposition="top center", textfont={"size": 11},
        marker={"size": [10 + 26 * n.popularity for n in members], "color": colours[index % len(colours)],
                "line": {"width": 1, "color": "white"}},
        hovertext=[f"<b>{chart_safe(n.name)}</b><br>Cluster: {chart_safe(n.cluster)}<br>Alumni: {n.alumni_count:,}"
                   f" · job postings: {n.job_count:,}<br>Popularity: {n.popularity:.0%}" for n in members],
        hoverinfo="text"))
figure.update_layout(height=620, margin={"t": 10, "b": 10, "l": 10, "r": 10}, plot_bgcolor="white",
                     legend={"title": {"text": "Clusters:"}, "itemsizing": "constant", "orientation": "h",
                             "yanchor": "top", "y": -0.02},
                     xaxis={"visible": False}, yaxis={"visible": False})
st.plotly_chart(figure, width="stretch", key="skills_network")
st.caption(f"The {len(nodes)} most popular skills; a circle is larger the more popular the skill, its colour is its "
           "cluster, and a line joins related skills (darker: more strongly related). Hover for counts; drag to "
           "zoom, double-click to reset.")

st.subheader("Related skills")
choices = careers.skill_choices(version.skill_graph)


def pick(source: str) -> None:
    """A suggestion clicked: it becomes the skill asked for."""
    if st.session_state.get(source):
        st.session_state["skills_related"] = st.session_state[source]


example = choices[0] if choices else "Python"
asked = st.text_input("Skill", key="skills_related", placeholder=f"Type a skill, e.g. {example}",
                      help="Any spelling: \"JS\" finds JavaScript")
if not asked:
    st.pills("Popular skills", choices[:8], format_func=plain, key="skills_popular", on_change=pick,
             args=("skills_popular",))
else:
    name, related, suggestions = careers.related(asked.strip(), version.skill_graph)
    if name is None:
        st.info(f"No skill called “{plain(asked, 80)}” in the graph."
                + (" Did you mean one of these?" if suggestions else " Check the spelling."))
        if suggestions:
            st.pills("Did you mean", suggestions, format_func=plain, key="skills_suggested", on_change=pick,
                     args=("skills_suggested",),
                     label_visibility="collapsed")
    elif not related:
        st.info(f"{plain(name)} has no related skills yet.")
    else:
        st.caption(f"Skills related to **{plain(name)}**, strongest first.")
        data_table(pd.DataFrame([{"skill": r.skill, "score": r.score, "similarity": r.similarity,
                                  "why": r.reason_text or REASONS.get(r.reason, r.reason)} for r in related]),
                   height=35 * (len(related) + 1) + 3,
                   column_config={
                       "skill": st.column_config.TextColumn(width=150),
                       "score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0, format="%.2f",
                                                                width="small", help="How related overall (0–1)"),
                       "similarity": st.column_config.NumberColumn("similarity", format="%.2f", width="small",
                                                                   help="Similarity in meaning: the cosine of the "
                                                                        "skills' embeddings"),
                       "why": st.column_config.TextColumn("why", width=560)})

st.subheader("Trending skills")
trends = careers.trending(version.skill_graph)
if not trends:
    st.info("Not enough dated job postings to compare recent demand with earlier demand. Upload job-market data with "
            "posting dates to see trends.")
else:
    frame = pd.DataFrame(trends)
    frame["label"] = frame["skill"].map(lambda s: chart_safe(s, 40))
    frame["growth %"] = (100 * frame["growth"]).round(0)
    frame["direction"] = frame["growth"].map(lambda g: "rising" if g > 0 else "falling")
    chart = px.bar(frame, x="growth %", y="label", orientation="h", color="direction",
                   color_discrete_map={"rising": "#2a9d8f", "falling": "#e76f51"},
                   hover_data={"label": False, "recent": True, "earlier": True, "direction": False},
                   labels={"recent": "recent postings", "earlier": "earlier postings"})
    chart.update_layout(height=max(260, 28 * len(frame) + 80), margin={"t": 10, "b": 10}, yaxis_title=None,
                        legend_title_text=None)
    chart.update_yaxes(autorange="reversed")
    st.plotly_chart(chart, width="stretch", key="skills_trending")
    st.caption("Change in the share of job postings asking for each skill, recent postings against earlier ones.")

st.subheader("Clusters")
data_table(pd.DataFrame(careers.clusters(version.skill_graph)),
           column_config={"cluster": None, "name": st.column_config.TextColumn("cluster", width=260),
                          "skills": st.column_config.NumberColumn("skills", width="small",
                                                                  help="How many skills it holds"),
                          "most central": st.column_config.TextColumn("most central skills", width="large")})

st.subheader("Find alumni by skills")
wanted = st.multiselect("Skills", choices, max_selections=10, key="skills_find_alumni",
                        placeholder="Choose up to 10 skills")
if wanted:
    found = careers.alumni_with(tuple(wanted), AlumniViewer(person_id=user.person_id, organizer_view=True))
    if not found:
        st.info("No alumni you may see have these skills or related ones.")
    else:
        st.caption(f"{len(found)} alumni, best match first: the share of the chosen skills each one has (a related "
                   "skill counts partly). Alumni who chose to be hidden are never listed.")
        table = pd.DataFrame([{
            "name": m.name, "match": m.score, "matching skills": ", ".join(m.matching_skills),
            "related skills": ", ".join(f"{theirs} (for {asked})" for asked, theirs in m.related_skills),
            "current role": m.current_role, "company": m.current_company, "batch": m.batch_year,
            "department": m.department} for m in found])
        if not table["related skills"].str.len().any():
            table = table.drop(columns="related skills")
        data_table(table, column_config={
            "name": st.column_config.TextColumn(width="medium"),
            "match": st.column_config.ProgressColumn("match", min_value=0.0, max_value=1.0, format="percent",
                                                     width="small"),
            "matching skills": st.column_config.TextColumn(width="medium"),
            "related skills": st.column_config.TextColumn(width="medium", help="Their skills related to ones you "
                                                                                "chose, which count partly"),
            "current role": st.column_config.TextColumn(width="medium"),
            "batch": st.column_config.NumberColumn("batch", format="%d", width="small")})
