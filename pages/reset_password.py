"""Public page: choose a new password through a one-time reset link."""
import streamlit as st

from core.accounts.accounts import AccountError
from core.accounts.tokens import LinkError, open_reset_link, reset_password
from ui.auth import public_page
from ui.resources import clock, transaction
from ui.text import plain
from ui.widgets import open_link_or_stop

public_page()  # open to anyone: no login needed

st.title("Choose a new password")
target, token, key = open_link_or_stop(open_reset_link, fallback_page="pages/forgot_password.py",
                                       fallback_label="Ask for a new link", icon=":material/help:")

st.markdown(f"For the account of **{plain(target.name)}** ({plain(target.email)}).")
with st.form("reset"):
    password = st.text_input("New password", type="password", help="8 to 72 characters.")
    again = st.text_input("New password again", type="password")
    submitted = st.form_submit_button("Set the new password", type="primary")
if submitted:
    if password != again:
        st.error("The two passwords differ. Type the same password twice.")
        st.stop()
    try:
        with transaction() as session:
            reset_password(session, token=token, new_password=password, key=key, clock=clock())
    except (LinkError, AccountError) as exc:
        st.error(str(exc))
    else:
        st.query_params.clear()
        st.success("Your password is set, and every other login of your account was signed out.")
        st.page_link("pages/login.py", label="Log in", icon=":material/login:")
