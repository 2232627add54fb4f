"""The retention rules (seed 000 §11.1) on a real Postgres: each rule with rows just inside and just outside its
boundary, every period a setting, and the job's one retention.cleanup audit entry."""
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.jobs.maintenance import apply_retention_policy
from core.platform.job_context import JobContext
from core.platform.settings import Settings
from core.privacy.retention import (
    RETAINED_FOR_ANALYTICS,
    anonymise_old_recommendations,
    purge_enrichment_logs,
    purge_old_audit_entries,
    purge_stale_enrichment,
    retention_schedule,
)
from db.models import (
    AuditLog,
    EnrichmentStatus,
    EnrichmentTier,
    Event,
    LLMCall,
    LocationShare,
    Person,
    Recommendation,
    Registration,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def make_event(db, slug: str, ends_on: date | None) -> int:
    event = Event(slug=slug, name=slug.title(), starts_on=ends_on, ends_on=ends_on, timezone="UTC")
    db.add(event)
    db.flush()
    return event.id


def make_person(db, first: str, *, enrichment: dict | None = None, events=(), created_at: datetime = NOW) -> int:
    person = Person(email=f"{first.lower()}@x.io", first_name=first, last_name="Doe", interests=[], goals=[],
                    skills_offered=[], skills_needed=[], enrichment=enrichment or {}, created_at=created_at,
                    enriched_at=NOW if enrichment else None)
    db.add(person)
    db.flush()
    for event_id in events:
        db.add(Registration(event_id=event_id, person_id=person.id))
    db.flush()
    return person.id


def recommend(db, event_id: int, user_id: int, target_id: int, generated_at: datetime) -> int:
    row = Recommendation(event_id=event_id, user_id=user_id, kind="person", target_person_id=target_id, rank=1,
                         score=0.87, reasons=["You both build data tools"], chips=["Python"],
                         starters=["Ask about their pipeline"], potential_value="A hiring lead",
                         strategy="algorithmic", generated_at=generated_at, expires_at=generated_at + timedelta(days=1))
    db.add(row)
    db.flush()
    return row.id


def test_recommendations_over_a_year_old_are_anonymised_and_keep_their_score(db):
    event = make_event(db, "summit", date(2025, 11, 1))
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    old = recommend(db, event, ana, bo, NOW - timedelta(days=365) - MINUTE)
    assert anonymise_old_recommendations(db, now=NOW, days=365) == 1
    db.expire_all()
    row = db.get(Recommendation, old)
    assert (row.reasons, row.chips, row.starters, row.potential_value, row.score) == (
        [RETAINED_FOR_ANALYTICS], [], [], RETAINED_FOR_ANALYTICS, 0.87)


def test_recommendations_just_under_a_year_old_keep_their_reasons(db):
    event = make_event(db, "summit", date(2025, 11, 1))
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    recent = recommend(db, event, ana, bo, NOW - timedelta(days=365) + MINUTE)
    assert anonymise_old_recommendations(db, now=NOW, days=365) == 0
    assert db.get(Recommendation, recent).reasons == ["You both build data tools"]


def test_an_anonymised_recommendation_is_not_counted_again(db):
    event = make_event(db, "summit", date(2025, 11, 1))
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    recommend(db, event, ana, bo, NOW - timedelta(days=400))
    anonymise_old_recommendations(db, now=NOW, days=365)
    assert anonymise_old_recommendations(db, now=NOW, days=365) == 0


def test_enrichment_is_purged_two_years_after_the_last_event_and_kept_just_inside(db):
    cutoff = (NOW - timedelta(days=730)).date()
    outside = make_event(db, "outside", cutoff - timedelta(days=1))
    inside = make_event(db, "inside", cutoff)
    ana = make_person(db, "Ana", enrichment={"github": {"repos": 12}}, events=[outside])
    bo = make_person(db, "Bo", enrichment={"github": {"repos": 3}}, events=[inside])
    assert purge_stale_enrichment(db, now=NOW, days=730) == 1
    db.expire_all()
    assert (db.get(Person, ana).enrichment, db.get(Person, ana).enriched_at) == ({}, None)
    assert db.get(Person, bo).enrichment == {"github": {"repos": 3}}


def test_purged_enrichment_leaves_the_person_not_enriched_yet_with_their_opt_in_kept(db):
    outside = make_event(db, "outside", (NOW - timedelta(days=800)).date())
    ana = make_person(db, "Ana", enrichment={"github": {"repos": 12}}, events=[outside])
    person = db.get(Person, ana)
    person.allow_enrichment, person.enrichment_sources = True, ["github", "linkedin"]
    person.enrichment_status, person.enrichment_tier = EnrichmentStatus.COMPLETED, EnrichmentTier.TIER_2_BASIC
    db.flush()
    purge_stale_enrichment(db, now=NOW, days=730)
    db.expire_all()
    person = db.get(Person, ana)
    assert (person.enrichment_sources, person.enrichment_tier, person.allow_enrichment) == (
        [], EnrichmentTier.TIER_0_PENDING, True)


def test_the_last_event_is_the_latest_one_a_person_registered_for(db):
    cutoff = (NOW - timedelta(days=730)).date()
    early, later = make_event(db, "early", cutoff - timedelta(days=300)), make_event(db, "later", cutoff)
    ana = make_person(db, "Ana", enrichment={"linkedin": {"headline": "CTO"}}, events=[early, later])
    assert purge_stale_enrichment(db, now=NOW, days=730) == 0
    assert db.get(Person, ana).enrichment == {"linkedin": {"headline": "CTO"}}


def test_without_any_registration_enrichment_counts_from_when_the_person_was_created(db):
    ana = make_person(db, "Ana", enrichment={"x": 1}, created_at=NOW - timedelta(days=730) - MINUTE)
    bo = make_person(db, "Bo", enrichment={"x": 2}, created_at=NOW - timedelta(days=730) + MINUTE)
    assert purge_stale_enrichment(db, now=NOW, days=730) == 1
    db.expire_all()
    assert (db.get(Person, ana).enrichment, db.get(Person, bo).enrichment) == ({}, {"x": 2})


def llm_call(db, feature: str, created_at: datetime) -> None:
    db.add(LLMCall(feature=feature, model="claude", outcome="ok", created_at=created_at))
    db.flush()


def test_enrichment_logs_older_than_90_days_are_deleted_and_other_llm_calls_stay(db):
    llm_call(db, "enrichment", NOW - timedelta(days=90) - MINUTE)
    llm_call(db, "enrichment", NOW - timedelta(days=90) + MINUTE)
    llm_call(db, "recommendations", NOW - timedelta(days=400))
    assert purge_enrichment_logs(db, now=NOW, days=90) == 1
    assert sorted(db.scalars(select(LLMCall.feature))) == ["enrichment", "recommendations"]


def test_audit_entries_are_kept_seven_years(db):
    seven_years = timedelta(days=2555)
    db.add_all([AuditLog(action="profile.updated", at=NOW - seven_years - MINUTE, details={}),
                AuditLog(action="profile.viewed", at=NOW - seven_years + MINUTE, details={})])
    db.flush()
    assert purge_old_audit_entries(db, now=NOW, days=2555) == 1
    assert list(db.scalars(select(AuditLog.action))) == ["profile.viewed"]


def test_the_job_keeps_location_shares_for_the_event_plus_the_configured_days(db, clock):
    ana = make_person(db, "Ana")
    outside = make_event(db, "outside", (NOW - timedelta(days=11)).date())
    inside = make_event(db, "inside", (NOW - timedelta(days=9)).date())
    for event_id in (outside, inside):
        db.add(LocationShare(person_id=ana, event_id=event_id, zone="Lobby", shared_at=NOW,
                             expires_at=NOW + timedelta(minutes=30)))
    db.flush()
    result = apply_retention_policy(JobContext(session=db, clock=clock, event_id=None,
                                               settings=Settings(location_share_retention_days=10)))
    assert result["location_shares_purged"] == 1
    assert list(db.scalars(select(LocationShare.event_id))) == [inside]


def test_the_job_applies_each_period_from_the_settings(db, clock):
    event = make_event(db, "summit", date(2026, 11, 1))
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    recommend(db, event, ana, bo, NOW - timedelta(days=31))
    result = apply_retention_policy(JobContext(session=db, clock=clock, event_id=None,
                                               settings=Settings(recommendation_retention_days=30)))
    assert result["recommendations_anonymised"] == 1


def test_the_job_records_one_retention_cleanup_entry_with_the_counts(db, clock):
    llm_call(db, "enrichment", NOW - timedelta(days=100))
    result = apply_retention_policy(JobContext(session=db, clock=clock, event_id=None, settings=Settings()))
    entries = list(db.scalars(select(AuditLog).where(AuditLog.action == "retention.cleanup")))
    assert len(entries) == 1
    assert entries[0].details == result and entries[0].details["enrichment_logs_purged"] == 1
    assert entries[0].actor_label == "system"


def test_the_schedule_shows_the_periods_the_job_uses(db):
    schedule = retention_schedule(Settings(enrichment_retention_days=500, audit_retention_days=2555))
    periods = {line.data.split(" (")[0]: line.period for line in schedule}
    assert periods["Enriched profile data"] == "500 days after your last event"
    assert periods["Audit log entries"].startswith("2555 days (about 7 years)")
