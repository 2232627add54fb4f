"""Admin page: the audit log, filterable by person and action, paginated, with each entry's details."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.ingest.tabular import safe_csv_cell
from core.platform.audit import action_label, audit_actions
from core.privacy.audit_trail import AUDIT_PAGE_SIZE, audit_page, find_people, record_admin_data_access
from ui.auth import client_address, require_role
from ui.resources import clock, db_session, settings, transaction
from ui.tables import data_table
from ui.text import plain

user = require_role(Role.ADMIN)
st.title("Audit log")
st.caption(f"Who did what, newest first. Client addresses are stored only as a daily hash; entries are kept "
           f"{settings().audit_retention_days} days (about {settings().audit_retention_days / 365:.0f} years).")


def audit_export(person_id: int | None) -> None:
    with transaction() as session:
        record_admin_data_access(session, actor_id=user.account_id, scope="audit_log_export", clock=clock(),
                                 target_person_id=person_id, client=client_address())


with db_session() as session:
    actions = audit_actions(session)
    c1, c2, c3 = st.columns([2, 2, 1])
    search = c1.text_input("Person", placeholder="Email or name", help="Shows only the entries about this person.")
    matches = find_people(session, search) if search.strip() else []
    action = c2.selectbox("Action", ["All", *actions], format_func=lambda a: a if a == "All" else action_label(a))
    actor = c3.text_input("Actor username")
person_id = None
if search.strip():
    if not matches:
        st.warning(f"No person's email or name contains “{plain(search.strip(), limit=80)}”. Check the spelling, "
                   "or search by part of their email.", icon=":material/person_search:")
        st.stop()
    by_id = {m.id: m for m in matches}
    person_id = st.selectbox("Matching people", list(by_id), format_func=lambda i: by_id[i].label)
    with transaction() as session:  # reading everything about one person is itself audited, once a day
        record_admin_data_access(session, actor_id=user.account_id, scope="audit_log", clock=clock(),
                                 target_person_id=person_id, client=client_address())

page_number = st.session_state.get("audit_page", 1)
with db_session() as session:
    found = audit_page(session, action=None if action == "All" else action, target_person_id=person_id,
                       actor=actor.strip() or None, page=page_number)
if not found.entries:
    filtered = action != "All" or actor.strip() or person_id is not None
    st.info("No entry matches these filters." if filtered else "No audit entries yet.", icon=":material/info:")
    st.stop()

first = (found.page - 1) * AUDIT_PAGE_SIZE + 1
st.caption(f"Entries {first}–{first + len(found.entries) - 1} of {found.total:,} · page {found.page} of "
           f"{found.pages}")
rows = [{"when": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor_label, "action": action_label(e.action),
         "about": found.people.get(e.target_person_id, "") if e.target_person_id else "",
         "target": f"{e.target_type} {e.target_id}".strip(), "client (hashed)": e.client_hash or ""}
        for e in found.entries]
data_table(pd.DataFrame(rows), hide_index=True, width="stretch")
if found.pages > 1:
    st.session_state["audit_page"] = found.page  # clamped when the filters leave fewer pages
    st.number_input("Page", min_value=1, max_value=found.pages, key="audit_page", step=1)

st.subheader("Details")
for entry, row in zip(found.entries, rows, strict=True):
    with st.expander(f"{row['when']} · {row['action']} · {plain(row['actor'], limit=60)}"):
        if row["about"]:
            st.caption(f"About {plain(row['about'], limit=80)} (person {entry.target_person_id})")
        st.caption(f"Client (hashed): {entry.client_hash}" if entry.client_hash else "No client recorded")
        st.json(entry.details or {}, expanded=True)

# The download keeps the stored action codes: it is for filtering and joining, not for reading.
export = pd.DataFrame([{"when": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor_label, "action": e.action,
                        "target_person_id": e.target_person_id or "", "client_hash": e.client_hash or "",
                        "target": f"{e.target_type} {e.target_id}".strip(), "details": e.details}
                       for e in found.entries])
st.download_button("Download this page as CSV", export.astype(str).map(safe_csv_cell).to_csv(index=False),
                   file_name="audit-log.csv", mime="text/csv", icon=":material/download:", on_click=audit_export,
                   args=(person_id,))
