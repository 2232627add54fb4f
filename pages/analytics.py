"""Organizer page: is the networking and the program working? Cached analytics, charts, CSV and PDF exports."""
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Role
from core.analytics.benchmarks import Benchmark, BenchmarkStatus, benchmark_panel, huddle_panel
from core.analytics.event_analytics import (
    ACTIVITY_KINDS,
    after_the_match_metrics,
    analytics_csv,
    analytics_report_pdf,
    cached_analytics,
    funnel_share,
    funnel_steps,
    goal_pair_label,
    huddle_metrics,
    refresh_event_analytics,
)
from core.events.events import get_event
from core.huddles.huddles import KIND_LABELS, HuddleError, UpcomingHuddle, upcoming_huddles
from core.huddles.lifecycle import cancel_huddle
from core.huddles.location import AREA_NAME_LIMIT, MAX_VENUE_AREAS, LocationError, set_venue_areas, venue_zones
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, settings, transaction
from ui.tables import data_table
from ui.text import plain
from ui.widgets import event_picker, show_outcome

user = require_role(Role.ORGANIZER)
st.title("Analytics")

event = event_picker(user, "Event", key="analytics_event")
if event is None:
    st.stop()
show_outcome("analytics")

# Readable headings for the stored row keys; the cached JSON keeps no key order, so columns are picked by name.
SESSION_COLUMNS = {"session": "Session", "track": "Track", "recommended": "Recommended", "bookmarked": "Bookmarked",
                   "attended": "Attended", "dismissed": "Dismissed", "avg_match_score": "Average match score",
                   "capacity": "Capacity"}
UNDERPERFORMING_COLUMNS = {"session": "Session", "track": "Track", "recommended": "Recommended",
                           "bookmarked": "Bookmarked", "reason": "Why"}
GAP_COLUMNS = {"interest": "Interest", "attendees": "Attendees who hold it"}
SPEAKER_COLUMNS = {"speaker": "Speaker", "recommended": "Recommended", "contacted": "Contacted",
                   "meetings": "Meetings", "avg_match_score": "Average match score"}
ACTIVITY_LABELS = {"views": "Views", "pings": "Pings", "connections": "Connections", "meetings": "Meetings requested",
                   "bookmarks": "Session bookmarks"}


def table(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows of a list metric with readable column names, in the given column order."""
    return pd.DataFrame([{label: row.get(key) for key, label in columns.items()} for row in rows])


def activity_chart(rows: list[dict]):
    """Actions per day: lines over several days; bars per action when there is only one day (one point is no
    line, and its time axis would tick hours)."""
    frame = pd.DataFrame([{"Day": r["day"], "Action": ACTIVITY_LABELS[k], "Count": r.get(k, 0)}
                          for r in rows for k in ACTIVITY_KINDS])
    if len(rows) == 1:
        return px.bar(frame, x="Action", y="Count", title=f"Activity on {rows[0]['day']}")
    figure = px.line(frame, x="Day", y="Count", color="Action", markers=True, title="Activity per day")
    return figure.update_xaxes(type="category") if len(rows) <= 31 else figure


STATUS_COLOURS = {BenchmarkStatus.MET: "green", BenchmarkStatus.NOT_MET: "orange", BenchmarkStatus.NO_DATA: "gray"}


def benchmark_chart(panel: list[Benchmark]):
    """Each measured benchmark as a share of its target, with the target line at 100%."""
    measured = [item for item in panel if item.share_of_target is not None]
    frame = pd.DataFrame({"Metric": [item.label for item in measured],
                          "% of target": [round(100 * item.share_of_target) for item in measured],
                          "Status": [item.status_label for item in measured]})
    figure = px.bar(frame, x="% of target", y="Metric", orientation="h", color="Status", text="% of target",
                    color_discrete_map={"Met": "#16a34a", "Not met": "#f59e0b"},
                    title="Your value as % of the target (100% = target met)")
    figure.add_vline(x=100, line_dash="dash", line_color="#6b7280")
    return figure.update_traces(texttemplate="%{text}%").update_yaxes(categoryorder="array",
                                                                      categoryarray=frame["Metric"][::-1].tolist())


def show_benchmarks(panel: list[Benchmark]) -> None:
    """The seed's benchmark comparison: metric, value, target, industry average and a met / not met marker."""
    st.subheader("Benchmark comparison", anchor=False)
    st.caption("Targets from the GlobalConnect success metrics; industry averages where the spec gives one.")
    with st.container(border=True):
        widths = [3, 2, 2, 2, 2]
        for cell, heading in zip(st.columns(widths), ("Metric", "Your value", "Target", "Industry average",
                                                      "Status"), strict=True):
            cell.markdown(f"**{heading}**")
        for item in panel:
            cells = st.columns(widths)
            cells[0].markdown(item.label, help=item.target.description)
            cells[1].markdown(f"**{item.value_text}**")
            cells[2].markdown(item.target_text)
            cells[3].markdown(item.industry_text)
            cells[4].markdown(f":{STATUS_COLOURS[item.status]}[{item.icon} {item.status_label}]")
    if any(item.share_of_target is not None for item in panel):
        st.plotly_chart(benchmark_chart(panel), width="stretch")


def show_after_the_match(net: dict) -> None:
    """Pings, requests, introductions, messages, follow-ups, safety and diversity, as metric rows."""
    st.subheader("Networking after the match", anchor=False)
    metrics = after_the_match_metrics(net)
    if not metrics:
        st.info("These numbers were computed before pings, follow-ups and safety were counted: recompute the "
                "analytics to see them.", icon=":material/refresh:")
        return
    for start in range(0, len(metrics), 4):
        for cell, (label, value, how) in zip(st.columns(4), metrics[start:start + 4], strict=False):
            cell.metric(label, value, help=how)


def huddle_rows(huddles: list[UpcomingHuddle]) -> pd.DataFrame:
    return pd.DataFrame([{"Topic": h.topic, "Kind": KIND_LABELS[h.kind],
                          "When (UTC)": f"{h.starts_at:%a %d %b %H:%M}" if h.starts_at else "Not set",
                          "Where": h.location_name or "Not set", "People": f"{h.accepted} of {h.max_participants}",
                          "Status": h.status.value.capitalize()} for h in huddles])


def cancel_form(huddles: list[UpcomingHuddle]) -> None:
    """Pick an upcoming huddle, say why, confirm: it is cancelled and its people are told."""
    with st.container(border=True), st.form("cancel_huddle", border=False):
        st.markdown("**:material/event_busy: Cancel a huddle**")
        chosen = st.selectbox("Huddle", huddles, index=None, placeholder="Choose the huddle to cancel",
                              format_func=lambda h: f"{h.topic} — {h.starts_at:%a %H:%M} UTC, {h.location_name}"
                              if h.starts_at else h.topic)
        reason = st.text_input("Reason (the invited people see it)", max_chars=300,
                               placeholder="e.g. The room is needed for a keynote overflow")
        sure = st.checkbox("Yes, cancel this huddle and tell everyone invited")
        if st.form_submit_button("Cancel huddle", type="primary", icon=":material/cancel:"):
            if chosen is None or not reason.strip() or not sure:
                st.error("Choose the huddle, give a reason and tick the confirmation to cancel it.")
                return
            try:
                with transaction() as session:
                    cancel_huddle(session, huddle_id=chosen.id, actor_account_id=user.account_id,
                                  reason=reason.strip(), clock=clock())
            except HuddleError as exc:
                st.error(str(exc))
            else:
                st.session_state["huddles_admin_notice"] = (f"Huddle cancelled: {plain(chosen.topic)}. "
                                                            "Everyone invited is told.")
                st.rerun()


def venue_areas_form(areas: list[str], zones: list[str]) -> None:
    """The organizer's venue areas besides the program's rooms: the zones attendees can share."""
    failed = st.session_state.pop("venue_areas_error", None)
    with st.expander("Venue areas for huddles", icon=":material/location_on:", expanded=failed is not None), \
            st.form("venue_areas", border=False):
        if failed:
            st.error(failed)
        st.caption("Attendees can share which part of the venue they are in (for nearby huddles). They choose "
                   "from the program's rooms and these areas. One area a line, e.g. Lobby, Coffee bar, Expo hall. "
                   f"At most {MAX_VENUE_AREAS} areas of {AREA_NAME_LIMIT} characters.")
        text = st.text_area("Venue areas", "\n".join(areas), height=140)
        if st.form_submit_button("Save areas", type="primary"):
            try:
                with transaction() as session:
                    saved = set_venue_areas(session, event_id=event.id, areas=text.splitlines(),
                                            actor_account_id=user.account_id, clock=clock())
            except LocationError as exc:
                st.session_state["venue_areas_error"] = str(exc)  # shown in the expander, kept open
            else:
                st.session_state["huddles_admin_notice"] = f"{len(saved)} venue areas saved."
            st.rerun()
    if zones:
        st.caption("Zones attendees can share now: " + ", ".join(plain(zone) for zone in zones))


def show_huddles(huddles: dict | None) -> None:
    """The §6.8 huddle metrics beside their targets, the upcoming huddles with a cancel action, the venue areas."""
    # Shown here, not above the tabs: an element appearing above them would reset the open tab to the first.
    show_outcome("huddles_admin")
    metrics = huddle_metrics(huddles)
    if not metrics:
        st.info("These numbers were computed before huddles were counted: recompute the analytics to see them.",
                icon=":material/refresh:")
    else:
        for cell, (label, value, how) in zip(st.columns(len(metrics)), metrics, strict=True):
            cell.metric(label, value, help=how)
        st.subheader("Huddle targets", anchor=False)
        st.caption("The huddle success metrics of the GlobalConnect spec; a target shows no data until there is "
                   "something to measure.")
        panel = huddle_panel(huddles)
        for cell, item in zip(st.columns(len(panel), border=True), panel, strict=True):
            cell.metric(item.label, item.value_text, help=item.target.description)
            cell.caption(f"Target {item.target_text} · :{STATUS_COLOURS[item.status]}[{item.icon} "
                         f"{item.status_label}]")
    st.subheader("Upcoming huddles", anchor=False)
    with db_session() as session:
        upcoming = upcoming_huddles(session, event_id=event.id)
        zones = venue_zones(session, event.id)
        areas = list(get_event(session, event.slug).venue_areas or [])  # fresh: the picker's object may be stale
    if upcoming:
        data_table(huddle_rows(upcoming))
        cancel_form(upcoming)
    else:
        st.caption("No huddles are forming or confirmed: the huddle jobs form them during the event.")
    venue_areas_form(areas, zones)


def recompute() -> None:
    with st.spinner("Computing analytics…"), transaction() as session:
        refresh_event_analytics(session, event_id=event.id, now=clock().now(), embedder=embedder())
    st.session_state["analytics_notice"] = "Analytics recomputed."


with db_session() as session:
    cached = cached_analytics(session, event.id)
if cached is None:
    st.info("No analytics yet for this event. The event-analytics job computes them every hour; you can also "
            "compute them now.")
    st.button("Compute now", type="primary", on_click=recompute, icon=":material/calculate:")
    st.stop()

data = cached.data
net, ses, spk = data["networking"], data["sessions"], data["speakers"]
top, right = st.columns([3, 1])
top.caption(f"Computed {cached.computed_at:%Y-%m-%d %H:%M} UTC by the hourly job.")
right.button("Recompute now", on_click=recompute, width="stretch", icon=":material/refresh:")
d1, d2 = st.columns(2)
d1.download_button("Download CSV", analytics_csv(data), file_name=f"{event.slug}-analytics.csv", mime="text/csv",
                   width="stretch", icon=":material/download:")
report = analytics_report_pdf(event.name, data, enrichment_enabled=settings().enrichment_enabled)
d2.download_button("Download PDF report", report, file_name=f"{event.slug}-analytics.pdf", mime="application/pdf",
                   width="stretch", icon=":material/picture_as_pdf:")

networking_tab, huddles_tab, sessions_tab, speakers_tab = st.tabs(["Networking", "Huddles", "Sessions", "Speakers"])
with networking_tab:
    m = st.columns(4)
    m[0].metric("Attendees", f"{net['attendees']:,}")
    if settings().enrichment_enabled:
        m[1].metric("Enrichment rate", f"{net['enrichment_rate']:.0%}",
                    help=f"Enriched of those who opted in: {net.get('enriched', 0):,} of "
                         f"{net.get('opted_in_enrichment', 0):,}")
    else:
        m[1].metric("Enrichment rate", "off", help="No public-profile source is configured on this server")
        m[1].caption("Enrichment from public profiles is off on this server.")
    m[2].metric("Connections per attendee", f"{net['connections_per_attendee']:.2f}")
    m[3].metric("Meetings accepted", f"{net['meetings_accepted']} of {net['meetings_requested']}")
    show_benchmarks(benchmark_panel(net))
    show_after_the_match(net)
    steps = funnel_steps(net["funnel"])
    first = steps[0][1] if steps else 0
    if first:
        st.plotly_chart(go.Figure(go.Funnel(
            y=[label for label, _ in steps], x=[count for _, count in steps], textinfo="text",
            text=[f"{count:,} ({funnel_share(count, first)})" for _, count in steps])).update_layout(
            title="Recommendation funnel (share of the recommendations generated)", height=320), width="stretch")
    else:
        st.info("No people recommendations yet, so there is no funnel: it appears once the refresh-recommendations "
                "job has recommended people to attendees.", icon=":material/filter_alt:")
    if data["activity"]:
        st.plotly_chart(activity_chart(data["activity"]), width="stretch")
    c1, c2 = st.columns(2)
    if net["top_interests"]:
        interests = table(net["top_interests"], {"interest": "Interest", "count": "Connections"})
        c1.plotly_chart(px.bar(interests, x="Connections", y="Interest", orientation="h",
                               title="Interests behind connections")
                        .update_yaxes(categoryorder="total ascending"), width="stretch")
    if net["top_goal_pairs"]:
        pairs = pd.DataFrame([{"Goals": goal_pair_label(r["pair"]), "Connections": r["count"]}
                              for r in net["top_goal_pairs"]])
        c2.plotly_chart(px.bar(pairs, x="Connections", y="Goals", orientation="h",
                               title="Goal pairs behind connections")
                        .update_yaxes(categoryorder="total ascending"), width="stretch")
    st.caption(f"Follow-ups sent: {net['follow_ups_sent']}; {net['will_follow_up']} of "
               f"{net['connection_feedback']} rated connections plan one. Huddles have a tab of their own.")

with huddles_tab:
    show_huddles(data.get("huddles"))

with sessions_tab:
    overview = ses["overview"]
    m = st.columns(4)
    m[0].metric("Session recommendations", f"{overview['recommendations']:,}")
    m[1].metric("Bookmark rate", f"{overview['bookmark_rate']:.0%}")
    m[2].metric("Attendance rate", f"{overview['attendance_rate']:.0%}")
    m[3].metric("Catalog coverage", f"{ses['diversity']['catalog_coverage']:.0%}",
                help=f"Average distinct tracks in a top 10: {ses['diversity']['avg_tracks_in_top_10']}")
    histogram = pd.DataFrame({"Match score": [f"{10 * i}–{10 * i + 10}" for i in range(10)],
                              "Recommendations": ses["score_distribution"]["histogram"]})
    st.plotly_chart(px.bar(histogram, x="Match score", y="Recommendations",
                           title=f"Match score distribution (mean {ses['score_distribution']['mean']:.0f})"),
                    width="stretch")
    st.subheader("Top sessions")
    data_table(table(ses["top_sessions"], SESSION_COLUMNS), hide_index=True, width="stretch")
    st.subheader("Underperforming sessions")
    if ses["underperforming"]:
        data_table(table(ses["underperforming"], UNDERPERFORMING_COLUMNS), hide_index=True, width="stretch")
    else:
        st.caption("None: every session is finding its audience.")
    st.subheader("Content gaps")
    if ses["content_gaps"]:
        st.caption("Interests several attendees hold that no session covers.")
        data_table(table(ses["content_gaps"], GAP_COLUMNS), hide_index=True, width="stretch")
    else:
        st.caption("None: every interest held by two or more attendees has a session.")

with speakers_tab:
    m = st.columns(3)
    m[0].metric("Speaker recommendations", f"{spk['recommendations']:,}")
    m[1].metric("Contact rate", f"{spk['contact_rate']:.0%}", help="Recommended speakers who got a meeting request")
    m[2].metric("Meeting rate", f"{spk['meeting_rate']:.0%}", help="Recommended speakers met in an accepted meeting")
    if spk["top_speakers"]:
        data_table(table(spk["top_speakers"], SPEAKER_COLUMNS), hide_index=True, width="stretch")
    else:
        st.caption("No speaker recommendations yet.")
