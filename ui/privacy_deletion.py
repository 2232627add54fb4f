"""The "Delete my account" controls: request behind a confirmation, show the deadline, cancel."""
from __future__ import annotations

import streamlit as st

from core.privacy.deletion import cancel_deletion, deletion_status, request_deletion
from ui.auth import client_address, current_user
from ui.resources import clock, db_session, settings, transaction

NOTICE = "privacy_deletion_notice"


def render_deletion_controls(person_id: int) -> None:
    """Explain deletion and let the person request it, or cancel a pending request."""
    user = current_user()
    actor_id = user.account_id if user else None
    with db_session() as session:
        status = deletion_status(session, person_id=person_id, grace_days=settings().deletion_grace_days)
    st.subheader("Delete my account", anchor=False)
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice, icon=":material/check_circle:")
    if status.pending:
        st.warning(f"Your account and data will be deleted on {status.deadline:%d %b %Y}. "
                   "Until then you can cancel.", icon=":material/schedule:")
        if st.button("Cancel deletion", icon=":material/undo:", key="privacy_cancel_deletion"):
            with transaction() as session:
                cancel_deletion(session, person_id=person_id, clock=clock(), actor_id=actor_id,
                                client=client_address())
            st.session_state[NOTICE] = "Deletion cancelled. Your account stays as it is."
            st.rerun()
        return
    st.write(f"Other attendees stop seeing you at once. Your profile, connections, messages, recommendations, "
             f"meetings and account are deleted for good {settings().deletion_grace_days} days later; until then "
             "you can log in and cancel.")
    with st.form("privacy_delete_account"):
        typed = st.text_input("Type DELETE to confirm")
        submitted = st.form_submit_button("Delete my account", icon=":material/delete_forever:", type="primary")
    if submitted:
        if typed.strip() != "DELETE":
            st.error("Type DELETE in capital letters to confirm the deletion.", icon=":material/error:")
            return
        with transaction() as session:
            request_deletion(session, person_id=person_id, clock=clock(), actor_id=actor_id,
                             client=client_address(), grace_days=settings().deletion_grace_days)
        st.rerun()
