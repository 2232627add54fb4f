"""Admin page: the audit log, filterable and downloadable."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.ingest.tabular import safe_csv_cell
from core.platform.audit import audit_actions, list_audit
from ui.auth import require_role
from ui.resources import db_session

user = require_role(Role.ADMIN)
st.title("🧾 Audit log")

with db_session() as session:
    actions = audit_actions(session)
    c1, c2 = st.columns(2)
    action = c1.selectbox("Action", ["All", *actions])
    actor = c2.text_input("Actor username")
    entries = list_audit(session, action=None if action == "All" else action, actor=actor.strip() or None)
if not entries:
    st.info("No audit entries yet." if action == "All" and not actor else "No entry matches these filters.")
    st.stop()
table = pd.DataFrame([{"when": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor_label, "action": e.action,
                       "target": f"{e.target_type} {e.target_id}".strip(), "details": e.details} for e in entries])
st.dataframe(table, hide_index=True, width="stretch")
st.download_button("Download CSV", table.astype(str).map(safe_csv_cell).to_csv(index=False),
                   file_name="audit-log.csv", mime="text/csv")
