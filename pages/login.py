"""Public page: the login form (every app address shows it to someone who is not logged in)."""
import streamlit as st

from ui.auth import login_form, public_page
from ui.resources import settings
from ui.widgets import show_demo_accounts

public_page()  # open to anyone: no login needed

st.title("GlobalConnect")
st.caption("Who to meet at your event, and why.")
login_form()
st.page_link("pages/forgot_password.py", label="Forgot your password?", icon=":material/help:")
if settings().demo_mode:
    show_demo_accounts()
