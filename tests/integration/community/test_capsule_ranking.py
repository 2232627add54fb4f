"""Per-reader capsule rankings on real Postgres: each stored component on a hand-computed case, skill match breaking
a tie, the LLM relevance through the real SDK and its embedding fallback, and the hour-long cache."""
import math
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.ai.llm import AnthropicLLM, TokenBucket
from core.community.capsule_ranking import (
    RANKING_TTL,
    capsule_rankings_job,
    capsules_version,
    rank_readers,
    ranking_status,
    stored_ranking,
)
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from db.models import Alumnus, CapsuleRelevance, JobRequest, KnowledgeCapsule
from tests.integration.community.capsule_world import capsule, person, score, verified_alumnus
from tests.stubs.anthropic_stub import AnthropicStub


@pytest.fixture
def hand_case(db, clock):
    """A reader who offers Python and whose alumni record lists SQL; capsules A (python, sql, docker) by a verified,
    engaged author, B (cooking) and C (sql) by another author who wrote both."""
    now = clock.now()
    reader = person(db, "reader@x.io", offered=["Python"], needed=["Docker"])
    db.add(Alumnus(email="reader@x.io", name="Reader", skills=["SQL"]))
    ana = person(db, "ana@x.io")
    bo = person(db, "bo@x.io")
    score(db, ana, 80.0, now)
    score(db, person(db, "other@x.io"), 20.0, now)
    verified_alumnus(db, "ana@x.io", now)
    ids = {"A": capsule(db, "A", ["python", "SQL", "Docker"], now=now, age_days=10, author_id=ana,
                        author_email="ana@x.io", views=10, likes=4, bookmarks=2),
           "B": capsule(db, "B", ["Cooking"], now=now, author_id=bo, author_email="bo@x.io"),
           "C": capsule(db, "C", ["sql"], now=now, age_days=100, author_id=bo, author_email="bo@x.io", views=5,
                        bookmarks=1)}
    return reader, ids


def test_each_component_and_the_total_are_stored_as_computed_by_hand(db, clock, hand_case):
    reader, ids = hand_case
    rank_readers(db, person_ids=[reader], clock=clock)
    stored = {r.capsule_id: r for r in stored_ranking(db, person_id=reader)}
    expected = {
        "A": {"skill_match": 2 / 3, "engagement": 1.0, "credibility": 0.5 + 0.2, "recency": math.exp(-0.1)},
        "B": {"skill_match": 0.0, "engagement": 0.0, "credibility": 0.3, "recency": 1.0},
        "C": {"skill_match": 0.5, "engagement": 0.4 * 0.5 + 0.25 * 0.5, "credibility": 0.3,
              "recency": math.exp(-1.0)}}
    for name, components in expected.items():
        breakdown = stored[ids[name]].breakdown
        for component, value in components.items():
            assert breakdown[component] == pytest.approx(value, abs=1e-4), (name, component)
        assert breakdown["relevance"] == 0.0 and breakdown["relevance_source"] == "none"
        total = (0.30 * components["skill_match"] + 0.25 * components["engagement"]
                 + 0.20 * components["credibility"] + 0.15 * components["recency"])
        assert stored[ids[name]].score == pytest.approx(total, abs=1e-4)
    assert [r.capsule_id for r in stored_ranking(db, person_id=reader)] == [ids["A"], ids["C"], ids["B"]]
    assert stored[ids["A"]].breakdown["author_verified"] is True


def test_a_reader_sees_a_capsule_matching_their_skills_above_an_equally_popular_and_recent_one(db, clock):
    now = clock.now()
    reader = person(db, "reader@x.io", offered=["Kubernetes"])
    plain = capsule(db, "Gardening basics", ["Gardening"], now=now, age_days=3, views=7, likes=2)
    match = capsule(db, "Running k8s clusters", ["k8s"], now=now, age_days=3, views=7, likes=2)
    rank_readers(db, person_ids=[reader], clock=clock)
    ranking = stored_ranking(db, person_id=reader)
    assert [r.capsule_id for r in ranking] == [match, plain]
    assert ranking[0].breakdown["skill_match"] == 1.0 and ranking[1].breakdown["skill_match"] == 0.0


def test_a_skill_the_reader_only_wants_to_learn_is_no_skill_match(db, clock):
    reader = person(db, "reader@x.io", needed=["SQL"])
    wanted = capsule(db, "Joins", ["SQL"], now=clock.now())
    rank_readers(db, person_ids=[reader], clock=clock)
    assert {r.capsule_id: r.breakdown["skill_match"] for r in stored_ranking(db, person_id=reader)} == {wanted: 0.0}


def test_the_capsules_version_changes_when_a_capsule_is_edited_but_not_when_it_is_liked(db, clock):
    capsule(db, "Joins", ["sql"], now=clock.now())
    stored = db.scalar(select(KnowledgeCapsule))
    before = capsules_version(db)
    stored.likes_count += 1
    db.flush()
    assert capsules_version(db) == before
    stored.content += " Now with an example."
    db.flush()
    assert capsules_version(db) != before


def test_without_an_llm_relevance_is_the_cosine_of_profile_and_capsule_embeddings(db, clock, real_embedder):
    now = clock.now()
    reader = person(db, "reader@x.io", role="Platform engineer", bio="I run Kubernetes clusters and containers.")
    about = capsule(db, "Scaling Kubernetes pods", ["ops"], now=now,
                    content="How to autoscale pods and containers in a Kubernetes cluster.")
    away = capsule(db, "Sourdough bread at home", ["baking"], now=now, content="Flour, water, salt and patience.")
    rank_readers(db, person_ids=[reader], clock=clock, embedder=real_embedder)
    stored = {r.capsule_id: r.breakdown for r in stored_ranking(db, person_id=reader)}
    assert stored[about]["relevance_source"] == "embedding"
    assert 0.0 <= stored[away]["relevance"] < stored[about]["relevance"] <= 1.0


def test_a_reader_with_an_empty_profile_is_ranked_with_no_relevance(db, clock, real_embedder):
    reader = person(db, "blank@x.io")
    capsule(db, "Joins", ["sql"], now=clock.now())
    rank_readers(db, person_ids=[reader], clock=clock, embedder=real_embedder)
    assert [r.breakdown["relevance"] for r in stored_ranking(db, person_id=reader)] == [0.0]


def llm_for(stub) -> AnthropicLLM:
    return AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, timeout=5.0, max_retries=0,
                        bucket=TokenBucket(rate_per_minute=60_000, capacity=1_000))


def test_the_llm_rates_the_best_candidates_and_its_ratings_are_cached_for_the_profile(db, clock, real_embedder):
    now = clock.now()
    reader = person(db, "reader@x.io", role="Data engineer", bio="Pipelines in Airflow")
    airflow = capsule(db, "Airflow pipelines", ["etl"], now=now, content="Scheduling pipelines with Airflow DAGs.")
    other = capsule(db, "Negotiating a salary", ["career"], now=now, content="Ask for a range, not a number.")
    with AnthropicStub("ok") as stub:
        run = rank_readers(db, person_ids=[reader], clock=clock, embedder=real_embedder, llm=llm_for(stub))
        assert run.llm_calls == 1 and len(stub.requests) == 1
        assert "<reader_profile>" in stub.requests[0]["messages"][0]["content"]
        rank_readers(db, person_ids=[reader], clock=clock, embedder=real_embedder, llm=llm_for(stub))
        assert len(stub.requests) == 1  # the second run reuses the stored ratings
    stored = {r.capsule_id: r.breakdown for r in stored_ranking(db, person_id=reader)}
    assert (stored[airflow]["relevance"], stored[airflow]["relevance_source"]) == (0.9, "llm")
    assert (stored[other]["relevance"], stored[other]["relevance_source"]) == (0.1, "llm")
    assert db.scalars(select(CapsuleRelevance.source)).all() == ["llm", "llm"]


def test_an_llm_error_leaves_the_embedding_relevance(db, clock, real_embedder):
    now = clock.now()
    reader = person(db, "reader@x.io", role="Data engineer", bio="Pipelines in Airflow")
    capsule(db, "Airflow pipelines", ["etl"], now=now, content="Scheduling pipelines with Airflow DAGs.")
    with AnthropicStub("garbage") as stub:
        run = rank_readers(db, person_ids=[reader], clock=clock, embedder=real_embedder, llm=llm_for(stub))
    assert (run.llm_calls, run.llm_errors) == (1, 1)
    assert [r.breakdown["relevance_source"] for r in stored_ranking(db, person_id=reader)] == ["embedding"]
    assert db.scalar(select(CapsuleRelevance.person_id)) is None


def job(db, clock, person_id=None) -> dict:
    return capsule_rankings_job(JobContext(session=db, clock=clock, event_id=None, person_id=person_id))


def test_a_ranking_is_reused_within_the_hour_and_recomputed_after_a_new_capsule(db, clock):
    now = clock.now()
    reader = person(db, "reader@x.io", offered=["SQL"])
    capsule(db, "Joins", ["sql"], now=now)
    assert job(db, clock, reader)["readers"] == 1
    later = FixedClock(now + timedelta(minutes=30))
    assert job(db, later, reader)["readers"] == 0
    assert ranking_status(db, person_id=reader, now=later.now())[0] == "fresh"
    added = capsule(db, "Indexes", ["sql"], now=later.now())
    assert ranking_status(db, person_id=reader, now=later.now())[0] == "stale"
    assert job(db, later, reader)["readers"] == 1
    assert added in {r.capsule_id for r in stored_ranking(db, person_id=reader)}


def test_a_ranking_older_than_an_hour_is_recomputed(db, clock):
    reader = person(db, "reader@x.io")
    capsule(db, "Joins", ["sql"], now=clock.now())
    job(db, clock, reader)
    after = FixedClock(clock.now() + RANKING_TTL + timedelta(seconds=1))
    assert ranking_status(db, person_id=reader, now=after.now())[0] == "stale"
    assert job(db, after, reader)["readers"] == 1


def test_a_reader_without_a_ranking_gets_one_queued_once(db, clock):
    from core.community.capsule_ranking import request_ranking

    reader = person(db, "reader@x.io")
    assert ranking_status(db, person_id=reader, now=clock.now()) == ("missing", None)
    assert request_ranking(db, person_id=reader, clock=clock) is True
    assert request_ranking(db, person_id=reader, clock=clock) is False
    assert db.scalars(select(JobRequest.job_id)).all() == ["capsule-rankings"]


def test_the_hourly_run_ranks_every_reader_with_an_account_and_skips_people_without_one(db, clock):
    from core.accounts.accounts import create_account

    reader = person(db, "reader@x.io")
    person(db, "no-account@x.io")
    create_account(db, actor_id=None, username="reader", email="reader@accounts.example", display_name="Reader",
                   password="reader-pass-1", roles=["attendee"], person_id=reader)
    capsule(db, "Joins", ["sql"], now=clock.now())
    assert job(db, clock)["readers"] == 1
    assert [r.person_id for r in stored_ranking(db, person_id=reader)] == [reader]
    assert job(db, clock) == {"readers": 0, "skipped": "every ranking is fresh"}


def test_a_reader_queued_from_the_page_is_ranked_by_the_worker(db, engine, clock):
    from core.community.capsule_ranking import request_ranking
    from core.jobs.runner import run_queued_work
    from core.platform.settings import get_settings

    reader = person(db, "reader@x.io", offered=["SQL"])
    capsule(db, "Joins", ["sql"], now=clock.now())
    request_ranking(db, person_id=reader, clock=clock)
    db.commit()
    run_queued_work(engine, clock=clock, settings=get_settings())
    db.expire_all()
    assert ranking_status(db, person_id=reader, now=clock.now())[0] == "fresh"
    assert stored_ranking(db, person_id=reader)[0].breakdown["skill_match"] == 1.0
