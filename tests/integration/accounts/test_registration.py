"""Self-registration on real Postgres: one transaction for account, person and registration; capacity and dates."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.registration import SignUp, SignUpError, registration_status, sign_up
from core.events.events import get_or_create_event, set_registration
from core.jobs.uploads import import_dataset
from db.models import Account, Event, JobRequest, Person, Registration
from tests.integration.events.test_attendee_import import HEADER, row

PROFILE = {"first_name": "Ana", "last_name": "Silva", "company": "Acme", "role": "CTO", "interests": "AI/ML;Fintech",
           "goals": "HIRE;FIND_INVESTORS", "years_experience": "", "problem_statement": "Scaling my engineering team"}


def form(n: int = 1, **changes) -> SignUp:
    return SignUp(username=f"ana{n}", email=f"ana{n}@x.io", password="a-good-password", profile=dict(PROFILE),
                  allow_enrichment=True, consents={"recommendation_emails": True}, **changes)


@pytest.fixture
def code(db, clock):
    event = get_or_create_event(db, "expo", "Expo 2026")
    set_registration(db, event_id=event.id, open_=True, capacity=None, closes_at=None, actor_id=None, clock=clock)
    db.commit()
    return event.registration_code


def test_a_sign_up_creates_the_account_the_person_and_the_registration_and_queues_their_matches(db, clock, code):
    account = sign_up(db, code=code, form=form(), clock=clock)
    person = db.get(Person, account.person_id)
    assert account.roles == ["attendee"] and person.email == "ana1@x.io"
    assert person.goals == ["HIRE", "FIND_INVESTORS"] and person.years_experience is None
    assert person.allow_enrichment and person.consents["recommendation_emails"] is True
    assert person.problem_statement == "Scaling my engineering team"
    assert db.scalar(select(func.count()).select_from(Registration)) == 1
    assert sorted(db.scalars(select(JobRequest.job_id))) == ["embed-profiles", "refresh-recommendations"]


def test_an_email_uploaded_by_the_organizer_must_use_its_invitation(db, clock, code):
    import_dataset(db, kind="attendees", data=(HEADER + row("ana1@x.io")).encode(), filename="a.csv",
                   event_slug="expo", actor_id=None, clock=clock, max_mb=5)
    with pytest.raises(SignUpError, match="invitation"):
        sign_up(db, code=code, form=form(), clock=clock)
    assert db.scalar(select(func.count()).select_from(Account)) == 0


def test_a_bad_profile_writes_nothing_and_says_what_to_fix(db, clock, code):
    bad = form()
    bad.profile["goals"] = ""
    with pytest.raises(SignUpError, match="goals"):
        sign_up(db, code=code, form=bad, clock=clock)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Person)) == 0


def test_a_closed_or_past_deadline_registration_is_refused(db, clock, code):
    event = db.scalar(select(Event))
    set_registration(db, event_id=event.id, open_=False, capacity=None, closes_at=None, actor_id=None, clock=clock)
    assert "closed" in registration_status(db, code=code, clock=clock)[1]
    set_registration(db, event_id=event.id, open_=True, capacity=None, closes_at=clock.now() + timedelta(hours=1),
                     actor_id=None, clock=clock)
    later = type(clock)(clock.now() + timedelta(hours=2))
    with pytest.raises(SignUpError, match="closed on"):
        sign_up(db, code=code, form=form(), clock=later)


def test_an_unknown_code_is_refused(db, clock, code):
    assert "not valid" in registration_status(db, code="nope", clock=clock)[1]


def test_concurrent_sign_ups_never_exceed_the_capacity(db, engine, clock, code):
    event = db.scalar(select(Event))
    set_registration(db, event_id=event.id, open_=True, capacity=2, closes_at=None, actor_id=None, clock=clock)
    sign_up(db, code=code, form=form(0), clock=clock)
    db.commit()
    barrier, outcomes = threading.Barrier(3), []

    def attempt(n: int) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                sign_up(session, code=code, form=form(n), clock=clock)
                session.commit()
                outcomes.append("in")
            except SignUpError as exc:
                outcomes.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("in") == 1
    assert sum("full" in o for o in outcomes) == 2
    assert db.scalar(select(func.count()).select_from(Registration)) == 2
