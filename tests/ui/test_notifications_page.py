"""The notification centre page and the sidebar badge, under AppTest on the demo data."""
from datetime import timedelta

from sqlalchemy import select, update

from core.networking.notifications import PAGE_SIZE, NotificationKind, notify, unread_count
from core.platform.clock import SystemClock
from db.models import Notification, Person
from tests.ui.conftest import logged_in_app, me, page_app, texts

PAGE = "pages/notifications.py"
NOW = SystemClock()  # the app under AppTest tells the age of a notification by the real clock


def other_attendee(db, person_id: int) -> Person:
    return db.scalar(select(Person).where(Person.id != person_id).order_by(Person.id).limit(1))


def write(db, clock, person_id: int, kind: NotificationKind, *, title: str = "Something happened", body: str = "",
          link: str = "", actor_id: int | None = None, minutes_ago: int = 0) -> int:
    notification_id = notify(db, person_id=person_id, kind=kind, title=title, body=body, link=link,
                             actor_id=actor_id, now=NOW.now() - timedelta(minutes=minutes_ago))
    db.commit()
    return notification_id


def test_the_page_shows_an_empty_state_without_notifications(demo):
    at = page_app("attendee", PAGE)
    assert not at.exception
    assert "No notifications yet" in texts(at)


def test_the_page_renders_each_kind_with_its_label_sender_and_age_and_escapes_markdown(demo, clock):
    mine = me(demo)
    sender = other_attendee(demo, mine)
    write(demo, clock, mine, NotificationKind.CONNECTION_REQUEST, title="Connect?", actor_id=sender.id,
          body="**Hire me** [click](https://evil.example) # Heading", link="for-you", minutes_ago=5)
    write(demo, clock, mine, NotificationKind.FOLLOW_UP_REMINDER, title="Follow up with your new connections",
          minutes_ago=60 * 26)
    at = page_app("attendee", PAGE)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert f"Connection request · from {sender.first_name} {sender.last_name} · 5 min ago" in captions
    assert "Follow-up reminder · yesterday" in captions
    body = next(m.value for m in at.markdown if "Hire me" in m.value)
    assert body.startswith(r"\*\*Hire me\*\* \[click\]") and r"\# Heading" in body
    assert "connection_request" not in texts(at)


def test_unread_notifications_stand_out_and_opening_the_page_marks_nothing_read(demo, clock):
    mine = me(demo)
    write(demo, clock, mine, NotificationKind.PING, title="A ping")
    at = page_app("attendee", PAGE)
    assert any(m.value.startswith(":blue-badge[New] **A ping") for m in at.markdown)
    at.run()
    assert unread_count(demo, mine) == 1


def test_mark_read_on_one_item_reads_only_that_one(demo, clock):
    mine = me(demo)
    first = write(demo, clock, mine, NotificationKind.PING, title="First", minutes_ago=1)
    write(demo, clock, mine, NotificationKind.PING, title="Second")
    at = page_app("attendee", PAGE)
    at.button(key=f"read_{first}").click().run()
    assert not at.exception
    demo.expire_all()
    assert demo.scalar(select(Notification.read_at).where(Notification.id == first)) is not None
    assert unread_count(demo, mine) == 1


def test_mark_all_read_reads_every_notification(demo, clock):
    mine = me(demo)
    for n in range(3):
        write(demo, clock, mine, NotificationKind.MESSAGE, title=f"Message {n}")
    at = page_app("attendee", PAGE)
    next(b for b in at.button if b.label == "Mark all read").click().run()
    assert not at.exception
    assert unread_count(demo, mine) == 0
    assert "Marked 3 notifications read." in [s.value for s in at.success]


def test_opening_an_item_marks_it_read_and_goes_to_its_page(demo, clock):
    mine = me(demo)
    meeting = write(demo, clock, mine, NotificationKind.MEETING_ANSWER, title="Ana accepted", link="my-agenda")
    at = page_app("attendee", PAGE)
    at.button(key=f"open_{meeting}").click().run()
    assert not at.exception
    assert at.title[0].value == "My agenda"
    assert unread_count(demo, mine) == 0


def test_the_page_shows_fifty_at_a_time_newest_first(demo, clock):
    mine = me(demo)
    for n in range(PAGE_SIZE + 5):
        notify(demo, person_id=mine, kind=NotificationKind.DIGEST, title=f"Digest {n}",
               now=NOW.now() - timedelta(minutes=n))
    demo.commit()
    at = page_app("attendee", PAGE)
    titles = [m.value for m in at.markdown if "Digest" in m.value]
    assert len(titles) == PAGE_SIZE and titles[0].endswith("**Digest 0**")
    next(b for b in at.button if b.label == "Older").click().run()
    titles = [m.value for m in at.markdown if "Digest" in m.value]
    assert len(titles) == 5 and titles[-1].endswith(f"**Digest {PAGE_SIZE + 4}**")


def test_email_settings_default_from_consents_and_save(demo):
    mine = me(demo)
    demo.get(Person, mine).consents = {"recommendation_emails": True, "post_event_follow_up": False}
    demo.commit()
    at = page_app("attendee", PAGE)
    assert at.toggle(key="email_message").value is True
    assert at.toggle(key="email_follow_up_reminder").value is False
    at.toggle(key="email_message").set_value(False)
    at.toggle(key="email_follow_up_reminder").set_value(True)
    next(b for b in at.button if b.label == "Save email settings").click().run()
    assert not at.exception
    demo.expire_all()
    stored = demo.get(Person, mine).notification_preferences
    assert stored["message"] == {"email": False} and stored["follow_up_reminder"] == {"email": True}


# The sidebar is checked on the app's first run: AppTest drops the sidebar after a switch_page.
def test_the_sidebar_badge_shows_the_unread_count_and_links_to_the_page(demo, clock):
    mine = me(demo)
    for _ in range(2):
        write(demo, clock, mine, NotificationKind.MESSAGE)
    at = logged_in_app("attendee").run()
    assert not at.exception
    [badge] = [e.proto for e in at.sidebar.get("page_link")]
    assert (badge.label, badge.page) == ("Notifications (2 unread)", "notifications")


def test_the_badge_says_notifications_without_a_count_when_all_are_read(demo, clock):
    write(demo, clock, me(demo), NotificationKind.MESSAGE)
    demo.execute(update(Notification).values(read_at=NOW.now()))
    demo.commit()
    at = logged_in_app("attendee").run()
    assert [e.proto.label for e in at.sidebar.get("page_link")] == ["Notifications"]


def test_the_badge_is_not_shown_to_accounts_without_an_attendee_role(demo):
    at = logged_in_app("organizer").run()
    assert not at.exception
    assert at.sidebar.get("page_link") == []
