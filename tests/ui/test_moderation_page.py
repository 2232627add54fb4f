"""The admins' Moderation page: the open queue with each report's context and details shown as typed, the
resolution buttons, the resolved history, and no access for attendees."""
from sqlalchemy import select

from core.networking.moderation import report_person
from db.models import Account, AuditLog, Person, Report
from tests.ui.conftest import page_app, texts
from ui.navigation import menu_for


def report_someone(db, clock, details: str = "Sends **the same** pitch [to everyone](http://x.io)") -> Report:
    attendee = db.scalar(select(Account.person_id).where(Account.username == "attendee"))
    other = db.scalar(select(Person.id).where(Person.id != attendee).order_by(Person.id))
    report = report_person(db, reporter_id=attendee, reported_id=other, context="thread", reason="spam",
                           details=details, clock=clock)
    db.commit()
    return report


def test_the_queue_shows_the_report_with_its_context_and_details_as_typed(demo, clock):
    report_someone(demo, clock)
    at = page_app("admin", "pages/moderation.py")
    assert not at.exception
    shown = texts(at)
    assert "Open reports (1)" in shown and "A message thread" in shown and "Spam" in shown
    assert r"Sends \*\*the same\*\* pitch \[to everyone\]" in shown  # escaped: no bold, no link
    assert {"Warn", "Suspend outreach", "Dismiss"} <= {b.label for b in at.button}


def test_suspending_outreach_from_the_page_resolves_the_report_and_lists_it_as_resolved(demo, clock):
    report = report_someone(demo, clock)
    at = page_app("admin", "pages/moderation.py")
    at.number_input(key=f"days-{report.id}").set_value(3)
    at.button(key=f"suspend-{report.id}").click().run()
    assert not at.exception
    assert any(f"Report #{report.id} resolved" in s.value and "3 days" in s.value for s in at.success)
    demo.expire_all()
    assert demo.get(Report, report.id).resolution == "suspend_outreach"
    assert demo.get(Person, report.reported_id).outreach_suspended_until is not None
    assert demo.scalar(select(AuditLog.action).where(AuditLog.action == "moderation.suspend_outreach"))
    assert "No open reports" in texts(at) and at.dataframe


def test_an_empty_queue_says_so(demo):
    at = page_app("admin", "pages/moderation.py")
    assert "No open reports" in texts(at) and "No report has been resolved yet" in texts(at)


def test_only_admins_have_the_moderation_page_in_their_menu():
    def paths(roles):
        return {spec.path for specs in menu_for(roles).values() for spec in specs}
    assert "pages/moderation.py" in paths(("admin",))
    assert "pages/moderation.py" not in paths(("attendee", "organizer", "staff"))
