"""The My engagement and Engagement pages under AppTest: a person before their first score, an attendee's level,
breakdown, badges and leaderboard (cached until a score is stored again), an admin queueing one person (by email) or
everyone for the worker, and an organizer with no events."""
import pytest
from sqlalchemy import select

from core.accounts.accounts import create_account
from core.community.engagement import ENGAGEMENT_JOB, recalculate
from db.models import EngagementScore, JobRequest
from tests.integration.community.test_engagement import add_event, add_person, attend, connect, write_capsule
from tests.ui.conftest import page_app, texts

MINE = "pages/my_engagement.py"
ADMIN = "pages/engagement_admin.py"


@pytest.fixture
def people(db, clock):
    """Ann (attendee account "ann") with two capsules and a connection, Bob with one capsule; both scored."""
    ann, bob = add_person(db, "Ann"), add_person(db, "Bob")
    write_capsule(db, ann, "Ann one")
    write_capsule(db, ann, "Ann two")
    write_capsule(db, bob, "Bob one")
    connect(db, ann, bob)
    create_account(db, actor_id=None, username="ann", email="ann@accounts.example", display_name="Ann",
                   password="attendee-pass-1", roles=["attendee"], person_id=ann)
    create_account(db, actor_id=None, username="admin", email="admin@accounts.example", display_name="Admin",
                   password="admin-pass-123", roles=["admin"])
    db.commit()
    return db


def test_a_person_without_a_score_is_told_when_it_appears(people):
    at = page_app("ann", MINE)
    assert not at.exception
    assert "You have no engagement score yet" in texts(at)


def test_an_attendee_sees_their_level_breakdown_badges_and_the_leaderboard(people, clock):
    recalculate(people, clock=clock)
    people.commit()
    at = page_app("ann", MINE)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Score"] == "55" and metrics["Level"] == "Active" and metrics["To Contributor"] == "96 points"
    assert "First connection" in texts(at) and "First knowledge capsule" in texts(at)
    assert at.get("plotly_chart")
    board = at.dataframe[0].value
    assert board["name"].tolist() == ["Ann Tester (you)", "Bob Tester"] and board["score"].tolist() == [55, 5]


def test_an_admin_queues_one_person_by_email_for_the_worker_instead_of_recalculating_in_the_page(people):
    at = page_app("admin", ADMIN)
    at.text_input[0].input("ann@example.org")
    at.button[0].click().run()
    assert not at.exception
    assert any("the worker recalculates ann@example" in s.value.replace("\\", "").replace("\u200b", "")
               for s in at.success)
    request = people.scalar(select(JobRequest).where(JobRequest.job_id == ENGAGEMENT_JOB))
    assert request.person_id is not None and request.event_id is None
    assert people.scalar(select(EngagementScore.person_id)) is None


def test_an_unknown_email_is_named_in_the_error(people):
    at = page_app("admin", ADMIN)
    at.text_input[0].input("nobody@example.org")
    at.button[0].click().run()
    assert any("No person with the email address" in e.value for e in at.error)


def test_an_admin_queues_everyone_for_the_worker_once(people):
    at = page_app("admin", ADMIN)
    at.button(key="engagement_all").click().run()
    assert any("Queued" in s.value for s in at.success)
    at.button(key="engagement_all").click().run()
    assert any("already waiting" in i.value for i in at.info)
    assert len(people.scalars(select(JobRequest).where(JobRequest.job_id == ENGAGEMENT_JOB)).all()) == 1


def test_a_cached_leaderboard_is_read_again_once_a_score_is_stored_again(people, clock):
    from datetime import timedelta

    from core.community.leaderboards import Timeframe
    from core.platform.clock import FixedClock
    from db.models import Person
    from ui import engagement

    recalculate(people, clock=clock)
    people.commit()
    first, _ = engagement.board(timeframe=Timeframe.ALL_TIME, event_id=None)
    people.execute(EngagementScore.__table__.update().values(total=0))  # not a recalculation: the cache stands
    people.commit()
    assert engagement.board(timeframe=Timeframe.ALL_TIME, event_id=None)[0] == first
    bob = people.scalar(select(Person.id).where(Person.first_name == "Bob"))
    for title in ("Bob two", "Bob three"):
        write_capsule(people, bob, title)
    recalculate(people, clock=FixedClock(clock.now() + timedelta(minutes=1)))
    people.commit()
    assert [r.name for r in engagement.board(timeframe=Timeframe.ALL_TIME, event_id=None)[0]] == [
        "Bob Tester", "Ann Tester"]


def test_the_score_over_time_is_drawn_once_the_score_changed(people, clock):
    from db.models import Person

    recalculate(people, clock=clock)
    ann = people.scalar(select(Person.id).where(Person.first_name == "Ann"))
    write_capsule(people, ann, "Ann three")
    recalculate(people, clock=clock)
    people.commit()
    at = page_app("ann", MINE)
    assert len(at.get("plotly_chart")) == 2
    assert "The chart appears once" not in texts(at)


def test_an_organizer_sees_the_leaderboard_of_their_event(organizer, clock):
    from core.events.events import add_organizer
    from db.models import Account

    ann = add_person(organizer, "Ann")
    event = add_event(organizer)
    attend(organizer, ann, event)
    add_organizer(organizer, event_id=event, actor_id=None,
                  account_id=organizer.scalar(select(Account.id).where(Account.username == "organizer")))
    recalculate(organizer, clock=clock)
    organizer.commit()
    at = page_app("organizer", ADMIN)
    assert not at.exception
    assert at.dataframe[0].value["name"].tolist() == ["Ann Tester"]
    assert not [b for b in at.button if b.key == "engagement_all"]


def test_an_organizer_without_events_is_told_there_is_no_leaderboard(organizer):
    at = page_app("organizer", ADMIN)
    assert not at.exception
    assert "You organize no events yet" in texts(at)
    assert not [b for b in at.button if b.key == "engagement_all"]


