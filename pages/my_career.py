"""Attendee page: for an alumnus, their likely next roles with the skills gap and advice, and a learning path to a role
they choose; for everyone, alumni found by skills among those who share their profile with the community."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.accounts import Role
from core.careers.results import AlumniViewer
from ui import careers
from ui.auth import require_role
from ui.tables import data_table
from ui.text import chart_safe, plain

user = require_role(Role.ATTENDEE)
st.title("My career")

viewer = AlumniViewer(person_id=user.person_id, organizer_view=False)
version = careers.current_version()
alumnus = careers.alumnus_of(user.person_id)


def skills_listed(skills: list[str]) -> str:
    return ", ".join(skills) if skills else "–"


if alumnus is None:
    st.info("We found no alumni record with your email address, so there is nothing to predict yet. This page shows "
            "an alumnus their likely next roles and a learning path; it uses the alumni records the organizers "
            "upload. You can still find alumni by skills below.")
else:
    headline = plain(alumnus.current_role or "no current role on record")
    if alumnus.current_company:
        headline += f" at {plain(alumnus.current_company)}"
    st.markdown(f"**{plain(alumnus.name)}** · {headline}")
    st.caption("From your alumni record" + (f" · your skills: {plain(', '.join(alumnus.skills), 300)}"
                                             if alumnus.skills else ""))

    st.subheader("Your likely next roles")
    stored = careers.prediction_of(alumnus.alumnus_id)
    if stored is None or not stored.predictions:
        st.info("Predictions appear after the nightly career model run: it learns from the moves alumni made and "
                "stores each alumnus's likely next roles.")
    else:
        rows = stored.predictions
        chart = pd.DataFrame({"role": [chart_safe(p.get("role")) for p in rows],
                              "probability": [float(p.get("probability") or 0) for p in rows]})
        figure = px.bar(chart, x="probability", y="role", orientation="h", text_auto=".0%")
        figure.update_layout(height=60 + 44 * len(rows), margin={"t": 10, "b": 10}, yaxis_title=None,
                             xaxis_title="probability of the move within two years")
        figure.update_xaxes(tickformat=".0%", range=[0, max(1.0, chart["probability"].max())])
        figure.update_yaxes(autorange="reversed")
        st.plotly_chart(figure, width="stretch", key="my_career_predictions")
        data_table(pd.DataFrame([{
            "next role": p.get("role"), "probability": f"{float(p.get('probability') or 0):.0%}",
            "time frame": p.get("timeframe") or "not known yet", "confidence": p.get("confidence"),
            "alumni who made this move": p.get("similar_alumni_count"),
            "skills gap": skills_listed(p.get("skills_gap") or []),
            "required skills": skills_listed(p.get("required_skills") or [])} for p in rows]),
            column_config={"next role": st.column_config.TextColumn(width=160),
                           "probability": st.column_config.TextColumn(width=85),
                           "time frame": st.column_config.TextColumn(width=110),
                           "confidence": st.column_config.TextColumn(width=90),
                           "alumni who made this move": st.column_config.NumberColumn(
                               "alumni who moved", width=120, help="Alumni like you who made this move"),
                           "skills gap": st.column_config.TextColumn(width=210,
                                                                     help="Required skills you do not list yet"),
                           "required skills": st.column_config.TextColumn(width=210)})
        st.caption(f"From your role ({plain(stored.current_role or 'unknown')}), your skills and experience, and the "
                   f"moves of alumni like you; computed {stored.computed_at:%Y-%m-%d}"
                   + (f" by model version {stored.model_version}" if stored.model_version else "") + ".")
        if stored.advice:
            source = "Written by AI from your role and skills — check it against your own plans." \
                if stored.advice_by_ai else "Written from a template from your predictions."
            with st.container(border=True):
                st.markdown("**Advice**")
                st.markdown(plain(stored.advice, 2000))
                st.caption(source)

    st.subheader("Learning path")
    predicted = [p.get("role") for p in (stored.predictions if stored else []) if p.get("role")]
    families = careers.families(version.career_paths) if version.career_paths else []
    targets = list(dict.fromkeys([*predicted, *families]))
    if not targets:
        st.info("Learning paths appear once the career paths are built from the alumni's role histories.")
    else:
        target = st.selectbox("Target role", targets, index=0, key="my_career_target",
                              help="Your most likely next role first; any role family can be chosen")
        path = careers.path_to(alumnus.alumnus_id, target, viewer)
        st.page_link("pages/capsules.py", label=f"Capsules that teach the skills for {plain(target, 80)}",
                     query_params={"role": target}, icon=":material/menu_book:")
        if not path.steps:
            st.info(f"No skills to learn for {plain(target)} from the data: either you already have the skills "
                    "people who moved there had, or too few alumni made this move.")
        else:
            st.caption(f"The skills you miss for {plain(target)}, most important first — by how many people who "
                       f"moved there had them and how often job postings ask for them. About "
                       f"{path.total_hours:,.0f} hours with the first course of each step.")
            data_table(pd.DataFrame([{
                "step": index, "skill": step.skill, "priority": step.priority,
                "movers who had it": f"{step.mover_share:.0%}", "postings asking for it": f"{step.demand:.0%}",
                "courses": "; ".join(f"{c.course_name} ({'about ' if c.hours_estimated else ''}{c.hours:.0f} h)"
                                     for c in step.courses) or "no course in the data yet"}
                for index, step in enumerate(path.steps, start=1)]),
                height=35 * (min(len(path.steps), 15) + 1) + 3,
                column_config={"step": st.column_config.NumberColumn(width=50),
                               "skill": st.column_config.TextColumn(width=170),
                               "priority": st.column_config.TextColumn(width=75),
                               "movers who had it": st.column_config.TextColumn(
                                   width=120, help="Of the alumni who moved into the role, how many had it"),
                               "postings asking for it": st.column_config.TextColumn(
                                   width=140, help="Of the job postings for the role, how many ask for it"),
                               "courses": st.column_config.TextColumn(width=480)})
        if path.movers_count:
            st.markdown(f"**Alumni who made this move** — {path.movers_count:,} from "
                        f"{plain(path.current_role or 'any role')} to {plain(target)}")
            if path.movers:
                data_table(pd.DataFrame([{"name": m.name, "current role": m.current_role,
                                          "company": m.current_company, "batch": m.batch_year,
                                          "skills they share with the role": ", ".join(m.matching_skills)}
                                         for m in path.movers]),
                           column_config={"batch": st.column_config.NumberColumn(format="%d")})
            else:
                st.caption("None of them shares their profile with the community.")

st.subheader("Find alumni by skills")
choices = careers.skill_choices(version.skill_graph) if version.skill_graph else []
if not choices:
    st.info("The skill search opens once the organizers upload alumni data and the skill graph is built.")
else:
    wanted = st.multiselect("Skills", choices, max_selections=10, key="my_career_find_alumni",
                            placeholder="Choose up to 10 skills")
    if wanted:
        found = careers.alumni_with(tuple(wanted), viewer)
        if not found:
            st.info("No alumni who share their profile with the community have these skills or related ones.")
        else:
            st.caption(f"{len(found)} alumni who share their profile with the community, best match first.")
            data_table(pd.DataFrame([{
                "name": m.name, "match": m.score, "matching skills": ", ".join(m.matching_skills),
                "current role": m.current_role, "company": m.current_company, "batch": m.batch_year}
                for m in found]),
                column_config={"name": st.column_config.TextColumn(width="medium"),
                               "match": st.column_config.ProgressColumn("match", min_value=0.0, max_value=1.0,
                                                                        format="percent", width="small"),
                               "matching skills": st.column_config.TextColumn(width="medium"),
                               "batch": st.column_config.NumberColumn(format="%d", width="small")})
