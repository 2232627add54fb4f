"""Public page: an invited attendee opens their link, chooses a username and password, and is logged in."""
import streamlit as st

from core.accounts.accounts import AccountError
from core.accounts.sessions import token_for
from core.accounts.tokens import LinkError, accept_invitation, open_invitation
from ui.auth import AFTER_LOGIN_KEY, TOKEN_KEY, public_page
from ui.resources import clock, transaction
from ui.text import plain
from ui.widgets import open_link_or_stop

public_page()  # open to anyone: no login needed

st.title("Accept your invitation")
target, token, key = open_link_or_stop(open_invitation, fallback_page="pages/login.py", fallback_label="Log in",
                                       icon=":material/login:")

st.markdown(f"Welcome, **{plain(target.name)}**! You are registered for **{plain(target.event_name)}**. "
            "Choose how you will log in; your matches are waiting.")
with st.form("accept"):
    st.text_input("Email", target.email, disabled=True)
    username = st.text_input("Username", help="3–64 characters: lowercase letters, digits, '.', '_' or '-'.")
    password = st.text_input("Password", type="password", help="8 to 72 characters.")
    again = st.text_input("Password again", type="password")
    submitted = st.form_submit_button("Create my account", type="primary")
if submitted:
    if password != again:
        st.error("The two passwords differ. Type the same password twice.")
        st.stop()
    try:
        with transaction() as session:
            account = accept_invitation(session, token=token, username=username, password=password, key=key,
                                        clock=clock())
            session_token = token_for(session, username=account.username, key=key, now=clock().now())
    except (LinkError, AccountError) as exc:
        st.error(str(exc))
    else:
        st.session_state[TOKEN_KEY] = session_token
        st.session_state[AFTER_LOGIN_KEY] = True
        st.query_params.clear()
        st.rerun()
