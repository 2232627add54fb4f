"""Knowledge capsules on real Postgres: the upload kind, writing one, views once per reader and day, like and
bookmark toggles under contention, trending by two weeks of views, and learning paths."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from core.community.capsule_ranking import rank_readers, reader_skill_keys
from core.community.capsules import (
    CapsuleDraft,
    CapsuleError,
    path_to_goal,
    path_to_role,
    record_view,
    toggle_reaction,
    trending,
    write_capsule,
)
from core.jobs.uploads import import_dataset
from core.platform.clock import FixedClock
from db.models import CapsuleReaction, CapsuleView, CareerRoleSkill, KnowledgeCapsule, ReactionKind, TextEmbedding
from tests.integration.community.capsule_world import capsule, person

GOOD = ("title,content,tags,category,author,email,duration_minutes,created_at\n"
        "Window functions,Rank rows within a partition with OVER.,SQL; Postgres,Data,Ana Lima,ana@x.io,7,2026-11-01\n"
        "Docker layers,Order your Dockerfile so caches hit.,docker,Ops,Bo Chen,,,\n")
THREADS = 10


def upload(db, clock, csv: str):
    return import_dataset(db, kind="capsules", data=csv.encode(), filename="capsules.csv", event_slug=None,
                          actor_id=None, clock=clock, max_mb=5)


def test_an_upload_stores_each_capsule_with_its_tags_duration_and_author(db, clock):
    ana = person(db, "ana@x.io")
    report = upload(db, clock, GOOD)
    assert report.ok and (report.inserted, report.rows_invalid) == (2, 0)
    stored = {c.title: c for c in db.scalars(select(KnowledgeCapsule))}
    assert stored["Window functions"].tags == ["SQL", "Postgres"]
    assert stored["Window functions"].author_person_id == ana
    assert stored["Window functions"].created_at.date().isoformat() == "2026-11-01"
    assert stored["Docker layers"].duration_minutes == 1 and stored["Docker layers"].created_at == clock.now()
    assert report.follow_up_jobs == ["capsule-rankings"]


def test_a_re_upload_of_the_same_capsules_changes_nothing(db, clock):
    upload(db, clock, GOOD)
    report = upload(db, clock, GOOD)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 2)


def test_bad_rows_are_reported_with_their_line_and_the_good_ones_stored(db, clock):
    report = upload(db, clock, GOOD + ",No title here,x,,Cy,not-an-email,999,\n")
    assert report.ok and report.inserted == 2 and report.rows_invalid == 1
    assert {(p.line, p.column) for p in report.problems} == {(4, "title"), (4, "author_email"),
                                                              (4, "duration_minutes")}


def test_a_file_without_the_content_column_is_rejected_and_writes_nothing(db, clock):
    report = upload(db, clock, "title,author\nWindow functions,Ana\n")
    assert not report.ok and "content" in report.message
    assert db.scalar(select(func.count()).select_from(KnowledgeCapsule)) == 0


def test_an_attendee_publishes_a_capsule_once_under_their_name(db, clock):
    ana = person(db, "ana@x.io")
    draft = CapsuleDraft(title="Reading query plans", content="EXPLAIN ANALYZE shows where the time goes in a query.",
                         tags=["SQL", "Performance"], category="Data", duration_minutes=4)
    capsule_id = write_capsule(db, person_id=ana, draft=draft, clock=clock)
    stored = db.get(KnowledgeCapsule, capsule_id)
    assert (stored.author_person_id, stored.author_name, stored.source) == (ana, "Ana Test", "written")
    with pytest.raises(CapsuleError, match="already published"):
        write_capsule(db, person_id=ana, draft=draft, clock=clock)


def test_a_reader_opening_a_capsule_twice_a_day_counts_one_view_and_again_the_next_day(db, clock):
    reader = person(db, "r@x.io")
    capsule_id = capsule(db, "Joins", ["sql"], now=clock.now())
    assert record_view(db, capsule_id=capsule_id, person_id=reader, clock=clock) is True
    assert record_view(db, capsule_id=capsule_id, person_id=reader, clock=clock) is False
    assert record_view(db, capsule_id=capsule_id, person_id=reader, clock=FixedClock(clock.now() + timedelta(days=1)))
    db.expire_all()
    assert db.get(KnowledgeCapsule, capsule_id).views_count == 2


def test_an_author_opening_their_own_capsule_counts_no_view(db, clock):
    ana = person(db, "ana@x.io")
    capsule_id = capsule(db, "Joins", ["sql"], now=clock.now(), author_email="ana@x.io")  # uploaded, linked by email
    assert record_view(db, capsule_id=capsule_id, person_id=ana, clock=clock) is False
    db.expire_all()
    assert db.get(KnowledgeCapsule, capsule_id).views_count == 0
    assert db.scalar(select(func.count()).select_from(CapsuleView)) == 0


@pytest.mark.parametrize("kind", [ReactionKind.LIKE, ReactionKind.BOOKMARK])
def test_an_author_reacting_to_their_own_capsule_stores_and_counts_nothing(db, clock, kind):
    ana = person(db, "ana@x.io")
    capsule_id = capsule(db, "Joins", ["sql"], now=clock.now(), author_id=ana)
    assert toggle_reaction(db, capsule_id=capsule_id, person_id=ana, kind=kind, clock=clock) is False
    db.expire_all()
    stored = db.get(KnowledgeCapsule, capsule_id)
    assert (stored.likes_count, stored.bookmarks_count) == (0, 0)
    assert db.scalar(select(func.count()).select_from(CapsuleReaction)) == 0


@pytest.fixture
def wide_engine(database_url):
    engine = create_engine(database_url, pool_size=THREADS, max_overflow=2)
    yield engine
    engine.dispose()


def race(engine, action) -> list:
    """`action(session, index)` in THREADS threads, each in its own transaction, released by a barrier."""
    barrier, results = threading.Barrier(THREADS), [None] * THREADS

    def run(index: int) -> None:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            session.connection()
            barrier.wait(timeout=20)
            results[index] = action(session, index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_readers_liking_at_once_each_count_once(db, clock, wide_engine):
    readers = [person(db, f"r{i}@x.io") for i in range(THREADS)]
    capsule_id = capsule(db, "Joins", ["sql"], now=clock.now())
    db.commit()
    race(wide_engine, lambda s, i: toggle_reaction(s, capsule_id=capsule_id, person_id=readers[i],
                                                   kind=ReactionKind.LIKE, clock=clock))
    db.expire_all()
    assert db.get(KnowledgeCapsule, capsule_id).likes_count == THREADS
    assert db.scalar(select(func.count()).select_from(CapsuleReaction)) == THREADS


def test_one_reader_toggling_a_bookmark_from_many_tabs_at_once_keeps_counter_and_rows_equal(db, clock, wide_engine):
    reader = person(db, "r@x.io")
    capsule_id = capsule(db, "Joins", ["sql"], now=clock.now())
    db.commit()
    states = race(wide_engine, lambda s, i: toggle_reaction(s, capsule_id=capsule_id, person_id=reader,
                                                            kind=ReactionKind.BOOKMARK, clock=clock))
    db.expire_all()
    rows = db.scalar(select(func.count()).select_from(CapsuleReaction))
    assert rows in (0, 1) and db.get(KnowledgeCapsule, capsule_id).bookmarks_count == rows
    assert True in states  # the first toggle added it; the rest found it and took it off, or found it gone


def test_views_counted_at_once_by_many_readers_and_tabs_are_one_per_reader(db, clock, wide_engine):
    readers = [person(db, f"r{i}@x.io") for i in range(THREADS // 2)]
    capsule_id = capsule(db, "Joins", ["sql"], now=clock.now())
    db.commit()
    race(wide_engine, lambda s, i: record_view(s, capsule_id=capsule_id, person_id=readers[i % len(readers)],
                                               clock=clock))
    db.expire_all()
    assert db.get(KnowledgeCapsule, capsule_id).views_count == len(readers)
    assert db.scalar(select(func.count()).select_from(CapsuleView)) == len(readers)


def views(db, capsule_id: int, readers: list[int], when) -> None:
    for reader in readers:
        record_view(db, capsule_id=capsule_id, person_id=reader, clock=FixedClock(when))


def test_trending_ranks_capsules_by_view_growth_this_week_against_last_week(db, clock):
    now = clock.now()
    readers = [person(db, f"r{i}@x.io") for i in range(6)]
    steady = capsule(db, "Steady", ["a"], now=now, age_days=30)
    rising = capsule(db, "Rising", ["b"], now=now, age_days=30)
    falling = capsule(db, "Falling", ["c"], now=now, age_days=30)
    views(db, steady, readers[:3], now - timedelta(days=10))
    views(db, steady, readers[:3], now - timedelta(days=2))
    views(db, rising, readers[:1], now - timedelta(days=9))
    views(db, rising, readers, now - timedelta(days=1))
    views(db, falling, readers, now - timedelta(days=8))
    views(db, falling, readers[:1], now - timedelta(days=3))
    views(db, falling, readers[:1], now - timedelta(days=20))  # older than two weeks: not counted
    listed = trending(db, now=now)
    assert [(t.title, t.recent_views, t.previous_views) for t in listed] == [
        ("Rising", 6, 1), ("Steady", 3, 3), ("Falling", 1, 6)]
    assert listed[0].growth == 5.0


def test_a_path_to_a_role_covers_the_missing_skills_most_important_first(db, clock):
    now = clock.now()
    reader = person(db, "r@x.io", offered=["Python"], needed=["SQL"])  # wanting a skill is not having it
    db.add_all([CareerRoleSkill(role="Data Engineer", skill=s, mover_share=0.5, demand=0.5, priority=p)
                for s, p in (("Python", 0.9), ("SQL", 0.8), ("Airflow", 0.6), ("Kafka", 0.4))])
    both = capsule(db, "SQL for pipelines in Airflow", ["sql", "Airflow"], now=now, minutes=12)
    capsule(db, "SQL basics", ["SQL"], now=now, minutes=5, author_email="b@x.io")
    path = path_to_role(db, role="Data Engineer", reader_keys=reader_skill_keys(db, reader))
    assert path.missing_skills == ["SQL", "Airflow", "Kafka"]
    assert [(s.capsule_id, s.skills) for s in path.steps] == [(both, ["SQL", "Airflow"])]
    assert path.uncovered == ["Kafka"] and path.total_minutes == 12


def embedded_by_the_ranking_job(db, clock, embedder) -> None:
    rank_readers(db, person_ids=[person(db, "someone-ranked@x.io")], clock=clock, embedder=embedder)


def test_a_path_to_a_goal_lists_the_capsules_closest_in_meaning(db, clock, real_embedder):
    now = clock.now()
    k8s = capsule(db, "Kubernetes autoscaling", ["ops"], now=now, content="Scale pods and nodes in a cluster.")
    capsule(db, "Sourdough bread", ["baking"], now=now, content="Flour, water, salt and patience.")
    embedded_by_the_ranking_job(db, clock, real_embedder)
    path = path_to_goal(db, goal="run containers in production on Kubernetes", embedder=real_embedder)
    assert [s.capsule_id for s in path.steps] == [k8s] and not path.by_words


def test_a_path_to_a_goal_embeds_only_the_goal_and_leaves_out_capsules_not_embedded_yet(db, clock, real_embedder):
    now = clock.now()
    k8s = capsule(db, "Kubernetes autoscaling", ["ops"], now=now, content="Scale pods and nodes in a cluster.")
    embedded_by_the_ranking_job(db, clock, real_embedder)
    capsule(db, "Kubernetes pods", ["ops"], now=now, content="Run containers in pods.", author_email="b@x.io")
    before = db.scalar(select(func.count()).select_from(TextEmbedding))
    path = path_to_goal(db, goal="run containers in production on Kubernetes", embedder=real_embedder)
    assert [s.capsule_id for s in path.steps] == [k8s]
    assert db.scalar(select(func.count()).select_from(TextEmbedding)) == before + 1


def test_a_path_to_a_goal_before_any_capsule_is_embedded_matches_title_and_tag_words(db, clock, real_embedder):
    now = clock.now()
    both = capsule(db, "Kubernetes in production", ["ops"], now=now)
    one = capsule(db, "Kubernetes basics", ["ops"], now=now, author_email="b@x.io")
    capsule(db, "Sourdough bread", ["baking"], now=now, author_email="c@x.io")
    path = path_to_goal(db, goal="run Kubernetes in production", embedder=real_embedder)
    assert path.by_words and [s.capsule_id for s in path.steps] == [both, one]
    assert db.scalar(select(func.count()).select_from(TextEmbedding)) == 0
