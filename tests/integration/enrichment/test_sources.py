"""The GitHub and search clients over real httpx against local stubs: shapes, caps, not found, rate limits, errors."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.enrichment.cache import cached, remember
from core.enrichment.sources import SEARCH_DOMAINS, GitHubClient, SearchClient, SourceError, SourceRateLimited
from core.platform.settings import Settings
from core.privacy.retention import apply_retention_rules
from db.models import AuditLog, EnrichmentRateBucket, EnrichmentSource, EnrichmentStatus, Person
from tests.integration.enrichment.test_agent import ANA_RESULTS, ana, event_with, run, stub_settings
from tests.stubs.enrichment_stubs import GitHubStub, SearchStub


def test_a_github_profile_has_languages_by_repository_count_and_recent_repositories():
    with GitHubStub() as stub:
        stub.user("ana", languages=["Go", "Python", "Python", "Rust", "Python", "Go", "C", "Java", "Zig"],
                  bio="x" * 1000, followers=7)
        profile = GitHubClient(stub.url, "tok", 2.0).profile("ana")
    assert profile.top_languages == ["Python", "Go", "Rust", "C", "Java"]
    assert profile.recent_repos == ["repo-0", "repo-1", "repo-2", "repo-3", "repo-4"]
    assert profile.followers == 7 and profile.public_repos == 9 and len(profile.bio) == 300
    assert stub.repo_requests()[0]["path"] == "/users/ana/repos?sort=updated&per_page=10"


def test_an_unknown_github_user_is_none():
    with GitHubStub() as stub:
        assert GitHubClient(stub.url, None, 2.0).profile("nobody") is None
        assert "authorization" not in stub.requests[0]["headers"]


def test_a_github_403_is_a_rate_limit_until_its_reset():
    with GitHubStub(mode="rate_limited") as stub:
        stub.rate_limit_reset = 1_900_000_000
        with pytest.raises(SourceRateLimited) as raised:
            GitHubClient(stub.url, None, 2.0).profile("ana")
    assert raised.value.until(datetime(2026, 1, 1, tzinfo=UTC)) == datetime.fromtimestamp(1_900_000_000, UTC)


def test_a_github_403_without_rate_limit_headers_is_only_that_lookups_error():
    with GitHubStub(mode="forbidden") as stub, pytest.raises(SourceError, match="GitHub answered 403") as raised:
        GitHubClient(stub.url, None, 2.0).profile("ana")
    assert not isinstance(raised.value, SourceRateLimited)


def test_a_github_server_error_is_a_source_error():
    with GitHubStub(mode="error") as stub, pytest.raises(SourceError, match="GitHub answered 500"):
        GitHubClient(stub.url, None, 2.0).profile("ana")


def test_the_search_sends_the_query_domains_and_key_and_caps_what_comes_back():
    long = {"url": "https://twitter.com/ana", "title": "t" * 500, "content": "c" * 5000}
    with SearchStub(default_results=[long, {"url": "javascript:alert(1)", "title": "x"}]) as stub:
        results = SearchClient(stub.url, "key-1", 2.0).search("Ana Lopez Acme", SEARCH_DOMAINS)
    body = stub.requests[0]["body"]
    assert body == {"api_key": "key-1", "query": "Ana Lopez Acme", "include_domains": SEARCH_DOMAINS,
                    "max_results": 15, "search_depth": "advanced"}
    assert stub.requests[0]["headers"]["authorization"] == "Bearer key-1"
    assert len(results) == 1 and len(results[0].title) == 200 and len(results[0].content) == 1000


def test_a_search_429_is_a_rate_limit_and_a_500_an_error():
    with SearchStub(mode="rate_limited") as stub:
        with pytest.raises(SourceRateLimited) as raised:
            SearchClient(stub.url, "k", 2.0).search("q", SEARCH_DOMAINS)
        now = datetime(2026, 1, 1, tzinfo=UTC)
        assert raised.value.until(now) == now + timedelta(seconds=1800)
        stub.mode = "error"
        with pytest.raises(SourceError, match="answered 500"):
            SearchClient(stub.url, "k", 2.0).search("q", SEARCH_DOMAINS)


def test_a_search_timeout_is_a_source_error():
    with SearchStub(mode="timeout", timeout_sleep=1.0) as stub, pytest.raises(SourceError, match="in time"):
        SearchClient(stub.url, "k", 0.2).search("q", SEARCH_DOMAINS)


def test_a_github_rate_limit_completes_without_github_and_blocks_it_until_the_reset(db, clock):
    _, [ana_id, bo_id] = event_with(db, [ana(), ana(first_name="Bo", github_username="bodoe")])
    reset = clock.now() + timedelta(minutes=40)
    with SearchStub(answers={"lopez": ANA_RESULTS}) as search, GitHubStub(mode="rate_limited") as github:
        github.rate_limit_reset = int(reset.timestamp())
        run(db, clock, stub_settings(search, github))
        assert db.get(Person, ana_id).enrichment_status == EnrichmentStatus.COMPLETED
        bucket = db.scalar(select(EnrichmentRateBucket).where(EnrichmentRateBucket.source == "github"))
        assert bucket.blocked_until == reset
        calls = len(github.requests)
        db.get(Person, ana_id).company = "Globex"  # due again: GitHub is blocked, so nobody calls it
        db.commit()
        report = run(db, clock, stub_settings(search, github))
        assert len(github.requests) == calls and report.deferred == 1
        assert db.get(Person, ana_id).enrichment_due_at >= reset


def test_a_search_rate_limit_defers_the_person_until_the_retry_time(db, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(mode="rate_limited") as search, GitHubStub() as github:
        report = run(db, clock, stub_settings(search, github))
    person = db.get(Person, ana_id)
    assert report.deferred == 1 and person.enrichment_status == EnrichmentStatus.PENDING
    assert person.enrichment_due_at == clock.now() + timedelta(seconds=1800)
    assert person.enrichment_attempts == 0


def test_an_open_circuit_breaker_counts_as_the_source_failing_until_its_cooldown(db, clock):
    event_with(db, [ana(first_name=f"A{n}", github_username=f"dev{n}") for n in range(6)])
    with SearchStub(answers={"lopez": ANA_RESULTS}) as search, GitHubStub(mode="error") as github:
        settings = stub_settings(search, github)
        first = run(db, clock, settings, limit=5)
        assert first.github_calls == 5 and first.completed == 5
        second = run(db, clock, settings)
        assert second.github_calls == 0 and len(github.user_requests()) == 5
        assert "kept failing" in db.scalars(select(AuditLog.details).order_by(AuditLog.id.desc())).first()[
            "errors"]["github"]
        db.get(Person, 1).company = "Globex"
        db.commit()
        clock.at += timedelta(seconds=61)
        assert run(db, clock, settings).github_calls == 1


def test_the_retention_rules_delete_expired_cache_rows(db, clock):
    remember(db, EnrichmentSource.SEARCH, "old", {"results": []}, now=clock.now() - timedelta(days=2), person_id=None)
    remember(db, EnrichmentSource.SEARCH, "new", {"results": []}, now=clock.now(), person_id=None)
    counts = apply_retention_rules(db, now=clock.now(), settings=Settings())
    assert counts["enrichment_cache_purged"] == 1
    assert cached(db, EnrichmentSource.SEARCH, "NEW ", now=clock.now()) == {"results": []}
