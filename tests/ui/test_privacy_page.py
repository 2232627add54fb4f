"""The attendee's Privacy page (seed 000 §11.4): consent toggles that save at once, the enrichment warning,
"Download my data", the data-processing link and the deletion section."""
from sqlalchemy import select

from db.models import AuditLog, EnrichmentStatus, Person
from tests.ui.conftest import me, page_app, texts

PAGE = "pages/privacy.py"


def toggle(at, label: str):
    return next(t for t in at.toggle if label in t.label)


def stored(db) -> Person:
    db.expire_all()
    return db.get(Person, me(db))


def test_a_consent_toggle_saves_at_once_with_a_confirmation(demo):
    at = page_app("attendee", PAGE)
    before = stored(demo).consents.get("post_event_follow_up", False)
    toggle(at, "Post-event follow-ups").set_value(not before).run()
    assert not at.exception
    assert stored(demo).consents["post_event_follow_up"] is (not before)
    assert any("Post-event follow-ups is" in t.value for t in at.toast)


def test_turning_enrichment_off_warns_first_and_keeps_the_data_until_confirmed(demo):
    person = stored(demo)
    person.allow_enrichment, person.enrichment = True, {"github": {"repos": 3}}
    demo.commit()
    at = page_app("attendee", PAGE)
    toggle(at, "Profile enrichment").set_value(False).run()
    assert "deletes the data we gathered" in texts(at) and stored(demo).enrichment == {"github": {"repos": 3}}
    next(b for b in at.button if b.label.startswith("Turn off and delete")).click().run()
    after = stored(demo)
    assert (after.enrichment, after.enrichment_status, after.allow_enrichment) == ({}, EnrichmentStatus.OPTED_OUT,
                                                                                  False)


def test_keeping_enrichment_on_after_the_warning_changes_nothing(demo):
    person = stored(demo)
    person.allow_enrichment = True
    demo.commit()
    at = page_app("attendee", PAGE)
    toggle(at, "Profile enrichment").set_value(False).run()
    next(b for b in at.button if b.label == "Keep it on").click().run()
    assert toggle(at, "Profile enrichment").value is True and stored(demo).allow_enrichment is True
    assert demo.scalar(select(AuditLog.id).where(AuditLog.action == "consent.updated")) is None


def test_the_page_offers_the_download_the_data_processing_link_and_the_deletion_section(demo):
    at = page_app("attendee", PAGE)
    assert not at.exception
    assert "Download my data" in texts(at) and "Delete my account" in texts(at)
    assert any(link.label.startswith("Purposes, legal bases") for link in at.get("page_link"))
    assert len(at.get("download_button")) == 1
