"""Two real worker processes on one database share the queue: each takes one event's refresh, the two run at the
same time, and each event is refreshed exactly once."""

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.platform.queue import request_job
from core.recommend.people import lock_event_lists
from db.models import JobRequest, JobRequestStatus, JobRun, Recommendation, RecommendationKind
from tests.integration.jobs.test_worker_crash import wait_for
from tests.integration.recommend.test_progressive_llm import import_event

ATTENDEES = 30
LEASE_SECONDS = 10


def test_two_workers_each_refresh_one_event_at_the_same_time_and_every_event_exactly_once(db, engine, clock,
                                                                                           start_worker):
    events = [import_event(db, clock, ATTENDEES, "north-expo", seed=5),
              import_event(db, clock, ATTENDEES, "south-expo", seed=6)]
    db.execute(delete(JobRequest))  # the imports' follow-up jobs: the queue holds the two refreshes alone
    for event in events:
        assert request_job(db, job_id="refresh-recommendations", event_id=event.id, reason="test", clock=clock)
    db.commit()

    def runs() -> list[JobRun]:
        db.expire_all()
        return list(db.scalars(select(JobRun).where(JobRun.job_id == "refresh-recommendations")))

    def requests() -> list[JobRequest]:
        db.expire_all()
        return list(db.scalars(select(JobRequest)))

    # Holding both events' list locks keeps each refresh from storing its lists until both have started, so the
    # first worker to claim cannot finish its event and take the second one too, and the overlap is certain.
    with Session(engine) as gate:
        for event in events:
            lock_event_lists(gate, event.id)
        workers = [start_worker("first"), start_worker("second")]
        wait_for(lambda: len([r for r in runs() if r.status == "running"]) == 2, 150,
                 "both refreshes to be running at once")
        gate.rollback()
    # a worker records its run's end, then marks the request done in a transaction of its own
    wait_for(lambda: all(r.status != "running" for r in runs()) and all(
        r.status == JobRequestStatus.DONE for r in requests()), 150, "both refreshes and their requests to finish")

    finished = sorted(runs(), key=lambda r: r.event_id)
    assert [(r.event_id, r.status) for r in finished] == [(e.id, "succeeded") for e in events]
    first, second = finished
    assert first.started_at < second.finished_at and second.started_at < first.finished_at
    handled = sorted(requests(), key=lambda r: r.event_id)
    assert [(r.event_id, r.status, r.attempts, r.run_id) for r in handled] == [
        (run.event_id, "done", 1, run.id) for run in finished]
    assert sorted(r.claimed_by.rsplit(":", 1)[1] for r in handled) == sorted(str(w.pid) for w in workers)
    people_lists = dict(db.execute(
        select(Recommendation.event_id, func.count(func.distinct(Recommendation.user_id)))
        .where(Recommendation.kind == RecommendationKind.PERSON).group_by(Recommendation.event_id)).all())
    assert people_lists == {event.id: ATTENDEES for event in events}
