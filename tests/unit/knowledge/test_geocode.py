"""Unit tests for offline geocoding (core.geocode)."""
from __future__ import annotations

import pytest

from core.knowledge.geocode import Gazetteer, country_name, get_gazetteer, normalize

BENGALURU = (12.97, 77.59)
PARIS_FR = (48.85, 2.35)
PARIS_TX = (33.66, -95.56)


def near(found: tuple[float, float] | None, expected: tuple[float, float], tol: float = 0.1) -> bool:
    return found is not None and abs(found[0] - expected[0]) < tol and abs(found[1] - expected[1]) < tol


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_normalize_folds_case_accents_and_whitespace():
    assert normalize("  São   PAULO ") == "sao paulo"


def test_bangalore_resolves_to_bengaluru(gaz):
    assert gaz.locate("Bangalore", None) == gaz.locate("Bengaluru", None)
    assert near(gaz.locate("Bangalore", None), BENGALURU)


@pytest.mark.parametrize(
    ("old", "new"),
    [("Bombay", "Mumbai"), ("Madras", "Chennai"), ("Calcutta", "Kolkata"), ("Peking", "Beijing"),
     ("Saigon", "Ho Chi Minh City"), ("NYC", "New York City"), ("SF", "San Francisco"),
     ("Washington DC", "Washington, DC")],
)
def test_historic_and_short_names_resolve_like_the_official_name(gaz, old, new):
    assert gaz.locate_text(old) is not None
    assert gaz.locate_text(old) == gaz.locate_text(new)


def test_sf_alone_means_san_francisco_california(gaz):
    assert near(gaz.locate("SF", None), (37.77, -122.42))


def test_albuquerque_with_state_code_resolves(gaz):
    assert near(gaz.locate_text("Albuquerque, NM"), (35.08, -106.65))


def test_state_given_by_full_name_filters_us_cities(gaz):
    assert gaz.locate("Albuquerque", "New Mexico") == gaz.locate("Albuquerque", "NM")


def test_paris_alone_is_paris_france(gaz):
    assert near(gaz.locate("Paris", None), PARIS_FR)


def test_paris_tx_is_paris_texas(gaz):
    assert near(gaz.locate_text("Paris, TX"), PARIS_TX)


def test_paris_with_country_united_states_is_the_largest_us_paris(gaz):
    assert near(gaz.locate("Paris", "United States"), PARIS_TX)


def test_paris_france_by_full_country_name(gaz):
    assert near(gaz.locate_text("Paris, France"), PARIS_FR)


def test_country_given_as_iso2_code_restricts_the_match(gaz):
    assert near(gaz.locate("Paris", "US"), PARIS_TX)
    assert near(gaz.locate("Berlin", "DE"), (52.52, 13.41))


@pytest.mark.parametrize("country", ["UK", "United Kingdom", "GB", "England"])
def test_uk_spellings_select_london_england(gaz, country):
    assert near(gaz.locate("London", country), (51.51, -0.13))


def test_city_in_the_wrong_country_is_none(gaz):
    assert gaz.locate("Paris", "Germany") is None


def test_unknown_place_is_none(gaz):
    assert gaz.locate_text("Xqzzyville, Atlantis") is None
    assert gaz.locate("Xqzzyville", None) is None


@pytest.mark.parametrize("text", ["Remote", "remote", "", "   ", None, "N/A"])
def test_non_places_are_none(gaz, text):
    assert gaz.locate_text(text) is None


def test_accents_and_padding_are_ignored(gaz):
    assert gaz.locate_text("  São Paulo , Brazil ") == gaz.locate_text("sao paulo")
    assert near(gaz.locate_text("sao paulo"), (-23.55, -46.64))


def test_city_state_country_triple_resolves(gaz):
    assert near(gaz.locate_text("Mountain View, CA, United States"), (37.39, -122.08))


def test_ca_after_a_canadian_city_means_canada(gaz):
    assert near(gaz.locate_text("Toronto, CA"), (43.71, -79.40))


def test_unknown_region_qualifier_is_ignored(gaz):
    assert gaz.locate_text("Bangalore, Karnataka") == gaz.locate("Bengaluru", "India")


def test_city_and_country_without_comma_resolve(gaz):
    assert gaz.locate_text("Berlin Germany") == gaz.locate("Berlin", "Germany")


def test_own_name_beats_a_noisy_alternate_name(gaz):
    # geonames lists 'Porto' among the alternate names of the (slightly larger) Bordeaux.
    assert near(gaz.locate("Porto", None), (41.15, -8.61))


def test_country_name_accepts_codes_and_aliases():
    assert country_name("DE") == "Germany"
    assert country_name("USA") == "United States"
    assert country_name("South Korea") == "South Korea"
    assert country_name("Narnia") is None


def test_gazetteer_is_built_once():
    assert get_gazetteer() is get_gazetteer()
