"""Consents on a real Postgres (seed 000 §11.4): changes take effect at once, are audited, and uploads keep them."""
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.jobs.uploads import import_dataset
from core.privacy.consents import Consent, ConsentError, person_consents, set_consent
from db.models import AuditLog, EnrichmentStatus, Person

HEADER = "email,first_name,last_name,company,role,interests,goals"


def upload(db, clock, header: str, row: str):
    report = import_dataset(db, kind="attendees", data=f"{header}\n{row}\n".encode(), filename="a.csv",
                            event_slug="expo", actor_id=None, clock=clock, max_mb=5)
    assert report.status == "completed", report.summary
    db.expire_all()
    return db.scalars(select(Person)).one()


@pytest.fixture
def ana(db) -> Person:
    row = Person(email="ana@x.io", first_name="Ana", last_name="Silva", company="Acme", role="CTO", interests=["ai"],
                 goals=["LEARN"], allow_enrichment=True, enrichment_status=EnrichmentStatus.COMPLETED,
                 enrichment={"github": {"repos": 12}}, consents={"recommendation_emails": True})
    db.add(row)
    db.flush()
    return row


def test_a_consent_change_is_stored_at_once_and_marked_as_the_persons_own(db, clock, ana):
    set_consent(db, person_id=ana.id, consent=Consent.RECOMMENDATION_EMAILS, value=False, clock=clock, actor_id=None)
    db.refresh(ana)
    assert ana.consents["recommendation_emails"] is False and ana.consents_set_by_person == ["recommendation_emails"]


def test_a_consent_change_is_audit_logged_with_the_old_and_new_value(db, clock, ana):
    set_consent(db, person_id=ana.id, consent="post_event_follow_up", value=True, clock=clock, actor_id=None,
                client="203.0.113.9")
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "consent.updated")).one()
    assert entry.target_person_id == ana.id and entry.client_hash and "203.0.113.9" not in str(entry.details)
    assert entry.details == {"consent": "post_event_follow_up", "old": False, "new": True}


def test_turning_profile_enrichment_off_clears_the_enrichment_data(db, clock, ana):
    set_consent(db, person_id=ana.id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock, actor_id=None)
    db.refresh(ana)
    assert (ana.enrichment, ana.enrichment_status, ana.allow_enrichment) == ({}, EnrichmentStatus.OPTED_OUT, False)


def test_turning_profile_enrichment_back_on_queues_the_person_for_enrichment_again(db, clock, ana):
    set_consent(db, person_id=ana.id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock, actor_id=None)
    set_consent(db, person_id=ana.id, consent=Consent.PROFILE_ENRICHMENT, value=True, clock=clock, actor_id=None)
    db.refresh(ana)
    assert ana.allow_enrichment and ana.enrichment_status == EnrichmentStatus.PENDING


def test_analytics_participation_off_is_stored_as_an_explicit_no(db, clock, ana):
    assert person_consents(db, ana.id)[Consent.ANALYTICS_PARTICIPATION] is True  # never answered: counted
    set_consent(db, person_id=ana.id, consent=Consent.ANALYTICS_PARTICIPATION, value=False, clock=clock,
                actor_id=None)
    assert person_consents(db, ana.id)[Consent.ANALYTICS_PARTICIPATION] is False
    assert db.scalar(select(Person.consents["analytics_participation"].as_boolean())) is False


def test_an_unknown_consent_is_refused_with_the_known_ones_listed(db, clock, ana):
    with pytest.raises(ConsentError, match="profile_enrichment"):
        set_consent(db, person_id=ana.id, consent="telepathy", value=True, clock=clock, actor_id=None)


def test_a_reupload_with_a_different_value_keeps_the_consent_the_person_set(db, clock):
    upload(db, clock, HEADER + ",allow_enrichment", "ana@x.io,Ana,Silva,Acme,CTO,ai,LEARN,true")
    ana = db.scalars(select(Person)).one()
    set_consent(db, person_id=ana.id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock, actor_id=None)
    again = upload(db, clock, HEADER + ",allow_enrichment", "ana@x.io,Ana,Silva,Acme,CEO,ai,LEARN,true")
    assert again.role == "CEO" and again.allow_enrichment is False


def test_a_reupload_without_the_consent_column_keeps_every_stored_consent(db, clock):
    upload(db, clock, HEADER + ",allow_enrichment", "ana@x.io,Ana,Silva,Acme,CTO,ai,LEARN,true")
    ana = db.scalars(select(Person)).one()
    set_consent(db, person_id=ana.id, consent=Consent.RECOMMENDATION_EMAILS, value=True, clock=clock, actor_id=None)
    before = person_consents(db, ana.id)
    upload(db, clock, HEADER, "ana@x.io,Ana,Silva,Acme,CEO,ai,LEARN")
    assert person_consents(db, ana.id) == before and before[Consent.PROFILE_ENRICHMENT] is True


def test_an_upload_still_sets_enrichment_for_someone_who_never_chose_themselves(db, clock):
    upload(db, clock, HEADER + ",allow_enrichment", "ana@x.io,Ana,Silva,Acme,CTO,ai,LEARN,true")
    again = upload(db, clock, HEADER + ",allow_enrichment", "ana@x.io,Ana,Silva,Acme,CTO,ai,LEARN,false")
    assert again.allow_enrichment is False


def test_two_consents_changed_at_the_same_moment_are_both_kept(db, engine, clock, ana):
    db.commit()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def change(consent: Consent) -> None:
        try:
            with Session(engine) as session, session.begin():
                session.get(Person, ana.id)  # both read the old consents before either writes
                barrier.wait(timeout=5)
                set_consent(session, person_id=ana.id, consent=consent, value=True, clock=clock, actor_id=None)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=change, args=(c,)) for c in
               (Consent.SOCIAL_PROFILE_LINKING, Consent.POST_EVENT_FOLLOW_UP)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.expire_all()
    stored = db.get(Person, ana.id)
    assert errors == []
    assert stored.consents["social_profile_linking"] and stored.consents["post_event_follow_up"]
    assert sorted(stored.consents_set_by_person) == ["post_event_follow_up", "social_profile_linking"]
