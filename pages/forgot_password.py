"""Public page: 'Forgot password' emails a one-time reset link when email is configured."""
import streamlit as st

from core.accounts.tokens import request_password_reset
from ui.auth import public_page
from ui.resources import clock, settings, transaction

public_page()  # open to anyone: no login needed

st.title("Forgot your password?")
if not settings().mail_enabled:
    st.info("This installation does not send email. Ask an admin for a password-reset link: they can create one on "
            "the Users page.")
    st.page_link("pages/login.py", label="Back to log in", icon=":material/login:")
    st.stop()
with st.form("forgot"):
    email = st.text_input("The email address of your account")
    submitted = st.form_submit_button("Email me a reset link", type="primary")
if submitted:
    if "@" not in email:
        st.error("Enter the email address you registered with.")
    else:
        s = settings()
        with transaction() as session:
            request_password_reset(session, email=email, clock=clock(), key=s.cookie_key.get_secret_value(),
                                   base_url=s.public_base_url, hours=s.password_reset_hours, send=True)
        st.success("If an account uses that address, a reset link is on its way. It works once, for "
                   f"{s.password_reset_hours} hours. Check your spam folder if it does not arrive.")
st.page_link("pages/login.py", label="Back to log in", icon=":material/login:")
