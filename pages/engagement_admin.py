"""Admin page: queue a recalculation of one person's engagement score (by email) or everyone's for the worker, and
the leaderboards; organizers see the leaderboards of their events."""

import streamlit as st

from core.accounts import Role
from core.community.engagement import person_by_email, request_recalculation
from core.community.leaderboards import TIMEFRAME_LABELS, Timeframe
from ui import engagement
from ui.auth import require_role
from ui.resources import clock, transaction
from ui.text import plain

user = require_role(Role.ADMIN, Role.ORGANIZER)
is_admin = user.has(Role.ADMIN)
st.title("Engagement")
st.caption("Engagement scores are recalculated every night at 02:40 UTC from what people do here; levels: Beginner "
           "0–50, Active 51–150, Contributor 151–300, Veteran 301–500, Legend 501+. People who said no to analytics "
           "participation and deleted people are left off the leaderboards.")

if is_admin:
    st.subheader("Recalculate")
    one, everyone = st.columns(2)
    with one.form("engagement_one", border=True):
        email = st.text_input("Email of the person", placeholder="name@example.org")
        st.caption("Queued for the jobs worker, which recalculates the person's score within a few minutes.")
        if st.form_submit_button("Recalculate this person", icon=":material/person:"):
            if not email.strip():
                st.warning("Enter the email address of the person to recalculate.")
            else:
                shown = plain(email.strip(), 254)
                with transaction() as session:
                    person_id = person_by_email(session, email)
                    queued = person_id is not None and request_recalculation(
                        session, clock=clock(), reason=f"asked by {user.username}", person_id=person_id)
                if person_id is None:
                    st.error(f"No person with the email address {shown}.")
                elif queued:
                    st.success(f"Queued: the worker recalculates {shown} within a few minutes. See Jobs for "
                               "progress.")
                else:
                    st.info(f"A recalculation of {shown} is already waiting for the worker.")
    with everyone.container(border=True):
        st.markdown("**Everyone**")
        st.caption("Queued for the jobs worker, which recalculates every score, awards new badges and re-ranks the "
                   "leaderboard (about a minute for 100,000 people).")
        if st.button("Recalculate everyone", icon=":material/groups:", key="engagement_all"):
            with transaction() as session:
                queued = request_recalculation(session, clock=clock(), reason=f"asked by {user.username}")
            if queued:
                st.success("Queued: the worker recalculates everyone within a few minutes. See Jobs for progress.")
            else:
                st.info("A recalculation of everyone is already waiting for the worker.")

st.subheader("Leaderboards")
events = engagement.events_for(organizer_account_id=None if is_admin else user.account_id)
scopes = [(None, "Everyone"), *events] if is_admin else events
if not scopes:
    st.info("You organize no events yet, so there is no leaderboard to show.")
    st.stop()
scope = st.selectbox("Leaderboard", range(len(scopes)), format_func=lambda i: scopes[i][1], key="engagement_scope")
for tab, timeframe in zip(st.tabs([TIMEFRAME_LABELS[t] for t in Timeframe]), Timeframe, strict=True):
    with tab:
        rows, _ = engagement.board(timeframe=timeframe, event_id=scopes[scope][0], limit=100)
        engagement.show_board(rows, None, timeframe=timeframe, key=f"engagement_admin_{timeframe.value}")
