"""Every role's page: my account, with a password change and (for attendees) the people they blocked."""
import streamlit as st

from core.accounts.accounts import AccountError
from core.accounts.sessions import token_for
from core.accounts.tokens import change_password
from core.networking.moderation import my_blocks, unblock_person
from ui.auth import TOKEN_KEY, require_role
from ui.resources import clock, db_session, settings, transaction
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


def unblock(person_id: int, name: str) -> None:
    with transaction() as session:
        unblock_person(session, blocker_id=user.person_id, blocked_id=person_id)
    st.toast(f"You unblocked {plain(name)}. They can appear in your recommendations and contact you again.",
             icon=":material/lock_open:")


if user.person_id is not None:
    with db_session() as session:
        blocks = my_blocks(session, user.person_id)
    with st.expander(f"Blocked people ({len(blocks)})", icon=":material/block:"):
        if not blocks:
            st.caption("You have not blocked anyone. Block someone from the More menu on their card or in your "
                       "conversation with them.")
        for blocked in blocks:
            name_column, button_column = st.columns([4, 1], vertical_alignment="center")
            name_column.markdown(f"{plain(blocked.name)} · blocked {blocked.blocked_at:%d %b %Y}")
            button_column.button("Unblock", key=f"unblock-{blocked.person_id}", icon=":material/lock_open:",
                                 on_click=unblock, args=(blocked.person_id, blocked.name))
