"""Favourite titles: canonical keys, kinds, titles and ratings as a person or a file gives them."""
import pytest

from core.enrichment.favourites import (
    TITLE_LIMIT,
    FavouriteError,
    canonical_title,
    check_rating,
    clean_title,
    parse_kind,
    validate_favourite_row,
)
from db.models import FavouriteKind


@pytest.mark.parametrize("spelling", ["Blade Runner (Final Cut)", "Blade Runner", "blade runner", "BLADE RUNNER!",
                                      "Blade Runner: The Final Cut", "Blade Runner [Director's Cut]",
                                      "Blade Runner (1982)"])
def test_edition_notes_years_case_and_punctuation_give_one_title(spelling):
    assert canonical_title(spelling) == "blade runner"


def test_a_sequel_is_not_the_same_title_as_the_original():
    assert canonical_title("The Godfather Part II") != canonical_title("The Godfather")


def test_an_edition_suffix_after_a_dash_is_dropped_but_a_subtitle_is_kept():
    assert canonical_title("Abbey Road - 2019 Remaster") == canonical_title("Abbey Road [Remastered]") == "abbey road"
    assert canonical_title("Dune: Part Two") == "dune part two"
    assert canonical_title("Mission: Impossible") == "mission impossible"


def test_accents_ampersands_and_a_trailing_article_are_normalised():
    assert canonical_title("Amélie") == canonical_title("Amelie")
    assert canonical_title("Simon & Garfunkel") == canonical_title("Simon and Garfunkel")
    assert canonical_title("Godfather, The") == canonical_title("The Godfather") == "the godfather"


def test_a_leading_article_is_kept():
    assert canonical_title("The Matrix") == "the matrix" and canonical_title("A Clockwork Orange").startswith("a ")


def test_kinds_accept_common_names_and_refuse_others_with_the_four_choices():
    assert parse_kind("Movie") == FavouriteKind.FILM and parse_kind("album") == FavouriteKind.MUSIC
    with pytest.raises(FavouriteError, match="choose book, film, podcast or music"):
        parse_kind("videogame")


def test_titles_lose_control_characters_and_must_be_1_to_200_characters():
    assert clean_title("  Dune\x00\x07 \n Messiah ") == "Dune Messiah"
    with pytest.raises(FavouriteError, match="Enter a title"):
        clean_title(" \t ")
    with pytest.raises(FavouriteError, match=f"keep it to {TITLE_LIMIT}"):
        clean_title("x" * (TITLE_LIMIT + 1))


def test_ratings_are_1_to_5_or_none():
    assert check_rating(None) is None and check_rating(5) == 5
    for bad in (0, 6, True, 3.5):
        with pytest.raises(FavouriteError, match="1 to 5 stars"):
            check_rating(bad)


def test_an_uploaded_row_names_each_bad_cell():
    clean, errors = validate_favourite_row({"email": "nope", "kind": "game", "title": "", "rating": "9",
                                            "added_on": "someday"})
    assert clean is None
    assert [e.column for e in errors] == ["email", "kind", "title", "rating", "added_on"]


def test_an_uploaded_row_is_cleaned_with_its_canonical_title_and_star_rating():
    clean, errors = validate_favourite_row({"email": "Ana@X.io ", "kind": "Film", "title": "Heat (1995)",
                                            "rating": "★★★★", "added_on": "2025-03-01"})
    assert not errors
    assert (clean["email"], clean["kind"], clean["canonical_title"], clean["rating"]) == ("ana@x.io", "film",
                                                                                         "heat", 4)
    assert clean["added_on"].year == 2025 and clean["added_on"].tzinfo is not None
