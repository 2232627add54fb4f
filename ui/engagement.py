"""Reads of stored engagement scores, badges and leaderboards for the My engagement and Engagement pages; the boards
are cached, keyed by when a score was last stored (and the month, for the monthly boards)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from core.community import engagement, leaderboards
from core.community.badges import EarnedBadge, badges_of
from core.community.engagement import StoredScore
from core.community.leaderboards import LeaderboardRow, Timeframe, month_start
from ui.resources import clock, db_session


@dataclass(frozen=True)
class MyEngagement:
    """What the My engagement page shows of one person."""

    score: StoredScore | None
    history: list[tuple[datetime, float]]
    badges: list[EarnedBadge]
    events: list[tuple[int, str]]


def my_engagement(person_id: int) -> MyEngagement:
    """The person's stored score, its history, their badges and the events whose leaderboards they are on."""
    with db_session() as session:
        return MyEngagement(engagement.score_of(session, person_id), engagement.history_of(session, person_id),
                            badges_of(session, person_id), leaderboards.events_of(session, person_id))


def board(*, timeframe: Timeframe, event_id: int | None, person_id: int | None = None,
          limit: int = 50) -> tuple[list[LeaderboardRow], LeaderboardRow | None]:
    """The top places of one leaderboard, and the person's own place on it (None when not on it)."""
    now = clock().now()
    with db_session() as session:
        computed_at = leaderboards.latest_computed_at(session)
        stored = (leaderboards.stored_place(session, person_id)
                  if person_id is not None and timeframe is Timeframe.ALL_TIME and event_id is None else None)
    month = month_start(now)
    rows = _top(timeframe, event_id, limit, computed_at, month)
    if person_id is None or stored is not None:
        return rows, stored
    return rows, _place(person_id, timeframe, event_id, computed_at, month)


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _top(timeframe: Timeframe, event_id: int | None, limit: int, computed_at: datetime | None,
         month: datetime) -> list[LeaderboardRow]:
    with db_session() as session:
        return leaderboards.leaderboard(session, timeframe=timeframe, now=month, event_id=event_id, limit=limit)


@st.cache_data(ttl=3600, max_entries=1000, show_spinner=False)
def _place(person_id: int, timeframe: Timeframe, event_id: int | None, computed_at: datetime | None,
           month: datetime) -> LeaderboardRow | None:
    with db_session() as session:
        return leaderboards.place_of(session, person_id=person_id, timeframe=timeframe, now=month, event_id=event_id)


def events_for(*, organizer_account_id: int | None) -> list[tuple[int, str]]:
    """Every event (for an admin), or the events an organizer organizes."""
    with db_session() as session:
        return leaderboards.events_of(session, organizer_account_id=organizer_account_id)


def show_board(rows: list[LeaderboardRow], mine: LeaderboardRow | None, *, timeframe: Timeframe,
               key: str) -> None:
    """One leaderboard as a table, with the viewer's own place under it when they are not in the top rows."""
    import pandas as pd
    import streamlit as st

    from ui.tables import data_table

    if not rows:
        st.info("No one is on this leaderboard yet: scores appear after the nightly recalculation.")
        return
    points_title = "points this month" if timeframe is Timeframe.MONTH else "score"
    frame = pd.DataFrame([{"rank": r.rank, "name": r.name + (" (you)" if mine and r.person_id == mine.person_id
                                                             else ""),
                           points_title: r.points, "level": r.level.value,
                           "to next level": r.points_to_next or None, "badges": r.badges} for r in rows])
    data_table(frame, key=key, height=min(35 * (len(rows) + 1) + 3, 600),
               column_config={"rank": st.column_config.NumberColumn("rank", width="small"),
                              "to next level": st.column_config.NumberColumn(
                                  "to next level", help="Points still missing to reach the next level")})
    if mine is not None and all(r.person_id != mine.person_id for r in rows):
        st.caption(f"Your place: {mine.rank:,} with {mine.points:,} points.")
