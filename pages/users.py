"""Admin page: accounts and their roles (nobody can change their own roles), password-reset links, and who
organizes which event."""
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
from core.accounts.tokens import create_reset_link
from core.events.events import add_organizer
from core.events.overview import organizers_by_event
from core.privacy.audit_trail import record_admin_data_access
from core.privacy.deletion import cancel_deletion, deletion_status, request_deletion
from ui.auth import client_address, require_role
from ui.resources import clock, db_session, settings, transaction
from ui.tables import data_table
from ui.text import plain
from ui.widgets import event_picker, multi_choice, show_outcome

user = require_role(Role.ADMIN)
st.title("Users")


def account_label(account) -> str:
    return f"{account.username} ({account.display_name})" if account.display_name else account.username


with transaction() as session:  # the accounts' names and emails are personal data: audited once a day
    record_admin_data_access(session, actor_id=user.account_id, scope="users", clock=clock(),
                             client=client_address())
with db_session() as session:
    accounts = list_accounts(session)
data_table(pd.DataFrame([{
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
        confirm = st.checkbox(f"I confirm changing {plain(target.username)}'s access")
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
                st.error(plain(exc))
            else:
                st.success(f"Saved {plain(saved.username)}: {plain(', '.join(saved.roles))}"
                           + (" (disabled)" if saved.disabled else ""))
st.caption("Your own roles can only be changed by another admin.")

st.subheader("Reset a password")
hours = settings().password_reset_hours
st.caption(f"Makes a one-time link with which the account's owner chooses a new password; it works once, for "
           f"{hours} hours, and any earlier unused link stops working. Send it to them yourself: it is shown only "
           "once. The current password keeps working until they use the link.")
enabled = {a.id: a for a in accounts if not a.disabled}
if not enabled:
    st.info("There is no enabled account.")
else:
    c1, c2 = st.columns([3, 1])
    reset_id = c1.selectbox("Account", list(enabled), format_func=lambda i: account_label(enabled[i]),
                            key="reset_account")
    c2.write("")
    if c2.button("Create reset link", icon=":material/lock_reset:", width="stretch"):
        with transaction() as session:
            link = create_reset_link(session, account_id=reset_id, actor_id=user.account_id, clock=clock(),
                                     key=settings().cookie_key.get_secret_value(),
                                     base_url=settings().public_base_url, hours=hours)
        # Shown on this run only: the next interaction reruns the page without it, and only its hash is stored.
        st.success(f"Reset link for {plain(enabled[reset_id].username)}. Copy it now: it is not shown again.",
                   icon=":material/link:")
        st.code(link, language=None, wrap_lines=True)

st.subheader("Event organizers")
st.caption("An organizer sees the organizer pages (overview, registration, analytics) of the events they "
           "organize only.")
show_outcome("organizers")
with db_session() as session:
    organized = organizers_by_event(session)
if organized:
    data_table(pd.DataFrame([{"event": o.event_name, "slug": o.event_slug,
                                "organizers": ", ".join(o.organizers) or "nobody yet"} for o in organized]),
                 hide_index=True, width="stretch")
candidates = {a.id: a for a in accounts if Role.ORGANIZER in a.roles and not a.disabled}
if not candidates:
    st.info("No enabled account has the organizer role. Give one that role under Change roles, then add it to "
            "an event here.")
else:
    c1, c2 = st.columns(2)
    with c1:
        organizer_id = st.selectbox("Organizer", list(candidates), format_func=lambda i: account_label(candidates[i]),
                                    key="organizer_account")
    with c2:
        event = event_picker(user, "Event", key="organizer_event")
    if event is not None and st.button("Add as organizer of this event", icon=":material/group_add:"):
        with transaction() as session:
            added = add_organizer(session, event_id=event.id, account_id=organizer_id, actor_id=user.account_id)
        who, what = plain(candidates[organizer_id].username), plain(event.name)
        # show_outcome renders these as Markdown, so the names in them are escaped here.
        st.session_state["organizers_notice"] = (f"{who} now organizes {what}." if added else
                                                 f"{who} already organizes {what}.")
        st.rerun()

st.subheader("Delete a person")
grace = settings().deletion_grace_days
st.caption(f"Hides the attendee from everyone at once and deletes their profile, account, connections, messages and "
           f"recommendations for good after {grace} days. Until then they can log in and cancel, or you can cancel "
           "it here.")
show_outcome("user_deletion")
linked = {a.person_id: a for a in accounts if a.person_id and a.id != user.account_id}
if not linked:
    st.info("No other account is linked to an attendee.", icon=":material/person_off:")
else:
    doomed = st.selectbox("Attendee's account", list(linked), format_func=lambda i: account_label(linked[i]),
                          key="delete_person")
    with db_session() as session:
        pending = deletion_status(session, person_id=doomed, grace_days=grace)
    if pending.pending:
        st.warning(f"Deletion requested: the data goes on {pending.deadline:%d %b %Y}.", icon=":material/schedule:")
        if st.button("Cancel this deletion", icon=":material/undo:"):
            with transaction() as session:
                cancel_deletion(session, person_id=doomed, clock=clock(), actor_id=user.account_id,
                                client=client_address())
            st.session_state["user_deletion_notice"] = f"Deletion of {linked[doomed].username} cancelled."
            st.rerun()
    else:
        with st.form("delete_person_form"):
            sure = st.checkbox(f"I confirm deleting {plain(linked[doomed].username)} and all their data")
            delete = st.form_submit_button("Delete this person", icon=":material/delete_forever:", type="primary")
        if delete:
            if not sure:
                st.warning("Tick the confirmation box to delete this person.")
            else:
                with transaction() as session:
                    status = request_deletion(session, person_id=doomed, clock=clock(), actor_id=user.account_id,
                                              client=client_address(), grace_days=grace)
                st.session_state["user_deletion_notice"] = (
                    f"Deletion of {linked[doomed].username} requested: hidden now, deleted on "
                    f"{status.deadline:%d %b %Y}.")
                st.rerun()

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
        st.error(plain(exc))
    else:
        st.success(f"Created {plain(username.strip().lower())}.")
        st.rerun()
