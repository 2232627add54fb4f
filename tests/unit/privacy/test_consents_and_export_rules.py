"""Pure rules of consents and the export: the vocabulary, unanswered consents, section names and JSON values."""
from datetime import UTC, date, datetime

from core.events.attendees import validate_attendee
from core.networking.notifications import POST_EVENT_FOLLOW_UP, RECOMMENDATION_EMAILS
from core.privacy.consents import CONSENTS, Consent, consent_value
from core.privacy.export import _plain, section_name
from db.models import EnrichmentStatus, Person

ROW = {"email": "ana@x.io", "first_name": "Ana", "last_name": "Silva", "company": "Acme", "role": "CTO",
       "interests": "ai", "goals": "LEARN"}


def test_every_consent_has_a_label_and_an_explanation():
    assert set(CONSENTS) == set(Consent) and all(i.label and i.explanation.endswith(".") for i in CONSENTS.values())


def test_the_email_consents_use_the_keys_the_notifications_read():
    assert {Consent.RECOMMENDATION_EMAILS.value, Consent.POST_EVENT_FOLLOW_UP.value} == {RECOMMENDATION_EMAILS,
                                                                                        POST_EVENT_FOLLOW_UP}


def test_an_unanswered_consent_is_off_except_analytics_participation():
    person = Person(consents={}, allow_enrichment=False, enrichment_status=EnrichmentStatus.PENDING)
    assert {c: consent_value(person, c) for c in Consent if consent_value(person, c)} == {
        Consent.ANALYTICS_PARTICIPATION: True}


def test_profile_enrichment_reads_the_column_the_enrichment_uses():
    assert consent_value(Person(consents={}, allow_enrichment=True), Consent.PROFILE_ENRICHMENT) is True


def test_an_upload_row_without_the_enrichment_column_states_no_consent():
    clean, errors = validate_attendee(ROW)
    assert errors == [] and "allow_enrichment" not in clean


def test_an_empty_enrichment_cell_states_no_consent_and_a_filled_one_does():
    assert "allow_enrichment" not in validate_attendee(ROW | {"allow_enrichment": " "})[0]
    assert validate_attendee(ROW | {"allow_enrichment": "no"})[0]["allow_enrichment"] is False


def test_a_table_without_a_human_name_is_exported_under_its_name_in_words():
    assert section_name("message_threads") == "conversations" and section_name("brand_new_table") == "brand new table"


def test_export_values_are_json_ready_with_iso_datetimes_and_enum_values():
    value = {"at": datetime(2026, 12, 1, 9, tzinfo=UTC), "day": date(2026, 12, 1), "s": EnrichmentStatus.OPTED_OUT}
    assert _plain(value) == {"at": "2026-12-01T09:00:00+00:00", "day": "2026-12-01", "s": "OPTED_OUT"}
