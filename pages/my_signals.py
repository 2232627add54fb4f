"""Attendee page: Audit my signals: everything that feeds my matches, its privacy grade, and what matching ignores."""
import streamlit as st

from core.accounts import Role
from core.recommend.people import RefreshTooSoon, queue_refresh_for_person
from core.recommend.signals import (
    CATEGORY_LABELS,
    PrivacyGrade,
    Signal,
    SignalError,
    SignalGroup,
    exclude_signal,
    include_signal,
    signals_of,
    snooze_category,
    unsnooze_category,
)
from ui.auth import require_role
from ui.resources import clock, db_session, transaction
from ui.text import plain
from ui.widgets import empty_state, show_outcome

BADGE_COLOURS = {PrivacyGrade.PUBLIC: "green", PrivacyGrade.LIMITED: "blue", PrivacyGrade.PRIVATE: "violet"}
EMPTY = {
    SignalGroup.PROFILE: "Your profile is empty. Add your role, goals and skills on My profile.",
    SignalGroup.SKILLS: "No skills, needs or interests yet: add them on My profile for sharper matches.",
    SignalGroup.ENRICHMENT: "No facts from public profiles are used: enrichment is off or found nothing.",
    SignalGroup.FEEDBACK: "No feedback yet. More like this, Less like this, Snooze and Dismiss on For you show here.",
    SignalGroup.FAVOURITES: "No bookmarked sessions.",
    SignalGroup.SNOOZED: "No category is snoozed.",
}
PREFIX = "my_signals"

user = require_role(Role.ATTENDEE)
st.title("Audit my signals")
if user.person_id is None:
    empty_state("Your account has no attendee profile, so nothing feeds any matches.")
    st.stop()
show_outcome(PREFIX)


def badge(grade: PrivacyGrade) -> str:
    return f":{BADGE_COLOURS[grade]}-badge[{grade.label}]"


def set_excluded(signal: str, exclude: bool) -> None:
    try:
        with transaction() as session:
            if exclude:
                exclude_signal(session, person_id=user.person_id, signal=signal, clock=clock())
            else:
                include_signal(session, person_id=user.person_id, signal=signal)
    except SignalError as exc:
        st.session_state[f"{PREFIX}_error"] = plain(exc)
    else:
        st.session_state[f"{PREFIX}_notice"] = (
            ("Excluded: " if exclude else "Included again: ") + "this applies at your next refresh.")


def snooze(category: str) -> None:
    try:
        with transaction() as session:
            until = snooze_category(session, person_id=user.person_id, category=category, clock=clock())
    except SignalError as exc:
        st.session_state[f"{PREFIX}_error"] = plain(exc)
    else:
        st.session_state[f"{PREFIX}_notice"] = (f"{CATEGORY_LABELS[category]} are hidden from For you until "
                                                f"{until:%d %b %Y}.")


def show_again(category: str) -> None:
    with transaction() as session:
        unsnooze_category(session, person_id=user.person_id, category=category)
    st.session_state[f"{PREFIX}_notice"] = f"{CATEGORY_LABELS.get(category, category)} show on For you again."


def refresh_now() -> None:
    try:
        with transaction() as session:
            queue_refresh_for_person(session, person_id=user.person_id, clock=clock(),
                                     reason="asked on Audit my signals")
    except RefreshTooSoon as exc:
        st.session_state[f"{PREFIX}_error"] = plain(exc)
    else:
        st.session_state[f"{PREFIX}_notice"] = "Your matches are being refreshed: see For you in a minute."


def signal_row(signal: Signal) -> None:
    text, grade, action = st.columns([6, 2, 2], vertical_alignment="center")
    value = f"~~{plain(signal.value)}~~" if signal.excluded else plain(signal.value)
    text.markdown(f"**{plain(signal.label)}:** {value}")
    text.caption(plain(signal.source) + (" · excluded from matching" if signal.excluded else ""))
    grade.markdown(badge(signal.grade), help=signal.grade.description)
    if signal.group == SignalGroup.SNOOZED:
        action.button("Show again", key=f"unsnooze-{signal.key}", icon=":material/visibility:",
                      on_click=show_again, args=(signal.key.partition(":")[2],), width="stretch")
    elif not signal.excludable:
        action.caption("Change it where you made it")
    elif signal.excluded:
        action.button("Include", key=f"include-{signal.key}", icon=":material/add_circle:",
                      on_click=set_excluded, args=(signal.key, False), width="stretch")
    else:
        action.button("Exclude", key=f"exclude-{signal.key}", icon=":material/block:",
                      on_click=set_excluded, args=(signal.key, True), width="stretch")


st.caption("Everything below feeds the people we suggest to you. " + " · ".join(
    f"{badge(g)} {g.description.lower()}" for g in PrivacyGrade))
note, refresh = st.columns([3, 1], vertical_alignment="center")
note.info("Exclusions and inclusions apply at the next refresh of your matches (daily, or now).",
          icon=":material/schedule:")
refresh.button("Refresh my matches now", icon=":material/refresh:", on_click=refresh_now, width="stretch")

with st.container(border=True):
    st.markdown("**Snooze this category for 30 days**")
    chosen, go = st.columns([3, 1], vertical_alignment="bottom")
    category = chosen.selectbox("Category", list(CATEGORY_LABELS), format_func=lambda c: CATEGORY_LABELS[c],
                                help="People of this kind leave For you for 30 days; you can show them again below.")
    go.button("Snooze", icon=":material/snooze:", on_click=snooze, args=(category,), width="stretch")

with db_session() as session:
    signals = signals_of(session, user.person_id, now=clock().now())
for group in SignalGroup:
    st.subheader(group.label)
    listed = [s for s in signals if s.group == group]
    if not listed:
        empty_state(EMPTY[group])
    for signal in listed:
        signal_row(signal)
