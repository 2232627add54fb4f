"""The admin's Audit log page: filtered by person (email or name) and by action, newest first, paginated, with the
details and the hashed client of each entry."""
from datetime import timedelta

from sqlalchemy import select

from core.platform.audit import record_audit
from core.platform.clock import SystemClock
from db.models import AuditLog, Person
from tests.ui.conftest import page_app, texts

IP = "192.0.2.44"


def ana_with_entries(db, views: int = 3) -> Person:
    """A person (Zelda Quist) with `views` profile.viewed entries and one profile.updated, each about her."""
    person = Person(email="zelda.quist@x.io", first_name="Zelda", last_name="Quist", interests=[], goals=[],
                    skills_offered=[], skills_needed=[])
    db.add(person)
    db.flush()
    now = SystemClock().now()
    for minutes in range(views):
        record_audit(db, actor_id=None, action="profile.viewed", target_type="person", target_id=person.id,
                     details={"viewer_person_id": 7}, at=now - timedelta(minutes=minutes + 1),
                     target_person_id=person.id, client=IP)
    record_audit(db, actor_id=None, action="profile.updated", target_type="person", target_id=person.id,
                 details={"fields": ["bio", "role"]}, at=now, target_person_id=person.id, client=IP)
    db.commit()
    return person


def search_person(at, text: str):
    next(t for t in at.text_input if t.label == "Person").input(text).run()
    assert not at.exception, at.exception
    return at


def test_searching_a_name_shows_only_the_entries_about_that_person_newest_first(demo):
    ana_with_entries(demo)
    at = search_person(page_app("admin", "pages/audit_log.py"), "quist")
    table = at.dataframe[0].value
    assert list(table["about"]) == ["Zelda Quist"] * 5  # the admin's own reading of them comes first
    assert list(table["action"]) == ["Admin accessed personal data", "Profile updated", "Profile viewed",
                                     "Profile viewed", "Profile viewed"]


def test_searching_by_email_finds_the_person_too(demo):
    ana_with_entries(demo)
    at = search_person(page_app("admin", "pages/audit_log.py"), "zelda.quist@")
    assert set(at.dataframe[0].value["about"]) == {"Zelda Quist"}


def test_a_search_nobody_matches_says_what_to_check(demo):
    at = search_person(page_app("admin", "pages/audit_log.py"), "no-such-person-xyz")
    assert any("No person's email or name contains" in w.value for w in at.warning)


def test_the_action_filter_offers_the_actions_present_in_words(demo):
    ana_with_entries(demo)
    at = page_app("admin", "pages/audit_log.py")
    action = next(s for s in at.selectbox if s.label == "Action")
    assert {"Profile viewed", "Profile updated", "Demo seeded"} <= set(action.options)
    action.select("profile.updated").run()
    assert set(at.dataframe[0].value["action"]) == {"Profile updated"}


def test_each_entry_shows_its_details_as_json_and_its_hashed_client_never_the_ip(demo):
    ana_with_entries(demo, views=0)
    at = search_person(page_app("admin", "pages/audit_log.py"), "quist")
    assert '"fields":["bio","role"]' in at.json[1].value.replace(" ", "").replace("\n", "")
    hashed = demo.scalar(select(AuditLog.client_hash).where(AuditLog.action == "profile.updated"))
    assert any(hashed in c.value for c in at.caption) and hashed in set(at.dataframe[0].value["client (hashed)"])
    assert IP not in texts(at)


def test_a_long_log_is_paginated_and_the_second_page_shows_the_rest(demo):
    ana_with_entries(demo, views=60)
    at = search_person(page_app("admin", "pages/audit_log.py"), "quist")
    assert len(at.dataframe[0].value) == 50 and any("page 1 of 2" in c.value for c in at.caption)
    at.number_input(key="audit_page").set_value(2).run()
    assert len(at.dataframe[0].value) == 12 and any("page 2 of 2" in c.value for c in at.caption)


def test_reading_everything_about_a_person_is_itself_audited(demo):
    person = ana_with_entries(demo)
    search_person(page_app("admin", "pages/audit_log.py"), "quist")
    demo.expire_all()
    entry = demo.scalar(select(AuditLog).where(AuditLog.action == "admin.data_access"))
    assert (entry.actor_label, entry.target_person_id, entry.details["scope"]) == ("admin", person.id, "audit_log")
