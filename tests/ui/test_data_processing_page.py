"""The data-processing information page (seed 000 §11.2): every role reads the controller, purposes, retention
periods from the settings, third parties and rights."""
import pytest

from tests.ui.conftest import page_app, texts
from ui.navigation import menu_for
from ui.text import plain


@pytest.mark.parametrize("roles", [("attendee",), ("organizer",), ("admin",), ("staff",)])
def test_every_role_has_the_page_in_its_menu(roles):
    assert "pages/data_processing.py" in {s.path for specs in menu_for(roles).values() for s in specs}


def test_an_attendee_reads_the_controller_from_the_settings(demo, monkeypatch):
    monkeypatch.setenv("DATA_CONTROLLER_NAME", "Acme Events GmbH")
    monkeypatch.setenv("DATA_CONTROLLER_CONTACT", "dpo@acme-events.example")
    at = page_app("attendee", "pages/data_processing.py")
    assert not at.exception, at.exception
    assert "Acme Events GmbH" in texts(at) and plain("dpo@acme-events.example") in texts(at)


def test_the_retention_periods_are_the_ones_the_nightly_job_uses(demo, monkeypatch):
    monkeypatch.setenv("ENRICHMENT_RETENTION_DAYS", "500")
    at = page_app("attendee", "pages/data_processing.py")
    periods = list(at.dataframe[0].value["kept for"])
    assert "500 days after your last event" in periods and "30 days, then deleted for good" in periods


def test_it_says_the_ai_provider_receives_anonymised_profiles_only(demo):
    at = page_app("organizer", "pages/data_processing.py")
    assert not at.exception, at.exception
    assert "anonymised profiles only" in texts(at) and "30 days" in texts(at)


def test_it_lists_the_rights_and_where_to_exercise_them(demo):
    at = page_app("admin", "pages/data_processing.py")
    shown = texts(at)
    assert all(right in shown for right in ("Access and export", "Deletion", "Consents", "Objection"))
    assert "Privacy" in shown
