"""Attendee page: my profile, my events, and matching visibility."""
import streamlit as st

from core.accounts import Role
from core.events.attendees import GOAL_VALUES, SIZE_VALUES
from core.events.profiles import ProfileError, get_person, person_events, update_profile
from core.recommend.people import refresh_for_person
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, llm, settings, transaction
from ui.widgets import multi_choice

user = require_role(Role.ATTENDEE)
st.title("👤 My profile")

with db_session() as session:
    person = get_person(session, user.person_id) if user.person_id else None
    events = person_events(session, person.id) if person else []
if person is None:
    st.info("Your account is not linked to an event registration yet. Ask the organizer to add you to the "
            "attendee list; your profile appears here once you are registered.")
    st.stop()

tier = person.enrichment_tier.value.split("_", 2)[-1].title()
left, right = st.columns([2, 1])
with left:
    st.subheader(person.full_name)
    st.write(f"{person.role} · {person.company}" + (f" · {person.city}, {person.country}" if person.city else ""))
    if person.bio:
        st.write(person.bio)
with right:
    st.metric("Profile tier", tier)
    st.metric("Events", len(events))
if events:
    st.dataframe(
        [{"event": e.name, "starts": e.starts_on, "registered": r.registered_at.date(),
          "checked in": r.checked_in_at.strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "—"} for e, r in events],
        hide_index=True, width="stretch")

st.subheader("Edit profile")
with st.form("profile_form"):
    c1, c2 = st.columns(2)
    first_name = c1.text_input("First name", person.first_name)
    last_name = c2.text_input("Last name", person.last_name)
    company = c1.text_input("Company", person.company)
    role = c2.text_input("Role", person.role)
    industry = c1.text_input("Industry", person.industry or "")
    size_options = [""] + SIZE_VALUES
    company_size = c2.selectbox("Company size", size_options,
                                index=size_options.index(person.company_size.value) if person.company_size else 0)
    years = c1.number_input("Years of experience", 0, 70, person.years_experience or 0)
    with c2:
        goals = multi_choice("Goals", GOAL_VALUES, [g for g in person.goals if g in GOAL_VALUES])
    interests = st.text_input("Interests (1–10, separated by ';')", "; ".join(person.interests))
    skills_offered = st.text_input("Skills I can offer (';'-separated)", "; ".join(person.skills_offered))
    skills_needed = st.text_input("Skills I need (';'-separated)", "; ".join(person.skills_needed))
    bio = st.text_area("Bio (max 500 characters)", person.bio or "", max_chars=500)
    problem = st.text_area("A problem I'm working on", person.problem_statement or "", max_chars=1000)
    c3, c4 = st.columns(2)
    city = c3.text_input("City", person.city or "")
    country = c4.text_input("Country", person.country or "")
    allow_enrichment = st.checkbox("Allow enrichment from public profiles", person.allow_enrichment)
    visible = st.toggle("Show me in other attendees' recommendations", person.matching_visible)
    submitted = st.form_submit_button("Save profile", type="primary")
if submitted:
    form = {"first_name": first_name, "last_name": last_name, "company": company, "role": role,
            "industry": industry, "company_size": company_size, "years_experience": str(int(years)),
            "goals": ";".join(goals), "interests": interests, "skills_offered": skills_offered,
            "skills_needed": skills_needed, "bio": bio, "problem_statement": problem, "city": city,
            "country": country, "allow_enrichment": str(allow_enrichment)}
    try:
        with transaction() as session:
            changed = update_profile(session, person_id=person.id, actor_id=user.account_id, form=form,
                                     matching_visible=visible, clock=clock())
    except ProfileError as exc:
        st.error(f"Not saved. Please fix: {exc}")
    else:
        st.success("Saved: " + ", ".join(c.replace("_", " ") for c in changed) if changed else "No changes to save.")
        if changed:
            with st.spinner("Updating your matches…"), transaction() as session:
                refresh_for_person(session, person_id=person.id, embedder=embedder(), clock=clock(),
                                   ttl_hours=settings().recommendation_ttl_hours, llm=llm())
