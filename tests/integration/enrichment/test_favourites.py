"""Favourites on a real Postgres: adding, merging, removing, the cap, two tabs at once, and the upload."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from core.enrichment.favourites import (
    MAX_FAVOURITES,
    FavouriteError,
    add_favourite,
    favourite_titles,
    favourites_of,
    remove_favourite,
)
from core.jobs.uploads import import_dataset
from db.models import Favourite, JobRequest, Person


def person(db, name: str, **fields) -> int:
    row = Person(email=f"{name.lower()}@x.io", first_name=name, last_name="Test", **fields)
    db.add(row)
    db.flush()
    return row.id


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Favourite))


def test_adding_stores_a_manual_favourite_and_queues_the_taste_vector(db, clock):
    ana = person(db, "Ana")
    favourite = add_favourite(db, person_id=ana, kind="film", title=" Blade Runner (Final Cut) ", rating=5,
                              clock=clock)
    assert (favourite.title, favourite.canonical_title, favourite.rating, favourite.source) == (
        "Blade Runner (Final Cut)", "blade runner", 5, "manual")
    request = db.scalar(select(JobRequest))
    assert (request.job_id, request.person_id, request.reason) == ("taste-vectors", ana, "favourites changed")


def test_adding_the_same_title_in_another_spelling_keeps_one_row_with_the_new_rating(db, clock):
    ana = person(db, "Ana")
    first = add_favourite(db, person_id=ana, kind="film", title="Blade Runner", clock=clock)
    again = add_favourite(db, person_id=ana, kind="film", title="blade runner (Director's Cut)", rating=4,
                          clock=clock)
    assert (count(db), again.id, again.rating, again.title) == (1, first.id, 4, "Blade Runner")


def test_a_bad_kind_is_refused_with_the_choices(db, clock):
    ana = person(db, "Ana")
    with pytest.raises(FavouriteError, match="choose book, film, podcast or music"):
        add_favourite(db, person_id=ana, kind="game", title="Tetris", clock=clock)
    assert count(db) == 0


def test_the_hundred_and_first_favourite_is_refused_with_a_clear_message(db, clock):
    ana = person(db, "Ana")
    db.add_all(Favourite(person_id=ana, kind="book", title=f"Book {n}", canonical_title=f"book {n}",
                         added_at=clock.now()) for n in range(MAX_FAVOURITES))
    db.flush()
    with pytest.raises(FavouriteError, match="remove one before adding another"):
        add_favourite(db, person_id=ana, kind="book", title="One more", clock=clock)
    assert add_favourite(db, person_id=ana, kind="book", title="Book 7", rating=2, clock=clock).rating == 2


def test_a_person_can_remove_only_their_own_favourite(db, clock):
    ana, ben = person(db, "Ana"), person(db, "Ben")
    bens = add_favourite(db, person_id=ben, kind="book", title="Dune", clock=clock)
    with pytest.raises(FavouriteError, match="not on your list"):
        remove_favourite(db, person_id=ana, favourite_id=bens.id, clock=clock)
    remove_favourite(db, person_id=ben, favourite_id=bens.id, clock=clock)
    assert count(db) == 0


def test_favourites_are_listed_newest_first(db, clock):
    ana = person(db, "Ana")
    add_favourite(db, person_id=ana, kind="book", title="Dune", clock=clock)
    clock.at += timedelta(minutes=1)
    add_favourite(db, person_id=ana, kind="podcast", title="Hardcore History", clock=clock)
    assert [f.title for f in favourites_of(db, ana)] == ["Hardcore History", "Dune"]


def test_shared_titles_leave_out_people_who_opted_out(db, clock):
    ana, ben = person(db, "Ana"), person(db, "Ben", taste_opt_out=True)
    for pid in (ana, ben):
        add_favourite(db, person_id=pid, kind="book", title="Dune (Deluxe Edition)", clock=clock)
    assert favourite_titles(db, [ana, ben]) == {ana: {"dune": "Dune (Deluxe Edition)"}}


@pytest.fixture
def wide_engine(database_url):
    engine = create_engine(database_url, pool_size=6, max_overflow=2)
    yield engine
    engine.dispose()


def race(engine, actions) -> list[str]:
    """Each action in its own thread and transaction, released together by a barrier: 'ok' or the error."""
    barrier, outcomes = threading.Barrier(len(actions)), ["never ran"] * len(actions)

    def run(index, action):
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                session.connection()
                barrier.wait(timeout=20)
                action(session)
            outcomes[index] = "ok"
        except FavouriteError as exc:
            outcomes[index] = f"refused: {exc}"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = f"crashed: {exc!r}"

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_tabs_adding_the_same_title_at_once_store_one_row(db, wide_engine, clock):
    ana = person(db, "Ana")
    db.commit()
    outcomes = race(wide_engine, [
        lambda s, title=title: add_favourite(s, person_id=ana, kind="film", title=title, clock=clock)
        for title in ("Blade Runner", "Blade Runner (Final Cut)", "BLADE RUNNER", "blade runner")])
    assert outcomes == ["ok"] * 4
    assert count(db) == 1


def test_two_tabs_adding_different_titles_at_the_cap_store_only_one(db, wide_engine, clock):
    ana = person(db, "Ana")
    db.add_all(Favourite(person_id=ana, kind="book", title=f"Book {n}", canonical_title=f"book {n}",
                         added_at=clock.now()) for n in range(MAX_FAVOURITES - 1))
    db.commit()
    outcomes = race(wide_engine, [
        lambda s, title=title: add_favourite(s, person_id=ana, kind="film", title=title, clock=clock)
        for title in ("Heat", "Alien")])
    assert sorted(o[:7] for o in outcomes) == ["ok", "refused"]
    assert count(db) == MAX_FAVOURITES


HEADER = "Email,Type,Title,Stars,Added\n"


def upload(db, clock, body: str):
    return import_dataset(db, kind="favourites", data=(HEADER + body).encode(), filename="favourites.csv",
                          event_slug=None, actor_id=None, clock=clock, max_mb=5)


def test_an_upload_adds_favourites_merges_repeats_and_reports_bad_rows(db, clock):
    ana, ben = person(db, "Ana"), person(db, "Ben")
    add_favourite(db, person_id=ana, kind="film", title="Blade Runner", clock=clock)
    report = upload(db, clock, "ana@x.io,movie,Blade Runner (Final Cut),5,2025-01-10\n"
                               "ANA@x.io,book,Dune,,\n"
                               "ben@x.io,book,Dune (Deluxe Edition),4,\n"
                               "ben@x.io,book,dune,3,\n"
                               "ben@x.io,game,Tetris,,\n"
                               "nobody@x.io,book,Dune,,\n")
    assert report.ok, report.message
    assert [(p.line, p.column) for p in report.problems] == [(5, ""), (6, "kind"), (7, "email")]
    assert "no attendee has the email nobody@x.io" in report.problems[2].message
    assert (report.inserted, report.updated) == (2, 1)
    rows = {(f.person_id, f.canonical_title): f for f in db.scalars(select(Favourite))}
    assert sorted(rows) == [(ana, "blade runner"), (ana, "dune"), (ben, "dune")]
    assert (rows[ana, "blade runner"].rating, rows[ana, "blade runner"].source) == (5, "manual")
    assert (rows[ben, "dune"].rating, rows[ben, "dune"].source) == (4, "upload")
    assert "taste-vectors" in report.follow_up_jobs


def test_an_upload_naming_nobody_registered_loads_nothing_and_reports_the_row(db, clock):
    person(db, "Ana")
    report = upload(db, clock, "nobody@x.io,book,Dune,,\n")
    assert report.ok and (report.inserted, report.unchanged, report.rows_invalid) == (0, 0, 1)
    assert [(p.line, p.column) for p in report.problems] == [(2, "email")]
    assert count(db) == 0
