"""The job runner and the scheduler worker on a real Postgres."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from core.jobs import registry
from core.jobs.registry import JobDefinition
from core.jobs.runner import advisory_key, run_job
from db.models import Event, JobRun, Person
from jobs.worker import build_scheduler


@pytest.fixture
def exploding_job(monkeypatch):
    def explode(ctx):
        ctx.session.add(Event(slug="half-written", name="Half written"))
        ctx.session.flush()
        raise RuntimeError("boom")

    job = JobDefinition("explode", "Explode", "fails on purpose", explode, {"trigger": "interval", "hours": 1})
    monkeypatch.setitem(registry.JOBS, job.id, job)
    return job


def test_a_successful_run_is_recorded_with_counts_and_duration(db, engine, clock):
    db.add(Person(email="a@x.io", first_name="A", last_name="B", city="Lisbon", country="Portugal"))
    db.commit()
    run = run_job("geocode-locations", engine=engine, clock=clock)
    stored = db.get(JobRun, run.id)
    assert (stored.status, stored.counts) == ("succeeded", {"resolved": 1, "unresolved": 0})
    assert stored.duration_ms is not None and stored.finished_at is not None


def test_a_failing_job_is_recorded_and_does_not_raise(db, engine, clock, exploding_job):
    run = run_job("explode", engine=engine, clock=clock)
    stored = db.get(JobRun, run.id)
    assert stored.status == "failed" and "RuntimeError: boom" in stored.error
    assert db.scalar(select(Event)) is None


def test_a_job_already_running_elsewhere_is_skipped(db, engine, clock):
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key("retention-cleanup")})
        run = run_job("retention-cleanup", engine=engine, clock=clock)
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key("retention-cleanup")})
    assert run.status == "skipped" and "Another process" in run.error


@pytest.fixture
def two_events(db):
    db.add_all([Event(slug="one", name="One"), Event(slug="two", name="Two")])
    db.commit()


def test_a_run_for_one_event_is_skipped_while_the_same_event_runs_elsewhere(db, engine, clock, two_events):
    event_id = db.scalar(select(Event.id).where(Event.slug == "one"))
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock_shared(:k)"), {"k": advisory_key("embed-profiles")})
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key(f"embed-profiles:event:{event_id}")})
        run = run_job("embed-profiles", engine=engine, clock=clock, event_slug="one")
        other.execute(text("SELECT pg_advisory_unlock_all()"))
    assert run.status == "skipped"


def test_a_run_for_another_event_goes_ahead_while_one_event_runs_elsewhere(db, engine, clock, two_events):
    event_id = db.scalar(select(Event.id).where(Event.slug == "one"))
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock_shared(:k)"), {"k": advisory_key("embed-profiles")})
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key(f"embed-profiles:event:{event_id}")})
        run = run_job("embed-profiles", engine=engine, clock=clock, event_slug="two")
        other.execute(text("SELECT pg_advisory_unlock_all()"))
    assert run.status != "skipped"


def test_a_run_for_one_event_is_skipped_while_the_whole_job_runs_elsewhere(db, engine, clock, two_events):
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key("embed-profiles")})
        run = run_job("embed-profiles", engine=engine, clock=clock, event_slug="two")
        other.execute(text("SELECT pg_advisory_unlock_all()"))
    assert run.status == "skipped"


def test_an_unknown_event_slug_is_refused(db, engine, clock):
    with pytest.raises(ValueError, match="No event with slug"):
        run_job("retention-cleanup", engine=engine, clock=clock, event_slug="nope")


def test_retention_purges_people_deleted_over_30_days_ago_only(db, engine, clock):
    db.add_all([
        Person(email="old@x.io", first_name="O", last_name="D", deleted_at=clock.now() - timedelta(days=31)),
        Person(email="recent@x.io", first_name="R", last_name="D", deleted_at=clock.now() - timedelta(days=3)),
        Person(email="live@x.io", first_name="L", last_name="D"),
    ])
    db.commit()
    run = run_job("retention-cleanup", engine=engine, clock=clock)
    assert run.status == "succeeded", run.error
    assert run.counts["people_purged"] == 1
    assert sorted(db.scalars(select(Person.email))) == ["live@x.io", "recent@x.io"]


def test_the_scheduler_stores_every_scheduled_job_once_under_its_stable_id(db, engine):
    for _ in range(2):  # a restart replaces the stored jobs instead of duplicating them
        scheduler = build_scheduler(engine, blocking=False)
        scheduler.start(paused=True)
        scheduler.shutdown(wait=False)
    ids = sorted(db.scalars(text("SELECT id FROM apscheduler_jobs")))
    assert ids == sorted(job.id for job in registry.JOBS.values() if job.trigger is not None)
    assert "refresh-attendee" not in ids  # runs only when an attendee asks


def test_workers_starting_together_on_a_fresh_database_all_start_and_store_each_job_once(db, engine):
    db.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))
    db.commit()
    starters = 4
    barrier = threading.Barrier(starters)
    failures: list[BaseException] = []

    def start_worker_scheduler() -> None:
        barrier.wait()
        try:
            scheduler = build_scheduler(engine, blocking=False)
            scheduler.start(paused=True)
            scheduler.shutdown(wait=False)
        except BaseException as exc:  # noqa: BLE001 - every thread's failure is asserted below
            failures.append(exc)

    threads = [threading.Thread(target=start_worker_scheduler) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    ids = sorted(db.scalars(text("SELECT id FROM apscheduler_jobs")))
    assert ids == sorted(job.id for job in registry.JOBS.values() if job.trigger is not None)


def test_stored_jobs_are_single_instance_and_coalesced(db, engine):
    scheduler = build_scheduler(engine, blocking=False)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("retention-cleanup")
        assert (job.max_instances, job.coalesce) == (1, True)
        assert job.func_ref == "jobs.worker:execute_scheduled"
    finally:
        scheduler.shutdown(wait=False)
