"""GlobalConnect router: settings, login, and the role-based page menu."""
from __future__ import annotations

import streamlit as st

from ui.auth import authenticator, current_user
from ui.navigation import menu_for
from ui.resources import settings
from ui.widgets import show_demo_accounts

st.set_page_config(page_title="GlobalConnect", page_icon="🤝", layout="wide")


def login_screen() -> None:
    st.title("🤝 GlobalConnect")
    st.caption("Who to meet at your event, and why.")
    auth.login(location="main")
    if st.session_state.get("authentication_status") is False:
        st.error("Username or password is incorrect.")
    if settings().demo_mode:
        show_demo_accounts()


auth = authenticator()
user = current_user()
if user is None:
    if st.session_state.get("authentication_status"):
        auth.logout(location="unrendered")
    navigation = st.navigation([st.Page(login_screen, title="Log in", icon="🔑", url_path="login")])
    navigation.run()
    if st.session_state.get("authentication_status"):
        st.rerun()
    st.stop()

sections = {
    title: [st.Page(p.path, url_path=p.url_path, title=p.title, icon=p.icon) for p in pages]
    for title, pages in menu_for(user.roles).items()
}
with st.sidebar:
    st.markdown(f"**{user.display_name}**  \n{', '.join(user.roles)}")
    auth.logout(button_name="Log out", location="sidebar", key="sign_out")
if not st.session_state.get("authentication_status"):
    st.rerun()
st.navigation(sections).run()
