"""Admin page: the audit log, filterable and downloadable."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.ingest.tabular import safe_csv_cell
from core.platform.audit import audit_actions, list_audit
from ui.auth import require_role
from ui.resources import db_session
from ui.tables import data_table

user = require_role(Role.ADMIN)
st.title("Audit log")


def action_label(action: str) -> str:
    """A stored action code in words: "event.organizer_added" -> "Event organizer added"."""
    return action.replace(".", " ").replace("_", " ").capitalize()


with db_session() as session:
    actions = audit_actions(session)
    c1, c2 = st.columns(2)
    action = c1.selectbox("Action", ["All", *actions], format_func=lambda a: a if a == "All" else action_label(a))
    actor = c2.text_input("Actor username")
    entries = list_audit(session, action=None if action == "All" else action, actor=actor.strip() or None)
if not entries:
    st.info("No audit entries yet." if action == "All" and not actor else "No entry matches these filters.")
    st.stop()
data_table(pd.DataFrame([{
    "when": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor_label, "action": action_label(e.action),
    "target": f"{e.target_type} {e.target_id}".strip(), "details": e.details} for e in entries]),
    hide_index=True, width="stretch")
# The download keeps the stored action codes: it is for filtering and joining, not for reading.
export = pd.DataFrame([{"when": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor_label, "action": e.action,
                        "target": f"{e.target_type} {e.target_id}".strip(), "details": e.details} for e in entries])
st.download_button("Download CSV", export.astype(str).map(safe_csv_cell).to_csv(index=False),
                   file_name="audit-log.csv", mime="text/csv", icon=":material/download:")
