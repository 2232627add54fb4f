"""Attendee page: my network (seed 000 §7.3–§7.7). Network stats, post-event follow-ups to send, skip or snooze,
connections (All, Strong, Recent, Need follow-up) with a private note, requests to answer, and the activity feed."""
import streamlit as st

from core.accounts import Role
from core.networking.connections import (
    NOTE_LIMIT,
    ORIGIN_LABELS,
    STRENGTH_LABELS,
    NetworkError,
    set_connection_note,
)
from core.networking.follow_ups import (
    NETWORK_FILTER_LABELS,
    SNOOZE,
    FollowUpError,
    NetworkFilter,
    my_follow_ups,
    network_lists,
    network_stats,
    send_follow_up,
    skip_follow_up,
    snooze_follow_up,
)
from core.networking.messages import BODY_LIMIT
from core.networking.requests import (
    DECLINE_COOLDOWN,
    RequestError,
    incoming_requests,
    outgoing_requests,
    respond_to_request,
)
from ui.auth import require_role
from ui.network_activity import render_network_activity
from ui.resources import clock, db_session, transaction
from ui.safety import block_report_menu
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


def act_on_follow_up(draft_id: int, action: str, name: str) -> None:
    """Send (with the text as edited), skip or snooze one follow-up draft."""
    try:
        with transaction() as session:
            if action == "send":
                send_follow_up(session, draft_id=draft_id, person_id=user.person_id, clock=clock(),
                               body=st.session_state.get(f"follow-up-body-{draft_id}"))
                notice = f"Follow-up sent to {plain(name)}. Their reply will appear in **Messages**."
            elif action == "skip":
                skip_follow_up(session, draft_id=draft_id, person_id=user.person_id, clock=clock())
                notice = f"Skipped: the follow-up to {plain(name)} will not be suggested again."
            else:
                until = snooze_follow_up(session, draft_id=draft_id, person_id=user.person_id, clock=clock())
                notice = f"Snoozed: the follow-up to {plain(name)} comes back on {until:%d %b}."
    except FollowUpError as exc:
        st.session_state["network_error"] = plain(exc)
    else:
        st.session_state["network_notice"] = notice


with db_session() as session:
    now = clock().now()
    stats = network_stats(session, user.person_id, now)
    follow_ups = my_follow_ups(session, user.person_id, now)
    incoming = incoming_requests(session, user.person_id)
    outgoing = outgoing_requests(session, user.person_id)
    lists = network_lists(session, user.person_id, now)
    connections = lists[NetworkFilter.ALL]

connections_metric, events_metric, rate_metric = st.columns(3)
connections_metric.metric("Connections", f"{stats.connections:,}", border=True)
events_metric.metric("Events", f"{stats.events:,}", border=True,
                     help="Events you registered for that have started.")
rate_metric.metric("Follow-up rate", f"{stats.follow_up_rate}%", border=True,
                   help="The share of your connections you sent a follow-up to.")

# Keyed and state-tracking, so answering a request keeps the tab the attendee is on.
tab_names = (["Follow-ups"] if follow_ups else []) + ["Connections", "Requests", "Activity"]
# A notification's link may name the tab to open ("my-network?tab=requests"); handled once.
if "tab" in st.query_params:
    wanted = {name.lower(): name for name in tab_names}.get(st.query_params["tab"].lower())
    if wanted:
        st.session_state["network_tab"] = wanted
    del st.query_params["tab"]
tabs = dict(zip(tab_names, st.tabs(tab_names, key="network_tab", on_change="rerun"), strict=True))
requests_tab, connections_tab = tabs["Requests"], tabs["Connections"]

if follow_ups:
    with tabs["Follow-ups"]:
        st.subheader("Follow up with your new connections")
        people = f"{len(follow_ups)} {'person' if len(follow_ups) == 1 else 'people'}"
        st.caption(f"You have {people} to follow up with. A quick follow-up can turn a conversation into a lasting "
                   "connection. Edit the suggested message as you like before sending it.")
        for view in follow_ups:
            with st.container(border=True):
                recipient = view.recipient
                works = " at ".join(plain(x) for x in (recipient.role, recipient.company) if x)
                st.markdown(f"**{plain(recipient.full_name)}**" + (f" · {works}" if works else ""))
                st.caption(plain(view.reason))
                st.text_area("Your message", view.body, max_chars=BODY_LIMIT, key=f"follow-up-body-{view.draft_id}",
                             height=190)
                send, snooze, skip, _ = st.columns([1.2, 1.4, 0.8, 1])
                send.button("Send follow-up", key=f"follow-up-send-{view.draft_id}", type="primary",
                            icon=":material/send:", on_click=act_on_follow_up,
                            args=(view.draft_id, "send", view.recipient.full_name), width="stretch")
                snooze.button(f"Remind me in {SNOOZE.days} days", key=f"follow-up-snooze-{view.draft_id}",
                              icon=":material/snooze:", on_click=act_on_follow_up,
                              args=(view.draft_id, "snooze", view.recipient.full_name), width="stretch")
                with skip.popover("Skip", icon=":material/close:", width="stretch"):
                    st.caption("Skip this follow-up? It will not be suggested again.")
                    st.button("Yes, skip", key=f"follow-up-skip-{view.draft_id}", on_click=act_on_follow_up,
                              args=(view.draft_id, "skip", view.recipient.full_name))

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
            accept, decline, more, _ = st.columns([1, 1, 1, 2])
            accept.button("Accept", key=f"accept-{request.id}", type="primary", icon=":material/check:",
                          on_click=answer, args=(request.id, "accept"), width="stretch")
            with decline.popover("Decline", icon=":material/close:", width="stretch"):
                st.caption(f"{plain(view.other.first_name)} is not told, and cannot ask again for "
                           f"{DECLINE_COOLDOWN.days} days.")
                st.button("Yes, decline", key=f"decline-{request.id}", on_click=answer,
                          args=(request.id, "decline"))
            with more:
                block_report_menu(viewer_id=user.person_id, other_id=view.other.id, other_name=view.other.full_name,
                                  context="request", key=f"request-{request.id}", event_id=request.event_id)

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

FILTER_EMPTY = {
    NetworkFilter.STRONG: "No strong connections yet. A connection grows strong when you meet at 3 or more events "
                          "or keep a conversation going.",
    NetworkFilter.RECENT: "No recent interactions.",
    NetworkFilter.NEED_FOLLOW_UP: "Nobody is waiting for a follow-up: connections made 2 to 14 days ago that you have "
                                  "not followed up with appear here.",
}
FILTER_CAPTIONS = {
    NetworkFilter.ALL: "most recent interaction first",
    NetworkFilter.STRONG: "an ongoing relationship",
    NetworkFilter.RECENT: "the 20 with the latest interaction",
    NetworkFilter.NEED_FOLLOW_UP: "made 2 to 14 days ago, no follow-up sent yet",
}

with connections_tab:
    if not connections:
        st.info("No connections yet. Ask people to connect from **For you**: they join your network once they "
                "accept.", icon=":material/diversity_3:")
        shown_filter = NetworkFilter.ALL
    else:
        shown_filter = st.segmented_control(
            "Show", list(NetworkFilter), key="network_filter", default=NetworkFilter.ALL,
            format_func=lambda f: f"{NETWORK_FILTER_LABELS[f]} ({len(lists[f])})") or NetworkFilter.ALL
        shown = lists[shown_filter]
        if shown:
            st.caption(f"{len(shown)} connection{'s' if len(shown) != 1 else ''}, {FILTER_CAPTIONS[shown_filter]}. "
                       "Your notes are private: only you see them.")
        else:
            st.info(FILTER_EMPTY[shown_filter], icon=":material/filter_alt_off:")
    for view in lists[shown_filter]:
        connection = view.connection
        strength = connection.strength or "weak"
        with st.container(border=True):
            name_line = who(view.other) if view.other_live else f"**{view.other_name}**"
            st.markdown(f"{name_line} :{STRENGTH_COLOURS.get(strength, 'gray')}-badge[{strength.title()}]")
            last = (f"last on {connection.last_interaction_at:%d %b %Y}" if connection.last_interaction_at
                    else "no interaction yet")
            interactions = connection.interaction_count
            st.caption(" · ".join([origin_label(view.origin),
                                   f"{interactions} interaction{'s' if interactions != 1 else ''}, {last}",
                                   STRENGTH_LABELS.get(strength, "")]))
            if shown_filter == NetworkFilter.NEED_FOLLOW_UP:
                st.page_link("pages/messages.py", label=f"Write to {view.other.first_name}",
                             icon=":material/chat:")
            with st.form(f"connection-note-{connection.id}", border=False):
                note = st.text_area("Private note", view.note, max_chars=NOTE_LIMIT, key=f"note-{connection.id}",
                                    placeholder="Where you met, what you talked about, what to follow up on",
                                    height=80)
                if st.form_submit_button("Save note", icon=":material/save:"):
                    save_note(connection.id, note)
                    st.rerun()

with tabs["Activity"]:
    render_network_activity(user.person_id)
