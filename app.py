"""GlobalConnect router: settings check, login, and the role-based page menu."""
from __future__ import annotations

import logging

import streamlit as st

from core.accounts import Role
from core.networking.notifications import unread_count
from core.platform.settings import InsecureSettings
from ui.auth import AFTER_LOGIN_KEY, current_user, forget_cookie, keep_cookie, log_out, user_of_this_run
from ui.navigation import LOGIN_PAGE, PUBLIC_PAGES, all_app_pages, menu_for
from ui.resources import db_session, settings

st.set_page_config(page_title="GlobalConnect", page_icon=":material/handshake:", layout="wide")
st.set_option("client.showErrorDetails", "full" if settings().show_error_details else "none")
log = logging.getLogger("globalconnect.app")

try:
    settings().check_secure()
except InsecureSettings as exc:
    st.error(f"GlobalConnect is not configured safely, so it will not start. {exc}")
    st.stop()


def run_safely(page) -> None:
    """Run the page; an unexpected error is logged and shown in plain words (st.stop and st.rerun pass through)."""
    try:
        page.run()
    except Exception:
        log.exception("page %s failed", page.url_path)
        st.error("Something went wrong on this page. Reload it; if it happens again, tell the organizer what you "
                 "did and when.")


def public_pages(visibility: str = "visible") -> list:
    return [st.Page(p.path, url_path=p.url_path, title=p.title, icon=p.icon, visibility=visibility)
            for p in PUBLIC_PAGES]


user = current_user()
if user is None:
    forget_cookie()
    # Every app page's address shows the login form, so a deep link opens its page once logged in.
    login = [st.Page(LOGIN_PAGE, title="Log in", icon=":material/login:", url_path="login", default=True)]
    login += [st.Page(LOGIN_PAGE, title="Log in", url_path=p.url_path) for p in all_app_pages()]
    run_safely(st.navigation(login + public_pages(), position="hidden"))
    st.stop()

sections = {
    title: [st.Page(p.path, url_path=p.url_path, title=p.title, icon=p.icon) for p in pages]
    for title, pages in menu_for(user.roles).items()
}
with st.sidebar:
    st.markdown(f"**{user.display_name}**  \n{', '.join(user.roles)}")
    badge = st.empty()  # the notifications link, drawn once st.navigation has registered its page
    st.button("Log out", key="sign_out", icon=":material/logout:", on_click=log_out, args=(user,))
    keep_cookie()
first_page = sections[next(iter(sections))][0]


def to_first_page() -> None:
    st.switch_page(first_page)


# The public pages stay reachable (hidden) so that a link opened while logged in still works, and the login
# address (where a fresh login happens) opens the user's first page.
sections["Account"] += public_pages(visibility="hidden")
# The root is a hidden default page, so that every real page, the first one too, keeps its own address (the
# default page would answer at "/" only, and its address, e.g. /for-you, would be "not found").
sections["Account"] += [st.Page(to_first_page, title="Home", url_path="home", default=True, visibility="hidden"),
                        st.Page(to_first_page, title="Log in", url_path="login", visibility="hidden")]
page = st.navigation(sections, expanded=True)  # every page stays listed: a collapsed menu hides the last ones
inbox = next((p for pages in sections.values() for p in pages if p.url_path == "notifications"), None)
if inbox is not None and user.person_id is not None and user.has(Role.ATTENDEE):
    with db_session() as session:  # one COUNT per run: the badge on every page
        unread = unread_count(session, user.person_id)
    badge.page_link(inbox, label=f"Notifications ({unread:,} unread)" if unread else "Notifications",
                    icon=":material/notifications_active:" if unread else ":material/notifications:")
if st.session_state.pop(AFTER_LOGIN_KEY, None):  # just registered through an invitation: straight to the matches
    st.switch_page(first_page)
with user_of_this_run(user):
    run_safely(page)
