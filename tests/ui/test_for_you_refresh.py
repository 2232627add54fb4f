"""For you queues an attendee's refresh (button, "Generate now", check-in) for the worker instead of computing it."""
from sqlalchemy import select

from core.recommend.people import REFRESH_ATTENDEE_JOB
from db.models import Account, JobRequest, JobRequestStatus, Recommendation, Registration
from tests.ui.conftest import for_you, page_app, texts

BEING_REFRESHED = "Your matches are being refreshed…"


def me(db) -> int:
    return db.scalar(select(Account.person_id).where(Account.username == "attendee"))


def my_requests(db) -> list[JobRequest]:
    db.expire_all()
    return list(db.scalars(select(JobRequest).where(JobRequest.job_id == REFRESH_ATTENDEE_JOB,
                                                    JobRequest.person_id == me(db))))


def my_recommendation_count(db) -> int:
    db.expire_all()
    return len(db.scalars(select(Recommendation.id).where(Recommendation.user_id == me(db))).all())


def test_generate_now_queues_a_refresh_for_the_worker_instead_of_computing_it(demo):
    at = for_you("People")
    next(b for b in at.button if b.label == "Generate now").click().run()
    assert not at.exception
    assert [r.status for r in my_requests(demo)] == [JobRequestStatus.QUEUED]
    assert my_recommendation_count(demo) == 0


def test_while_a_refresh_waits_the_page_says_the_matches_are_being_refreshed(demo):
    at = for_you("People")
    next(b for b in at.button if b.label == "Generate now").click().run()
    assert BEING_REFRESHED in [i.value for i in at.info]
    assert next(b for b in at.button if b.label == "Refresh").disabled


def test_once_the_worker_has_refreshed_the_page_says_so_and_shows_the_new_matches(demo, worker_pass):
    at = for_you("People")
    next(b for b in at.button if b.label == "Generate now").click().run()
    worker_pass()
    at.run()
    assert any("Your matches are refreshed" in s.value for s in at.success)
    assert BEING_REFRESHED not in texts(at)
    assert len(at.metric) == 10


def test_asking_for_a_refresh_again_within_a_minute_says_when_it_can_be_done(demo, worker_pass):
    at = page_app("attendee", "pages/for_you.py")
    next(b for b in at.button if b.label == "Refresh").click().run()
    worker_pass()
    at.run()
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert any("You can refresh again in" in e.value for e in at.error)
    assert len(my_requests(demo)) == 1


def test_checking_in_records_the_arrival_and_queues_a_refresh_together(demo):
    at = page_app("attendee", "pages/for_you.py")
    next(b for b in at.button if b.label == "I've arrived: check in").click().run()
    assert any("checked in" in s.value for s in at.success)
    demo.expire_all()
    assert demo.scalar(select(Registration.checked_in_at).where(Registration.person_id == me(demo))) is not None
    assert [(r.reason, r.status) for r in my_requests(demo)] == [("checked in", JobRequestStatus.QUEUED)]
    assert my_recommendation_count(demo) == 0
    assert not any(b.label == "I've arrived: check in" for b in at.button)
