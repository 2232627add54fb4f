"""Admin page: the moderation queue of reports about people (seed 004 §6), and what was decided before."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.networking.moderation import (
    DEFAULT_SUSPENSION_DAYS,
    MAX_SUSPENSION_DAYS,
    ModerationAction,
    ModerationError,
    ReportView,
    moderation_queue,
    resolve_report,
    resolved_reports,
)
from ui.auth import require_role
from ui.resources import clock, db_session, transaction
from ui.tables import data_table
from ui.text import plain
from ui.widgets import empty_state, show_outcome

user = require_role(Role.ADMIN)
st.title("Moderation")
st.caption("Reports attendees sent about other people, oldest first. Each report is resolved once; every "
           "decision is in the audit log.")


def resolve(report_id: int, action: ModerationAction) -> None:
    days = int(st.session_state.get(f"days-{report_id}") or DEFAULT_SUSPENSION_DAYS)
    try:
        with transaction() as session:
            resolve_report(session, report_id=report_id, action=action, admin_account_id=user.account_id,
                           clock=clock(), suspend_days=days)
    except ModerationError as exc:
        st.session_state["moderation_error"] = plain(exc)
    else:
        done = {ModerationAction.WARN: "They were warned with a notification.",
                ModerationAction.SUSPEND_OUTREACH: f"Their outreach is suspended for {days} days.",
                ModerationAction.DISABLE_ACCOUNT: "Their account is disabled and they were logged out.",
                ModerationAction.DISMISS: "The report was dismissed."}[action]
        st.session_state["moderation_notice"] = f"Report #{report_id} resolved. {done}"


def report_card(item: ReportView) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain(item.reported_name)}** reported by {plain(item.reporter_name)} · "
                    f":orange-badge[{plain(item.reason_label)}]")
        earlier = (f" · :red-badge[{item.earlier_reports} earlier report{'s' if item.earlier_reports > 1 else ''}]"
                   if item.earlier_reports else "")
        st.caption(f"{plain(item.context_label)} · {item.created_at:%d %b %Y %H:%M} UTC · report #{item.report_id}"
                   + earlier)
        if item.outreach_suspended_until and item.outreach_suspended_until > clock().now():
            st.caption(f":material/pause_circle: Outreach already suspended until "
                       f"{item.outreach_suspended_until:%d %b %Y %H:%M} UTC")
        if item.details:
            st.markdown(f"> {plain(item.details).replace(chr(10), '  ' + chr(10) + '> ')}")
        else:
            st.caption("No details given.")
        warn, suspend, disable, dismiss = st.columns(4, vertical_alignment="bottom")
        warn.button("Warn", key=f"warn-{item.report_id}", icon=":material/campaign:", width="stretch",
                    on_click=resolve, args=(item.report_id, ModerationAction.WARN),
                    help="Send them a notification from the moderators.")
        with suspend:
            st.number_input("Days to suspend", min_value=1, max_value=MAX_SUSPENSION_DAYS,
                            value=DEFAULT_SUSPENSION_DAYS, key=f"days-{item.report_id}")
            st.button("Suspend outreach", key=f"suspend-{item.report_id}", icon=":material/pause_circle:",
                      width="stretch", on_click=resolve, args=(item.report_id, ModerationAction.SUSPEND_OUTREACH),
                      help="No new requests, pings or meeting requests for that many days.")
        with disable, st.popover("Disable account", icon=":material/person_off:", width="stretch"):
            st.markdown(f"Disable **{plain(item.reported_name)}**'s account? They are logged out at once and "
                        "cannot log in until an admin enables the account on the Users page.")
            st.button("Yes, disable the account", key=f"disable-{item.report_id}", type="primary",
                      on_click=resolve, args=(item.report_id, ModerationAction.DISABLE_ACCOUNT))
        dismiss.button("Dismiss", key=f"dismiss-{item.report_id}", icon=":material/close:", width="stretch",
                       on_click=resolve, args=(item.report_id, ModerationAction.DISMISS),
                       help="Nothing to act on.")


show_outcome("moderation")
with db_session() as session:
    queue = moderation_queue(session)
    history = resolved_reports(session)

st.subheader(f"Open reports ({len(queue)})")
if not queue:
    empty_state("No open reports. When an attendee reports someone, the report appears here.")
for item in queue:
    report_card(item)

st.subheader("Resolved")
if not history:
    empty_state("No report has been resolved yet.")
else:
    data_table(pd.DataFrame([{
        "resolved": f"{r.resolved_at:%Y-%m-%d %H:%M}" if r.resolved_at else "", "report": r.report_id,
        "reported": r.reported_name, "reported by": r.reporter_name, "reason": r.reason_label,
        "seen in": r.context_label, "decision": r.resolution_label, "by": r.resolved_by or "",
        "details": r.details} for r in history]))
