"""The §11.3 audit trail on a real Postgres: each wired action with the person it is about and a hashed client,
aggregated profile views, admin data access once a day, and no raw IP address in any table."""
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from core.accounts.accounts import create_account
from core.accounts.sessions import log_in
from core.events.profiles import update_profile
from core.networking.connections import get_or_create_connection
from core.platform.audit import client_hash
from core.platform.clock import FixedClock
from core.platform.job_context import JobContext
from core.privacy.audit_trail import audit_page, find_people, record_admin_data_access, record_profile_view
from core.recommend.people import refresh_job
from db.models import AuditLog, Event, Person, ProfileView, Registration
from tests.fakes import FakeEmbedder
from tests.integration.agenda.test_meeting_races import race

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
IP = "203.0.113.77"
FORM = {"first_name": "Ana", "last_name": "Doe", "role": "CTO", "company": "Acme", "interests": "AI",
        "goals": "NETWORK"}


def make_person(db, first: str, last: str = "Doe", **fields) -> int:
    person = Person(email=f"{first.lower()}@x.io", first_name=first, last_name=last, interests=["AI"], goals=[],
                    skills_offered=["Python"], skills_needed=["Sales"], **fields)
    db.add(person)
    db.flush()
    return person.id


def entries(db, action: str) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_many_views_in_a_day_make_one_row_with_the_count_and_one_audit_entry(db, clock):
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    counts = [record_profile_view(db, viewer_id=ana, person_id=bo, clock=clock, client=IP) for _ in range(4)]
    assert counts == [1, 2, 3, 4]
    assert db.scalar(select(func.count()).select_from(ProfileView)) == 1
    assert db.scalar(select(ProfileView.views)) == 4
    [entry] = entries(db, "profile.viewed")
    assert (entry.target_person_id, entry.details, entry.client_hash) == (bo, {"viewer_person_id": ana},
                                                                          client_hash(IP, NOW))


def test_a_view_on_the_next_day_starts_a_new_row_and_a_new_audit_entry(db):
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    record_profile_view(db, viewer_id=ana, person_id=bo, clock=FixedClock(NOW))
    record_profile_view(db, viewer_id=ana, person_id=bo, clock=FixedClock(NOW + timedelta(days=1)))
    assert sorted(db.scalars(select(ProfileView.day))) == [date(2026, 12, 1), date(2026, 12, 2)]
    assert len(entries(db, "profile.viewed")) == 2


def test_looking_at_ones_own_profile_is_not_a_view(db, clock):
    ana = make_person(db, "Ana")
    assert record_profile_view(db, viewer_id=ana, person_id=ana, clock=clock) == 0
    assert db.scalar(select(func.count()).select_from(ProfileView)) == 0 and entries(db, "profile.viewed") == []


def test_two_views_at_once_count_twice_and_audit_once(db, engine, clock):
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    db.commit()

    def view(session):
        return record_profile_view(session, viewer_id=ana, person_id=bo, clock=clock)

    outcomes = race(engine, view, view, refusal=ValueError)
    assert sorted(result for _, result in outcomes) == [1, 2]
    db.expire_all()
    assert db.scalar(select(ProfileView.views)) == 2 and len(entries(db, "profile.viewed")) == 1


def test_a_profile_update_is_filed_under_the_person_with_the_hashed_client(db, clock):
    ana = make_person(db, "Ana")
    update_profile(db, person_id=ana, actor_id=None, form=FORM, matching_visible=True, clock=clock, client=IP)
    [entry] = entries(db, "profile.updated")
    assert (entry.target_person_id, entry.client_hash) == (ana, client_hash(IP, NOW))


def test_a_new_connection_is_filed_under_both_people_once(db, clock):
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    get_or_create_connection(db, person_ids=(bo, ana), event_id=None, source="request", now=NOW)
    get_or_create_connection(db, person_ids=(ana, bo), event_id=None, source="request", now=NOW)
    found = entries(db, "connection.created")
    assert sorted((e.target_person_id, e.details["other_person_id"]) for e in found) == [(ana, bo), (bo, ana)]


def test_a_recommendation_refresh_writes_one_entry_with_its_counts(db, clock):
    event = Event(slug="summit", name="Summit", timezone="UTC")
    db.add(event)
    db.flush()
    for first in ("Ana", "Bo", "Cy", "Di"):
        db.add(Registration(event_id=event.id, person_id=make_person(db, first, bio=f"{first} builds data tools")))
    db.flush()
    counts = refresh_job(JobContext(session=db, clock=clock, event_id=event.id, embedder=FakeEmbedder()))
    [entry] = entries(db, "recommendations.generated")
    assert entry.details["people"] == counts["people"] == 4
    assert entry.details["recommendations"] == counts["recommendations"] > 0


def test_admin_data_access_is_audited_once_a_day_per_scope_and_person(db, clock):
    admin = create_account(db, actor_id=None, username="root", email="root@x.io", display_name="Root",
                           password="admin-password-1", roles=["admin"])
    ana = make_person(db, "Ana")
    written = [record_admin_data_access(db, actor_id=admin.id, scope="users", clock=clock, client=IP),
               record_admin_data_access(db, actor_id=admin.id, scope="users", clock=clock, client=IP),
               record_admin_data_access(db, actor_id=admin.id, scope="audit_log", clock=clock,
                                        target_person_id=ana),
               record_admin_data_access(db, actor_id=admin.id, scope="users",
                                        clock=FixedClock(NOW + timedelta(days=1)))]
    assert written == [True, False, True, True]
    assert [e.actor_label for e in entries(db, "admin.data_access")] == ["root"] * 3


def test_a_login_stores_the_hashed_client_in_the_attempt_and_the_audit_entry(db, clock):
    account = create_account(db, actor_id=None, username="ana", email="ana@x.io", display_name="Ana",
                             password="right-password-1", roles=["attendee"])
    log_in(db, username="ana", password="right-password-1", client=IP, clock=clock)
    [entry] = entries(db, "login.succeeded")
    assert entry.client_hash == client_hash(IP, NOW) and "client" not in entry.details
    assert entry.target_person_id == account.person_id
    assert db.scalar(text("SELECT client FROM login_attempts")) == client_hash(IP, NOW)


def test_no_table_holds_the_raw_ip_address_after_every_audited_action(db, clock):
    create_account(db, actor_id=None, username="root", email="root@x.io", display_name="Root",
                   password="admin-password-1", roles=["admin"])
    ana, bo = make_person(db, "Ana"), make_person(db, "Bo")
    log_in(db, username="root", password="wrong-password", client=IP, clock=clock)
    admin = log_in(db, username="root", password="admin-password-1", client=IP, clock=clock)
    update_profile(db, person_id=ana, actor_id=admin.account_id, form=FORM, matching_visible=True, clock=clock,
                   client=IP)
    record_profile_view(db, viewer_id=bo, person_id=ana, clock=clock, client=IP)
    record_admin_data_access(db, actor_id=admin.account_id, scope="users", clock=clock, client=IP)
    db.commit()
    columns = db.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND "
        "data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')")).all()
    assert len(columns) > 50
    holding = [f"{table}.{column}" for table, column in columns if db.scalar(text(
        f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE :ip'), {"ip": f"%{IP}%"})]
    assert holding == []
    assert db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.client_hash.is_not(None))) >= 4


def test_the_audit_page_lists_everything_about_one_person_newest_first(db, clock):
    ana, bo = make_person(db, "Ana", "Silva"), make_person(db, "Bo")
    for minutes in range(3):
        record_profile_view(db, viewer_id=bo, person_id=ana, clock=FixedClock(NOW + timedelta(days=minutes)))
    record_profile_view(db, viewer_id=ana, person_id=bo, clock=clock)
    found = audit_page(db, target_person_id=ana, page_size=2)
    assert (found.total, found.pages, len(found.entries)) == (3, 2, 2)
    assert found.entries[0].at > found.entries[1].at and found.people == {ana: "Ana Silva"}
    assert len(audit_page(db, target_person_id=ana, page_size=2, page=9).entries) == 1  # clamped to the last page


def test_people_are_found_by_part_of_their_email_or_name(db):
    make_person(db, "Ana", "Silva")
    make_person(db, "Bo", "Lee")
    assert [p.name for p in find_people(db, "SILV")] == ["Ana Silva"]
    assert [p.email for p in find_people(db, "bo@")] == ["bo@x.io"]
    assert find_people(db, "  ") == []
