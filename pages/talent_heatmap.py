"""Organizer page: where alumni talent is, on a map — density, DBSCAN hubs, emerging hubs, drill-down."""

import numpy as np
import pandas as pd
import plotly.express as px
import pydeck as pdk
import streamlit as st

from core.accounts import Role
from core.alumni.talent import (
    DEFAULT_MIN_ALUMNI,
    TalentFilters,
    alumni_version,
    country_outlines,
    filter_options,
    find_hubs,
    hub_members,
    hub_rows,
    job_demand,
    load_points,
    snapshot_growth,
)
from core.ingest.tabular import safe_csv_cell
from ui.auth import require_role
from ui.resources import db_session, settings
from ui.tables import data_table
from ui.text import chart_safe, plain

user = require_role(Role.ORGANIZER)
st.title("Talent heatmap")

@st.cache_data(max_entries=4, show_spinner=False)
def options_for(version: tuple) -> dict:
    """The filter choices scan every alumnus, so they are computed once per version of the alumni data."""
    with db_session() as session:
        return filter_options(session)


with db_session() as session:
    version = alumni_version(session)
options = options_for(version)
if options["years"] is None and not options["industries"]:
    st.info("No alumni yet. An admin can upload them on the Uploads page; they appear here once located.")
    st.stop()

with st.expander("Filters and clustering", expanded=True):
    c1, c2, c3 = st.columns(3)
    skill = c1.selectbox("Skill", ["", *options["skills"]], format_func=lambda s: s or "Any skill")
    industry = c2.selectbox("Industry", ["", *options["industries"]], format_func=lambda s: s or "Any industry")
    company = c3.text_input("Company contains")
    c4, c5, c6, c7 = st.columns([2, 2, 1, 1])
    role = c4.text_input("Role contains")
    years = None
    if options["years"] and options["years"][0] < options["years"][1]:
        years = c5.slider("Batch years", options["years"][0], options["years"][1], options["years"])
    radius = c6.number_input("Hub radius km", 5.0, 500.0, float(settings().talent_hub_radius_km), 5.0)
    min_alumni = c7.number_input("Min alumni", 2, 500, DEFAULT_MIN_ALUMNI)
filters = TalentFilters(skill, industry, company, role, tuple(years) if years else None)

@st.cache_data(max_entries=20, show_spinner=False)
def hubs_for(filters: TalentFilters, radius_km: float, min_count: int, version: tuple):
    """Clustering is recomputed only when the filters, the settings or the alumni change."""
    with db_session() as session:
        found = load_points(session, filters)
    return (found, *find_hubs(found, radius_km, min_count))


with st.spinner("Clustering alumni…"):
    points, hubs, labels = hubs_for(filters, radius, int(min_alumni), version)
if not len(points):
    st.info("No located alumni match these filters. Widen them, or run the geocoding job for new uploads.")
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric("Alumni on the map", f"{len(points):,}")
m2.metric("Hubs", len(hubs))
m3.metric("In a hub", f"{(labels >= 0).mean():.0%}")

density = (pd.DataFrame({"lat": points.lat.round(3), "lon": points.lon.round(3)})
           .value_counts().rename("alumni").reset_index())
# Hexagons sized to the spread of the data: city-level for one region, country-level for the world.
spread_km = 111 * float(np.hypot(np.ptp(points.lat), np.ptp(points.lon) * np.cos(np.radians(points.lat.mean()))))
hex_radius_m = int(np.clip(spread_km / 40, 5, 150) * 1000)
hub_frame = pd.DataFrame([{"lat": h.lat, "lon": h.lon, "alumni": h.size, "size": float(np.sqrt(h.size)),
                           "label": f"Hub of {h.size} alumni", "location": "",
                           "skills": chart_safe(", ".join(s for s, _ in h.top_skills[:3]), None),
                           "companies": "Companies: " + chart_safe(", ".join(c for c, _ in h.top_companies[:3]), None)}
                          for h in hubs])
# Country outlines first, so everything else draws over them: the map reads even when no tile server answers
# (offline); translucent, so the tile base map still shows through when one does.
layers = [pdk.Layer("GeoJsonLayer", data=country_outlines(), id="countries", stroked=True, filled=True,
                    get_fill_color=[200, 205, 195, 90], get_line_color=[110, 110, 110, 180],
                    line_width_min_pixels=0.5, pickable=False),
          pdk.Layer("HexagonLayer", data=density, id="density", get_position="[lon, lat]",
                    get_elevation_weight="alumni", get_color_weight="alumni", elevation_aggregation="SUM",
                    color_aggregation="SUM", radius=hex_radius_m, elevation_scale=hex_radius_m / 200,
                    extruded=True, pickable=False, opacity=0.6)]
if not hub_frame.empty:
    layers.append(pdk.Layer("ScatterplotLayer", data=hub_frame, id="hubs", get_position="[lon, lat]",
                            get_radius="size", radius_scale=hex_radius_m / 4, radius_min_pixels=4,
                            radius_max_pixels=40, get_fill_color=[230, 80, 60, 140], get_line_color=[120, 30, 20],
                            stroked=True, line_width_min_pixels=1, pickable=True))
with db_session() as session:
    demand = pd.DataFrame(job_demand(session, skill))
if not demand.empty and st.toggle(f"Overlay job-market demand ({int(demand['jobs'].sum()):,} located postings"
                                  f"{' asking for ' + plain(skill) if skill else ''})"):
    demand["size"] = np.sqrt(demand["jobs"])
    demand["label"] = demand["jobs"].map(lambda n: f"{n} job postings")
    demand["companies"] = ""
    for column in ("location", "skills"):  # uploaded text, shown in the HTML tooltip
        demand[column] = demand[column].map(lambda text: chart_safe(text, None))
    layers.append(pdk.Layer("ScatterplotLayer", data=demand, id="jobs", get_position="[lon, lat]", get_radius="size",
                            radius_scale=hex_radius_m / 4, radius_min_pixels=3, radius_max_pixels=30,
                            get_fill_color=[40, 110, 220, 150], pickable=True))
st.pydeck_chart(pdk.Deck(
    layers=layers,
    initial_view_state=pdk.ViewState(latitude=float(points.lat.mean()), longitude=float(points.lon.mean()),
                                     zoom=float(np.clip(8 - np.log2(max(spread_km, 1) / 10), 0.8, 10)), pitch=35),
    tooltip={"html": "<b>{label}</b> {location}<br/>Skills: {skills}<br/>{companies}"}))
st.caption("Grey: country outlines. Columns: alumni density (taller and warmer is more). Red circles: hubs found "
           "by DBSCAN. Blue circles: open job postings. Hover for counts, top skills and companies.")

if not hubs:
    st.info("No hub has enough alumni within the radius. Lower 'Min alumni' or widen the radius.")
    st.stop()

table = pd.DataFrame(hub_rows(hubs))
st.subheader("Hubs")
data_table(table, hide_index=True, width="stretch")
st.download_button("Download hubs as CSV", table.map(safe_csv_cell).to_csv(index=False).encode(),
                   "talent_hubs.csv", "text/csv")

growing = [row for row, hub in zip(hub_rows(hubs), hubs, strict=True) if hub.growth is not None]
if growing:
    st.subheader("Emerging hubs")
    chart = pd.DataFrame({"hub": [f"Hub {r['hub']} ({r['top industries'].split(',')[0] or 'mixed'})" for r in growing],
                          "growth %": [100 * h.growth for h in hubs if h.growth is not None]})
    st.plotly_chart(px.bar(chart.sort_values("growth %", ascending=False).head(15), x="hub", y="growth %",
                           title="Recent classes vs the five before them"), width="stretch")

with db_session() as session:
    between_uploads = snapshot_growth(session)
if between_uploads:
    then, latest, changes = between_uploads
    st.subheader("Hub growth between uploads")
    st.caption(f"All located alumni, clustered by the talent-clusters job on {then:%Y-%m-%d %H:%M} and on "
               f"{latest:%Y-%m-%d %H:%M} UTC (it runs after every alumni upload). Filters do not apply here.")
    frame = pd.DataFrame(changes)
    st.plotly_chart(px.bar(frame.head(15), x="hub", y="change", hover_data=["alumni before", "alumni now"],
                           title="Alumni gained per hub since the previous snapshot"), width="stretch")
    data_table(frame.assign(growth=frame["growth"].map(lambda g: f"{g:+.0%}" if pd.notna(g) else "new")),
                 hide_index=True, width="stretch")

st.subheader("Drill down")
chosen = st.selectbox("Hub", list(range(len(hubs))), format_func=lambda i: f"Hub {i + 1} — {hubs[i].size} alumni")
with db_session() as session:
    members = hub_members(session, hubs[chosen])
data_table(pd.DataFrame([{"name": a.name, "batch": a.batch_year, "company": a.current_company,
                            "role": a.current_role, "industry": a.industry, "location": a.location,
                            "skills": ", ".join(a.skills)} for a in members]), hide_index=True, width="stretch")
