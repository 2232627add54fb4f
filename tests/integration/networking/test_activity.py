"""The connection activity feed, events your network attends and the first-event view, from real rows on Postgres;
and role changes stamped by profile edits and attendee uploads."""
from datetime import date, timedelta

from core.events.profiles import update_profile
from core.jobs.uploads import import_dataset
from core.networking.activity import (
    ActivityType,
    activity_feed,
    cold_start,
    events_with_connections,
)
from core.platform.clock import FixedClock
from db.models import Block, Person, ProgramSession
from tests.integration.events.test_attendee_import import HEADER, row
from tests.integration.networking.test_reminders import bookmark, meeting
from tests.integration.networking.test_retention import NOW, connect, event, person, register

TODAY = NOW.date()


def test_a_connection_at_an_upcoming_event_of_mine_shows_as_a_shared_event_with_a_meetup_action(db):
    ana, bo = person(db, "ana"), person(db, "bo")
    summit, past = event(db, "summit", date(2027, 3, 1)), event(db, "past", date(2026, 5, 1))
    connect(db, ana, bo)
    for someone in (ana, bo):
        register(db, someone, summit, NOW)
        register(db, someone, past, NOW - timedelta(days=200))
    [item] = activity_feed(db, ana, now=NOW)
    assert item.type == ActivityType.SHARED_EVENT and item.person_name == "Bo Test"
    assert item.description == "You'll both be at Summit"
    assert (item.action_label, item.action_page) == ("Schedule a meetup", "pages/my_agenda.py")


def test_a_recent_role_change_offers_to_congratulate_them_in_messages(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    connect(db, ana, bo)
    connect(db, ana, cy)
    for someone, days, role in ((bo, 3, "CTO"), (cy, 45, "CEO")):
        row_ = db.get(Person, someone)
        row_.role, row_.company, row_.role_changed_at = role, "Acme", NOW - timedelta(days=days)
    db.flush()
    [item] = activity_feed(db, ana, now=NOW)
    assert item.description == "Now CTO at Acme" and item.person_id == bo
    assert item.action_page == "pages/messages.py" and item.query == {"with": str(bo)}


def test_a_meeting_with_a_connection_shows_and_one_with_a_stranger_does_not(db):
    ana, bo, cy = person(db, "ana"), person(db, "bo"), person(db, "cy")
    summit = event(db, "summit", TODAY)
    connect(db, ana, bo)
    meeting(db, summit, bo, ana, NOW + timedelta(hours=3), status="pending")
    meeting(db, summit, cy, ana, NOW + timedelta(hours=4), status="pending")
    [item] = activity_feed(db, ana, now=NOW)
    assert item.type == ActivityType.MEETING and item.person_id == bo
    assert item.description == "Asked to meet you: answer in My agenda"


def test_a_blocked_connection_never_appears_in_the_feed(db):
    ana, bo = person(db, "ana"), person(db, "bo")
    summit = event(db, "summit", date(2027, 3, 1))
    connect(db, ana, bo)
    register(db, ana, summit, NOW)
    register(db, bo, summit, NOW)
    db.add(Block(blocker_id=bo, blocked_id=ana, created_at=NOW))
    db.flush()
    assert activity_feed(db, ana, now=NOW) == []
    assert events_with_connections(db, ana, TODAY) == []


def test_events_with_connections_lists_the_most_attended_first_with_three_names(db):
    me = person(db, "me")
    friends = [person(db, f"f{i}") for i in range(5)]
    big, small = event(db, "big", date(2027, 5, 1)), event(db, "small", date(2027, 2, 1))
    event(db, "empty", date(2027, 1, 1))
    past = event(db, "past", date(2026, 1, 1))
    for friend in friends:
        connect(db, me, friend)
        register(db, friend, big, NOW)
        register(db, friend, past, NOW)
    register(db, friends[0], small, NOW)
    register(db, me, small, NOW)
    listed = events_with_connections(db, me, TODAY)
    assert [(e.name, e.connections_attending, e.registered) for e in listed] == [("Big", 5, False),
                                                                                  ("Small", 1, True)]
    assert len(listed[0].names) == 3


def first_timers(db):
    """Four people at one first event: Ana, Bo and Cy care about Python, Dee about something else."""
    expo = event(db, "expo", date(2026, 12, 10))
    problems = {"ana": "Scaling our python programming team", "bo": "Hiring for python programming",
                "cy": "Moving to python programming", "dee": "Knitting patterns"}
    ids = {}
    for name, problem in problems.items():
        ids[name] = person(db, name)
        db.get(Person, ids[name]).problem_statement = problem
        register(db, ids[name], expo, NOW)
    db.flush()
    return expo, ids


def test_a_first_timer_with_no_connections_sees_peers_with_the_same_problem_and_their_sessions(db):
    expo, ids = first_timers(db)
    talks = []
    for title in ("Python at scale", "Knitting"):
        talk = ProgramSession(event_id=expo, external_id=title, title=title)
        db.add(talk)
        db.flush()
        talks.append(talk.id)
    bookmark(db, ids["bo"], talks[0])
    bookmark(db, ids["cy"], talks[0])
    bookmark(db, ids["dee"], talks[1])
    view = cold_start(db, ids["ana"], TODAY)
    assert (view.event_name, view.problem, view.peer_count) == ("Expo", "python programming", 2)
    assert [(s.title, s.peers) for s in view.sessions] == [("Python at scale", 2)]
    assert "For you" in view.welcome


def test_someone_who_attended_before_or_has_connections_gets_no_first_event_view(db):
    expo, ids = first_timers(db)
    register(db, ids["bo"], event(db, "earlier", date(2026, 3, 1)), NOW - timedelta(days=300))
    connect(db, ids["cy"], ids["dee"])
    assert cold_start(db, ids["bo"], TODAY) is None
    assert cold_start(db, ids["cy"], TODAY) is None
    assert cold_start(db, ids["ana"], TODAY).peer_count == 1  # Cy (a first-timer, connected or not); not Bo


def test_editing_the_role_on_the_profile_stamps_the_role_change(db, clock):
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana")).encode(), filename="a.csv",
                   event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    ana = db.query(Person).one()
    assert ana.role_changed_at is None
    form = {f: getattr(ana, f) for f in ("first_name", "last_name", "company", "role", "industry", "bio")}
    later = FixedClock(clock.now() + timedelta(days=2))
    form.update(role="CEO", interests="ai", goals="HIRE")
    update_profile(db, person_id=ana.id, actor_id=None, form=form, matching_visible=True, clock=later)
    assert ana.role_changed_at == later.now()


def test_an_upload_that_changes_a_persons_company_stamps_the_role_change(db, clock):
    import_dataset(db, kind="attendees", data=(HEADER + row("a@x.io", "Ana")).encode(), filename="a.csv",
                   event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    changed = (HEADER + row("a@x.io", "Ana")).replace("Acme", "Globex")
    import_dataset(db, kind="attendees", data=changed.encode(), filename="b.csv", event_slug="conf", actor_id=None,
                   clock=clock, max_mb=5)
    ana = db.query(Person).one()
    assert ana.company == "Globex" and ana.role_changed_at == clock.now()
