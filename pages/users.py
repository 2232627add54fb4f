"""Admin page: accounts and their roles (nobody can change their own roles)."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.accounts.accounts import (
    ROLE_VALUES,
    AccountError,
    create_account,
    get_account,
    list_accounts,
    set_disabled,
    set_roles,
)
from ui.auth import require_role
from ui.resources import db_session, transaction
from ui.widgets import multi_choice

user = require_role(Role.ADMIN)
st.title("🔐 Users")

with db_session() as session:
    accounts = list_accounts(session)
st.dataframe(pd.DataFrame([{
    "username": a.username, "name": a.display_name, "email": a.email, "roles": ", ".join(a.roles),
    "status": "disabled" if a.disabled else "active", "linked attendee": "yes" if a.person_id else "",
} for a in accounts]), hide_index=True, width="stretch")

st.subheader("Change roles")
others = [a for a in accounts if a.id != user.account_id]
if not others:
    st.info("There are no other accounts. You cannot change your own roles.")
else:
    by_id = {a.id: a for a in others}
    target = by_id[st.selectbox("Account", list(by_id),
                                format_func=lambda i: f"{by_id[i].username} ({', '.join(by_id[i].roles)})")]
    with st.form("roles_form"):
        roles = multi_choice("Roles", ROLE_VALUES, target.roles)
        disabled = st.checkbox("Disabled (cannot log in)", target.disabled)
        confirm = st.checkbox(f"I confirm changing {target.username}'s access")
        save = st.form_submit_button("Save changes", type="primary")
    if save:
        if not confirm:
            st.warning("Tick the confirmation box to change access.")
        else:
            try:
                with transaction() as session:
                    if sorted(roles) != sorted(target.roles):
                        set_roles(session, actor_id=user.account_id, account_id=target.id, roles=roles)
                    if disabled != target.disabled:
                        set_disabled(session, actor_id=user.account_id, account_id=target.id, disabled=disabled)
                    saved = get_account(session, target.username)
            except AccountError as exc:
                st.error(str(exc))
            else:
                st.success(f"Saved {saved.username}: {', '.join(saved.roles)}"
                           + (" (disabled)" if saved.disabled else ""))
st.caption("Your own roles can only be changed by another admin.")

st.subheader("New account")
with st.form("new_account", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input("Username")
    name = c2.text_input("Display name")
    email = c1.text_input("Email")
    password = c2.text_input("Initial password", type="password", help="At least 8 characters.")
    new_roles = multi_choice("Roles", ROLE_VALUES, ["attendee"])
    create = st.form_submit_button("Create account")
if create:
    try:
        with transaction() as session:
            create_account(session, actor_id=user.account_id, username=username, email=email,
                           display_name=name, password=password, roles=new_roles)
    except AccountError as exc:
        st.error(str(exc))
    else:
        st.success(f"Created {username.strip().lower()}.")
        st.rerun()
