"""Attendee page: the event program with sessions, tracks and speakers."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.events.program import list_sessions, list_speakers
from ui.auth import require_role
from ui.cards import program_session_card
from ui.resources import db_session
from ui.tables import data_table
from ui.text import plain
from ui.widgets import registered_event

user = require_role(Role.ATTENDEE)
st.title("Program")

event = registered_event(user.person_id, "You are not registered for an event yet, so there is no program to show.")
with db_session() as session:
    sessions = list_sessions(session, event.id)
    speakers = list_speakers(session, event.id)

if not sessions:
    st.info(f"The program of {plain(event.name)} has not been published yet.")
    st.stop()

tracks = sorted({s.track for s in sessions if s.track})
days = sorted({s.starts_at.date() for s in sessions if s.starts_at})
c1, c2, c3 = st.columns(3)
track = c1.selectbox("Track", ["All tracks", *tracks])
day = c2.selectbox("Day", ["All days", *days],
                   format_func=lambda d: d if isinstance(d, str) else d.strftime("%a %d %b"))
search = c3.text_input("Search titles and tags")
shown = [
    s for s in sessions
    if (track == "All tracks" or s.track == track)
    and (day == "All days" or (s.starts_at and s.starts_at.date() == day))
    and (not search or search.lower() in (s.title + " " + " ".join(s.tags)).lower())
]
st.caption(f"{len(shown)} of {len(sessions)} sessions")
sessions_tab, speakers_tab = st.tabs(["Sessions", "Speakers"], key="program_tab", on_change="rerun")
with sessions_tab:
    if not shown:
        st.info("No session matches these filters.")
    for item in shown:
        program_session_card(item)
with speakers_tab:
    if not speakers:
        st.info("No speakers announced yet.")
    else:
        data_table(pd.DataFrame([{"Name": sp.name, "Title": sp.title, "Company": sp.company,
                                    "Expertise": ", ".join(sp.expertise), "Sessions": len(sp.sessions)}
                                   for sp in speakers]), hide_index=True, width="stretch")
