"""Cached reads of the stored re-engagement profiles for the Re-engagement page, keyed by the profiles' version
(their count and latest computation), so a rerun for a filter change or a member pick reads almost nothing."""
import streamlit as st

from core.reengagement.overview import (
    MemberDetail,
    Overview,
    ProfileFilters,
    count_members,
    filter_choices,
    member_detail,
    member_page,
    overview,
    profiles_version,
    send_list_csv,
)
from ui.resources import db_session


def current_version() -> tuple | None:
    """The stored profiles' version; None when none are stored yet."""
    with db_session() as session:
        return profiles_version(session)


@st.cache_data(max_entries=4, show_spinner=False)
def overview_of(version: tuple) -> tuple[Overview, dict[str, list[str]]]:
    """Counts per decision, the days-since histogram and the filter choices."""
    with db_session() as session:
        return overview(session), filter_choices(session)


@st.cache_data(max_entries=64, show_spinner=False)
def members_of(filters: ProfileFilters, version: tuple) -> tuple[list[dict], int]:
    """The first members matching the filters, and how many match."""
    with db_session() as session:
        return member_page(session, filters)


@st.cache_data(max_entries=64, show_spinner=False)
def member_count(filters: ProfileFilters, version: tuple) -> int:
    with db_session() as session:
        return count_members(session, filters)


def member(user_id: int) -> MemberDetail | None:
    with db_session() as session:
        return member_detail(session, user_id)


def send_list(filters: ProfileFilters) -> bytes:
    """The send list's CSV, made only when the download button is clicked."""
    with db_session() as session:
        return send_list_csv(session, filters).encode()
