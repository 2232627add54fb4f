"""The per-source token buckets in Postgres, on a moved clock: refill, blocks, and 150 people at 50 GitHub calls an
hour spread over two hours without ever exceeding the bucket."""
from datetime import timedelta

from sqlalchemy import func, select

from core.enrichment.limits import block_source, next_token_at, take_tokens
from db.models import EnrichmentSource, EnrichmentStatus, Person
from tests.integration.enrichment.test_agent import ANA_RESULTS, event_with, run, stub_settings
from tests.stubs.enrichment_stubs import GitHubStub, SearchStub

GITHUB = EnrichmentSource.GITHUB


def test_a_new_bucket_starts_full_and_refills_with_the_clock(db, clock):
    now = clock.now()
    assert take_tokens(db, GITHUB, 80, now=now, per_hour=50) == 50
    assert take_tokens(db, GITHUB, 1, now=now, per_hour=50) == 0
    assert next_token_at(db, GITHUB, now=now, per_hour=50) == now + timedelta(seconds=72)
    assert take_tokens(db, GITHUB, 80, now=now + timedelta(minutes=30), per_hour=50) == 25
    assert take_tokens(db, GITHUB, 80, now=now + timedelta(hours=5), per_hour=50) == 50


def test_a_blocked_source_gives_no_token_until_the_block_ends(db, clock):
    now = clock.now()
    block_source(db, GITHUB, now + timedelta(minutes=20), now=now, per_hour=50)
    assert take_tokens(db, GITHUB, 5, now=now + timedelta(minutes=19), per_hour=50) == 0
    assert next_token_at(db, GITHUB, now=now, per_hour=50) == now + timedelta(minutes=20)
    assert take_tokens(db, GITHUB, 5, now=now + timedelta(minutes=20), per_hour=50) == 5


def test_150_enrichments_at_50_an_hour_are_spread_out_and_never_exceed_the_bucket(db, clock):
    people = [{"first_name": f"Dev{n}", "github_username": f"dev{n}"} for n in range(150)]
    event_with(db, people)
    with SearchStub(default_results=ANA_RESULTS[:1]) as search, GitHubStub() as github:
        for n in range(150):
            github.user(f"dev{n}", languages=["Python"])
        settings = stub_settings(search, github, enrichment_github_per_hour=50, enrichment_search_per_hour=1000)
        start, per_run, moments = clock.now(), [], []
        while clock.now() <= start + timedelta(hours=3):
            before = len(github.user_requests())
            run(db, clock, settings)
            per_run.append(len(github.user_requests()) - before)
            moments.append(clock.now())
            if db.scalar(select(func.count()).select_from(Person).where(
                    Person.enrichment_status == EnrichmentStatus.COMPLETED)) == 150:
                break
            clock.at += timedelta(minutes=15)
    assert per_run[0] == 50 and all(calls <= 13 for calls in per_run[1:])  # 50/h refills 12.5 in 15 minutes
    # never more than capacity plus the refill since the start, whenever we look
    calls_so_far = 0
    for calls, moment in zip(per_run, moments, strict=True):
        calls_so_far += calls
        assert calls_so_far <= 50 + (moment - start).total_seconds() * 50 / 3600
    assert moments[-1] - start == timedelta(hours=2)
    assert len(github.user_requests()) == 150 and len(search.search_requests()) == 150  # searches were cached
