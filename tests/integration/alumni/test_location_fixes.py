"""Locations the gazetteer missed are listed, and an admin correction places every row that uses them."""
import pytest
from sqlalchemy import select

from core.alumni.location_fixes import LocationError, correct_location, unresolved_locations
from core.jobs.uploads import import_dataset
from db.models import Alumnus, AuditLog


@pytest.fixture
def alumni(db, clock):
    data = (b"email,name,location\n"
            b"a@x.io,A,Atlantis Station\nb@x.io,B,Atlantis Station\nc@x.io,C,\"Berlin, Germany\"\n")
    assert import_dataset(db, kind="alumni", data=data, filename="a.csv", event_slug=None, actor_id=None, clock=clock,
                          max_mb=5).ok
    return db


def test_unresolved_locations_are_listed_with_how_many_rows_use_them(alumni):
    assert [(u.text, u.rows, u.where) for u in unresolved_locations(alumni)] == [("Atlantis Station", 2, "alumni")]


def test_a_correction_to_a_known_city_places_every_row_and_is_audit_logged(alumni, clock):
    assert correct_location(alumni, text="Atlantis Station", correction="Lisbon, Portugal", actor_id=None,
                            clock=clock) == 2
    lats = alumni.scalars(select(Alumnus.lat).where(Alumnus.location == "Atlantis Station")).all()
    assert all(abs(lat - 38.72) < 0.1 for lat in lats)
    assert unresolved_locations(alumni) == []
    assert alumni.scalar(select(AuditLog.action).where(AuditLog.action == "location.corrected"))


def test_coordinates_are_accepted_as_a_correction(alumni, clock):
    correct_location(alumni, text="Atlantis Station", correction="12.97, 77.59", actor_id=None, clock=clock)
    assert alumni.scalar(select(Alumnus.lon).where(Alumnus.email == "a@x.io")) == 77.59


def test_an_unknown_correction_changes_nothing_and_says_what_to_write(alumni, clock):
    with pytest.raises(LocationError, match="Bengaluru, India"):
        correct_location(alumni, text="Atlantis Station", correction="Qwzxv Flats", actor_id=None, clock=clock)
    assert len(unresolved_locations(alumni)) == 1
