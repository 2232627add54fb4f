"""Attendee page: huddles (seed 000 §6.5). Invitations to answer, the huddles I'm going to with check-in, past
huddles, the opt-out and sharing where I am in the venue."""
from functools import partial

import streamlit as st

from core.accounts import Role
from core.huddles.eligibility import event_eligibility
from core.huddles.huddles import HuddleError
from core.huddles.preferences import huddles_opted_out, set_huddles_opt_out
from core.huddles.responses import (
    CHECK_IN_AFTER,
    CHECK_IN_BEFORE,
    HUDDLE_STATUS_LABELS,
    KIND_LABELS,
    PAST_LABELS,
    HuddleCard,
    HuddleKind,
    HuddleStatus,
    ParticipantStatus,
    check_in_at_huddle,
    my_huddles,
    respond_to_huddle,
    time_until,
)
from ui.auth import require_role
from ui.huddle_location import render_location_share
from ui.resources import clock, db_session, transaction
from ui.text import plain
from ui.widgets import empty_state, registered_event, show_outcome

ANSWERED = {"accept": "You're in. The others going are told you joined.",
            "decline": "Got it: you can't make it. Your spot is free for someone else."}

user = require_role(Role.ATTENDEE)
st.title("Huddles")
event = registered_event(user.person_id, "You are not registered for an event yet, so there are no huddles.")
st.caption("Huddles are 15-minute meetups of 3 to 8 people who share a problem, a session or a spot in the venue.")
show_outcome("huddles")


def answer(huddle_id: int, response: str) -> None:
    try:
        with transaction() as session:
            respond_to_huddle(session, huddle_id=huddle_id, person_id=user.person_id, response=response,
                              clock=clock())
    except HuddleError as exc:
        st.session_state["huddles_error"] = plain(exc)
    else:
        st.session_state["huddles_notice"] = ANSWERED[response]


def check_in(huddle_id: int) -> None:
    try:
        with transaction() as session:
            check_in_at_huddle(session, huddle_id=huddle_id, person_id=user.person_id, clock=clock())
    except HuddleError as exc:
        st.session_state["huddles_error"] = plain(exc)
    else:
        st.session_state["huddles_notice"] = "Checked in. Enjoy the huddle!"


def toggle_opt_out() -> None:
    opt_out = st.session_state["huddles_opt_out"]
    with transaction() as session:
        set_huddles_opt_out(session, person_id=user.person_id, opt_out=opt_out)
    st.session_state["huddles_notice"] = ("You won't be invited to new huddles." if opt_out
                                          else "You can be invited to huddles again.")


now = clock().now()
with db_session() as session:
    eligibility = event_eligibility(session, event.id)
    mine = my_huddles(session, event_id=event.id, person_id=user.person_id, now=now)
    opted_out = huddles_opted_out(session, user.person_id)

st.toggle("Don't invite me to huddles", value=opted_out, key="huddles_opt_out", on_change=toggle_opt_out,
          help="Invitations you already have stay open; you just get no new ones.")
if not eligibility.kinds:
    st.info(plain(eligibility.reason), icon=":material/info:")
elif eligibility.reason:
    st.caption(plain(eligibility.reason))
if eligibility.allows(HuddleKind.PROXIMITY) and not opted_out:
    with st.expander("Share where I am", icon=":material/location_on:"):
        render_location_share(user.person_id, event.id)


def details(card: HuddleCard) -> None:
    """Topic, problem, place, time, spots and who is going, as in the §6.5 invitation card."""
    huddle = card.huddle
    st.markdown(f"**{plain(huddle.topic)}**")
    st.caption(f"{KIND_LABELS.get(huddle.kind, 'Huddle')} · {HUDDLE_STATUS_LABELS.get(huddle.status, '')}")
    if huddle.problem_statement:
        st.markdown(f"> {plain(huddle.problem_statement)}")
    starts = huddle.starts_at
    st.markdown(f":material/location_on: {plain(huddle.location_name or 'Place to be announced')}  \n"
                f":material/schedule: {time_until(starts, now)} · {starts:%a %d %b, %H:%M} UTC · "
                f"{huddle.duration_minutes} minutes")
    st.progress(min(1.0, card.going / huddle.max_participants),
                text=f"{card.going} of {huddle.max_participants} spots filled")
    if card.first_going:
        lines = [f"{plain(a.name)}" + (f" · {plain(a.role)}" if a.role else "")
                 + (f" at {plain(a.company)}" if a.company else "") for a in card.first_going]
        if card.more:
            lines.append(f"+{card.more} more")
        st.caption("Already joining:  \n" + "  \n".join(lines))


def invitation(card: HuddleCard) -> None:
    with st.container(border=True):
        details(card)
        going, cannot, _ = st.columns([1, 1, 2])
        going.button("I'll be there", key=f"huddle-accept-{card.huddle.id}", type="primary",
                     icon=":material/check:", on_click=answer, args=(card.huddle.id, "accept"), width="stretch")
        cannot.button("Can't make it", key=f"huddle-decline-{card.huddle.id}", icon=":material/close:",
                      on_click=answer, args=(card.huddle.id, "decline"), width="stretch")


def going_card(card: HuddleCard) -> None:
    huddle = card.huddle
    with st.container(border=True):
        details(card)
        if card.my_status == ParticipantStatus.ATTENDED:
            st.success("You're checked in.", icon=":material/how_to_reg:")
            return
        opens = huddle.starts_at - CHECK_IN_BEFORE
        closes = huddle.starts_at + CHECK_IN_AFTER
        check, withdraw, _ = st.columns([1, 1, 2])
        check.button("Check in", key=f"huddle-check-in-{huddle.id}", type="primary", icon=":material/how_to_reg:",
                     on_click=partial(check_in, huddle.id), disabled=not card.can_check_in, width="stretch",
                     help=f"Check-in runs from {opens:%H:%M} to {closes:%H:%M} UTC.")
        if huddle.status in (HuddleStatus.FORMING, HuddleStatus.CONFIRMED) and huddle.starts_at > now:
            with withdraw.popover("Can't make it", icon=":material/close:", width="stretch"):
                st.caption("Your spot goes back to the others invited.")
                st.button("Yes, give up my spot", key=f"huddle-withdraw-{huddle.id}", on_click=answer,
                          args=(huddle.id, "decline"))


def past_card(card: HuddleCard) -> None:
    huddle = card.huddle
    with st.container(border=True):
        st.markdown(f"**{plain(huddle.topic)}**")
        outcome = PAST_LABELS.get(card.my_status, "")
        when = f"{huddle.starts_at:%a %d %b, %H:%M} UTC · {plain(huddle.location_name or '')}"
        st.caption(f"{HUDDLE_STATUS_LABELS.get(huddle.status, '')} · {outcome} · {when}")
        if huddle.status == HuddleStatus.CANCELLED and huddle.cancel_reason:
            st.caption(f"Why: {plain(huddle.cancel_reason)}")


if eligibility.kinds or not mine.empty:
    st.subheader(f"Invitations ({len(mine.invitations)})")
    if not mine.invitations:
        empty_state("No invitations right now. When people who share your problem, your session or your spot in "
                    "the venue are free at the same time, you're invited here and in Notifications.")
    for card in mine.invitations:
        invitation(card)
    st.subheader(f"Going ({len(mine.going)})")
    if not mine.going:
        st.caption("Huddles you say you'll be at appear here, with check-in from 5 minutes before they start.")
    for card in mine.going:
        going_card(card)
    if mine.past:
        st.subheader(f"Past ({len(mine.past)})")
        for card in mine.past:
            past_card(card)
