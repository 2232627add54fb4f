"""Every role's page: my account, with a password change."""
import streamlit as st

from core.accounts.accounts import AccountError
from core.accounts.sessions import token_for
from core.accounts.tokens import change_password
from ui.auth import TOKEN_KEY, require_role
from ui.resources import clock, settings, transaction
from ui.text import plain

user = require_role()
st.title("My account")
st.markdown(f"Logged in as **{plain(user.username)}** · {plain(', '.join(user.roles))}")

st.subheader("Change your password")
with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password")
    new = st.text_input("New password", type="password", help="8 to 72 characters.")
    again = st.text_input("New password again", type="password")
    submitted = st.form_submit_button("Change password", type="primary")
if submitted:
    if new != again:
        st.error("The two new passwords differ. Type the same password twice.")
    else:
        try:
            with transaction() as session:
                change_password(session, account_id=user.account_id, current=current, new=new, clock=clock())
                fresh = token_for(session, username=user.username, key=settings().cookie_key.get_secret_value(),
                                  now=clock().now())
        except AccountError as exc:
            st.error(str(exc))
        else:
            st.session_state[TOKEN_KEY] = fresh  # this browser stays logged in; every other one is signed out
            st.success("Password changed. Your other logins were signed out.")
