"""Attendee page: a unified feed, people to meet, sessions to attend and speakers to meet, each with reasons."""
import streamlit as st

from core.accounts import Role
from core.agenda.meetings import MeetingError, request_meeting
from core.enrichment.facts import completion_prompt
from core.events import EnrichmentTier
from core.events.events import check_in, is_checked_in
from core.events.profiles import get_person, person_events, profile_completeness
from core.networking.feedback import (
    NEGATIVE_FACTORS,
    POSITIVE_FACTORS,
    FeedbackError,
    connections_of,
    record_connection_feedback,
    record_recommendation_feedback,
)
from core.networking.outreach import OutreachLimits
from core.networking.requests import request_states
from core.platform.queue import worker_is_alive
from core.recommend.actions import ActionError, mark_viewed, record_action
from core.recommend.feed import unified_feed
from core.recommend.people import (
    RefreshTooSoon,
    current_recommendations,
    queue_refresh_for_person,
    refresh_status,
)
from core.recommend.program import (
    DAY_PARTS,
    SessionActionError,
    record_session_action,
    session_recommendations,
    speaker_recommendations,
)
from core.recommend.program_scoring import DIFFICULTY_WORDS
from ui.auth import require_role
from ui.cards import feed_card, person_card, session_card, speaker_card
from ui.resources import clock, db_session, settings, transaction
from ui.safety import store_refusal
from ui.text import plain
from ui.widgets import lazy_expander, show_outcome

TABS = ["Feed", "People", "Sessions", "Speakers"]
TAB_KEY = "for_you_tab"
# Set while this browser session waits for a queued refresh, so the page says "done" once the worker has finished.
REFRESH_WATCH = "for_you_refresh_watch"
PROMPT_DISMISSED = "for_you_completion_prompt_dismissed"  # the profile completion banner, hidden for this session

user = require_role(Role.ATTENDEE)
st.title("For you")


def queue_refresh(person_id: int) -> None:
    """The attendee asked for fresh matches: queue them for the worker (at most once a minute)."""
    try:
        with transaction() as session:
            queue_refresh_for_person(session, person_id=person_id, clock=clock(), reason="asked on For you")
    except RefreshTooSoon as exc:
        st.session_state["for_you_error"] = str(exc)
    else:
        st.session_state[REFRESH_WATCH] = True


def arrive(event_id: int, person_id: int) -> None:
    """Check the attendee in and queue their refresh, in one transaction."""
    try:
        with transaction() as session:
            check_in(session, event_id=event_id, person_id=person_id, now=clock().now())
            queue_refresh_for_person(session, person_id=person_id, clock=clock(), reason="checked in",
                                     enforce_interval=False)
    except ValueError as exc:
        st.session_state["for_you_error"] = plain(exc)
    else:
        st.session_state[REFRESH_WATCH] = True
        st.session_state["for_you_notice"] = "You are checked in: your matches are being refreshed for the people here."


def act(recommendation_id: int, action: str, text: str = "") -> None:
    """One action on a person card; `text` is a connection request's note or a ping's line."""
    try:
        with transaction() as session:
            message = record_action(session, recommendation_id=recommendation_id, person_id=user.person_id,
                                    action=action, clock=clock(), text=text,
                                    outreach=OutreachLimits.from_settings(settings()))
    except ActionError as exc:
        store_refusal("for_you", exc)
    else:
        st.session_state["for_you_notice"] = plain(message)


def send_feedback(recommendation_id: int) -> None:
    rating = st.session_state.get(f"rating-{recommendation_id}")
    reason = st.session_state.get(f"reason-{recommendation_id}") or None
    try:
        with transaction() as session:
            record_recommendation_feedback(session, recommendation_id=recommendation_id, person_id=user.person_id,
                                           rating=rating, skip_reason=reason, clock=clock(),
                                           action="skipped" if reason and not rating else "rated")
    except FeedbackError as exc:
        st.session_state["for_you_error"] = plain(exc)
    else:
        st.session_state["for_you_notice"] = "Thanks: your feedback tunes future matches."


def session_act(session_id: int, action: str, undo: bool = False) -> None:
    try:
        with transaction() as session:
            message = record_session_action(session, person_id=user.person_id, session_id=session_id,
                                            action=action, clock=clock(), undo=undo)
    except SessionActionError as exc:
        st.session_state["for_you_error"] = plain(exc)
    else:
        st.session_state["for_you_notice"] = plain(message)


def send_meeting_request(recipient_id: int, slots: list, message: str, speaker_id: int | None) -> None:
    try:
        with transaction() as session:
            request_meeting(session, event_id=event.id, requester_id=person.id, recipient_id=recipient_id,
                            slots=slots, clock=clock(), message=message, speaker_id=speaker_id,
                            minutes=settings().meeting_minutes, daily_cap=settings().meeting_requests_per_day,
                            outreach=OutreachLimits.from_settings(settings()))
    except MeetingError as exc:
        store_refusal("for_you", exc)
    else:
        st.session_state["for_you_notice"] = "Meeting request sent. Answers appear on My agenda."


@st.fragment(run_every=2)
def refresh_progress(person_id: int) -> None:
    """While the worker refreshes this attendee's matches, say so; once it is done, rerun the page to show them."""
    with db_session() as session:
        status = refresh_status(session, person_id=person_id)
        alive = worker_is_alive(session, clock())
    if status is None or not status.waiting:
        st.rerun(scope="app")
    st.info("Your matches are being refreshed…", icon=":material/progress_activity:")
    if not alive:
        st.caption("The jobs worker is not running right now; the refresh starts as soon as it is.")


with db_session() as session:
    person = get_person(session, user.person_id) if user.person_id else None
    events = [e for e, _ in person_events(session, person.id)] if person else []
if person is None or not events:
    st.info("You are not registered for an event yet. Once the organizer adds you, the people worth meeting "
            "appear here.")
    st.stop()

event = st.selectbox("Event", events, format_func=lambda e: e.name) if len(events) > 1 else events[0]
if settings().llm_enabled:
    st.caption(":material/smart_toy: Matches are re-ranked and explained by the LLM, with the algorithmic matcher "
               "as fallback.")
else:
    st.caption(":material/calculate: Matches come from the algorithmic matcher (no LLM is configured).")

completeness, missing = profile_completeness(person)
prompt = (completion_prompt(person.enrichment_tier, list(person.enrichment_sources or []))
          if person.allow_enrichment else None)
if prompt and not st.session_state.get(PROMPT_DISMISSED):
    with st.container(border=True):
        text, dismiss = st.columns([6, 1], vertical_alignment="center")
        text.markdown(f":material/lightbulb: **{prompt.title}** {prompt.body}")
        text.page_link("pages/profile.py", label="Complete My profile", icon=":material/person:")
        dismiss.button("Dismiss", key="for_you_prompt_dismiss", icon=":material/close:",
                       on_click=st.session_state.__setitem__, args=(PROMPT_DISMISSED, True))
elif prompt is None and person.enrichment_tier == EnrichmentTier.TIER_0_PENDING and missing:
    st.warning(f"Your profile is {completeness:.0%} complete. Add {', '.join(missing[:3])} on **My profile** "
               "for sharper matches.")

show_outcome("for_you")

with db_session() as session:
    refreshing = refresh_status(session, person_id=person.id)
    arrived = is_checked_in(session, event_id=event.id, person_id=person.id)
waiting = refreshing is not None and refreshing.waiting

header, refresh = st.columns([4, 1])
header.subheader(f"Recommended for you at {plain(event.name)}")
refresh.button("Refresh", icon=":material/refresh:", help="Recompute your recommendations now", disabled=waiting,
               on_click=queue_refresh, args=(person.id,))
if not arrived:
    st.button("I've arrived: check in", icon=":material/location_on:", help="Checking in refreshes your matches",
              on_click=arrive, args=(event.id, person.id))
if waiting:
    st.session_state[REFRESH_WATCH] = True
    refresh_progress(person.id)
elif st.session_state.pop(REFRESH_WATCH, False):
    st.success("Your matches are refreshed: the new ones are below.", icon=":material/check_circle:")


def people_shown() -> list:
    """The attendee's current person recommendations, those not seen before marked as viewed now."""
    with db_session() as session:
        cards = current_recommendations(session, event_id=event.id, person_id=person.id, now=clock().now())
    unseen = [card.recommendation.id for card in cards if card.recommendation.viewed_at is None]
    if unseen:
        with transaction() as session:
            mark_viewed(session, recommendation_ids=unseen, person_id=person.id, now=clock().now())
    return cards


def render_feed() -> None:
    people_shown()  # the feed lists the best of them
    with db_session() as session:
        feed = unified_feed(session, event_id=event.id, person_id=person.id, now=clock().now())
    if not feed:
        st.info("Nothing to suggest yet. Recommendations are generated daily and when your profile changes.")
        return
    for item in feed:
        feed_card(item)


def render_sessions() -> None:
    with db_session() as session:
        everything = session_recommendations(session, event_id=event.id, person_id=person.id, now=clock().now())
    if not everything:
        st.info("No session recommendations yet: they appear once the program is published and your matches "
                "are refreshed.")
        return
    c1, c2, c3, c4 = st.columns(4)
    track = c1.selectbox("Track", ["", *sorted({c.session.track for c in everything if c.session.track})],
                         format_func=lambda t: t or "All tracks")
    day = c2.selectbox("Day", ["", *sorted({c.session.starts_at.date() for c in everything if c.session.starts_at})],
                       format_func=lambda d: d.strftime("%a %d %b") if d else "All days")
    part = c3.selectbox("Time", ["", *DAY_PARTS], format_func=lambda p: p.title() if p else "Any time")
    level = c4.selectbox("Difficulty", ["", *sorted(set(DIFFICULTY_WORDS.values()))],
                         format_func=lambda d: d.title() if d else "Any level")
    now = clock().now()
    cards = everything
    if track or day or part or level:  # unfiltered, the list is the one just read for the filters' choices
        with db_session() as session:
            cards = session_recommendations(session, event_id=event.id, person_id=person.id, now=now,
                                            track=track or None, day=day or None, difficulty=level or None,
                                            part_of_day=part or None)
    if not cards:
        st.info("No recommended session matches these filters.")
    for card in cards:
        session_card(card, now=now, on_action=session_act)


def render_speakers() -> None:
    with db_session() as session:
        cards = speaker_recommendations(session, event_id=event.id, person_id=person.id, now=clock().now())
    if not cards:
        st.info("No speaker recommendations yet: they appear once speakers are announced and your matches are "
                "refreshed.")
        return
    for card in cards:
        speaker_card(card, event_id=event.id, person_id=person.id, on_request=send_meeting_request)


def save_connection_feedback(connection_id: int, **feedback) -> None:
    try:
        with transaction() as session:
            record_connection_feedback(session, connection_id=connection_id, person_id=person.id, clock=clock(),
                                       **feedback)
    except FeedbackError as exc:
        st.error(plain(exc))
    else:
        st.success("Feedback saved.")


def render_people() -> None:
    cards = people_shown()
    if not cards:
        st.info("No recommendations yet. They are generated daily, on check-in and when your profile changes.")
        if st.button("Generate now", type="primary", disabled=waiting):
            queue_refresh(person.id)
            st.rerun(scope="app")  # the whole page: its Refresh button and the refresh's progress
        return

    with db_session() as session:
        states = request_states(session, person.id, [card.person.id for card in cards])
    for card in cards:
        person_card(card, event_id=event.id, person_id=person.id, on_action=act, on_feedback=send_feedback,
                    on_request=send_meeting_request, state=states.get(card.person.id))

    with db_session() as session:
        connections = connections_of(session, person.id)
    if connections:
        st.subheader("Your connections")
        st.caption("After the event, tell us how each connection went: it teaches the matcher what works.")
        for connection, other, given in connections:
            title = f"{plain(other.first_name)} {plain(other.last_name)}" + (
                f" — {plain(other.role)}" if other.role else "")
            # Drawn only while expanded: every connection's form on every rerun was a whole page of widgets.
            expander = lazy_expander(title, key=f"connection-open-{connection.id}",
                                     icon=":material/check_circle:" if given else None)
            if expander is None:
                continue
            with expander, st.form(f"connection-{connection.id}"):
                rating = st.radio("How valuable was meeting them?", [1, 2, 3, 4, 5], horizontal=True,
                                  index=(given.rating - 1) if given and given.rating else None,
                                  format_func=lambda n: ":material/star:" * n)
                left, right = st.columns(2)
                valuable = left.checkbox("It was valuable", value=bool(given and given.valuable))
                follow_up = right.checkbox("I will follow up", value=bool(given and given.will_follow_up))
                positive = st.pills("What worked", POSITIVE_FACTORS, selection_mode="multi",
                                    default=given.positive_factors if given else [])
                negative = st.pills("What did not", NEGATIVE_FACTORS, selection_mode="multi",
                                    default=given.negative_factors if given else [])
                comment = st.text_area("Anything else?", given.comment if given else "", max_chars=2000)
                if st.form_submit_button("Save feedback"):
                    save_connection_feedback(connection.id, rating=rating, valuable=valuable,
                                             will_follow_up=follow_up, positive_factors=positive,
                                             negative_factors=negative, comment=comment)


@st.fragment
def recommendations() -> None:
    """The tab bar and the open tab. A fragment: a tab switch, a lazy popover opening or an action on a card reruns
    this part only, without the app's and the page header's work (the login check, the menu, the header's queries);
    the card lists are read in here, so a dismissed or blocked person is gone on that rerun."""
    show_outcome("for_you")  # an action's outcome in a run of this part alone (a whole page run shows it above)
    # A keyed, state-tracking tab bar: the open tab is kept in st.session_state[TAB_KEY] and sent back as the
    # selected tab on every rerun, so an action (connect, ping, a meeting request, a bookmark) never jumps back to
    # the first tab. Only the open tab is rendered: the closed tabs' cards, queries and widgets were most of the work.
    tabs = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
    for tab, render in zip(tabs, (render_feed, render_people, render_sessions, render_speakers), strict=True):
        if tab.open:
            with tab:
                render()


recommendations()
