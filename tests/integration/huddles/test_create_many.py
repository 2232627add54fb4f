"""Creating many huddles at once (a scan's): each gets its invitations and one notification per invitee."""
from datetime import timedelta

from sqlalchemy import select

from core.huddles.huddles import HuddlePlan, create_huddles
from core.networking.notifications import NewNotification, NotificationKind, write_notifications
from db.models import HuddleKind, HuddleParticipant, Notification
from tests.integration.huddles.test_responses import gathering


def plan(invitees, topic: str, starts_at) -> HuddlePlan:
    return HuddlePlan(kind=HuddleKind.PROBLEM, topic=topic, invitee_ids=tuple(invitees), starts_at=starts_at,
                      location_name="Lounge B")


def test_huddles_created_together_each_invite_and_notify_their_own_people(db, clock):
    event_id, ids = gathering(db, 7)
    starts = clock.now() + timedelta(hours=2)
    created = create_huddles(db, event_id=event_id, plans=[plan(ids[:3], "Hiring fast", starts),
                                                          plan(ids[3:7], "Pricing a first product", starts)],
                             now=clock.now())
    db.commit()
    invited = {h.id: set(db.scalars(select(HuddleParticipant.person_id).where(HuddleParticipant.huddle_id == h.id)))
               for h in created}
    assert list(invited.values()) == [set(ids[:3]), set(ids[3:7])]
    notes = db.execute(select(Notification.person_id, Notification.title, Notification.dedupe_key)).all()
    assert sorted(notes) == sorted(
        [(p, "Huddle invitation: Hiring fast", f"huddle-invite:{created[0].id}") for p in ids[:3]]
        + [(p, "Huddle invitation: Pricing a first product", f"huddle-invite:{created[1].id}") for p in ids[3:7]])


def test_notifications_written_again_with_their_dedupe_key_are_not_written_twice(db, clock):
    _, ids = gathering(db, 3)
    notes = [NewNotification(p, NotificationKind.HUDDLE_UPDATE, "Moved", dedupe_key="moved:1") for p in ids[:2]]
    first = write_notifications(db, notes, now=clock.now())
    again = write_notifications(db, [*notes, NewNotification(ids[2], NotificationKind.HUDDLE_UPDATE, "Moved",
                                                              dedupe_key="moved:1")], now=clock.now())
    db.commit()
    assert len(first) == 2 and len(again) == 1
    assert db.scalar(select(Notification.person_id).where(Notification.id == again[0])) == ids[2]
