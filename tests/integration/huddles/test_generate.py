"""The huddle generators on a real Postgres: who is left out, never a busy time, session and proximity huddles,
eligibility by event size, the topic and its fallback, and the scan jobs run twice."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from core.ai.llm import LLMError
from core.huddles.generate import (
    generate_problem_huddles,
    generate_proximity_huddles,
    generate_session_huddles,
    huddle_proximity_scan_job,
    huddle_scan_job,
    huddle_session_scan_job,
)
from core.huddles.huddles import HuddlePlan, create_huddle
from core.platform.job_context import JobContext
from db.models import (
    AgendaItem,
    Block,
    Event,
    Huddle,
    HuddleKind,
    HuddleParticipant,
    LocationShare,
    Meeting,
    Person,
    ProgramSession,
    Registration,
    SessionAction,
)
from tests.fakes import FakeEmbedder, FakeLLM

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KUBERNETES = "Our Kubernetes clusters cost far too much money"
HIRING = "Hiring senior backend engineers takes months"


def make_event(db, attendees: int = 60, areas=("Coffee Station",)) -> int:
    """An event running today and tomorrow with `attendees` filler people (no problem statement) registered."""
    event = Event(slug="hud", name="Huddle Summit", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2),
                  timezone="UTC", venue_areas=list(areas))
    db.add(event)
    db.flush()
    if attendees:
        fillers = db.scalars(insert(Person).returning(Person.id), [
            {"email": f"filler{n}@x.io", "first_name": f"Filler{n}", "last_name": "X"} for n in range(attendees)])
        db.execute(insert(Registration), [{"event_id": event.id, "person_id": pid,
                                           "registered_at": NOW - timedelta(days=30)} for pid in fillers.all()])
    return event.id


def add_person(db, event_id: int, name: str, **fields) -> int:
    person = Person(email=f"{name}@x.io", first_name=name, last_name="X", **fields)
    db.add(person)
    db.flush()
    db.add(Registration(event_id=event_id, person_id=person.id, registered_at=NOW - timedelta(days=30)))
    db.flush()
    return person.id


def add_session(db, event_id: int, title: str, starts: datetime, minutes: int = 45, room: str = "Hall B") -> int:
    program = ProgramSession(event_id=event_id, external_id=title, title=title, starts_at=starts,
                             ends_at=starts + timedelta(minutes=minutes), room=room)
    db.add(program)
    db.flush()
    return program.id


def problem_people(db, event_id: int, count: int, statement: str = KUBERNETES, prefix: str = "k") -> list[int]:
    return [add_person(db, event_id, f"{prefix}{n}", problem_statement=statement) for n in range(count)]


def invited(db) -> dict[int, set[int]]:
    groups: dict[int, set[int]] = {}
    for huddle_id, person_id in db.execute(select(HuddleParticipant.huddle_id, HuddleParticipant.person_id)):
        groups.setdefault(huddle_id, set()).add(person_id)
    return groups


def run_problem(db, clock, event_id, **kwargs):
    return generate_problem_huddles(db, event_id=event_id, clock=clock, embedder=FakeEmbedder(), **kwargs)


# ---- problem-based ------------------------------------------------------------------------------------------------

def test_people_with_the_same_problem_are_invited_to_one_problem_huddle_at_a_venue_area(db, clock):
    event_id = make_event(db)
    people = problem_people(db, event_id, 4)
    run_problem(db, clock, event_id)
    huddle = db.scalar(select(Huddle))
    assert invited(db) == {huddle.id: set(people)}
    assert (huddle.kind, huddle.location_name, huddle.problem_statement) == ("problem", "Coffee Station", KUBERNETES)
    assert huddle.starts_at >= NOW + timedelta(minutes=10)


def test_opted_out_deleted_and_already_invited_people_are_left_out(db, clock):
    event_id = make_event(db)
    people = problem_people(db, event_id, 6)
    db.get(Person, people[0]).huddles_opt_out = True
    db.get(Person, people[1]).deleted_at = NOW
    create_huddle(db, event_id=event_id, now=NOW, plan=HuddlePlan(
        kind=HuddleKind.PROBLEM, topic="Earlier", invitee_ids=(people[2],), starts_at=NOW + timedelta(hours=2),
        location_name="Lobby"))
    run_problem(db, clock, event_id)
    new = [g for g in invited(db).values() if people[2] not in g]
    assert new == [set(people[3:])]


def test_a_blocked_pair_is_never_put_in_the_same_huddle(db, clock):
    event_id = make_event(db)
    people = problem_people(db, event_id, 6)
    db.add(Block(blocker_id=people[0], blocked_id=people[1], created_at=NOW))
    db.flush()
    run_problem(db, clock, event_id)
    groups = list(invited(db).values())
    assert groups and all(not {people[0], people[1]} <= g for g in groups)


def test_a_second_problem_scan_invites_nobody_twice(db, clock):
    event_id = make_event(db)
    problem_people(db, event_id, 5)
    problem_people(db, event_id, 4, HIRING, "h")
    run_problem(db, clock, event_id)
    again = run_problem(db, clock, event_id)
    assert again["huddles"] == 0 and db.scalar(select(func.count()).select_from(Huddle)) == 2


def test_a_problem_huddle_never_overlaps_an_agenda_session_or_an_accepted_meeting(db, clock):
    event_id = make_event(db)
    people = problem_people(db, event_id, 3)
    keynote = add_session(db, event_id, "Keynote", NOW + timedelta(minutes=10), minutes=60)
    add_session(db, event_id, "Closing", NOW + timedelta(hours=8))  # the program day runs to 17:45
    db.add(AgendaItem(event_id=event_id, person_id=people[0], session_id=keynote, score=1, planned_at=NOW))
    db.add(Meeting(event_id=event_id, requester_id=people[1], recipient_id=people[2], status="accepted",
                   proposed_by=people[1], proposed_slots=[], created_at=NOW, starts_at=NOW + timedelta(minutes=70),
                   ends_at=NOW + timedelta(minutes=100)))
    db.flush()
    run_problem(db, clock, event_id)
    huddle = db.scalar(select(Huddle))
    assert huddle.starts_at == NOW + timedelta(minutes=100)


def test_the_busiest_member_is_left_out_when_the_whole_group_has_no_common_time(db, clock):
    event_id = make_event(db)
    people = problem_people(db, event_id, 4)
    add_session(db, event_id, "Opening", NOW, minutes=30)
    all_day = add_session(db, event_id, "Bootcamp", NOW, minutes=14 * 60)
    db.add(AgendaItem(event_id=event_id, person_id=people[3], session_id=all_day, score=1, planned_at=NOW))
    evening = NOW + timedelta(hours=14)  # a meeting covers the half hour people linger after the last session
    filler = add_person(db, event_id, "evening")
    db.add(Meeting(event_id=event_id, requester_id=people[3], recipient_id=filler, status="accepted",
                   proposed_by=people[3], proposed_slots=[], created_at=NOW, starts_at=evening,
                   ends_at=evening + timedelta(minutes=30)))
    db.flush()
    run_problem(db, clock, event_id)
    assert list(invited(db).values()) == [set(people[:3])]


# ---- topic --------------------------------------------------------------------------------------------------------

def test_the_llm_topic_is_used_when_it_is_valid(db, clock):
    event_id = make_event(db)
    problem_people(db, event_id, 3)
    llm = FakeLLM('{"topic": "Cutting Kubernetes cloud costs"}')
    run_problem(db, clock, event_id, llm=llm)
    assert db.scalar(select(Huddle.topic)) == "Cutting Kubernetes cloud costs"
    assert "<context_data>" in llm.prompts[0] and "Focus on the PROBLEM" in llm.prompts[0]


@pytest.mark.parametrize("llm", [FakeLLM('{"topic": "**A very long topic that goes on for more than eight words**"}'),
                                 FakeLLM(error=LLMError("down"))], ids=["bad reply", "failure"])
def test_a_bad_or_failed_llm_topic_falls_back_to_the_groups_own_words(db, clock, llm):
    event_id = make_event(db)
    problem_people(db, event_id, 3)
    run_problem(db, clock, event_id, llm=llm)
    assert db.scalar(select(Huddle.topic)) == KUBERNETES


# ---- eligibility --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "expected"), [(29, set()), (30, {"problem"}), (50, {"problem", "session",
                                                                                      "proximity"})])
def test_the_event_size_decides_which_huddle_kinds_form(db, clock, size, expected):
    event_id = make_event(db, attendees=size - 12)
    problem_people(db, event_id, 3)
    talk = add_session(db, event_id, "Talk", NOW - timedelta(minutes=45))
    for n in range(6):
        db.add(SessionAction(person_id=add_person(db, event_id, f"s{n}"), session_id=talk, kind="attended",
                             created_at=NOW))
    for n in range(3):
        share(db, event_id, add_person(db, event_id, f"z{n}", interests=["Kubernetes"]))
    generate_session_huddles(db, event_id=event_id, session_id=talk, clock=clock, embedder=FakeEmbedder())
    run_problem(db, clock, event_id)
    generate_proximity_huddles(db, event_id=event_id, clock=clock)
    assert set(db.scalars(select(Huddle.kind))) == expected


# ---- session-based ------------------------------------------------------------------------------------------------

def session_with_attendees(db, count: int) -> tuple[int, int, list[int]]:
    event_id = make_event(db)
    talk = add_session(db, event_id, "Platform engineering at scale", NOW - timedelta(minutes=45), room="Hall B")
    add_session(db, event_id, "Closing", NOW + timedelta(hours=8))
    people = [add_person(db, event_id, f"s{n}", interests=["DevOps" if n % 2 else "Design"]) for n in range(count)]
    for n, pid in enumerate(people):
        if n % 2:
            db.add(SessionAction(person_id=pid, session_id=talk, kind="attended", created_at=NOW))
        else:
            db.add(AgendaItem(event_id=event_id, person_id=pid, session_id=talk, score=1, planned_at=NOW))
    db.flush()
    return event_id, talk, people


def test_a_session_with_ten_attendees_gives_two_deep_dives_of_five_outside_its_room(db, clock):
    event_id, talk, people = session_with_attendees(db, 10)
    generate_session_huddles(db, event_id=event_id, session_id=talk, clock=clock, embedder=FakeEmbedder())
    huddles = db.scalars(select(Huddle)).all()
    assert sorted(len(g) for g in invited(db).values()) == [5, 5]
    assert set().union(*invited(db).values()) == set(people)
    assert {(h.topic, h.location_name, h.session_id, h.starts_at) for h in huddles} == {
        ("Deep dive: Platform engineering at scale", "Outside Hall B", talk, NOW)}


def test_a_session_with_five_attendees_gives_no_huddle(db, clock):
    event_id, talk, _ = session_with_attendees(db, 5)
    generate_session_huddles(db, event_id=event_id, session_id=talk, clock=clock, embedder=FakeEmbedder())
    assert db.scalar(select(func.count()).select_from(Huddle)) == 0


def test_the_session_scan_twice_forms_one_set_of_huddles_per_session(db, clock):
    event_id, talk, _ = session_with_attendees(db, 7)
    context = JobContext(session=db, clock=clock, event_id=None, embedder=FakeEmbedder())
    first = huddle_session_scan_job(context)
    db.execute(HuddleParticipant.__table__.delete())  # even with everyone free again, the session is done
    second = huddle_session_scan_job(context)
    assert (first["session_huddles"], second.get("session_huddles", 0)) == (1, 0)


# ---- proximity ----------------------------------------------------------------------------------------------------

def share(db, event_id, pid, zone="Coffee Station", ago=5, expires_in=25):
    db.add(LocationShare(person_id=pid, event_id=event_id, zone=zone, shared_at=NOW - timedelta(minutes=ago),
                         expires_at=NOW + timedelta(minutes=expires_in)))
    db.flush()


def test_three_people_in_one_zone_sharing_an_interest_get_a_quick_chat_there(db, clock):
    event_id = make_event(db)
    people = [add_person(db, event_id, f"z{n}", interests=["AI/ML", f"own{n}"]) for n in range(3)]
    other = add_person(db, event_id, "zother", interests=["Design"])
    for pid in [*people, other]:
        share(db, event_id, pid)
    generate_proximity_huddles(db, event_id=event_id, clock=clock)
    huddle = db.scalar(select(Huddle))
    assert (huddle.topic, huddle.location_name, huddle.kind) == ("Quick chat: AI/ML", "Coffee Station", "proximity")
    assert invited(db) == {huddle.id: set(people)}
    assert NOW < huddle.starts_at <= NOW + timedelta(minutes=10)


def test_interests_match_without_regard_to_case_and_punctuation(db, clock):
    event_id = make_event(db)
    for n, spelling in enumerate(["AI/ML", "ai ml", "Ai-Ml"]):
        share(db, event_id, add_person(db, event_id, f"z{n}", interests=[spelling]))
    generate_proximity_huddles(db, event_id=event_id, clock=clock)
    assert db.scalar(select(func.count()).select_from(Huddle)) == 1


def test_two_people_in_a_zone_get_no_huddle(db, clock):
    event_id = make_event(db)
    for n in range(2):
        share(db, event_id, add_person(db, event_id, f"z{n}", interests=["AI/ML"]))
    generate_proximity_huddles(db, event_id=event_id, clock=clock)
    assert db.scalar(select(func.count()).select_from(Huddle)) == 0


def test_expired_or_old_shares_are_ignored(db, clock):
    event_id = make_event(db)
    people = [add_person(db, event_id, f"z{n}", interests=["AI/ML"]) for n in range(3)]
    share(db, event_id, people[0])
    share(db, event_id, people[1], ago=25, expires_in=5)  # shared more than 20 minutes ago
    share(db, event_id, people[2], ago=31, expires_in=-1)  # expired
    generate_proximity_huddles(db, event_id=event_id, clock=clock)
    assert db.scalar(select(func.count()).select_from(Huddle)) == 0


def test_the_proximity_scan_returns_at_once_when_nobody_shares_a_zone(db, clock):
    make_event(db)
    assert huddle_proximity_scan_job(JobContext(session=db, clock=clock, event_id=None)) == {"events": 0}


# ---- the scan job -------------------------------------------------------------------------------------------------

def test_the_huddle_scan_run_twice_creates_no_duplicates(db, clock):
    event_id, _, _ = session_with_attendees(db, 6)
    problem_people(db, event_id, 4)
    context = JobContext(session=db, clock=clock, event_id=None, embedder=FakeEmbedder())
    first = huddle_scan_job(context)
    second = huddle_scan_job(context)
    assert (first["problem_huddles"], first["session_huddles"]) == (1, 1)
    assert second.get("problem_huddles", 0) == 0 and second.get("session_huddles", 0) == 0
    assert db.scalar(select(func.count()).select_from(Huddle)) == 2
