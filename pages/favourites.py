"""Attendee page: my favourite books, films, podcasts and music, and the taste inferred from them (seed 004)."""
import streamlit as st

from core.accounts import Role
from core.enrichment.favourites import (
    KIND_LABELS,
    TITLE_LIMIT,
    FavouriteError,
    FavouriteKind,
    add_favourite,
    favourites_of,
    remove_favourite,
)
from core.enrichment.taste import set_taste_opt_out, taste_state
from ui.auth import require_role
from ui.resources import clock, db_session, transaction
from ui.text import plain
from ui.widgets import empty_state, show_outcome

KIND_ICONS = {FavouriteKind.BOOK: ":material/menu_book:", FavouriteKind.FILM: ":material/movie:",
              FavouriteKind.PODCAST: ":material/podcasts:", FavouriteKind.MUSIC: ":material/music_note:"}
RATINGS = [None, 1, 2, 3, 4, 5]
TASTE_KEY = "favourites_use_taste"
CONFIRM_TASTE_OFF = "favourites_confirm_taste_off"
CONFIRM_REMOVE = "favourites_confirm_remove"

user = require_role(Role.ATTENDEE)
st.title("My favourites")
st.caption("Books, films, podcasts and music you love. They add a small taste signal to your matches and give "
           "you conversation starters (\"You both love Dune\"). Only you see this list; a title you share with a "
           "match can appear in both your conversation starters.")
if user.person_id is None:
    st.info("Your account is not linked to an event registration yet, so there is nowhere to keep favourites. "
            "Ask the organizer to add you to the attendee list.", icon=":material/info:")
    st.stop()
person_id = user.person_id


def stars(rating: int | None) -> str:
    return f":orange[{'★' * rating}]{'☆' * (5 - rating)}" if rating else ":gray[No rating]"


def add() -> None:
    title = st.session_state.get("favourite_title", "")
    try:
        with transaction() as session:
            add_favourite(session, person_id=person_id, kind=st.session_state["favourite_kind"], title=title,
                          rating=st.session_state.get("favourite_rating"), clock=clock())
    except FavouriteError as exc:
        st.session_state["favourites_error"] = f"Not added: {plain(exc)}"
    else:
        st.session_state["favourites_notice"] = f"Added {plain(title.strip())}."
        st.session_state["favourite_title"] = ""


def remove(favourite_id: int) -> None:
    st.session_state.pop(CONFIRM_REMOVE, None)
    try:
        with transaction() as session:
            remove_favourite(session, person_id=person_id, favourite_id=favourite_id, clock=clock())
    except FavouriteError as exc:
        st.session_state["favourites_error"] = plain(exc)
    else:
        st.session_state["favourites_notice"] = "Removed."


def save_taste(opted_out: bool) -> None:
    st.session_state.pop(CONFIRM_TASTE_OFF, None)
    with transaction() as session:
        set_taste_opt_out(session, person_id=person_id, opted_out=opted_out, clock=clock())
    st.session_state[TASTE_KEY] = not opted_out
    st.session_state["favourites_notice"] = (
        "Your favourites are no longer used for matching; your taste profile and inferred traits were deleted."
        if opted_out else "Your favourites are used for matching again.")


def taste_toggled() -> None:
    if st.session_state[TASTE_KEY]:
        save_taste(False)
    else:
        st.session_state[CONFIRM_TASTE_OFF] = True  # deleting the taste profile waits for a confirmation


def keep_taste() -> None:
    st.session_state.pop(CONFIRM_TASTE_OFF, None)
    st.session_state[TASTE_KEY] = True


with db_session() as session:
    favourites = favourites_of(session, person_id)
    taste = taste_state(session, person_id)

show_outcome("favourites")

st.subheader("Your favourites", anchor=False)
if not favourites:
    empty_state("No favourites yet. Add a book, film, podcast or music you love below: attendees who share your "
                "taste rank a little higher in each other's matches.")
for favourite in favourites:
    with st.container(border=True):
        title, rating, action = st.columns([5, 2, 2], vertical_alignment="center")
        title.markdown(f"{KIND_ICONS[favourite.kind]} **{plain(favourite.title)}** · "
                       f"{KIND_LABELS[favourite.kind]}")
        rating.markdown(stars(favourite.rating))
        action.button("Remove", key=f"favourite_remove_{favourite.id}", icon=":material/delete:", width="stretch",
                      on_click=st.session_state.__setitem__, args=(CONFIRM_REMOVE, favourite.id))
        if st.session_state.get(CONFIRM_REMOVE) == favourite.id:
            st.warning(f"Remove {plain(favourite.title)} from your favourites?", icon=":material/warning:")
            yes, no = st.columns(2)
            yes.button("Remove it", type="primary", key=f"favourite_remove_yes_{favourite.id}", on_click=remove,
                       args=(favourite.id,))
            no.button("Keep it", key=f"favourite_remove_no_{favourite.id}", on_click=st.session_state.pop,
                      args=(CONFIRM_REMOVE, None))

with st.form("favourite_add"):
    st.markdown("**Add a favourite**")
    kind, title, rating = st.columns([1, 3, 1])
    kind.selectbox("Kind", list(FavouriteKind), format_func=KIND_LABELS.get, key="favourite_kind")
    title.text_input("Title", max_chars=TITLE_LIMIT, key="favourite_title", placeholder="e.g. Dune")
    rating.selectbox("Rating", RATINGS, format_func=lambda r: f"{r} of 5" if r else "No rating",
                     key="favourite_rating")
    st.form_submit_button("Add favourite", type="primary", icon=":material/add:", on_click=add)

st.subheader("Your taste", anchor=False)
if TASTE_KEY not in st.session_state:
    st.session_state[TASTE_KEY] = not taste.opted_out
if not taste.opted_out and taste.summary:
    st.info(f"We inferred you enjoy {plain(taste.summary, limit=300)}. Turn off? Switch off \"Use my favourites for "
            "matching\" below.", icon=":material/auto_awesome:")
    if taste.traits:
        st.markdown(" ".join(f":gray-badge[{plain(facet, limit=40)}: {plain(value, limit=60)}]"
                             for facet, value in taste.traits.items()))
st.toggle("Use my favourites for matching", key=TASTE_KEY, on_change=taste_toggled)
if st.session_state.get(CONFIRM_TASTE_OFF):
    st.warning("Turning this off deletes your taste profile and the traits we inferred from your favourites. Your "
               "list stays here, unused for matching. You can turn it on again later.", icon=":material/warning:")
    yes, no = st.columns(2)
    yes.button("Turn off and delete my taste profile", type="primary", icon=":material/delete:",
               on_click=save_taste, args=(True,), key="favourites_taste_off")
    no.button("Keep it on", on_click=keep_taste, key="favourites_taste_keep")
elif taste.opted_out:
    st.caption("Your favourites are not used for matching, and we keep no taste profile for you.")
elif taste.computed_at:
    st.caption(f"Your taste profile comes from {taste.titles} title{'s' if taste.titles != 1 else ''}, "
               f"last computed {taste.computed_at:%Y-%m-%d %H:%M} UTC.")
elif favourites:
    st.caption("Your taste profile is computed by the jobs worker within a few minutes of a change.")
else:
    st.caption("Add a favourite or two and we build your taste profile from them.")
