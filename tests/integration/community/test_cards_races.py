"""Alumni cards under contention, in separate transactions on a real Postgres: simultaneous requests issue one card
(or queue one review for a possible duplicate), simultaneous verifications all count."""
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from core.community.cards import RequestOutcome, request_card, verify_token
from db.models import (
    AlumniCard,
    AlumniCardRequest,
    AlumniCardVerification,
    CardRequestStatus,
    CardStatus,
    VerificationMethod,
)
from tests.integration.community.test_cards import CIPHER, SETTINGS, add_alumnus

THREADS = 8


@pytest.fixture
def wide_engine(database_url):
    engine = create_engine(database_url, pool_size=THREADS, max_overflow=2)
    yield engine
    engine.dispose()


def race(engine, threads: int, action: Callable[[Session], object]) -> list[object]:
    """`action` in `threads` threads, each in its own transaction, released together by a barrier; their results."""
    barrier, results = threading.Barrier(threads), [None] * threads

    def run(index: int) -> None:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            session.connection()
            barrier.wait(timeout=20)
            results[index] = action(session)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


def test_two_simultaneous_requests_for_one_alumnus_issue_exactly_one_active_card(db, wide_engine, clock):
    alumnus = add_alumnus(db)
    db.commit()
    results = race(wide_engine, 2, lambda s: request_card(s, alumnus_id=alumnus, actor_id=None, settings=SETTINGS,
                                                          clock=clock))
    assert sorted(r.outcome for r in results) == [RequestOutcome.ALREADY, RequestOutcome.ISSUED]
    assert next(r for r in results if r.outcome == RequestOutcome.ALREADY).message == \
        "You already have an active alumni card."
    assert db.scalar(select(func.count()).select_from(AlumniCard)
                     .where(AlumniCard.alumnus_id == alumnus, AlumniCard.status == CardStatus.ACTIVE)) == 1


def test_two_simultaneous_requests_of_a_possible_duplicate_queue_exactly_one_review(db, wide_engine, clock):
    add_alumnus(db, "John Smith", "john@example.org")
    jon = add_alumnus(db, "Jon Smith", "jon@example.org")
    db.commit()
    results = race(wide_engine, 2, lambda s: request_card(s, alumnus_id=jon, actor_id=None, settings=SETTINGS,
                                                          clock=clock))
    assert [r.outcome for r in results] == [RequestOutcome.REVIEW, RequestOutcome.REVIEW]
    assert results[0].request_id == results[1].request_id
    assert db.scalar(select(func.count()).select_from(AlumniCardRequest)
                     .where(AlumniCardRequest.alumnus_id == jon,
                            AlumniCardRequest.status == CardRequestStatus.REVIEW)) == 1


def test_simultaneous_verifications_of_one_card_are_all_counted_and_logged(db, wide_engine, clock):
    result = request_card(db, alumnus_id=add_alumnus(db), actor_id=None, settings=SETTINGS, clock=clock)
    db.commit()
    token = db.get(AlumniCard, result.card_id).token
    outcomes = race(wide_engine, THREADS, lambda s: verify_token(s, token=token, method=VerificationMethod.QR_SCAN,
                                                                 cipher=CIPHER, clock=clock))
    assert all(outcome.valid for outcome in outcomes)
    db.expire_all()
    assert db.get(AlumniCard, result.card_id).verification_count == THREADS
    assert db.scalar(select(func.count()).select_from(AlumniCardVerification)) == THREADS
