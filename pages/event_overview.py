"""Organizer page: who is coming to an event, as charts."""
import pandas as pd
import plotly.express as px
import streamlit as st

from core.accounts import Role
from core.events.overview import event_overview
from ui.auth import require_role
from ui.resources import db_session
from ui.widgets import event_picker

user = require_role(Role.ORGANIZER)
st.title("📊 Event overview")

event = event_picker()
if event is None:
    st.stop()
with db_session() as session:
    overview = event_overview(session, event.id)
if not overview.registered:
    st.info(f"Nobody is registered for {event.name} yet. Attendees appear here once an admin uploads them.")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Registered", overview.registered)
c2.metric("Checked in", f"{overview.checked_in} ({overview.check_in_rate:.0%})")
c3.metric("Sessions", overview.sessions)
c4.metric("Countries", len(overview.countries))

left, right = st.columns(2)
goals = pd.DataFrame(overview.goals.most_common(), columns=["goal", "attendees"])
left.plotly_chart(px.bar(goals, x="attendees", y="goal", orientation="h", title="What attendees are here for")
                  .update_yaxes(categoryorder="total ascending"), width="stretch")
industries = pd.DataFrame(overview.industries.most_common(12), columns=["industry", "attendees"])
right.plotly_chart(px.pie(industries, names="industry", values="attendees", title="Industries (top 12)", hole=0.4),
                   width="stretch")
interests = pd.DataFrame(overview.interests.most_common(15), columns=["interest", "attendees"])
left.plotly_chart(px.bar(interests, x="attendees", y="interest", orientation="h", title="Top interests")
                  .update_yaxes(categoryorder="total ascending"), width="stretch")
by_day = pd.DataFrame(list(overview.registrations_by_day.items()), columns=["day", "registrations"])
right.plotly_chart(px.line(by_day, x="day", y="registrations", markers=True, title="Registrations per day"),
                   width="stretch")
