"""Organizer page: open public sign-up for an event, and invite the attendees an admin uploaded."""
from datetime import UTC, datetime, time

import streamlit as st

from core.accounts import Role
from core.accounts.tokens import generate_invitations, invitations_csv
from core.events.events import RegistrationSettingsError, get_event, registration_counts, set_registration
from core.platform.mail import outbox_summary
from ui.auth import require_role
from ui.resources import clock, db_session, settings, transaction
from ui.text import plain
from ui.widgets import event_picker, show_outcome

user = require_role(Role.ORGANIZER, Role.ADMIN)
st.title("Registration")
event = event_picker(user, key="registration_event")
if event is None:
    st.stop()
show_outcome("registration")

with db_session() as session:
    event = get_event(session, event.slug)  # fresh: the picker may hand back the object of an earlier run
    registered, _ = registration_counts(session).get(event.id, (0, 0))
    mail = outbox_summary(session)

st.subheader("Public sign-up")
left, right = st.columns([3, 2])
with left:
    with st.form("registration_settings"):
        open_ = st.toggle("Registration is open", event.registration_open)
        limited = st.checkbox("Limit the number of attendees", event.registration_capacity is not None)
        capacity = st.number_input("Capacity", min_value=1, value=event.registration_capacity or max(registered, 100),
                                   step=10)
        closes = st.checkbox("Close sign-up at a date", event.registration_closes_at is not None)
        closes_on = st.date_input("Closing date (end of day, UTC)",
                                  (event.registration_closes_at or clock().now()).date())
        saved = st.form_submit_button("Save", type="primary")
    if saved:
        closes_at = datetime.combine(closes_on, time(23, 59), tzinfo=UTC) if closes else None
        try:
            with transaction() as session:
                set_registration(session, event_id=event.id, open_=open_, capacity=int(capacity) if limited else None,
                                 closes_at=closes_at, actor_id=user.account_id, clock=clock())
        except RegistrationSettingsError as exc:
            st.error(str(exc))
        else:
            st.session_state["registration_notice"] = "Registration settings saved."
            st.rerun()
with right:
    st.metric("Registered", f"{registered:,}" + (f" of {event.registration_capacity:,}"
                                                 if event.registration_capacity else ""))
    if event.registration_code:
        link = f"{settings().public_base_url.rstrip('/')}/sign-up?code={event.registration_code}"
        st.markdown("**Sign-up link** (share it anywhere):")
        st.code(link, language=None)
        if not event.registration_open:
            st.caption("The link shows 'registration is closed' until you open registration.")
    else:
        st.caption("Open registration to get the event's sign-up link.")

st.subheader("Invitations for uploaded attendees")
st.caption(f"Each attendee without an account gets a personal link: it works once, for {settings().invitation_days} "
           "days, and lets them choose a username and password. A new round replaces earlier unused links.")
send = settings().mail_enabled
if not send:
    st.info("Email is not configured (SMTP_HOST), so download the links and send them with your own mail tool.",
            icon=":material/mail:")
if st.button("Generate invitations" + (" and email them" if send else ""), type="primary"):
    s = settings()
    with st.spinner("Creating invitation links…"), transaction() as session:
        links = generate_invitations(session, event_id=event.id, actor_id=user.account_id, clock=clock(),
                                     key=s.cookie_key.get_secret_value(), base_url=s.public_base_url,
                                     days=s.invitation_days, send=send)
    st.session_state["invitations_csv"] = (event.slug, len(links), invitations_csv(links))
batch = st.session_state.get("invitations_csv")
if batch and batch[0] == event.slug:
    _, count, text = batch
    if count == 0:
        st.success("Everyone registered for this event has an account already: no invitation was needed.")
    else:
        st.success(f"{count:,} invitation links created" + (": the worker emails them within a few seconds."
                                                            if send else "."))
        st.download_button("Download invitations (CSV)", text, file_name=f"{event.slug}-invitations.csv",
                           mime="text/csv", icon=":material/download:")
if mail:
    st.caption("Email so far: " + ", ".join(f"{count:,} {plain(status.replace('_', ' '))}"
                                            for status, count in mail.items()))
