"""Organizer page: who is coming to an event, as charts."""
import pandas as pd
import plotly.express as px
import streamlit as st

from core.accounts import Role
from core.events.labels import goal_label
from core.events.overview import event_overview
from ui.auth import require_role
from ui.resources import db_session
from ui.text import plain
from ui.widgets import event_picker

user = require_role(Role.ORGANIZER)
st.title("Event overview")

event = event_picker(user)
if event is None:
    st.stop()
with db_session() as session:
    overview = event_overview(session, event.id)
if not overview.registered:
    st.info(f"Nobody is registered for {plain(event.name)} yet. Attendees appear here once an admin uploads them.")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Registered", overview.registered)
c2.metric("Checked in", f"{overview.checked_in} ({overview.check_in_rate:.0%})")
c3.metric("Sessions", overview.sessions)
c4.metric("Countries", len(overview.countries))

left, right = st.columns(2)
goals = pd.DataFrame([(goal_label(goal), n) for goal, n in overview.goals.most_common()], columns=["Goal", "Attendees"])
left.plotly_chart(px.bar(goals, x="Attendees", y="Goal", orientation="h", title="What attendees are here for")
                  .update_yaxes(categoryorder="total ascending"), width="stretch")
industries = pd.DataFrame(overview.industries.most_common(12), columns=["Industry", "Attendees"])
right.plotly_chart(px.pie(industries, names="Industry", values="Attendees", title="Industries (top 12)", hole=0.4),
                   width="stretch")
interests = pd.DataFrame(overview.interests.most_common(15), columns=["Interest", "Attendees"])
left.plotly_chart(px.bar(interests, x="Attendees", y="Interest", orientation="h", title="Top interests")
                  .update_yaxes(categoryorder="total ascending"), width="stretch")
by_day = overview.registrations_by_day
if len(by_day) == 1:
    # One day is one point: no line to draw, and its time axis would tick hours. Say it as a number instead.
    (day, count), = by_day.items()
    with right.container(border=True):
        st.metric(f"Registrations on {day:%a %d %b %Y}", f"{count:,}")
        st.caption("Everyone registered on the same day so far; the registrations-per-day chart appears once "
                   "registrations span two days or more.")
elif by_day:
    # Over a few days a time axis ticks every few hours: name each day instead (one category tick per day).
    short = len(by_day) <= 31
    frame = pd.DataFrame([(f"{day:%d %b}" if short else day, n) for day, n in by_day.items()],
                         columns=["Day", "Registrations"])
    figure = px.line(frame, x="Day", y="Registrations", markers=True, title="Registrations per day")
    right.plotly_chart(figure.update_xaxes(type="category") if short else figure, width="stretch")
