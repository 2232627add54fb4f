"""Attendee page: a unified feed, people to meet, sessions to attend and speakers to meet, each with reasons."""
import streamlit as st

from core.events.events import check_in, is_checked_in
from core.networking.feedback import (
    NEGATIVE_FACTORS,
    POSITIVE_FACTORS,
    SKIP_REASONS,
    FeedbackError,
    connections_of,
    record_connection_feedback,
    record_recommendation_feedback,
)
from core.recommend.feed import unified_feed
from core.agenda.meetings import MeetingError, free_slots, request_meeting
from core.events.profiles import get_person, person_events, profile_completeness
from core.recommend.program import (
    DAY_PARTS,
    SessionActionError,
    record_session_action,
    session_recommendations,
    speaker_recommendations,
)
from core.recommend.program_scoring import DIFFICULTY_WORDS
from core.recommend.people import ActionError, current_recommendations, record_action, refresh_for_person
from db.models import EnrichmentTier, Role
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, llm, settings
from ui.widgets import show_outcome

user = require_role(Role.ATTENDEE)
st.title("✨ For you")

ACTIONS = [("ping", "👋 Ping"), ("connect", "🤝 Connect"), ("more_like", "👍 More like this"),
           ("less_like", "👎 Less like this"), ("snooze", "💤 Snooze 30 days"), ("dismiss", "✖ Dismiss")]


def refresh_mine(person_id: int) -> None:
    with st.spinner("Finding the people, sessions and speakers worth your time…"), db_session() as session:
        refresh_for_person(session, person_id=person_id, embedder=embedder(), clock=clock(),
                           ttl_hours=settings().recommendation_ttl_hours, llm=llm())


def act(recommendation_id: int, action: str) -> None:
    with db_session() as session:
        try:
            message = record_action(session, recommendation_id=recommendation_id, person_id=user.person_id,
                                    action=action, clock=clock())
        except ActionError as exc:
            st.session_state["for_you_error"] = str(exc)
        else:
            st.session_state["for_you_notice"] = message


def send_feedback(recommendation_id: int) -> None:
    rating = st.session_state.get(f"rating-{recommendation_id}")
    reason = st.session_state.get(f"reason-{recommendation_id}") or None
    with db_session() as session:
        try:
            record_recommendation_feedback(session, recommendation_id=recommendation_id, person_id=user.person_id,
                                           rating=rating, skip_reason=reason, clock=clock(),
                                           action="skipped" if reason and not rating else "rated")
        except FeedbackError as exc:
            st.session_state["for_you_error"] = str(exc)
        else:
            st.session_state["for_you_notice"] = "Thanks: your feedback tunes future matches."


with db_session() as session:
    person = get_person(session, user.person_id) if user.person_id else None
    events = [e for e, _ in person_events(session, person.id)] if person else []
if person is None or not events:
    st.info("You are not registered for an event yet. Once the organizer adds you, the people worth meeting "
            "appear here.")
    st.stop()

event = st.selectbox("Event", events, format_func=lambda e: e.name) if len(events) > 1 else events[0]
if settings().llm_enabled:
    st.caption("🤖 Matches are re-ranked and explained by the LLM, with the algorithmic matcher as fallback.")
else:
    st.caption("🧮 Matches come from the algorithmic matcher (no LLM is configured).")

completeness, missing = profile_completeness(person)
if person.enrichment_tier in (EnrichmentTier.TIER_0_PENDING, EnrichmentTier.TIER_3_MANUAL) and missing:
    st.warning(f"Your profile is {completeness:.0%} complete. Add {', '.join(missing[:3])} on **My profile** "
               "for sharper matches.")

show_outcome("for_you")

with db_session() as session:
    cards = current_recommendations(session, event_id=event.id, person_id=person.id, now=clock().now())
    for card in cards:
        if card.recommendation.viewed_at is None:
            record_action(session, recommendation_id=card.recommendation.id, person_id=person.id, action="view",
                          clock=clock())

with db_session() as session:
    arrived = is_checked_in(session, event_id=event.id, person_id=person.id)
if not arrived and st.button("📍 I've arrived: check in", help="Checking in refreshes your matches"):
    with db_session() as session:
        check_in(session, event_id=event.id, person_id=person.id, now=clock().now())
    refresh_mine(person.id)
    st.rerun()


def session_act(session_id: int, action: str, undo: bool = False) -> None:
    with db_session() as session:
        try:
            st.session_state["for_you_notice"] = record_session_action(
                session, person_id=user.person_id, session_id=session_id, action=action, clock=clock(), undo=undo)
        except SessionActionError as exc:
            st.session_state["for_you_error"] = str(exc)


def meeting_popover(recipient_id: int | None, key: str, speaker_id: int | None = None) -> None:
    """Ask for a 1:1 at slots free for both people."""
    if recipient_id is None:
        st.caption("This speaker has no attendee account, so a meeting cannot be booked in the app.")
        return
    with st.popover("📅 Request a meeting"):
        with db_session() as session:
            slots = free_slots(session, event_id=event.id, person_ids=[person.id, recipient_id], now=clock().now(),
                               minutes=settings().meeting_minutes)
        if not slots:
            st.info("You have no free slot in common. Drop a session from your agenda to make room.")
            return
        with st.form(f"meet-{key}"):
            chosen = st.pills("Propose up to 3 slots", slots, selection_mode="multi",
                              format_func=lambda s: f"{s:%a %H:%M}")
            note = st.text_input("Message (optional)", max_chars=300)
            if st.form_submit_button("Send request", type="primary"):
                with db_session() as session:
                    try:
                        request_meeting(session, event_id=event.id, requester_id=person.id,
                                        recipient_id=recipient_id, slots=list(chosen or []), clock=clock(),
                                        message=note, speaker_id=speaker_id, minutes=settings().meeting_minutes,
                                        daily_cap=settings().meeting_requests_per_day)
                    except MeetingError as exc:
                        st.session_state["for_you_error"] = str(exc)
                    else:
                        st.session_state["for_you_notice"] = "Meeting request sent. Answers appear on My agenda."
                st.rerun()


def render_feed() -> None:
    with db_session() as session:
        feed = unified_feed(session, event_id=event.id, person_id=person.id, now=clock().now())
    if not feed:
        st.info("Nothing to suggest yet. Recommendations are generated daily and when your profile changes.")
        return
    icons = {"person": "🤝", "session": "🎤", "speaker": "⭐"}
    for item in feed:
        with st.container(border=True):
            st.markdown(f"{icons[item.kind]} **{item.title}** · {item.kind} · match **{item.score:.0f}**")
            if item.subtitle:
                st.caption(item.subtitle)
            if item.reasons:
                st.markdown(" · ".join(item.reasons[:3]))


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
    with db_session() as session:
        cards = session_recommendations(session, event_id=event.id, person_id=person.id, now=clock().now(),
                                        track=track or None, day=day or None, difficulty=level or None,
                                        part_of_day=part or None)
    if not cards:
        st.info("No recommended session matches these filters.")
    for card in cards:
        item, rec = card.session, card.recommendation
        with st.container(border=True):
            when = f"{item.starts_at:%a %H:%M}–{item.ends_at:%H:%M}" if item.starts_at and item.ends_at else "time TBA"
            st.markdown(f"**{item.title}** · match **{rec.score:.0f}**")
            st.caption(" · ".join(x for x in (when, item.room, item.track, item.difficulty) if x))
            for reason in rec.reasons:
                st.markdown(f"- {reason}")
            proof = []
            if card.connections_going:
                proof.append(f"👥 {card.connections_going} of your connections are going")
            if card.similar_bookmarked:
                proof.append(f"⭐ {card.similar_bookmarked} attendees like you bookmarked it")
            if proof:
                st.caption(" · ".join(proof))
            if card.nearly_full:
                others = ", ".join(f"{s.title} ({s.starts_at:%H:%M})" for s in card.alternatives if s.starts_at)
                st.warning(f"Nearly full: {card.bookmarks} bookmarks for {item.capacity} seats."
                           + (f" Similar sessions with room: {others}." if others else ""))
            b1, b2, b3 = st.columns(3)
            marked = "bookmark" in card.actions
            b1.button("★ Bookmarked" if marked else "☆ Bookmark", key=f"bookmark-{rec.id}", on_click=session_act,
                      args=(item.id, "bookmark", marked), width="stretch")
            b2.button("✔ Attended", key=f"attended-{rec.id}", on_click=session_act, args=(item.id, "attended"),
                      width="stretch")
            b3.button("✖ Not for me", key=f"dismiss-{rec.id}", on_click=session_act, args=(item.id, "dismiss"),
                      width="stretch")


def render_speakers() -> None:
    with db_session() as session:
        cards = speaker_recommendations(session, event_id=event.id, person_id=person.id, now=clock().now())
    if not cards:
        st.info("No speaker recommendations yet: they appear once speakers are announced and your matches are "
                "refreshed.")
        return
    for card in cards:
        speaker, rec = card.speaker, card.recommendation
        with st.container(border=True):
            st.markdown(f"**{speaker.name}** · match **{rec.score:.0f}**")
            st.caption(" · ".join(x for x in (speaker.title, speaker.company) if x))
            for reason in rec.reasons:
                st.markdown(f"- {reason}")
            if speaker.sessions:
                st.caption("Speaks at: " + "; ".join(s.title for s in speaker.sessions[:3]))
            with st.expander("Conversation starters"):
                for starter in rec.starters:
                    st.markdown(f"> {starter}")
            meeting_popover(card.person_id, key=f"speaker-{rec.id}", speaker_id=speaker.id)

def render_people() -> None:
    if not cards:
        st.info("No recommendations yet. They are generated daily, on check-in and when your profile changes.")
        if st.button("Generate now", type="primary"):
            refresh_mine(person.id)
            st.rerun()
        return

    for card in cards:
        rec, other = card.recommendation, card.person
        with st.container(border=True):
            left, right = st.columns([5, 1])
            left.markdown(f"### {other.first_name} {other.last_name}")
            left.caption(" · ".join(x for x in [other.role, other.company, other.city] if x))
            right.metric("Match", f"{rec.score:.0f}")
            if rec.chips:
                st.markdown(" ".join(f":blue-badge[{chip}]" for chip in rec.chips))
            for reason in rec.reasons:
                st.markdown(f"- {reason}")
            if rec.potential_value:
                st.markdown(f"**Potential value:** {rec.potential_value}")
            with st.expander("Conversation starters"):
                for starter in rec.starters:
                    st.markdown(f"> {starter}")
            status = []
            if rec.pinged_at:
                status.append("pinged")
            if rec.connected_at:
                status.append("connected")
            if status:
                st.caption("You " + " and ".join(status) + ".")
            columns = st.columns(len(ACTIONS))
            for column, (action, label) in zip(columns, ACTIONS):
                done = (action == "ping" and rec.pinged_at) or (action == "connect" and rec.connected_at)
                column.button(label, key=f"{action}-{rec.id}", on_click=act, args=(rec.id, action), disabled=bool(done),
                              width="stretch")
            meeting_popover(other.id, key=f"person-{rec.id}")
        with st.expander("Was this a good match?"):
                st.radio("Rating", [1, 2, 3, 4, 5], index=None, horizontal=True, key=f"rating-{rec.id}",
                         format_func=lambda n: "★" * n)
                st.selectbox("If not, why?", ["", *SKIP_REASONS], key=f"reason-{rec.id}")
                st.button("Send feedback", key=f"feedback-{rec.id}", on_click=send_feedback, args=(rec.id,))

    with db_session() as session:
        connections = connections_of(session, person.id)
    if connections:
        st.subheader("Your connections")
        st.caption("After the event, tell us how each connection went: it teaches the matcher what works.")
        for connection, other, given in connections:
            title = f"{other.first_name} {other.last_name} — {other.role}" + (" ✅" if given else "")
            with st.expander(title), st.form(f"connection-{connection.id}"):
                rating = st.radio("How valuable was meeting them?", [1, 2, 3, 4, 5], horizontal=True,
                                  index=(given.rating - 1) if given and given.rating else None,
                                  format_func=lambda n: "★" * n)
                left, right = st.columns(2)
                valuable = left.checkbox("It was valuable", value=bool(given and given.valuable))
                follow_up = right.checkbox("I will follow up", value=bool(given and given.will_follow_up))
                positive = st.pills("What worked", POSITIVE_FACTORS, selection_mode="multi",
                                  default=given.positive_factors if given else [])
                negative = st.pills("What did not", NEGATIVE_FACTORS, selection_mode="multi",
                                  default=given.negative_factors if given else [])
                comment = st.text_area("Anything else?", given.comment if given else "", max_chars=2000)
                if st.form_submit_button("Save feedback"):
                    with db_session() as session:
                        try:
                            record_connection_feedback(session, connection_id=connection.id, person_id=person.id,
                                                       rating=rating, valuable=valuable, will_follow_up=follow_up,
                                                       positive_factors=positive, negative_factors=negative,
                                                       comment=comment, clock=clock())
                        except FeedbackError as exc:
                            st.error(str(exc))
                        else:
                            st.success("Feedback saved.")


header, refresh = st.columns([4, 1])
header.subheader(f"Recommended for you at {event.name}")
if refresh.button("🔄 Refresh", help="Recompute your recommendations now"):
    refresh_mine(person.id)
    st.rerun()

feed_tab, people_tab, sessions_tab, speakers_tab = st.tabs(["Feed", "People", "Sessions", "Speakers"])
with feed_tab:
    render_feed()
with people_tab:
    render_people()
with sessions_tab:
    render_sessions()
with speakers_tab:
    render_speakers()
