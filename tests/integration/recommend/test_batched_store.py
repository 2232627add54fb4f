"""The algorithmic lists are stored in batches of viewers, on a writer thread, exactly as if stored at once."""
import pytest
from sqlalchemy import select

import core.recommend.people as people
from core.platform.parallel import map_in_forked_processes
from core.recommend.people import current_recommendations, refresh_recommendations
from db.models import MatchControl, Person, Recommendation
from tests.fakes import FakeEmbedder
from tests.integration.recommend import test_people_recommendations as planted

event = planted.event  # the same planted event


def stored(db, event_id):
    return db.execute(select(Recommendation.user_id, Recommendation.rank, Recommendation.target_person_id,
                             Recommendation.score, Recommendation.reasons, Recommendation.starters,
                             Recommendation.slot, Recommendation.expires_at)
                      .where(Recommendation.event_id == event_id).order_by(Recommendation.user_id,
                                                                            Recommendation.rank)).all()


def refresh(db, event, clock):
    report = refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    return report


@pytest.mark.parametrize("batch", [1, 2])
def test_lists_stored_a_few_viewers_at_a_time_equal_the_lists_stored_at_once(db, event, clock, monkeypatch, batch):
    report = refresh(db, event, clock)
    at_once = stored(db, event.id)
    db.execute(Recommendation.__table__.delete())
    monkeypatch.setattr(people, "STORE_VIEWERS", batch)
    batched = refresh(db, event, clock)
    assert stored(db, event.id) == at_once and batched.recommendations == report.recommendations == len(at_once)


def test_a_batched_refresh_expires_acted_on_pairs_that_drop_out_and_deletes_the_others(db, event, clock,
                                                                                      monkeypatch):
    monkeypatch.setattr(people, "STORE_VIEWERS", 2)
    refresh(db, event, clock)
    hirer = db.scalar(select(Person.id).where(Person.email == "hirer@x.io"))
    first, second = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[:2]
    first.recommendation.bookmarked_at = clock.now()
    for card in (first, second):
        db.add(MatchControl(person_id=hirer, target_person_id=card.person.id, kind="block"))
    db.commit()
    refresh(db, event, clock)
    kept = db.get(Recommendation, first.recommendation.id, populate_existing=True)
    assert kept.rank == 0 and kept.expires_at == clock.now() and kept.bookmarked_at is not None
    assert db.get(Recommendation, second.recommendation.id, populate_existing=True) is None


def test_lists_explained_in_forked_processes_equal_the_lists_explained_here(db, event, clock, monkeypatch):
    monkeypatch.setattr(people, "STORE_VIEWERS", 2)
    report = refresh(db, event, clock)
    here = stored(db, event.id)
    db.execute(Recommendation.__table__.delete())
    monkeypatch.setattr(people, "FORKED_VIEWERS", 1)
    monkeypatch.setattr(people, "can_fork_workers", lambda: True)
    maps = []

    def forked_map(function, items, state):
        maps.append(len(items))
        return map_in_forked_processes(function, items, state)

    monkeypatch.setattr(people, "map_in_forked_processes", forked_map)
    forked = refresh(db, event, clock)
    assert maps and maps[0] > 1 and stored(db, event.id) == here
    assert forked.recommendations == report.recommendations and forked.explanations == report.explanations
