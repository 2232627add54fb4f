"""The admin's Users page: one-time password-reset links and the organizers of each event.

The page runs on the system clock, so the links it makes are checked against the system clock too."""
import pytest
from sqlalchemy import func, select

from core.accounts.accounts import get_account
from core.accounts.tokens import LinkError, open_reset_link
from core.events.events import add_organizer
from core.platform.clock import SystemClock
from core.platform.settings import get_settings
from db.models import AccountToken, Event, EventOrganizer
from tests.ui.conftest import page_app, texts
from ui.text import plain


def reset_link_for(at, username: str) -> str:
    """Pick `username` under "Reset a password", press the button, and return the link the page shows."""
    picker = next(s for s in at.selectbox if s.key == "reset_account")
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith(f"{username} ("))).run()
    next(b for b in at.button if b.label == "Create reset link").click().run()
    assert not at.exception, at.exception
    return at.code[0].value


def choose(at, key: str, text: str):
    """Select the option of the select box `key` that contains `text`."""
    box = next(s for s in at.selectbox if s.key == key)
    return box.select_index(next(i for i, o in enumerate(box.options) if text in o)).run()


def other_event(db, name: str = "Other Expo") -> Event:
    event = Event(slug="other-expo", name=name)
    db.add(event)
    db.commit()
    return event


def test_an_admin_gets_a_reset_link_for_an_account_at_the_apps_address(demo):
    link = reset_link_for(page_app("admin", "pages/users.py"), "attendee")
    assert link.startswith(f"{get_settings().public_base_url.rstrip('/')}/reset-password?token=")
    assert demo.scalar(select(func.count()).select_from(AccountToken).where(
        AccountToken.account_id == get_account(demo, "attendee").id)) == 1


def test_the_reset_link_opens_the_reset_page_for_that_account(demo):
    link = reset_link_for(page_app("admin", "pages/users.py"), "attendee")
    target = open_reset_link(demo, token=link.split("token=", 1)[1],
                             key=get_settings().cookie_key.get_secret_value(), clock=SystemClock())
    assert target.email == get_account(demo, "attendee").email


def test_the_reset_link_is_shown_only_once(demo):
    at = page_app("admin", "pages/users.py")
    reset_link_for(at, "attendee")
    at.run()
    assert not at.code


def test_a_second_reset_link_makes_the_first_one_stop_working(demo):
    at = page_app("admin", "pages/users.py")
    first = reset_link_for(at, "attendee")
    reset_link_for(at, "attendee")
    demo.expire_all()
    with pytest.raises(LinkError, match="expired"):
        open_reset_link(demo, token=first.split("token=", 1)[1], key=get_settings().cookie_key.get_secret_value(),
                        clock=SystemClock())


def test_the_users_page_lists_the_organizers_of_each_event(demo):
    other_event(demo)
    at = page_app("admin", "pages/users.py")
    table = next(d.value for d in at.dataframe if "organizers" in d.value.columns).set_index("event")
    assert table.loc["GlobalTech Summit 2026", "organizers"] == "organizer"
    assert table.loc["Other Expo", "organizers"] == "nobody yet"


def test_an_admin_adds_an_organizer_to_an_event(demo):
    event = other_event(demo)
    at = choose(page_app("admin", "pages/users.py"), "organizer_event", "other-expo")
    next(b for b in at.button if b.label == "Add as organizer of this event").click().run()
    assert any("organizer now organizes Other Expo" in s.value for s in at.success)
    assert demo.get(EventOrganizer, (event.id, get_account(demo, "organizer").id)) is not None


def test_adding_an_organizer_twice_says_they_already_organize_it(demo):
    at = page_app("admin", "pages/users.py")
    next(b for b in at.button if b.label == "Add as organizer of this event").click().run()
    assert any("already organizes" in s.value for s in at.success)


def test_an_event_name_with_markdown_is_escaped_in_the_organizer_notice(demo):
    name = "**Loud** [prize](http://e.vil)"
    other_event(demo, name)
    at = choose(page_app("admin", "pages/users.py"), "organizer_event", "other-expo")
    next(b for b in at.button if b.label == "Add as organizer of this event").click().run()
    assert plain(name) in texts(at) and name not in texts(at)


def test_an_organizer_does_not_see_an_event_they_do_not_organize(demo):
    other_event(demo)
    at = page_app("organizer", "pages/event_overview.py")
    assert not [o for o in at.selectbox[0].options if "other-expo" in o]


def test_an_organizer_sees_an_event_once_added_to_it(demo):
    event = other_event(demo)
    add_organizer(demo, event_id=event.id, account_id=get_account(demo, "organizer").id, actor_id=None)
    demo.commit()
    at = page_app("organizer", "pages/event_overview.py")
    assert [o for o in at.selectbox[0].options if "other-expo" in o]
