"""The attendee "Messages" page: the empty state, opening a conversation by link, unread counts, replying, the
length limit shown on the reply box (the service refuses longer bodies), and untrusted text shown as typed."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.networking.messages import BODY_LIMIT, send_message
from db.models import Event, Message, Person, Recommendation, RecommendationKind
from tests.ui.conftest import logged_in_app, me, page_app, texts
from ui.text import plain

PAGE = "pages/messages.py"


@pytest.fixture
def matched(demo, clock):
    """The demo attendee and one person they were recommended; returns (attendee id, match id)."""
    mine = me(demo)
    other = demo.scalar(select(Person.id).where(Person.id != mine).order_by(Person.id).limit(1))
    event_id = demo.scalar(select(Event.id))
    demo.add(Recommendation(event_id=event_id, user_id=mine, kind=RecommendationKind.PERSON, target_person_id=other,
                            rank=1, score=80, reasons=["why"], strategy="algorithmic", generated_at=clock.now(),
                            expires_at=clock.now() + timedelta(days=1)))
    demo.commit()
    return mine, other


def messages_with(other_id: int | str):
    """The page opened at ?with=<other_id>, logged in as the demo attendee."""
    at = logged_in_app("attendee").run()
    at.switch_page(PAGE)
    at.query_params["with"] = str(other_id)
    return at.run()


def test_without_conversations_the_page_points_to_for_you(demo):
    at = page_app("attendee", PAGE)
    assert not at.exception
    assert "No conversations yet: ping or connect with someone from For you" in texts(at)


def test_a_link_with_a_match_opens_an_empty_conversation_with_the_limit_shown(matched):
    at = messages_with(matched[1])
    assert not at.exception
    assert "No messages yet. Say hello" in texts(at)
    box = at.text_area(key="messages_reply")  # the other text area is the report form of "More"
    assert box.max_chars == BODY_LIMIT and "2,000 characters" in box.help


def test_a_link_with_someone_never_matched_is_refused_and_opens_nothing(matched, demo):
    stranger = demo.scalar(select(Person.id).where(Person.id.not_in(matched)).limit(1))
    at = messages_with(stranger)
    assert any("matched with or are connected to" in e.value for e in at.error)
    assert "No conversations yet" in texts(at)


def test_a_reply_is_sent_and_shown_in_the_conversation(matched, demo):
    at = messages_with(matched[1])
    at.text_area(key="messages_reply").set_value("Coffee at 10?")
    at.button(key="FormSubmitter:reply-Send").click().run()
    assert not at.exception
    assert demo.scalar(select(Message.body)) == "Coffee at 10?"
    assert plain("Coffee at 10?") in [m.value for m in at.markdown]


def test_a_blank_reply_is_refused_and_nothing_is_sent(matched, demo):
    at = messages_with(matched[1])
    at.text_area(key="messages_reply").set_value("   \n  ")
    at.button(key="FormSubmitter:reply-Send").click().run()
    assert any(plain("Write a message first") in e.value for e in at.error)
    assert demo.scalar(select(func.count()).select_from(Message)) == 0


def test_unread_messages_are_counted_until_the_conversation_is_opened(matched, demo, clock):
    mine, other = matched
    send_message(demo, other, mine, "Hello!", clock)
    send_message(demo, other, mine, "Are you at the keynote?", clock)
    demo.commit()
    at = page_app("attendee", PAGE)
    assert "2 unread" in at.title[0].value
    thread_button = next(b for b in at.button if b.label.endswith("· 2 new"))
    assert "Choose a conversation" in texts(at)

    thread_button.click().run()
    assert "unread" not in at.title[0].value
    assert [m.value for m in at.markdown][-2:] == [plain("Hello!"), plain("Are you at the keynote?")]
    demo.expire_all()
    assert demo.scalar(select(func.count()).select_from(Message).where(Message.read_at.is_(None))) == 0


def test_markdown_and_html_in_a_message_show_as_typed(matched, demo, clock):
    mine, other = matched
    body = "# Urgent\n**click** [here](http://evil.example) ![x](http://evil.example/x.png) <b>bold</b> $x$"
    send_message(demo, other, mine, body, clock)
    demo.commit()
    at = messages_with(other)
    shown = [m.value for m in at.markdown]
    assert plain(body).replace("\n", "  \n") in shown
    assert body not in shown and not any("](http" in value for value in shown)
