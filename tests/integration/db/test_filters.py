"""`in_values` on a real Postgres: more values than a statement can bind, emails, untyped expressions, empty lists."""
from sqlalchemy import Integer, column, func, select

from db.filters import in_values
from db.models import Person

MORE_THAN_THE_PROTOCOL_BINDS = 70_000  # Postgres's protocol takes at most 65,535 parameters per statement


def series(stop: int):
    return func.generate_series(1, stop).table_valued(column("n", Integer)).render_derived("series")


def add_people(db, *names: str) -> None:
    db.add_all(Person(email=f"{name}@x.io", first_name=name.title(), last_name="Test") for name in names)
    db.flush()


def test_in_values_matches_70000_ids_in_one_statement(db):
    numbers = series(2 * MORE_THAN_THE_PROTOCOL_BINDS)
    wanted = list(range(2, 2 * MORE_THAN_THE_PROTOCOL_BINDS + 1, 2))
    found = db.scalars(select(numbers.c.n).where(in_values(numbers.c.n, wanted)).order_by(numbers.c.n)).all()
    assert found == wanted


def test_in_values_finds_the_people_among_70000_emails(db):
    add_people(db, "ada", "bo", "cy")
    emails = [f"nobody{i}@x.io" for i in range(MORE_THAN_THE_PROTOCOL_BINDS)] + ["cy@x.io", "ada@x.io"]
    found = db.scalars(select(Person.first_name).where(in_values(Person.email, emails)).order_by(Person.id)).all()
    assert found == ["Ada", "Cy"]


def test_in_values_types_an_untyped_expression_by_its_values(db):
    add_people(db, "ada", "bo")
    found = db.scalars(select(Person.first_name).where(in_values(func.lower(Person.email), ["bo@x.io"]))).all()
    assert found == ["Bo"]


def test_in_values_with_an_empty_list_matches_no_row(db):
    add_people(db, "ada")
    assert db.scalars(select(Person.id).where(in_values(Person.id, []))).all() == []
    assert db.scalars(select(Person.id).where(in_values(func.lower(Person.email), []))).all() == []


def test_not_in_values_with_an_empty_list_keeps_every_row(db):
    add_people(db, "ada", "bo")
    assert len(db.scalars(select(Person.id).where(~in_values(Person.id, []))).all()) == 2
