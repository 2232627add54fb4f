"""The rate bucket and the due queue under contention, in separate transactions on a real Postgres."""
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from core.enrichment.agent import enrich_due
from core.enrichment.limits import take_tokens
from core.platform.audit import AuditAction
from core.privacy.consents import Consent, set_consent
from db.models import AuditLog, EnrichmentCacheEntry, EnrichmentSource, EnrichmentStatus, Person
from tests.integration.enrichment.test_agent import ANA_RESULTS, ana, event_with, stub_settings
from tests.stubs.enrichment_stubs import GitHubStub, SearchStub

THREADS = 12


@pytest.fixture
def wide_engine(database_url):
    engine = create_engine(database_url, pool_size=THREADS, max_overflow=2)
    yield engine
    engine.dispose()


def race(engine, action: Callable[[Session], object]) -> list[object]:
    """`action` in THREADS threads, each in its own transaction, released together by a barrier; their results."""
    barrier, results = threading.Barrier(THREADS), [None] * THREADS

    def run(index: int) -> None:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            session.connection()
            barrier.wait(timeout=20)
            results[index] = action(session)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_threads_taking_tokens_at_once_never_get_more_than_the_capacity(db, wide_engine, clock):
    for _ in range(2):  # first on a bucket that does not exist yet, then on an existing empty-ish one
        granted = race(wide_engine, lambda s: take_tokens(s, EnrichmentSource.SEARCH, 7, now=clock.now(),
                                                          per_hour=50))
        assert sum(granted) == (50 if _ == 0 else 0)


def test_workers_running_at_once_enrich_each_due_person_exactly_once(db, wide_engine, clock):
    _, ids = event_with(db, [{"first_name": f"P{n}"} for n in range(30)])
    with SearchStub(default_results=ANA_RESULTS[:1]) as search, GitHubStub() as github:
        settings = stub_settings(search, github)
        reports = race(wide_engine, lambda s: enrich_due(s, clock=clock, settings=settings, llm=None, limit=5))
    assert sum(r.completed for r in reports) == 30 and len(search.search_requests()) == 30
    audited = db.scalars(select(AuditLog.target_person_id).where(
        AuditLog.action == AuditAction.ENRICHMENT_ACCESSED)).all()
    assert sorted(audited) == ids


def test_withdrawing_consent_while_the_sources_answer_wins_over_the_run(db, wide_engine, clock):
    _, [ana_id] = event_with(db, [ana()])
    with SearchStub(answers={"ana lopez": ANA_RESULTS}, delay=1.0) as search, GitHubStub(delay=1.0) as github:
        github.user("analopez", languages=["Rust"])
        settings = stub_settings(search, github)

        def job() -> None:  # the worker's path: the runner's commit is the checkpoint before the calls
            with Session(wide_engine, expire_on_commit=False) as session:
                enrich_due(session, clock=clock, settings=settings, llm=None, checkpoint=session.commit)
                session.commit()

        worker = threading.Thread(target=job)
        worker.start()
        deadline = time.monotonic() + 10
        while not search.search_requests() and time.monotonic() < deadline:
            time.sleep(0.02)
        with Session(wide_engine) as session:  # while the search is still answering
            set_consent(session, person_id=ana_id, consent=Consent.PROFILE_ENRICHMENT, value=False, clock=clock,
                        actor_id=None)
            session.commit()
        worker.join(timeout=30)
    db.expire_all()
    person = db.get(Person, ana_id)
    assert (person.enrichment_status, person.enrichment, person.enrichment_sources) == (
        EnrichmentStatus.OPTED_OUT, {}, [])
    assert db.scalar(select(func.count()).select_from(EnrichmentCacheEntry)) == 0
    assert github.user_requests() == []  # the run stopped asking about her
