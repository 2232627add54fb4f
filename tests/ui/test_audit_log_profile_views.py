"""Where one attendee sees another's profile (the Messages header), the view is counted once a day per pair and
audit-logged once, and the Users page's personal data reading is audited for the admin."""
from datetime import timedelta

from sqlalchemy import select

from db.models import AuditLog, Event, Person, ProfileView, Recommendation, RecommendationKind
from tests.ui.conftest import logged_in_app, me, page_app


def test_opening_a_conversation_twice_counts_two_views_and_one_audit_entry(demo, clock):
    mine = me(demo)
    other = demo.scalar(select(Person.id).where(Person.id != mine).order_by(Person.id).limit(1))
    demo.add(Recommendation(event_id=demo.scalar(select(Event.id)), user_id=mine, kind=RecommendationKind.PERSON,
                            target_person_id=other, rank=1, score=80, reasons=["why"], strategy="algorithmic",
                            generated_at=clock.now(), expires_at=clock.now() + timedelta(days=1)))
    demo.commit()
    at = logged_in_app("attendee").run()
    at.switch_page("pages/messages.py")
    at.query_params["with"] = str(other)
    at.run()
    at.run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert demo.scalar(select(ProfileView.views).where(ProfileView.viewer_id == mine)) == 2
    [entry] = demo.scalars(select(AuditLog).where(AuditLog.action == "profile.viewed")).all()
    assert (entry.actor_label, entry.target_person_id, len(entry.client_hash)) == ("attendee", other, 16)


def test_opening_the_users_page_is_audited_as_admin_data_access_once(demo):
    at = page_app("admin", "pages/users.py")
    at.run()
    assert not at.exception, at.exception
    scopes = demo.scalars(select(AuditLog.details["scope"].astext).where(AuditLog.action == "admin.data_access"))
    assert list(scopes) == ["users"]
