"""Organizer and staff page: community members' re-engagement profiles — the send / ask / wait decision per member,
their summaries and fields, and the send list."""
import pandas as pd
import plotly.express as px
import streamlit as st

from core.accounts import Role
from core.reengagement.fields import DECISION_LABELS
from core.reengagement.overview import SHOWN_LIMIT, Activity, ProfileFilters, send_list_filters
from ui.auth import require_role
from ui.reengagement import current_version, member, member_count, members_of, overview_of, send_list
from ui.tables import data_table
from ui.text import plain

user = require_role(Role.ORGANIZER, Role.STAFF, Role.ADMIN)
st.title("Re-engagement")


def members_counted(count: int) -> str:
    return f"{count:,} member" + ("" if count == 1 else "s")


version = current_version()
if version is None:
    st.info("No re-engagement profiles yet. An admin uploads behavioural data (users, orders, past events and "
            "messages) on the Uploads page as **Behavioural data**; the profiles are computed by the jobs worker "
            "right after it, and nightly. To compute them now, run `python -m jobs run reengagement`.")
    st.stop()
summary, choices = overview_of(version)
st.caption(f"{members_counted(summary.members)} of the community, as of {summary.as_of:%-d %B %Y}: days since are "
           f"counted to that day. Last computed {summary.computed_at:%Y-%m-%d %H:%M} UTC; recomputed after each "
           "behavioural upload and nightly.")

columns = st.columns(len(summary.decisions))
for column, (decision, members) in zip(columns, summary.decisions.items(), strict=True):
    column.metric(DECISION_LABELS.get(decision, decision), f"{members:,}",
                  f"{members / summary.members:.0%} of members", delta_color="off", delta_arrow="off", border=True)

chart = pd.DataFrame(summary.days_since_last_event, columns=["days since last event", "members"])
figure = px.bar(chart, x="days since last event", y="members", text="members",
                title="Members by days since their last event")
figure.update_layout(height=320, margin={"t": 50, "b": 10}, xaxis_title=None)
figure.update_yaxes(tickformat=",d", dtick=1 if chart["members"].max() < 8 else None, rangemode="tozero")
st.plotly_chart(figure, width="stretch")

st.subheader("Members")
c1, c2, c3, c4 = st.columns(4)
decision = c1.selectbox("Decision", ["", *summary.decisions], key="reengagement_decision",
                        format_func=lambda d: DECISION_LABELS.get(d, d) if d else "Any decision")
activity = c2.selectbox("Activity", list(Activity), key="reengagement_activity",
                        format_func={Activity.ALL: "Active and inactive", Activity.ACTIVE: "Active (3+ events)",
                                     Activity.INACTIVE: "Inactive (under 3 events)"}.get)
neighbourhood = c3.selectbox("Home neighbourhood", ["", *choices["neighbourhoods"]], key="reengagement_neighbourhood",
                             format_func=lambda n: n or "Any neighbourhood")
interest = c4.selectbox("Interest", ["", *choices["interests"]], key="reengagement_interest",
                        format_func=lambda i: i or "Any interest")
t1, t2 = st.columns(2)
first_time = t1.toggle("First-time members only (no event yet)", key="reengagement_first_time")
queued = t2.toggle("Only members with queued messages", key="reengagement_queued")
filters = ProfileFilters(decision or None, Activity(activity), first_time, queued, neighbourhood or None,
                         interest or None)

rows, total = members_of(filters, version)
if not rows:
    st.info("No member matches these filters. Widen them to see more.")
else:
    shown = f"{len(rows):,} of {members_counted(total)}" if total > len(rows) else members_counted(total)
    st.caption(f"{shown}, highest personalisation score first"
               + (f" (the first {SHOWN_LIMIT:,} are listed; narrow the filters to find others)."
                  if total > len(rows) else "."))
    table = pd.DataFrame(rows).drop(columns="user_id")
    data_table(table, column_config={"score": st.column_config.NumberColumn("score", help="Personalisation score "
                                                                                           "0–100")})

to_send = send_list_filters(filters)
sending = member_count(to_send, version)
st.download_button("Download the send list (CSV)", lambda: send_list(to_send),
                   "send_list.csv", "text/csv", icon=":material/download:", disabled=not sending,
                   key="reengagement_send_list", on_click="ignore")
st.caption(f"The send list: {members_counted(sending)} — "
           + ("those matching the filters above whose decision is "
              f"'{DECISION_LABELS[to_send.decision]}'" if not filters.decision
              else "every member matching the filters above, with the decision you chose")
           + ". Columns: id, email, decision, summary, suggested angle.")

if rows:
    st.subheader("Member")
    picked = st.selectbox("Member", [r["user_id"] for r in rows], key="reengagement_member",
                          format_func={r["user_id"]: f"{r['name']} — {r['email']}" for r in rows}.get,
                          help="The members listed above")
    detail = member(picked)
    if detail is not None:
        st.markdown(f"**{plain(detail.name)}** · {plain(detail.email)} · {detail.decision_label}")
        st.caption(plain(detail.decision_reason))
        st.markdown(plain(detail.summary))
        st.markdown(f"**Suggested angle:** {plain(detail.suggested_angle)}")
        data_table(pd.DataFrame(detail.fields, columns=["field", "value"]), height=35 * (len(detail.fields) + 1) + 3,
                   column_config={"field": st.column_config.TextColumn("field", width="medium"),
                                  "value": st.column_config.TextColumn("value", width="large")})
        if detail.events:
            st.markdown("**Events attended**")
            data_table(pd.DataFrame(detail.events))
