"""Attendee page: my profile, my events, and matching visibility."""
import streamlit as st

from core.accounts import Role
from core.events.attendees import PROFILE_FIELDS
from core.events.profiles import ProfileError, get_person, person_events, update_profile
from core.recommend.people import queue_refresh_for_person
from ui.auth import client_address, require_role
from ui.profile_form import optional_fields, required_fields
from ui.resources import clock, db_session, transaction
from ui.tables import data_table
from ui.text import plain

user = require_role(Role.ATTENDEE)
st.title("My profile")

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
    st.subheader(plain(person.full_name), anchor=False)
    st.markdown(plain(f"{person.role} · {person.company}" + (f" · {person.city}, {person.country}"
                                                             if person.city else "")))
    if person.bio:
        st.markdown(plain(person.bio))
with right:
    st.metric("Profile tier", tier)
    st.metric("Events", len(events))
if events:
    data_table(
        [{"event": e.name, "starts": e.starts_on, "registered": r.registered_at.date(),
          "checked in": r.checked_in_at.strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "—"} for e, r in events],
        hide_index=True, width="stretch")

st.subheader("Edit profile")
st.page_link("pages/privacy.py", label="Enrichment from public profiles and your other consents are on Privacy",
             icon=":material/shield_person:")
values = {f: getattr(person, f) for f in PROFILE_FIELDS}
with st.form("profile_form"):
    form = required_fields(values, "profile")
    form |= optional_fields(values, "profile")
    problem = st.text_area("What's your biggest challenge right now?", person.problem_statement or "",
                           max_chars=1000, help="We'll connect you with others facing the same challenge.")
    visible = st.toggle("Show me in other attendees' recommendations", person.matching_visible)
    submitted = st.form_submit_button("Save profile", type="primary")
if submitted:
    form |= {"problem_statement": problem}
    try:
        with transaction() as session:
            changed = update_profile(session, person_id=person.id, actor_id=user.account_id, form=form,
                                     matching_visible=visible, clock=clock(), client=client_address())
    except ProfileError as exc:
        st.error(f"Not saved. Please fix: {exc}")
    else:
        st.success("Saved: " + ", ".join(c.replace("_", " ") for c in changed) if changed else "No changes to save.")
        if changed:
            with transaction() as session:
                queue_refresh_for_person(session, person_id=person.id, clock=clock(), reason="profile edited",
                                         enforce_interval=False)
            st.info("Your matches are being updated with your new profile; For you shows them within a minute.",
                    icon=":material/hourglass_top:")
