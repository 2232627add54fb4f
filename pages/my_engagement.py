"""Attendee page: my engagement score and level, the points to the next level, where the points come from, how the
score changed, my badges and the leaderboards I am on."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Role
from core.community.engagement import FACTOR_LABELS, FACTOR_MAX, Factor
from core.community.leaderboards import TIMEFRAME_LABELS, Timeframe
from ui import engagement
from ui.auth import require_role

user = require_role(Role.ATTENDEE)
st.title("My engagement")

mine = engagement.my_engagement(user.person_id)
score = mine.score
if score is None:
    st.info("You have no engagement score yet. Scores are recalculated every night from what you do here: "
            "attending and checking in at events, connecting, meeting people, huddles, follow-ups, feedback and "
            "knowledge capsules. Come back tomorrow to see yours.")
    st.stop()

score_col, level_col, next_col, rank_col = st.columns(4)
score_col.metric("Score", f"{score.total:,}")
level_col.metric("Level", score.level.value)
next_col.metric(f"To {score.next_level.value}" if score.next_level else "Top level",
                f"{score.points_to_next:,} points" if score.next_level else "Legend")
rank_col.metric("Rank", f"{score.rank:,}" if score.rank else "–",
                help="Your place on the all-time leaderboard of everyone. People who said no to analytics "
                     "participation are not ranked.")
st.caption(f"Recalculated {score.computed_at:%Y-%m-%d %H:%M} UTC"
           + (f" · streak: {score.streak_days} active day{'s' if score.streak_days != 1 else ''} in a row"
              if score.streak_days else "")
           + ". Levels: Beginner 0–50, Active 51–150, Contributor 151–300, Veteran 301–500, Legend 501+.")

st.subheader("Where your points come from")
labels = [FACTOR_LABELS[f] for f in Factor]
values = [score.factors[f.value] for f in Factor]
figure = go.Figure()
figure.add_trace(go.Bar(y=labels, x=[FACTOR_MAX[f] for f in Factor], orientation="h", name="Most possible",
                        marker_color="#e3e6ea", hoverinfo="skip"))
figure.add_trace(go.Bar(y=labels, x=values, orientation="h", name="Your points",
                        marker_color=["#d9534f" if v < 0 else "#1f77b4" for v in values],
                        text=[f"{v:g}" for v in values], textposition="outside",
                        hovertemplate="%{y}: %{x:g} points<extra></extra>"))
figure.update_layout(barmode="overlay", height=360, margin={"t": 10, "b": 10, "l": 10, "r": 30},
                     yaxis={"autorange": "reversed"}, xaxis={"title": "points"}, plot_bgcolor="white",
                     legend={"orientation": "h", "yanchor": "bottom", "y": 1.0})
st.plotly_chart(figure, width="stretch", key="engagement_breakdown")
st.caption("Each grey bar is the most a factor can give. Recent activity counts your streak and the last week, "
           "and goes below zero (red) after two days without any activity.")

st.subheader("Your score over time")
if len(mine.history) < 2:
    st.info("The chart appears once your score has changed after its first calculation.")
else:
    history = pd.DataFrame(mine.history, columns=["when", "score"])
    chart = go.Figure(go.Scatter(x=history["when"], y=history["score"], mode="lines+markers",
                                 hovertemplate="%{x|%Y-%m-%d}: %{y:g}<extra></extra>"))
    chart.update_layout(height=260, margin={"t": 10, "b": 10, "l": 10, "r": 10}, yaxis={"title": "score"},
                        plot_bgcolor="white")
    st.plotly_chart(chart, width="stretch", key="engagement_history")

st.subheader("Badges")
if not mine.badges:
    st.info("No badges yet. Your first check-in, connection, meeting, huddle or capsule earns one.")
else:
    columns = st.columns(4)
    for index, badge in enumerate(mine.badges):
        with columns[index % 4].container(border=True):
            st.markdown(f":material/military_tech: **{badge.label}**")
            st.caption(f"{badge.description} · {badge.earned_at:%Y-%m-%d}")

st.subheader("Leaderboards")
scopes = [(None, "Everyone"), *mine.events]
scope = st.selectbox("Leaderboard", range(len(scopes)), format_func=lambda i: scopes[i][1],
                     key="engagement_scope", help="Everyone, or the people of an event you registered for")
event_id = scopes[scope][0]
for tab, timeframe in zip(st.tabs([TIMEFRAME_LABELS[t] for t in Timeframe]), Timeframe, strict=True):
    with tab:
        rows, place = engagement.board(timeframe=timeframe, event_id=event_id, person_id=user.person_id)
        engagement.show_board(rows, place, timeframe=timeframe, key=f"engagement_board_{timeframe.value}")
        if timeframe is Timeframe.MONTH:
            st.caption("Points gained since the month began: today's score minus the score you started the month "
                       "with.")
