"""The enrichment run against local GitHub and search stubs through the real httpx clients, on real Postgres."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from core.enrichment.agent import (
    NO_CONSENT,
    NOT_FOUND,
    EnrichmentError,
    enrich_due,
    enrich_profiles_job,
    enrichment_state,
    github_lookups_per_hour,
    request_enrichment,
)
from core.enrichment.facts import enriched_skills
from core.platform.audit import AuditAction
from core.platform.job_context import JobContext
from core.platform.settings import Settings
from core.privacy.consents import Consent, set_consent
from db.models import (
    AuditLog,
    EnrichmentCacheEntry,
    EnrichmentStatus,
    EnrichmentTier,
    Event,
    JobRequest,
    Notification,
    Person,
    Registration,
)
from tests.stubs.enrichment_stubs import GitHubStub, SearchStub

ANA_RESULTS = [
    {"url": "https://www.linkedin.com/in/ana-lopez", "title": "Ana Lopez - Senior Data Engineer - Acme | LinkedIn",
     "content": "Senior data engineer at Acme building Kafka pipelines in Python."},
    {"url": "https://twitter.com/analopez", "title": "Ana Lopez (@analopez) / X",
     "content": "Data engineering, machine learning and climbing."},
    {"url": "https://medium.com/@analopez", "title": "Ana Lopez – Medium",
     "content": "Writing about data pipelines and Kubernetes."},
]


def stub_settings(search: SearchStub | None, github: GitHubStub | None, **extra) -> Settings:
    """Settings pointing at the stubs (search off without a search stub)."""
    values = {"search_api_url": search.url if search else None, "search_api_key": "test-key" if search else None,
              "github_api_url": github.url if github else "http://127.0.0.1:9", "github_token": "gh-token",
              "enrichment_timeout_seconds": 2.0, **extra}
    return Settings(**values)


def event_with(db, people: list[dict]) -> tuple[int, list[int]]:
    """An event with these opted-in people registered (committed); their ids in order."""
    event = Event(slug="summit", name="Summit", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2), timezone="UTC")
    db.add(event)
    db.flush()
    ids = []
    for n, fields in enumerate(people):
        values = {"email": f"p{n}@x.io", "first_name": f"P{n}", "last_name": "Doe", "company": "Acme",
                  "role": "Engineer", "allow_enrichment": True, "interests": [], "goals": [], "skills_offered": [],
                  "skills_needed": [], **fields}
        person = Person(**values)
        db.add(person)
        db.flush()
        db.add(Registration(event_id=event.id, person_id=person.id, registered_at=datetime(2026, 11, 1, tzinfo=UTC)))
        ids.append(person.id)
    db.commit()
    return event.id, ids


def ana(**fields) -> dict:
    return {"first_name": "Ana", "last_name": "Lopez", "github_username": "analopez", **fields}


def run(db, clock, settings, **kwargs):
    report = enrich_due(db, clock=clock, settings=settings, llm=None, **kwargs)
    db.commit()
    return report


def test_a_github_user_found_on_three_platforms_reaches_the_rich_tier_with_languages_as_skills(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python", "Python", "Go", "Rust"])
        report = run(db, clock, stub_settings(search, github))
    person = db.get(Person, ana_id)
    assert report.completed == 1 and person.enrichment_status == EnrichmentStatus.COMPLETED
    assert person.enrichment_tier == EnrichmentTier.TIER_1_RICH
    assert {"github", "linkedin", "twitter"} <= set(person.enrichment_sources)
    assert {"Python", "Go", "Rust"} <= set(enriched_skills(person))
    assert person.enrichment["github_top_languages"]["value"][0] == "Python"
    assert search.search_requests()[0]["body"]["include_domains"][:2] == ["linkedin.com", "github.com"]
    assert github.user_requests()[0]["headers"]["authorization"] == "Bearer gh-token"


def test_all_sources_failing_gives_failed_the_manual_tier_and_the_completion_prompt(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(mode="error") as search, GitHubStub(mode="error") as github:
        report = run(db, clock, stub_settings(search, github))
    person = db.get(Person, ana_id)
    assert report.failed == 1 and person.enrichment_status == EnrichmentStatus.FAILED
    assert person.enrichment_tier == EnrichmentTier.TIER_3_MANUAL
    assert "search API answered 500" in person.enrichment_last_error
    assert "GitHub answered 500" in person.enrichment_last_error
    state = enrichment_state(db, person_id=ana_id, settings=stub_settings(search, github))
    assert state.prompt is not None and state.prompt.title == "Complete your profile"


def test_one_source_failing_still_completes_with_the_others(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub(mode="error") as github:
        run(db, clock, stub_settings(search, github))
    person = db.get(Person, ana_id)
    assert person.enrichment_status == EnrichmentStatus.COMPLETED
    assert "github" not in person.enrichment_sources and "linkedin" in person.enrichment_sources
    entry = db.scalar(select(AuditLog).where(AuditLog.action == AuditAction.ENRICHMENT_ACCESSED))
    assert entry.details["success"] is True and "github" in entry.details["errors"]


def test_a_github_timeout_still_completes_with_the_search_platforms(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub(mode="timeout") as github:
        run(db, clock, stub_settings(search, github, enrichment_timeout_seconds=0.3))
    person = db.get(Person, ana_id)
    assert person.enrichment_status == EnrichmentStatus.COMPLETED
    assert "did not answer in time" in db.scalar(select(AuditLog.details)).get("errors", {}).get("github", "")


def test_a_failed_run_is_retried_with_backoff_until_the_attempts_run_out(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(mode="error") as search, GitHubStub(mode="error") as github:
        settings = stub_settings(search, github, enrichment_retry_minutes=15, enrichment_max_attempts=3)
        run(db, clock, settings)
        assert db.get(Person, ana_id).enrichment_due_at == clock.now() + timedelta(minutes=15)
        assert run(db, clock, settings).failed == 0  # not due yet
        clock.at += timedelta(minutes=15)
        run(db, clock, settings)
        assert db.get(Person, ana_id).enrichment_due_at == clock.now() + timedelta(minutes=30)
        clock.at += timedelta(minutes=30)
        run(db, clock, settings)
        person = db.get(Person, ana_id)
        assert person.enrichment_attempts == 3 and person.enrichment_due_at is None
        clock.at += timedelta(days=1)
        assert run(db, clock, settings).failed == 0
        assert len(search.search_requests()) == 3


def test_nothing_found_fails_without_retry_saying_so(db, clock):
    _, [person_id] = event_with(db, [{"first_name": "Zed"}])
    with SearchStub() as search, GitHubStub() as github:
        run(db, clock, stub_settings(search, github))
    person = db.get(Person, person_id)
    assert person.enrichment_status == EnrichmentStatus.FAILED and person.enrichment_last_error == NOT_FOUND
    assert person.enrichment_due_at is None and person.enrichment_tier == EnrichmentTier.TIER_3_MANUAL


def test_each_run_writes_one_audit_entry_with_the_sources_accessed(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python"])
        run(db, clock, stub_settings(search, github))
    entries = db.scalars(select(AuditLog).where(AuditLog.action == AuditAction.ENRICHMENT_ACCESSED)).all()
    assert len(entries) == 1 and entries[0].target_person_id == ana_id
    assert entries[0].details["sources_accessed"] == ["search", "github"]
    assert entries[0].details["success"] is True and entries[0].details["attempt"] == 1
    assert "linkedin" in entries[0].details["platforms_found"]


def queue_again(db, clock, person_id: int) -> None:
    person = db.get(Person, person_id)
    person.enrichment_status, person.enrichment_due_at = EnrichmentStatus.PENDING, clock.now()
    db.commit()


def test_a_second_run_within_24_hours_makes_no_search_call_and_after_24_hours_does(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python"])
        settings = stub_settings(search, github)
        run(db, clock, settings)
        clock.at += timedelta(hours=23)
        queue_again(db, clock, ana_id)
        second = run(db, clock, settings)
        assert second.completed == 1 and second.search_calls == 0 and len(search.search_requests()) == 1
        assert second.github_calls == 0  # GitHub is cached for 7 days
        clock.at += timedelta(hours=2)
        queue_again(db, clock, ana_id)
        assert run(db, clock, settings).search_calls == 1 and len(search.search_requests()) == 2


def test_the_manual_request_says_a_fresh_profile_is_up_to_date(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        settings = stub_settings(search, github)
        run(db, clock, settings)
        clock.at += timedelta(hours=23)
        assert "up to date" in request_enrichment(db, person_id=ana_id, clock=clock, settings=settings)
        clock.at += timedelta(hours=2)
        assert request_enrichment(db, person_id=ana_id, clock=clock, settings=settings).startswith("Queued")


def test_withdrawing_consent_clears_the_enriched_data_and_the_cache(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python"])
        run(db, clock, stub_settings(search, github))
    assert db.scalar(select(func.count()).select_from(EnrichmentCacheEntry)) == 2
    set_consent(db, person_id=ana_id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock, actor_id=None)
    db.commit()
    person = db.get(Person, ana_id)
    assert person.enrichment == {} and person.enrichment_sources == [] and person.enriched_at is None
    assert person.enrichment_status == EnrichmentStatus.OPTED_OUT
    assert person.enrichment_tier == EnrichmentTier.TIER_0_PENDING
    assert db.scalar(select(func.count()).select_from(EnrichmentCacheEntry)) == 0


def test_withdrawing_consent_forgets_her_answers_that_someone_else_fetched_last(db, clock):
    _, [ana_id, twin_id] = event_with(db, [ana(), ana(email="twin@x.io", github_username="analopez")])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python"])
        run(db, clock, stub_settings(search, github))
    db.execute(update(EnrichmentCacheEntry).values(person_id=twin_id))  # the twin's run wrote the rows last
    set_consent(db, person_id=ana_id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock, actor_id=None)
    assert db.scalar(select(func.count()).select_from(EnrichmentCacheEntry)) == 0


def test_withdrawing_consent_queues_a_refresh_of_her_events_lists(db, clock):
    event_id, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python"])
        run(db, clock, stub_settings(search, github))
    set_consent(db, person_id=ana_id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock, actor_id=None)
    queued = db.execute(select(JobRequest.job_id, JobRequest.event_id)).all()
    assert ("refresh-recommendations", event_id) in queued


def test_people_without_consent_are_never_enriched(db, clock):
    _, [ana_id] = event_with(db, [ana(allow_enrichment=False)])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        report = run(db, clock, stub_settings(search, github))
        with pytest.raises(EnrichmentError, match=NO_CONSENT):
            request_enrichment(db, person_id=ana_id, clock=clock, settings=stub_settings(search, github))
    assert report.completed == 0 and search.requests == [] and github.requests == []


def test_a_changed_company_requeues_a_completed_person(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["Python"])
        settings = stub_settings(search, github)
        run(db, clock, settings)
        assert run(db, clock, settings).completed == 0
        db.get(Person, ana_id).company = "Globex"
        db.commit()
        report = run(db, clock, settings)
    assert report.requeued == 1 and report.completed == 1
    assert "Globex" in search.search_requests()[-1]["body"]["query"]


def test_the_manual_request_queues_the_job_and_is_audited(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub() as search:
        message = request_enrichment(db, person_id=ana_id, clock=clock, settings=stub_settings(search, None),
                                     actor_account_id=None)
    db.commit()
    assert message.startswith("Queued")
    request = db.scalar(select(JobRequest))
    assert request.job_id == "enrich-profiles" and request.person_id == ana_id
    assert db.scalar(select(AuditLog.action)) == AuditAction.ENRICHMENT_TRIGGERED


def test_a_basic_tier_person_is_told_once_what_to_add(db, clock):
    _, [person_id] = event_with(db, [{"first_name": "Bo"}])
    only_linkedin = [ANA_RESULTS[0] | {"url": "https://www.linkedin.com/in/bo-doe", "title": "Bo Doe - CTO - Acme"}]
    with SearchStub(default_results=only_linkedin) as search, GitHubStub() as github:
        settings = stub_settings(search, github)
        run(db, clock, settings)
        db.get(Person, person_id).first_name = "Bob"
        db.commit()
        run(db, clock, settings)
    person = db.get(Person, person_id)
    assert person.enrichment_tier == EnrichmentTier.TIER_2_BASIC
    told = db.scalars(select(Notification).where(Notification.person_id == person_id)).all()
    assert len(told) == 1 and "GitHub" in told[0].body and told[0].link == "my-profile"


def test_with_enrichment_off_the_job_skips_and_changes_nothing(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    ctx = JobContext(session=db, clock=clock, event_id=None, settings=Settings(search_api_url=None,
                                                                               search_api_key=None, github_token=None))
    counts = enrich_profiles_job(ctx)
    db.commit()
    assert "Enrichment is off" in counts["skipped"]
    person = db.get(Person, ana_id)
    assert person.enrichment_status == EnrichmentStatus.PENDING and person.enrichment_attempts == 0
    assert db.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_someone_whose_events_ended_beyond_the_retention_period_is_not_looked_up_again(db, clock):
    event_id, [ana_id] = event_with(db, [ana()])
    event = db.get(Event, event_id)
    event.starts_on = event.ends_on = (clock.now() - timedelta(days=731)).date()
    db.commit()
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        report = run(db, clock, stub_settings(search, github))
    assert report.completed == 0 and search.search_requests() == []
    assert db.get(Person, ana_id).enrichment_status == EnrichmentStatus.PENDING


def test_the_manual_request_is_refused_for_someone_whose_events_ended_beyond_the_retention_period(db, clock):
    event_id, [ana_id] = event_with(db, [ana()])
    event = db.get(Event, event_id)
    event.starts_on = event.ends_on = (clock.now() - timedelta(days=731)).date()
    db.commit()
    with pytest.raises(EnrichmentError, match="Register for an event first"):
        request_enrichment(db, person_id=ana_id, clock=clock, settings=stub_settings(None, None))


def test_with_github_alone_only_people_who_gave_a_username_are_looked_up(db, clock):
    _, [ana_id, bo_id] = event_with(db, [ana(), {"first_name": "Bo", "github_username": None}])
    with GitHubStub() as github:
        github.user("analopez", languages=["Rust"])
        report = run(db, clock, stub_settings(None, github))
    assert report.completed == 1 and [r["path"] for r in github.user_requests()] == ["/users/analopez"]
    bo = db.get(Person, bo_id)
    assert (bo.enrichment_status, bo.enrichment_tier) == (EnrichmentStatus.PENDING, EnrichmentTier.TIER_0_PENDING)
    assert db.get(Person, ana_id).enrichment_tier == EnrichmentTier.TIER_2_BASIC


def test_without_a_token_github_gets_at_most_30_lookups_an_hour():
    assert github_lookups_per_hour(Settings(enrichment_github_per_hour=50)) == 30
    assert github_lookups_per_hour(Settings(enrichment_github_per_hour=50, github_token="t")) == 50
