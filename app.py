"""GlobalConnect router: settings, login, and the role-based page menu."""
from __future__ import annotations

import streamlit as st

from db.models import Role
from ui.auth import authenticator, current_user
from ui.resources import settings
from ui.widgets import show_demo_accounts

st.set_page_config(page_title="GlobalConnect", page_icon="🤝", layout="wide")

PAGES = {
    Role.ATTENDEE: [
        ("pages/profile.py", "my-profile", "My profile", "👤"),
        ("pages/program.py", "program", "Program", "🗓️"),
    ],
    Role.ORGANIZER: [
        ("pages/event_overview.py", "event-overview", "Event overview", "📊"),
    ],
    Role.ADMIN: [
        ("pages/uploads.py", "uploads", "Uploads", "📤"),
        ("pages/jobs.py", "jobs", "Jobs", "⚙️"),
        ("pages/users.py", "users", "Users", "🔐"),
        ("pages/audit_log.py", "audit-log", "Audit log", "🧾"),
    ],
    Role.STAFF: [
        ("pages/prompt_variants.py", "prompt-variants", "Prompt variants", "🧪"),
    ],
}
SECTION_TITLES = {Role.ATTENDEE: "Attendee", Role.ORGANIZER: "Organizer", Role.ADMIN: "Admin", Role.STAFF: "Staff"}


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
    SECTION_TITLES[role]: [st.Page(path, url_path=url, title=title, icon=icon) for path, url, title, icon in pages]
    for role, pages in PAGES.items()
    if user.has(role)
}
with st.sidebar:
    st.markdown(f"**{user.display_name}**  \n{', '.join(user.roles)}")
    auth.logout(button_name="Log out", location="sidebar", key="sign_out")
if not st.session_state.get("authentication_status"):
    st.rerun()
st.navigation(sections).run()
