"""`in_values` compiles to one typed array parameter, whatever the number of values."""
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql

from db.filters import in_values
from db.models import Person, Registration


def compiled(statement):
    return statement.compile(dialect=postgresql.psycopg.dialect())


def test_in_values_sends_a_list_of_ids_as_one_array_parameter_of_the_column_type():
    sql = compiled(select(Registration.event_id).where(in_values(Registration.person_id, range(100_000))))
    assert "registrations.person_id = ANY (%(param_1)s::INTEGER[])" in str(sql)
    assert len(sql.params) == 1


def test_in_values_sends_strings_as_one_text_array_parameter():
    sql = compiled(select(Person.id).where(in_values(Person.email, {"a@x.io", "b@x.io"})))
    assert "people.email = ANY (%(param_1)s::VARCHAR[])" in str(sql)
    assert sorted(sql.params["param_1"]) == ["a@x.io", "b@x.io"]


def test_in_values_types_an_untyped_expression_by_its_values():
    assert "::BIGINT[]" in str(compiled(select(Person.id).where(in_values(func.coalesce(None, None), [1]))))
    assert "::VARCHAR[]" in str(compiled(select(Person.id).where(in_values(func.lower(Person.email), ["a"]))))


def test_two_in_values_in_one_statement_get_parameters_of_their_own():
    sql = compiled(select(Person.id).where(in_values(Person.id, [1]), in_values(Person.id, [2])))
    assert sorted(sql.params.values()) == [[1], [2]]
