"""The attendee's Huddles page: an invitation shows its spots, accepting fills one, and check-in opens 5 minutes
before the start."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from core.huddles.huddles import HuddlePlan, create_huddle
from core.huddles.responses import respond_to_huddle
from core.platform.clock import SystemClock
from db.models import HuddleKind, HuddleParticipant, Person, Registration
from tests.ui.conftest import me, page_app, texts

PAGE = "pages/huddles.py"


def invite(db, *, minutes_ahead: int, topic: str = "Hiring data engineers fast", accept_me: bool = False) -> int:
    """A huddle starting `minutes_ahead` minutes from the real now, inviting the demo attendee and two others."""
    event = get_event(db, DEMO_EVENT_SLUG)
    attendee = me(db)
    others = db.scalars(select(Registration.person_id).where(Registration.event_id == event.id,
                                                             Registration.person_id != attendee)
                        .order_by(Registration.person_id).limit(2)).all()
    now = datetime.now(UTC)
    plan = HuddlePlan(kind=HuddleKind.PROBLEM, topic=topic, invitee_ids=(attendee, *others),
                      starts_at=now + timedelta(minutes=minutes_ahead), location_name="Lounge B",
                      problem_statement="How do you hire senior data engineers in a month?")
    huddle = create_huddle(db, event_id=event.id, plan=plan, now=now)
    if accept_me:
        db.flush()
        respond_to_huddle(db, huddle_id=huddle.id, person_id=attendee, response="accept", clock=SystemClock())
    db.commit()
    return huddle.id


def progress_texts(at) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def test_an_invitation_shows_its_topic_place_time_and_spots(demo):
    invite(demo, minutes_ahead=25)
    at = page_app("attendee", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "Hiring data engineers fast" in shown and "Invitations (1)" in shown
    assert "Lounge B" in shown and ("in 25 min" in shown or "in 24 min" in shown)
    assert progress_texts(at) == ["0 of 8 spots filled"]


def test_accepting_an_invitation_fills_a_spot_and_moves_it_to_going(demo):
    huddle_id = invite(demo, minutes_ahead=25)
    at = page_app("attendee", PAGE)
    next(b for b in at.button if b.label == "I'll be there").click().run()
    assert not at.exception
    assert progress_texts(at) == ["1 of 8 spots filled"]
    assert "Going (1)" in texts(at) and "Invitations (0)" in texts(at)
    assert demo.scalar(select(HuddleParticipant.status).where(HuddleParticipant.huddle_id == huddle_id,
                                                              HuddleParticipant.person_id == me(demo))
                       .execution_options(populate_existing=True)) == "accepted"


def test_check_in_is_disabled_until_five_minutes_before_the_start(demo):
    invite(demo, minutes_ahead=25, accept_me=True)
    at = page_app("attendee", PAGE)
    assert next(b for b in at.button if b.label == "Check in").disabled


def test_check_in_is_enabled_near_the_start_and_checks_the_attendee_in(demo):
    invite(demo, minutes_ahead=3, accept_me=True)
    at = page_app("attendee", PAGE)
    check_in = next(b for b in at.button if b.label == "Check in")
    assert not check_in.disabled
    check_in.click().run()
    assert "You're checked in." in texts(at)


def test_turning_huddles_off_is_saved_on_the_profile(demo):
    at = page_app("attendee", PAGE)
    at.toggle(key="huddles_opt_out").set_value(True).run()
    assert not at.exception
    assert demo.scalar(select(Person.huddles_opt_out).where(Person.id == me(demo))
                       .execution_options(populate_existing=True)) is True


def test_the_empty_state_explains_where_invitations_come_from(demo):
    at = page_app("attendee", PAGE)
    assert "No invitations right now" in texts(at)
