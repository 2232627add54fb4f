"""The opt-in control for sharing which part of the venue you are in, for proximity huddles."""
from __future__ import annotations

import streamlit as st

from core.huddles.location import (
    SHARE_MINUTES,
    LocationError,
    clear_location,
    current_share,
    share_location,
    venue_zones,
)
from ui.resources import clock, db_session, transaction
from ui.text import plain
from ui.widgets import show_outcome

EXPLANATION = (f"Share the part of the venue you are in for {SHARE_MINUTES} minutes so people nearby with shared "
               "interests can meet you for a quick chat. Only the zone is shared, never your position.")


def _share(person_id: int, event_id: int, zone: str) -> None:
    try:
        with transaction() as session:
            share_location(session, person_id=person_id, event_id=event_id, zone=zone, clock=clock())
    except LocationError as exc:
        st.session_state["location_error"] = plain(exc)
    else:
        st.session_state["location_notice"] = f"Your zone is shared for {SHARE_MINUTES} minutes."


def _stop(person_id: int, event_id: int) -> None:
    with transaction() as session:
        clear_location(session, person_id=person_id, event_id=event_id)
    st.session_state["location_notice"] = "You stopped sharing your zone."


def render_location_share(person_id: int, event_id: int) -> None:
    """Explain location sharing, let the person share a zone for 30 minutes, and show or stop their current share."""
    # No frame or heading of its own: the calling page places it (in an expander or a column).
    st.caption(EXPLANATION)
    show_outcome("location")
    with db_session() as session:
        zones = venue_zones(session, event_id)
        share = current_share(session, person_id=person_id, event_id=event_id, clock=clock())
    if share is not None:
        left, right = st.columns([0.7, 0.3], vertical_alignment="center")
        left.markdown(f":material/share_location: You are sharing **{plain(share.zone)}** until "
                      f"{share.expires_at:%H:%M} UTC ({share.expires_at:%a %d %b}).")
        if right.button("Stop sharing", icon=":material/location_off:", key=f"location-stop-{event_id}"):
            _stop(person_id, event_id)
            st.rerun()
    if not zones:
        st.info("This event has no rooms or venue areas yet, so there is nothing to share.")
        return
    index = zones.index(share.zone) if share is not None and share.zone in zones else None
    zone = st.selectbox("Your zone", zones, index=index, placeholder="Choose the room or area you are in",
                        format_func=plain, key=f"location-zone-{event_id}")
    label = f"Share for {SHARE_MINUTES} minutes"
    if st.button(label, icon=":material/my_location:", type="primary", key=f"location-share-{event_id}"):
        if zone is None:
            st.session_state["location_error"] = "Choose the room or area you are in first."
        else:
            _share(person_id, event_id, zone)
        st.rerun()
