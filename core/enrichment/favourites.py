"""Favourite books, films, podcasts and music (seed 004, taste signals): canonical titles, adding and removing, the
upload kind, and the titles people share."""
from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from core.ingest.fields import FieldError, is_email, shown
from core.ingest.pipeline import DatasetKind
from core.ingest.tabular import parse_datetime
from core.platform.clock import Clock
from core.platform.queue import request_job
from db.filters import in_values
from db.models import Favourite, FavouriteKind, Person

TASTE_JOB = "taste-vectors"
TITLE_LIMIT = 200
MAX_FAVOURITES = 100
KIND_LABELS = {FavouriteKind.BOOK: "Book", FavouriteKind.FILM: "Film", FavouriteKind.PODCAST: "Podcast",
               FavouriteKind.MUSIC: "Music"}
# What people and files call each kind.
KIND_SYNONYMS = {
    "book": FavouriteKind.BOOK, "books": FavouriteKind.BOOK, "novel": FavouriteKind.BOOK,
    "film": FavouriteKind.FILM, "films": FavouriteKind.FILM, "movie": FavouriteKind.FILM,
    "movies": FavouriteKind.FILM, "series": FavouriteKind.FILM, "tv": FavouriteKind.FILM,
    "podcast": FavouriteKind.PODCAST, "podcasts": FavouriteKind.PODCAST,
    "music": FavouriteKind.MUSIC, "album": FavouriteKind.MUSIC, "song": FavouriteKind.MUSIC,
    "artist": FavouriteKind.MUSIC, "band": FavouriteKind.MUSIC,
}
# The words an edition note after " - " or ": " is made of ("Blade Runner: The Final Cut", "Abbey Road - 2019
# Remaster"); a suffix is dropped only when every word is one of these, a year or an ordinal.
EDITION_WORDS = frozenset(str.split("""
remaster remastered remasters deluxe anniversary edition editions version cut final directors director extended
special collectors collector theatrical unrated uncut expanded unabridged abridged redux limited definitive
restored ultimate platinum bonus track tracks mono stereo mix remix hd 4k uhd the"""))
_EDITION_NUMBER = re.compile(r"^(?:\d{1,4}|\d{1,3}(?:st|nd|rd|th))$")
_TRAILING_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")  # "(Final Cut)", "[Remastered]", "(2019)"
_SEPARATOR = re.compile(r"\s+[-–—]\s+|:\s+")
_TRAILING_ARTICLE = re.compile(r",\s*(?:the|an?)\s*$", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


class FavouriteError(ValueError):
    """A favourite that cannot be added or removed; the message tells the person what to fix."""


def _words(value: str) -> list[str]:
    value = unicodedata.normalize("NFKD", value.casefold())
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = re.sub(r"['’`´]", "", value).replace("&", " and ")
    return re.sub(r"[^\w]+|_", " ", value).split()


def _is_edition_note(words: list[str]) -> bool:
    return bool(words) and any(w != "the" and not _EDITION_NUMBER.match(w) for w in words) and all(
        w in EDITION_WORDS or _EDITION_NUMBER.match(w) for w in words)


def canonical_title(title: str) -> str:
    """The key two spellings of one title share: casefolded, accents and punctuation gone, a trailing (…) or […]
    note and an edition suffix dropped ("Blade Runner (Final Cut)" == "blade runner"; "The Godfather Part II" stays
    apart from "The Godfather"). A leading article is kept, and "Godfather, The" reads as "the godfather"."""
    value = " ".join(_CONTROL.sub(" ", title or "").split())
    while (stripped := _TRAILING_NOTE.sub("", value)) != value and stripped:
        value = stripped
    parts = _SEPARATOR.split(value)
    while len(parts) > 1 and _is_edition_note(_words(parts[-1])):
        parts.pop()
    value = " ".join(parts)
    words = _words(value)
    if len(words) > 1 and _TRAILING_ARTICLE.search(value):  # "Godfather, The" reads as "the godfather"
        words = [words[-1], *words[:-1]]
    return " ".join(words)


def clean_title(title: str | None) -> str:
    """A title as stored and shown: control characters removed, spaces collapsed; FavouriteError when empty or
    over TITLE_LIMIT characters."""
    value = " ".join(_CONTROL.sub(" ", title or "").split())
    if not value:
        raise FavouriteError("Enter a title.")
    if len(value) > TITLE_LIMIT:
        raise FavouriteError(f"That title is {len(value)} characters long; keep it to {TITLE_LIMIT}.")
    if not canonical_title(value):
        raise FavouriteError("Enter a title with at least one letter or digit.")
    return value


def parse_kind(kind: str | None) -> FavouriteKind:
    """A kind from its value or a common name for it ("movie" is a film); FavouriteError otherwise."""
    found = KIND_SYNONYMS.get((kind or "").strip().casefold())
    if found is None:
        raise FavouriteError(f"'{shown(kind or '', 30)}' is not a kind of favourite; choose book, film, podcast or "
                             "music.")
    return found


def check_rating(rating: int | None) -> int | None:
    """A rating of 1 to 5 stars, or None; FavouriteError otherwise."""
    if rating is None:
        return None
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise FavouriteError("A rating is 1 to 5 stars, or none.")
    return rating


def _insert(session: Session, rows: list[dict]) -> tuple[int, int]:
    """Insert favourites, or give an existing title the new rating (when one is given); (inserted, updated)."""
    if not rows:
        return 0, 0
    result = session.execute(text(
        "INSERT INTO favourites (person_id, kind, title, canonical_title, rating, source, added_at) "
        "SELECT * FROM unnest(CAST(:person AS int[]), CAST(:kind AS varchar[]), CAST(:title AS varchar[]), "
        "CAST(:canonical AS varchar[]), CAST(:rating AS smallint[]), CAST(:source AS varchar[]), "
        "CAST(:added AS timestamptz[])) "
        "ON CONFLICT (person_id, kind, canonical_title) DO UPDATE "
        "SET rating = COALESCE(excluded.rating, favourites.rating) "
        "WHERE excluded.rating IS NOT NULL AND excluded.rating IS DISTINCT FROM favourites.rating "
        "RETURNING (xmax = 0) AS inserted"),
        {"person": [r["person_id"] for r in rows], "kind": [str(r["kind"]) for r in rows],
         "title": [r["title"] for r in rows], "canonical": [r["canonical_title"] for r in rows],
         "rating": [r["rating"] for r in rows], "source": [r["source"] for r in rows],
         "added": [r["added_at"] for r in rows]})
    outcomes = [inserted for (inserted,) in result]
    return sum(outcomes), len(outcomes) - sum(outcomes)


def add_favourite(session: Session, *, person_id: int, kind: str, title: str, rating: int | None = None,
                  clock: Clock) -> Favourite:
    """Add a favourite (or give the one with the same canonical title this rating) and queue the person's taste
    vector; at most MAX_FAVOURITES per person."""
    favourite_kind, shown_title, stars = parse_kind(kind), clean_title(title), check_rating(rating)
    canonical = canonical_title(shown_title)
    # The person's row is the lock that keeps two tabs from passing the cap together.
    if session.scalar(select(Person.id).where(Person.id == person_id).with_for_update()) is None:
        raise FavouriteError("There is no such person.")
    existing = session.scalar(select(Favourite).where(
        Favourite.person_id == person_id, Favourite.kind == favourite_kind, Favourite.canonical_title == canonical))
    if existing is None:
        count = session.scalar(select(func.count()).select_from(Favourite).where(Favourite.person_id == person_id))
        if count >= MAX_FAVOURITES:
            raise FavouriteError(f"You already have {MAX_FAVOURITES} favourites; remove one before adding another.")
    _insert(session, [{"person_id": person_id, "kind": favourite_kind, "title": shown_title,
                       "canonical_title": canonical, "rating": stars, "source": "manual", "added_at": clock.now()}])
    request_job(session, job_id=TASTE_JOB, event_id=None, person_id=person_id, reason="favourites changed",
                clock=clock)
    session.flush()
    return session.scalar(select(Favourite).where(
        Favourite.person_id == person_id, Favourite.kind == favourite_kind, Favourite.canonical_title == canonical,
    ).execution_options(populate_existing=True))


def remove_favourite(session: Session, *, person_id: int, favourite_id: int, clock: Clock) -> None:
    """Remove one of the person's own favourites and queue their taste vector (the clock dates the request)."""
    removed = session.execute(delete(Favourite).where(Favourite.id == favourite_id, Favourite.person_id == person_id)
                              .returning(Favourite.id)).first()
    if removed is None:
        raise FavouriteError("That favourite is not on your list (it may have been removed already).")
    request_job(session, job_id=TASTE_JOB, event_id=None, person_id=person_id, reason="favourites changed",
                clock=clock)
    session.flush()


def favourites_of(session: Session, person_id: int) -> list[Favourite]:
    """A person's favourites, newest first."""
    return list(session.scalars(select(Favourite).where(Favourite.person_id == person_id)
                                .order_by(Favourite.added_at.desc(), Favourite.id.desc())))


def favourite_titles(session: Session, person_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each person's favourites as {canonical title: title as first entered}; people who opted out of taste
    signals (or have no favourites) are left out."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(Favourite.person_id, Favourite.canonical_title, Favourite.title).join(Person)
        .where(in_values(Favourite.person_id, person_ids), Person.taste_opt_out.is_(False), Person.deleted_at.is_(None))
        .order_by(Favourite.person_id, Favourite.added_at, Favourite.id))
    titles: dict[int, dict[str, str]] = {}
    for person_id, canonical, title in rows:
        titles.setdefault(person_id, {}).setdefault(canonical, title)
    return titles


# --- the upload kind -----------------------------------------------------------------------------------------

UPLOAD_COLUMNS = {"required": ["email", "kind", "title"], "optional": ["rating", "added_on"]}
UPLOAD_SYNONYMS = {
    "e_mail": "email", "email_address": "email", "type": "kind", "category": "kind", "media": "kind",
    "name": "title", "favourite": "title", "favorite": "title", "stars": "rating", "score": "rating",
    "added": "added_on", "date": "added_on", "added_at": "added_on",
}
CELL_LIMITS = {"email": 254, "kind": 30, "title": 2 * TITLE_LIMIT, "rating": 10, "added_on": 64}


def validate_favourite_row(values: dict[str, str]) -> tuple[dict | None, list]:
    """One uploaded favourite -> a clean row, or what is wrong with it."""
    errors: list[FieldError] = []
    email = values.get("email", "").strip().lower()
    if not is_email(email):
        errors.append(FieldError("email", f"'{shown(email)}' is not an email address"))
    clean: dict = {"email": email}
    for column, check in (("kind", lambda v: parse_kind(v)), ("title", lambda v: clean_title(v))):
        try:
            clean[column] = check(values.get(column, ""))
        except FavouriteError as exc:
            errors.append(FieldError(column, str(exc)))
    rating_text = values.get("rating", "").strip()
    clean["rating"] = None
    if rating_text:
        stars = rating_text.count("★") or (int(float(rating_text)) if re.fullmatch(r"\d(?:\.0)?", rating_text)
                                           else 0)
        if not 1 <= stars <= 5:
            errors.append(FieldError("rating", f"'{shown(rating_text, 20)}' is not a rating of 1 to 5 stars"))
        clean["rating"] = stars
    added_text = values.get("added_on", "").strip()
    added = parse_datetime(added_text) if added_text else None
    if added_text and added is None:
        errors.append(FieldError("added_on", f"'{shown(added_text, 30)}' is not a date"))
    clean["added_on"] = added if added is None or added.tzinfo else (added.replace(tzinfo=UTC) if added else None)
    if errors:
        return None, errors
    clean["canonical_title"] = canonical_title(clean["title"])
    return clean, []


def store_favourites(session: Session, event_id: int | None, rows: list[dict], now: datetime) -> dict[str, int]:
    """Add uploaded favourites to the people with those emails (source "upload"), merging titles they already
    have; rows for unknown emails, and new titles past a person's MAX_FAVOURITES, are row problems."""
    emails = sorted({row["email"] for row in rows})
    people = dict(session.execute(select(func.lower(Person.email), Person.id)
                                  .where(in_values(func.lower(Person.email), emails))).all())
    held: dict[int, set[tuple[str, str]]] = {}
    for person_id, kind, canonical in session.execute(select(
            Favourite.person_id, Favourite.kind, Favourite.canonical_title)
            .where(in_values(Favourite.person_id, people.values()))):
        held.setdefault(person_id, set()).add((str(kind), canonical))
    accepted, problems = [], []
    for index, row in enumerate(rows):
        person_id = people.get(row["email"])
        if person_id is None:
            problems.append((index, "email", f"no attendee has the email {shown(row['email'], 80)}"))
            continue
        titles = held.setdefault(person_id, set())
        key = (str(row["kind"]), row["canonical_title"])
        if key not in titles and len(titles) >= MAX_FAVOURITES:
            problems.append((index, "title", f"this person already has {MAX_FAVOURITES} favourites, the most "
                                             "one person may keep"))
            continue
        titles.add(key)
        accepted.append({"person_id": person_id, "kind": row["kind"], "title": row["title"],
                         "canonical_title": row["canonical_title"], "rating": row["rating"], "source": "upload",
                         "added_at": row["added_on"] or now})
    inserted, updated = _insert(session, accepted)
    return {"inserted": inserted, "updated": updated, "unchanged": len(accepted) - inserted - updated,
            "row_problems": problems}


FAVOURITES_UPLOAD = DatasetKind(
    name="favourites",
    label="Favourites (books, films, podcasts, music)",
    required=UPLOAD_COLUMNS["required"],
    optional=UPLOAD_COLUMNS["optional"],
    synonyms=UPLOAD_SYNONYMS,
    validate=validate_favourite_row,
    key=lambda row: f"{row['email']} / {row['kind']} / {row['canonical_title']}",
    store=store_favourites,
    needs_event=False,
    limits=CELL_LIMITS,
    hint=("One row per favourite: the attendee's email, the kind (book, film, podcast or music), the title, and "
          "optionally a rating of 1-5 and the date it was added. Rows for emails of nobody registered are row errors."),
    follow_up_jobs=(TASTE_JOB,),
)
