"""The Audit my signals page under AppTest on the demo data: signals with badges, exclusions that persist."""
from sqlalchemy import select, update

from db.models import CategorySnooze, JobRequest, Person, SignalExclusion
from tests.ui.conftest import me, page_app, texts

PAGE = "pages/my_signals.py"


def with_skill(db, skill: str = "Rust compilers") -> int:
    person_id = me(db)
    db.execute(update(Person).where(Person.id == person_id).values(skills_offered=[skill]))
    db.commit()
    return person_id


def test_the_page_lists_the_signal_groups_with_privacy_badges(demo):
    with_skill(demo)
    at = page_app("attendee", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "Skills and concepts" in shown and "Rust compilers" in shown and "Snoozed categories" in shown
    assert "blue-badge[Limited]" in shown


def test_excluding_a_skill_stores_it_and_the_toggle_stays_excluded(demo):
    person_id = with_skill(demo)
    at = page_app("attendee", PAGE)
    at.button(key="exclude-skill:Rust compilers").click().run()
    assert not at.exception and "Excluded" in texts(at)
    stored = demo.scalars(select(SignalExclusion.signal).where(SignalExclusion.person_id == person_id)).all()
    assert stored == ["skill:Rust compilers"]
    again = page_app("attendee", PAGE)
    assert again.button(key="include-skill:Rust compilers").label == "Include"


def test_including_the_skill_again_removes_the_exclusion(demo):
    person_id = with_skill(demo)
    at = page_app("attendee", PAGE)
    at.button(key="exclude-skill:Rust compilers").click().run()
    at.button(key="include-skill:Rust compilers").click().run()
    assert demo.scalars(select(SignalExclusion).where(SignalExclusion.person_id == person_id)).all() == []


def test_snoozing_a_category_lists_it_with_a_way_back(demo):
    person_id = me(demo)
    at = page_app("attendee", PAGE)
    at.selectbox[0].set_value("investors").run()
    next(b for b in at.button if b.label == "Snooze").click().run()
    assert demo.scalar(select(CategorySnooze.category).where(CategorySnooze.person_id == person_id)) == "investors"
    assert at.button(key="unsnooze-category:investors").label == "Show again"


def test_refresh_my_matches_now_queues_the_attendee_refresh(demo):
    person_id = me(demo)
    at = page_app("attendee", PAGE)
    next(b for b in at.button if b.label == "Refresh my matches now").click().run()
    assert not at.exception and "being refreshed" in texts(at)
    assert demo.scalar(select(JobRequest.job_id).where(JobRequest.person_id == person_id)) == "refresh-attendee"
