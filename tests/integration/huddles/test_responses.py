"""Answering huddle invitations and checking in, on a real Postgres (seed 000 §6.4, §6.4.1): only invitees, five
answers a minute, confirmation at the minimum, the full message, overlap refusals, withdrawals and the check-in
window."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.huddles.huddles import HuddleError, HuddlePlan, create_huddle
from core.huddles.responses import (
    FULL_MESSAGE,
    HuddleFull,
    check_in_at_huddle,
    my_huddles,
    respond_to_huddle,
)
from core.networking.notifications import NotificationKind
from db.models import (
    AgendaItem,
    Event,
    Huddle,
    HuddleKind,
    HuddleParticipant,
    HuddleStatus,
    Notification,
    ParticipantStatus,
    Person,
    ProgramSession,
    Registration,
)

NAMES = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo"]


def gathering(db, count: int = 10) -> tuple[int, list[int]]:
    """An event with `count` registered people (committed). Returns (event_id, person ids in order)."""
    event = Event(slug="summit", name="Summit", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2), timezone="UTC")
    db.add(event)
    db.flush()
    ids = []
    for i in range(count):
        first = NAMES[i] if i < len(NAMES) else f"P{i}"
        person = Person(email=f"{first.lower()}{i}@x.io", first_name=first, last_name="Doe", company="Acme",
                        role="Engineer", interests=[], goals=[], skills_offered=[], skills_needed=[])
        db.add(person)
        db.flush()
        db.add(Registration(event_id=event.id, person_id=person.id, registered_at=datetime(2026, 11, 1, tzinfo=UTC)))
        ids.append(person.id)
    db.commit()
    return event.id, ids


def huddle(db, event_id: int, invitees, starts_at: datetime, *, topic: str = "Scaling data teams",
           max_participants: int = 8, min_participants: int = 3, minutes: int = 15) -> int:
    """A FORMING huddle inviting these people (committed)."""
    plan = HuddlePlan(kind=HuddleKind.PROBLEM, topic=topic, invitee_ids=tuple(invitees), starts_at=starts_at,
                      location_name="Lounge B", problem_statement="Hiring data engineers fast",
                      duration_minutes=minutes)
    created = create_huddle(db, event_id=event_id, plan=plan, now=starts_at - timedelta(hours=2))
    created.max_participants, created.min_participants = max_participants, min_participants
    db.commit()
    return created.id


@pytest.fixture
def setup(db, clock):
    event_id, ids = gathering(db)
    return event_id, ids, huddle(db, event_id, ids[:9], clock.now() + timedelta(hours=1))


def status_of(db, huddle_id: int, person_id: int) -> str:
    return db.scalar(select(HuddleParticipant.status).where(HuddleParticipant.huddle_id == huddle_id,
                                                            HuddleParticipant.person_id == person_id)
                     .execution_options(populate_existing=True))


def fresh(db, huddle_id: int) -> Huddle:
    return db.get(Huddle, huddle_id, populate_existing=True)


def accept(db, clock, huddle_id: int, person_id: int):
    answer = respond_to_huddle(db, huddle_id=huddle_id, person_id=person_id, response="accept", clock=clock)
    db.commit()
    return answer


def test_an_invitee_accepting_is_accepted_and_bumps_the_version(db, clock, setup):
    _, ids, huddle_id = setup
    accept(db, clock, huddle_id, ids[0])
    assert status_of(db, huddle_id, ids[0]) == ParticipantStatus.ACCEPTED
    assert fresh(db, huddle_id).version == 2


def test_someone_not_invited_cannot_answer(db, clock, setup):
    _, ids, huddle_id = setup
    with pytest.raises(HuddleError, match="Only people invited"):
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[9], response="accept", clock=clock)


def test_an_unknown_answer_is_refused(db, clock, setup):
    _, ids, huddle_id = setup
    with pytest.raises(HuddleError, match="Use accept or decline"):
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="maybe", clock=clock)


def test_reaching_the_minimum_confirms_the_huddle(db, clock, setup):
    _, ids, huddle_id = setup
    for person_id in ids[:2]:
        accept(db, clock, huddle_id, person_id)
    assert fresh(db, huddle_id).status == HuddleStatus.FORMING
    accept(db, clock, huddle_id, ids[2])
    confirmed = fresh(db, huddle_id)
    assert (confirmed.status, confirmed.confirmed_at) == (HuddleStatus.CONFIRMED, clock.now())


def test_a_full_huddle_answers_the_full_message(db, clock):
    event_id, ids = gathering(db)
    huddle_id = huddle(db, event_id, ids[:5], clock.now() + timedelta(hours=1), max_participants=3)
    for person_id in ids[:3]:
        accept(db, clock, huddle_id, person_id)
    with pytest.raises(HuddleFull) as refused:
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[3], response="accept", clock=clock)
    assert str(refused.value) == FULL_MESSAGE == "This huddle is now full. Try another huddle or create your own!"


def test_the_others_going_are_told_who_joined(db, clock, setup):
    _, ids, huddle_id = setup
    accept(db, clock, huddle_id, ids[0])
    accept(db, clock, huddle_id, ids[1])
    told = db.scalars(select(Notification).where(Notification.kind == NotificationKind.HUDDLE_UPDATE)).all()
    assert [(n.person_id, n.title) for n in told] == [(ids[0], "Bo Doe joined Scaling data teams: 2 of 8")]


def test_withdrawing_after_accepting_frees_the_seat(db, clock):
    event_id, ids = gathering(db)
    huddle_id = huddle(db, event_id, ids[:5], clock.now() + timedelta(hours=1), max_participants=3)
    for person_id in ids[:3]:
        accept(db, clock, huddle_id, person_id)
    respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="decline", clock=clock)
    db.commit()
    accept(db, clock, huddle_id, ids[3])
    assert status_of(db, huddle_id, ids[0]) == ParticipantStatus.DECLINED
    assert status_of(db, huddle_id, ids[3]) == ParticipantStatus.ACCEPTED
    assert fresh(db, huddle_id).version == 1 + 4 + 1  # four accepts and one withdrawal


def test_a_withdrawal_below_the_minimum_puts_the_huddle_back_to_forming(db, clock, setup):
    _, ids, huddle_id = setup
    for person_id in ids[:3]:
        accept(db, clock, huddle_id, person_id)
    respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[1], response="decline", clock=clock)
    db.commit()
    back = fresh(db, huddle_id)
    assert (back.status, back.confirmed_at) == (HuddleStatus.FORMING, None)


def test_a_decline_of_an_invitation_leaves_the_version_alone(db, clock, setup):
    _, ids, huddle_id = setup
    respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="decline", clock=clock)
    db.commit()
    assert status_of(db, huddle_id, ids[0]) == ParticipantStatus.DECLINED and fresh(db, huddle_id).version == 1


def test_a_sixth_answer_within_a_minute_is_refused_with_when_to_try_again(db, clock):
    event_id, ids = gathering(db, 3)
    huddles = [huddle(db, event_id, ids, clock.now() + timedelta(hours=1 + i), topic=f"Topic {i}")
               for i in range(6)]
    for i, huddle_id in enumerate(huddles[:5]):
        clock.at = datetime(2026, 12, 1, 9, 0, 10 * i, tzinfo=UTC)
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="decline", clock=clock)
        db.commit()
    with pytest.raises(HuddleError, match="Try again in 21 seconds"):  # the first answer (09:00:00) ages out at 09:01
        respond_to_huddle(db, huddle_id=huddles[5], person_id=ids[0], response="decline", clock=clock)


def test_the_answer_limit_lifts_after_a_minute(db, clock):
    event_id, ids = gathering(db, 3)
    huddles = [huddle(db, event_id, ids, clock.now() + timedelta(hours=1 + i), topic=f"Topic {i}")
               for i in range(6)]
    for huddle_id in huddles[:5]:
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="decline", clock=clock)
    db.commit()
    clock.at += timedelta(seconds=61)
    respond_to_huddle(db, huddle_id=huddles[5], person_id=ids[0], response="decline", clock=clock)
    assert status_of(db, huddles[5], ids[0]) == ParticipantStatus.DECLINED


def test_accepting_a_huddle_that_overlaps_another_accepted_huddle_is_refused(db, clock):
    event_id, ids = gathering(db, 3)
    first = huddle(db, event_id, ids, clock.now() + timedelta(hours=1), topic="First")
    second = huddle(db, event_id, ids, clock.now() + timedelta(hours=1, minutes=10), topic="Second")
    accept(db, clock, first, ids[0])
    with pytest.raises(HuddleError, match="another huddle at this time"):
        respond_to_huddle(db, huddle_id=second, person_id=ids[0], response="accept", clock=clock)


def test_accepting_a_huddle_that_overlaps_a_session_in_the_agenda_is_refused(db, clock, setup):
    event_id, ids, huddle_id = setup
    talk = ProgramSession(event_id=event_id, external_id="t1", title="Keynote", starts_at=clock.now(),
                          ends_at=clock.now() + timedelta(hours=1, minutes=5))
    db.add(talk)
    db.flush()
    db.add(AgendaItem(event_id=event_id, person_id=ids[0], session_id=talk.id, score=1.0, planned_at=clock.now()))
    db.commit()
    with pytest.raises(HuddleError, match="overlaps a session or meeting in your agenda"):
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="accept", clock=clock)


def test_a_huddle_that_already_started_takes_no_answers(db, clock, setup):
    _, ids, huddle_id = setup
    clock.at += timedelta(hours=1, minutes=1)
    with pytest.raises(HuddleError, match="already started"):
        respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="accept", clock=clock)


def test_check_in_is_refused_before_five_minutes_ahead_of_the_start(db, clock, setup):
    _, ids, huddle_id = setup
    accept(db, clock, huddle_id, ids[0])
    clock.at += timedelta(minutes=54)
    with pytest.raises(HuddleError, match="Check-in opens at 09:55 UTC"):
        check_in_at_huddle(db, huddle_id=huddle_id, person_id=ids[0], clock=clock)


def test_check_in_within_the_window_marks_the_person_attended(db, clock, setup):
    _, ids, huddle_id = setup
    accept(db, clock, huddle_id, ids[0])
    clock.at += timedelta(minutes=55)
    check_in_at_huddle(db, huddle_id=huddle_id, person_id=ids[0], clock=clock)
    db.commit()
    row = db.scalar(select(HuddleParticipant).where(HuddleParticipant.person_id == ids[0]))
    assert (row.status, row.attended_at) == (ParticipantStatus.ATTENDED, clock.now())


def test_check_in_is_refused_after_fifteen_minutes_past_the_start(db, clock, setup):
    _, ids, huddle_id = setup
    accept(db, clock, huddle_id, ids[0])
    clock.at += timedelta(hours=1, minutes=16)
    with pytest.raises(HuddleError, match="Check-in closed at 10:15 UTC"):
        check_in_at_huddle(db, huddle_id=huddle_id, person_id=ids[0], clock=clock)


def test_only_people_who_accepted_can_check_in(db, clock, setup):
    _, ids, huddle_id = setup
    clock.at += timedelta(hours=1)
    with pytest.raises(HuddleError, match="Only people who said they'll be there"):
        check_in_at_huddle(db, huddle_id=huddle_id, person_id=ids[0], clock=clock)


def test_my_huddles_sorts_invitations_going_and_past(db, clock):
    event_id, ids = gathering(db, 4)
    invited = huddle(db, event_id, ids, clock.now() + timedelta(hours=1), topic="Invited")
    going = huddle(db, event_id, ids, clock.now() + timedelta(hours=2), topic="Going")
    declined = huddle(db, event_id, ids, clock.now() + timedelta(hours=3), topic="Declined")
    for person_id in ids[:3]:
        accept(db, clock, going, person_id)
    respond_to_huddle(db, huddle_id=declined, person_id=ids[0], response="decline", clock=clock)
    db.commit()
    mine = my_huddles(db, event_id=event_id, person_id=ids[0], now=clock.now())
    assert ([c.huddle.id for c in mine.invitations], [c.huddle.id for c in mine.going],
            [c.huddle.id for c in mine.past]) == ([invited], [going], [declined])
    card = mine.going[0]
    assert (card.going, [a.name for a in card.first_going], card.more) == (3, ["Bo Doe", "Cy Doe"], 0)



def test_the_invitation_says_where_on_which_day_and_for_how_long(db):
    event_id, people = gathering(db, 3)
    huddle(db, event_id, people, datetime(2026, 12, 2, 10, 30, tzinfo=UTC))
    [body] = set(db.scalars(select(Notification.body).where(Notification.kind == "huddle_invitation")))
    assert body == "Lounge B, Wed 02 Dec at 10:30 UTC, 15 minutes."
