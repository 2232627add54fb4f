"""Attendee page: my network. Connection requests to answer (or withdraw), and connections with their origin,
strength, interactions and a private note."""
import streamlit as st

from core.accounts import Role
from core.networking.connections import (
    NOTE_LIMIT,
    ORIGIN_LABELS,
    STRENGTH_LABELS,
    NetworkError,
    my_connections,
    set_connection_note,
)
from core.networking.requests import (
    DECLINE_COOLDOWN,
    RequestError,
    incoming_requests,
    outgoing_requests,
    respond_to_request,
)
from ui.auth import require_role
from ui.resources import clock, db_session, transaction
from ui.text import plain
from ui.widgets import show_outcome

STRENGTH_COLOURS = {"weak": "gray", "moderate": "blue", "strong": "green"}
ANSWERED = {"accept": "Request accepted: you are connected.",
            "decline": "Request declined. They are not told, and cannot ask again for "
                       f"{DECLINE_COOLDOWN.days} days.",
            "withdraw": "Request withdrawn."}

user = require_role(Role.ATTENDEE)
st.title("My network")
if not user.person_id:
    st.info("Your account has no attendee profile yet, so there is no network to show.")
    st.stop()
show_outcome("network")


def answer(request_id: int, action: str) -> None:
    try:
        with transaction() as session:
            respond_to_request(session, request_id=request_id, person_id=user.person_id, action=action,
                               clock=clock())
    except RequestError as exc:
        st.session_state["network_error"] = plain(exc)
    else:
        st.session_state["network_notice"] = ANSWERED[action]


def save_note(connection_id: int, note: str) -> None:
    try:
        with transaction() as session:
            set_connection_note(session, connection_id=connection_id, person_id=user.person_id, note=note,
                                now=clock().now())
    except NetworkError as exc:
        st.session_state["network_error"] = plain(exc)
    else:
        st.session_state["network_notice"] = "Note saved. Only you can see it."


def who(person) -> str:
    """A person's name, role and company, escaped, for one Markdown line."""
    details = " · ".join(plain(x) for x in (person.role, person.company) if x)
    return f"**{plain(person.full_name)}**" + (f" · {details}" if details else "")


def origin_label(origin: str) -> str:
    return ORIGIN_LABELS.get(origin, "Connected")


with db_session() as session:
    incoming = incoming_requests(session, user.person_id)
    outgoing = outgoing_requests(session, user.person_id)
    connections = my_connections(session, user.person_id)

# Keyed and state-tracking, so answering a request keeps the tab the attendee is on.
requests_tab, connections_tab = st.tabs(["Requests", "Connections"], key="network_tab", on_change="rerun")

with requests_tab:
    st.subheader(f"Waiting for your answer ({len(incoming)})")
    if not incoming:
        st.info("No requests waiting for you. When someone asks to connect, their request appears here.",
                icon=":material/inbox:")
    for view in incoming:
        request = view.request
        with st.container(border=True):
            st.markdown(who(view.other))
            st.caption(f"Asked on {request.created_at:%d %b %Y at %H:%M} · {origin_label(request.origin)}")
            if request.note:
                st.markdown(f"> {plain(request.note)}")
            accept, decline, _ = st.columns([1, 1, 3])
            accept.button("Accept", key=f"accept-{request.id}", type="primary", icon=":material/check:",
                          on_click=answer, args=(request.id, "accept"), width="stretch")
            with decline.popover("Decline", icon=":material/close:", width="stretch"):
                st.caption(f"{plain(view.other.first_name)} is not told, and cannot ask again for "
                           f"{DECLINE_COOLDOWN.days} days.")
                st.button("Yes, decline", key=f"decline-{request.id}", on_click=answer,
                          args=(request.id, "decline"))

    st.subheader(f"Sent by you ({len(outgoing)})")
    if not outgoing:
        st.caption("No requests waiting for an answer. Ask people to connect from **For you**.")
    for view in outgoing:
        request = view.request
        with st.container(border=True):
            left, right = st.columns([4, 1])
            left.markdown(who(view.other))
            left.caption(f"Sent on {request.created_at:%d %b %Y at %H:%M} · waiting for their answer")
            if request.note:
                left.markdown(f"> {plain(request.note)}")
            right.button("Withdraw", key=f"withdraw-{request.id}", icon=":material/undo:", on_click=answer,
                         args=(request.id, "withdraw"), width="stretch")

with connections_tab:
    if not connections:
        st.info("No connections yet. Ask people to connect from **For you**: they join your network once they "
                "accept.", icon=":material/diversity_3:")
    else:
        st.caption(f"{len(connections)} connection{'s' if len(connections) != 1 else ''}, most recent interaction "
                   "first. Your notes are private: only you see them.")
    for view in connections:
        connection = view.connection
        strength = connection.strength or "weak"
        with st.container(border=True):
            st.markdown(f"{who(view.other)} :{STRENGTH_COLOURS.get(strength, 'gray')}-badge[{strength.title()}]")
            last = (f"last on {connection.last_interaction_at:%d %b %Y}" if connection.last_interaction_at
                    else "no interaction yet")
            interactions = connection.interaction_count
            st.caption(" · ".join([origin_label(view.origin),
                                   f"{interactions} interaction{'s' if interactions != 1 else ''}, {last}",
                                   STRENGTH_LABELS.get(strength, "")]))
            with st.form(f"connection-note-{connection.id}", border=False):
                note = st.text_area("Private note", view.note, max_chars=NOTE_LIMIT, key=f"note-{connection.id}",
                                    placeholder="Where you met, what you talked about, what to follow up on",
                                    height=80)
                if st.form_submit_button("Save note", icon=":material/save:"):
                    save_note(connection.id, note)
                    st.rerun()
