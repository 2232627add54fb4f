"""The attendee pages (For you, My agenda, Program): untrusted text shown as text, human labels, icons instead of
emoji, cards in score order, tabs that stay put, and "Attended" only for sessions that are over."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.agenda.meetings import free_slots, request_meeting
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from db.models import (
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    Registration,
    SessionAction,
    Speaker,
)
from tests.ui.conftest import for_you, me, opened, page_app, texts
from ui.text import plain

EVIL = "[click me](https://evil.example/x)"
# Pictographs and dingbats that need an emoji font (🤝 📅 ✨ ✔ ✖ ☆ ★ …).
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


def my_recommendations(db, kind: RecommendationKind) -> list[Recommendation]:
    return list(db.scalars(select(Recommendation).where(Recommendation.user_id == me(db), Recommendation.kind == kind)
                           .order_by(Recommendation.rank)))


def everything_shown(at) -> str:
    """Every text of a run that reaches Markdown: elements, expander, tab and button labels."""
    labels = [e.label for kind in ("expander", "tabs", "button") for e in getattr(at, kind)]
    return texts(at) + "\n" + "\n".join(labels)


def plain_text(markdown: str) -> str:
    """Markdown source with its backslash escapes removed, as a reader sees it."""
    return re.sub(r"\\(.)", r"\1", markdown)


def tab_bar_index(at) -> int:
    """The tab the page tells the browser to show (the tab bar's selected index)."""
    stack = [at.main]
    while stack:
        node = stack.pop()
        if getattr(node, "type", None) == "tab_container":
            return node.proto.tab_container.default_tab_index
        stack.extend(getattr(node, "children", {}).values())
    raise AssertionError("no tab bar on the page")


def test_a_recommended_persons_name_role_and_explanations_show_as_typed_not_as_links(recommended):
    first = my_recommendations(recommended, RecommendationKind.PERSON)[0]
    other = recommended.get(Person, first.target_person_id)
    other.first_name, other.role = EVIL, "# Chief ![img](https://evil.example/i.png)"
    first.reasons, first.starters, first.potential_value = [EVIL], [EVIL], EVIL
    recommended.commit()
    at = for_you("People")
    shown = everything_shown(at)
    assert "https://evil.example" not in shown
    assert plain(EVIL) in shown and plain("# Chief") in shown


def test_a_sessions_title_room_and_abstract_on_the_program_show_as_typed(recommended):
    item = recommended.scalar(select(ProgramSession).order_by(ProgramSession.starts_at, ProgramSession.id).limit(1))
    item.title, item.room, item.description = EVIL, "**Hall** <b>", f"# Abstract\n- {EVIL}"
    recommended.commit()
    at = page_app("attendee", "pages/program.py")
    shown = everything_shown(at)
    assert "https://evil.example" not in shown
    assert any(plain(EVIL) in e.label and plain("**Hall** <b>") in e.label for e in at.expander)


def test_a_speakers_name_and_title_show_as_typed_on_the_program(recommended):
    speaker = recommended.scalar(select(Speaker).where(Speaker.sessions.any()).limit(1))
    speaker.name, speaker.title = EVIL, "## Boss"
    recommended.commit()
    at = page_app("attendee", "pages/program.py")
    shown = everything_shown(at)
    assert "https://evil.example" not in shown
    assert plain(EVIL) in shown and plain("## Boss") in shown


def test_a_meeting_message_and_the_requesters_name_show_as_typed_on_my_agenda(recommended, clock):
    event = get_event(recommended, DEMO_EVENT_SLUG)
    other = recommended.scalar(select(Person).join(Registration, Registration.person_id == Person.id)
                               .where(Registration.event_id == event.id, Person.id != me(recommended)).limit(1))
    other.last_name = "![x](https://evil.example/pixel.png)"
    slot = free_slots(recommended, event_id=event.id, person_ids=[me(recommended), other.id], now=clock.now())[0]
    request_meeting(recommended, event_id=event.id, requester_id=other.id, recipient_id=me(recommended),
                    slots=[slot], clock=clock, message=EVIL)
    recommended.commit()
    at = page_app("attendee", "pages/my_agenda.py")
    shown = everything_shown(at)
    assert "https://evil.example" not in shown
    assert plain(EVIL) in shown


def test_goal_and_company_size_codes_in_explanations_show_as_their_labels(recommended):
    first = my_recommendations(recommended, RecommendationKind.PERSON)[0]
    first.chips = ["Get Mentored"]
    first.reasons = ["You both listed GET_MENTORED and work at a STARTUP_1_10 company."]
    recommended.commit()
    at = for_you("People")
    shown = everything_shown(at)
    assert "GET_MENTORED" not in plain_text(shown) and "STARTUP_1_10" not in plain_text(shown)
    assert "Get Mentored" not in shown
    assert plain("Find a mentor") in shown and plain("Startup (1–10)") in shown


def test_a_session_reason_naming_a_goal_by_its_code_shows_the_goals_label(recommended):
    first = my_recommendations(recommended, RecommendationKind.SESSION)[0]
    first.reasons = ["Aligns with your get mentored, hire goals"]
    recommended.commit()
    at = for_you("Sessions")
    shown = everything_shown(at)
    assert "get mentored" not in shown
    assert plain("Aligns with your goals: Find a mentor, Find talent to hire") in shown


def test_the_program_speakers_table_has_human_column_names(recommended):
    at = page_app("attendee", "pages/program.py")
    assert list(at.dataframe[0].value.columns) == ["Name", "Title", "Company", "Expertise", "Sessions"]


@pytest.mark.parametrize(("page", "title"), [("pages/for_you.py", "For you"), ("pages/my_agenda.py", "My agenda"),
                                             ("pages/program.py", "Program")])
def test_the_attendee_pages_use_icons_and_show_no_emoji(recommended, page, title):
    at = page_app("attendee", page)
    assert not at.exception
    assert title in [t.value for t in at.title]
    assert not EMOJI.findall(everything_shown(at))


def test_the_for_you_buttons_carry_material_icons(recommended):
    first = my_recommendations(recommended, RecommendationKind.PERSON)[0]
    at = opened(for_you("People"), f"connect-open-{first.id}")
    icons = {b.label: b.proto.icon for b in at.button}
    assert icons["Send connection request"] == ":material/send:"  # inside the Connect popover
    assert icons["Refresh"] == ":material/refresh:"
    at.session_state["for_you_tab"] = "Sessions"
    assert {b.label: b.proto.icon for b in at.run().button}["Bookmark"] == ":material/bookmark_border:"


def test_people_are_listed_by_their_shown_score_even_when_the_stored_rank_disagrees(recommended):
    first, second = my_recommendations(recommended, RecommendationKind.PERSON)[:2]
    first.score, second.score = 84.0, 85.0
    recommended.commit()
    at = for_you("People")
    scores = [int(m.value) for m in at.metric]
    assert scores == sorted(scores, reverse=True)


def test_sessions_are_listed_by_their_shown_score_even_when_the_stored_rank_disagrees(recommended):
    first, second = my_recommendations(recommended, RecommendationKind.SESSION)[:2]
    first.score, second.score = 84.0, 85.0
    recommended.commit()
    at = for_you("Sessions")
    cards = [m.value for m in at.markdown if m.value.startswith("**") and " · match **" in m.value]
    scores = [int(line.rsplit("**", 2)[-2]) for line in cards]
    assert scores[:2] == [85, 84]


def test_attended_is_not_offered_for_a_session_that_has_not_happened_yet(recommended):
    at = for_you("Sessions")
    assert any(b.label == "Bookmark" for b in at.button)
    assert not any(b.label == "Attended" for b in at.button)


def test_attended_is_offered_for_a_recommended_session_that_has_ended(recommended):
    first = my_recommendations(recommended, RecommendationKind.SESSION)[0]
    item = recommended.get(ProgramSession, first.target_session_id)
    now = datetime.now(UTC)
    item.starts_at, item.ends_at = now - timedelta(hours=2), now - timedelta(hours=1)
    recommended.commit()
    at = for_you("Sessions")
    assert [b.key for b in at.button if b.label == "Attended"] == [f"attended-{first.id}"]
    at.button(key=f"attended-{first.id}").click().run()
    assert any("Marked as attended" in s.value for s in at.success)
    assert recommended.scalar(select(SessionAction.kind).where(SessionAction.session_id == item.id)) == "attended"


def test_bookmarking_on_the_sessions_tab_keeps_the_sessions_tab_open(recommended):
    at = page_app("attendee", "pages/for_you.py")
    at.session_state["for_you_tab"] = "Sessions"
    at.run()
    assert tab_bar_index(at) == 2
    next(b for b in at.button if b.label == "Bookmark").click().run()
    assert any("Bookmarked" in s.value for s in at.success)
    assert tab_bar_index(at) == 2


def test_connecting_on_the_people_tab_keeps_the_people_tab_open(recommended):
    at = page_app("attendee", "pages/for_you.py")
    at.session_state["for_you_tab"] = "People"
    opened(at, f"connect-open-{my_recommendations(recommended, RecommendationKind.PERSON)[0].id}")
    next(b for b in at.button if b.label == "Send connection request").click().run()
    assert any("Request sent" in s.value for s in at.success)
    assert tab_bar_index(at) == 1


def test_a_meeting_request_from_a_person_card_keeps_the_people_tab_open(recommended):
    at = page_app("attendee", "pages/for_you.py")
    at.session_state["for_you_tab"] = "People"
    at.session_state[f"meet-open-person-{my_recommendations(recommended, RecommendationKind.PERSON)[0].id}"] = True
    at.run()
    slots = next(g for g in at.get("button_group") if g.proto.label == "Propose up to 3 slots")
    slots.select(slots.proto.options[0].content)
    next(b for b in at.button if b.label == "Send request").click().run()
    assert any("Meeting request sent" in s.value for s in at.success)
    assert tab_bar_index(at) == 1


def test_accepting_a_meeting_on_my_agenda_keeps_the_meetings_tab_open(recommended, clock):
    event = get_event(recommended, DEMO_EVENT_SLUG)
    other = recommended.scalar(select(Person.id).join(Registration, Registration.person_id == Person.id)
                               .where(Registration.event_id == event.id, Person.id != me(recommended)).limit(1))
    slot = free_slots(recommended, event_id=event.id, person_ids=[me(recommended), other], now=clock.now())[0]
    request_meeting(recommended, event_id=event.id, requester_id=other, recipient_id=me(recommended), slots=[slot],
                    clock=clock, message="Coffee?")
    recommended.commit()
    at = page_app("attendee", "pages/my_agenda.py")
    at.session_state["agenda_tab"] = "Meetings"
    at.run()
    next(b for b in at.button if b.label == "Accept").click().run()
    assert any("Meeting accepted" in s.value for s in at.success)
    assert tab_bar_index(at) == 1
