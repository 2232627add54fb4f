"""Organizer page: is the networking and the program working? Cached analytics, charts, CSV and PDF exports."""
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Role
from core.analytics.event_analytics import (
    analytics_csv,
    analytics_report_pdf,
    cached_analytics,
    refresh_event_analytics,
)
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, transaction
from ui.widgets import event_picker, show_outcome

user = require_role(Role.ORGANIZER)
st.title("📈 Analytics")

event = event_picker("Event", key="analytics_event")
if event is None:
    st.stop()
show_outcome("analytics")


def recompute() -> None:
    with st.spinner("Computing analytics…"), transaction() as session:
        refresh_event_analytics(session, event_id=event.id, now=clock().now(), embedder=embedder())
    st.session_state["analytics_notice"] = "Analytics recomputed."


with db_session() as session:
    cached = cached_analytics(session, event.id)
if cached is None:
    st.info("No analytics yet for this event. The event-analytics job computes them every hour; you can also "
            "compute them now.")
    st.button("Compute now", type="primary", on_click=recompute)
    st.stop()

data = cached.data
net, ses, spk = data["networking"], data["sessions"], data["speakers"]
top, right = st.columns([3, 1])
top.caption(f"Computed {cached.computed_at:%Y-%m-%d %H:%M} UTC by the hourly job.")
right.button("🔄 Recompute now", on_click=recompute, width="stretch")
d1, d2 = st.columns(2)
d1.download_button("Download CSV", analytics_csv(data), file_name=f"{event.slug}-analytics.csv", mime="text/csv",
                   width="stretch")
d2.download_button("Download PDF report", analytics_report_pdf(event.name, data),
                   file_name=f"{event.slug}-analytics.pdf", mime="application/pdf", width="stretch")

networking_tab, sessions_tab, speakers_tab = st.tabs(["Networking", "Sessions", "Speakers"])
with networking_tab:
    m = st.columns(4)
    m[0].metric("Attendees", f"{net['attendees']:,}")
    m[1].metric("Enrichment rate", f"{net['enrichment_rate']:.0%}", help="Enriched of those who opted in")
    m[2].metric("Connections per attendee", f"{net['connections_per_attendee']:.2f}")
    m[3].metric("Meetings accepted", f"{net['meetings_accepted']} of {net['meetings_requested']}")
    funnel = net["funnel"]
    st.plotly_chart(go.Figure(go.Funnel(y=[k.title() for k in funnel], x=list(funnel.values()),
                                        textinfo="value+percent initial")).update_layout(
        title="Recommendation funnel", height=320), width="stretch")
    activity = pd.DataFrame(data["activity"])
    if not activity.empty:
        st.plotly_chart(px.line(activity.melt("day", var_name="action", value_name="count"), x="day", y="count",
                                color="action", markers=True, title="Activity per day"), width="stretch")
    c1, c2 = st.columns(2)
    if net["top_interests"]:
        c1.plotly_chart(px.bar(pd.DataFrame(net["top_interests"]), x="count", y="interest", orientation="h",
                               title="Interests behind connections"), width="stretch")
    if net["top_goal_pairs"]:
        c2.plotly_chart(px.bar(pd.DataFrame(net["top_goal_pairs"]), x="count", y="pair", orientation="h",
                               title="Goal pairs behind connections"), width="stretch")
    st.caption(f"Huddles: {net['huddles_formed']} formed, {net['huddle_invites']} invites, "
               f"{net['huddle_accept_rate']:.0%} accepted, {net['huddle_attend_rate']:.0%} of those attended, "
               f"{net['avg_huddle_size']:.1f} people on average. Follow-ups sent: {net['follow_ups_sent']}; "
               f"{net['will_follow_up']} of {net['connection_feedback']} rated connections plan one.")

with sessions_tab:
    overview = ses["overview"]
    m = st.columns(4)
    m[0].metric("Session recommendations", f"{overview['recommendations']:,}")
    m[1].metric("Bookmark rate", f"{overview['bookmark_rate']:.0%}")
    m[2].metric("Attendance rate", f"{overview['attendance_rate']:.0%}")
    m[3].metric("Catalog coverage", f"{ses['diversity']['catalog_coverage']:.0%}",
                help=f"Average distinct tracks in a top 10: {ses['diversity']['avg_tracks_in_top_10']}")
    histogram = pd.DataFrame({"match score": [f"{10 * i}–{10 * i + 10}" for i in range(10)],
                              "recommendations": ses["score_distribution"]["histogram"]})
    st.plotly_chart(px.bar(histogram, x="match score", y="recommendations",
                           title=f"Match score distribution (mean {ses['score_distribution']['mean']:.0f})"),
                    width="stretch")
    st.subheader("Top sessions")
    st.dataframe(pd.DataFrame(ses["top_sessions"]), hide_index=True, width="stretch")
    st.subheader("Underperforming sessions")
    if ses["underperforming"]:
        st.dataframe(pd.DataFrame(ses["underperforming"])[["session", "track", "recommended", "bookmarked", "reason"]],
                     hide_index=True, width="stretch")
    else:
        st.caption("None: every session is finding its audience.")
    st.subheader("Content gaps")
    if ses["content_gaps"]:
        st.caption("Interests several attendees hold that no session covers.")
        st.dataframe(pd.DataFrame(ses["content_gaps"]), hide_index=True, width="stretch")
    else:
        st.caption("None: every interest held by two or more attendees has a session.")

with speakers_tab:
    m = st.columns(3)
    m[0].metric("Speaker recommendations", f"{spk['recommendations']:,}")
    m[1].metric("Contact rate", f"{spk['contact_rate']:.0%}", help="Recommended speakers who got a meeting request")
    m[2].metric("Meeting rate", f"{spk['meeting_rate']:.0%}", help="Recommended speakers met in an accepted meeting")
    if spk["top_speakers"]:
        st.dataframe(pd.DataFrame(spk["top_speakers"]), hide_index=True, width="stretch")
    else:
        st.caption("No speaker recommendations yet.")
