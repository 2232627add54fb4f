"""In a real browser, Markdown in names, bios, session texts and meeting notes shows as literal text: no injected
image, link or heading reaches the page."""
import re

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.agenda.meetings import free_slots, request_meeting
from core.demo.seed import DEMO_EVENT_SLUG, seed_demo
from core.events.events import get_event
from core.platform.clock import FixedClock
from core.recommend.people import refresh_recommendations
from core.recommend.program import refresh_program_recommendations
from db.models import Account, Person, ProgramSession, Registration, Speaker
from tests.conftest import APP_NOW
from tests.e2e.conftest import log_in, start_app, stop
from tests.fakes import FakeEmbedder

IMAGE, LINK, HEADING = "![x](http://127.0.0.1:9/p)", "[link](https://e.x)", "# Title"
HOSTILE = f"{IMAGE} {LINK}\n{HEADING}"
STARTS_EMPTY = True  # a smaller demo conference of its own


@pytest.fixture(scope="module")
def hostile_app(engine, database_url, tmp_path_factory):
    """The demo event where every name, bio, session text and a meeting note carries Markdown."""
    clock = FixedClock(APP_NOW)
    with Session(engine) as session:
        seed_demo(session, clock=clock, attendees=40, alumni=10)
        session.execute(update(Person).values(last_name=IMAGE, bio=HOSTILE, company=LINK))
        session.execute(update(ProgramSession).values(title=f"{HEADING} {LINK}", description=HOSTILE))
        session.execute(update(Speaker).values(bio=HOSTILE, name=f"Dr {LINK}"))
        event = get_event(session, DEMO_EVENT_SLUG)
        refresh_recommendations(session, event=event, embedder=FakeEmbedder(), clock=clock)
        refresh_program_recommendations(session, event=event, embedder=FakeEmbedder(), clock=clock)
        me = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
        other = session.scalar(select(Person.id).join(Registration, Registration.person_id == Person.id)
                               .where(Person.id != me).limit(1))
        slot = free_slots(session, event_id=event.id, person_ids=[me, other], now=clock.now())[0]
        request_meeting(session, event_id=event.id, requester_id=other, recipient_id=me, slots=[slot], clock=clock,
                        message=HOSTILE)
        session.commit()
    server, url = start_app(database_url, tmp_path_factory.mktemp("hostile") / "server.log")
    try:
        yield url
    finally:
        stop(server)


def injected(page) -> dict[str, int]:
    main = page.locator('[data-testid="stMain"]')
    return {"images": main.locator('img[src*="127.0.0.1:9"]').count(),
            "links": main.locator('a[href*="e.x"]').count(),
            "headings": main.locator("h1, h2, h3").filter(has_text="Title").count()}


@pytest.mark.parametrize("path, tab", [("for-you", "People"), ("for-you", "Sessions"), ("for-you", "Speakers"),
                                       ("my-agenda", "Meetings"), ("program", "Sessions")])
def test_markdown_from_untrusted_text_renders_as_literal_text(hostile_app, page, path, tab):
    log_in(page, hostile_app, "attendee", "attendee-demo-1", path)
    if tab:
        page.get_by_role("tab", name=tab).click()
    shown_as_typed = re.compile(r"\[link\]\(https\u200b?://e\.x\)")  # a zero-width space stops auto-linking
    page.get_by_text(shown_as_typed).filter(visible=True).first.wait_for()
    page.wait_for_timeout(1000)
    assert injected(page) == {"images": 0, "links": 0, "headings": 0}
