"""Attendee page: people to meet, each with reasons, conversation starters and actions."""
import streamlit as st

from core.events import check_in, get_event, is_checked_in
from core.feedback import (
    NEGATIVE_FACTORS,
    POSITIVE_FACTORS,
    SKIP_REASONS,
    FeedbackError,
    connections_of,
    record_connection_feedback,
    record_recommendation_feedback,
)
from core.profiles import get_person, person_events, profile_completeness
from core.recommendations import ActionError, current_recommendations, record_action, refresh_recommendations
from db.models import EnrichmentTier, Role
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, llm, settings
from ui.widgets import show_outcome

user = require_role(Role.ATTENDEE)
st.title("✨ For you")

ACTIONS = [("ping", "👋 Ping"), ("connect", "🤝 Connect"), ("more_like", "👍 More like this"),
           ("less_like", "👎 Less like this"), ("snooze", "💤 Snooze 30 days"), ("dismiss", "✖ Dismiss")]


def refresh_mine(event_slug: str, person_id: int) -> None:
    with st.spinner("Finding the people worth meeting…"), db_session() as session:
        refresh_recommendations(session, event=get_event(session, event_slug), embedder=embedder(), clock=clock(),
                                ttl_hours=settings().recommendation_ttl_hours, only_person_ids=[person_id], llm=llm())


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
    refresh_mine(event.slug, person.id)
    st.rerun()

header, refresh = st.columns([4, 1])
header.subheader(f"People to meet at {event.name}")
if refresh.button("🔄 Refresh", help="Recompute your matches now"):
    refresh_mine(event.slug, person.id)
    st.rerun()

if not cards:
    st.info("No recommendations yet. They are generated daily, on check-in and when your profile changes.")
    if st.button("Generate now", type="primary"):
        refresh_mine(event.slug, person.id)
        st.rerun()
    st.stop()

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
