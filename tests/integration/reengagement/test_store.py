"""Stored re-engagement profiles on a real Postgres: input hashes skip unchanged members, one row per member."""
import json
import threading
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.ai.llm import AnthropicLLM, TokenBucket
from core.jobs.uploads import import_dataset
from core.platform.settings import Settings
from core.reengagement import store
from core.reengagement.store import refresh_profiles
from db.models import BehaviorMessage, BehaviorUser, ReengagementDecision, ReengagementProfile
from tests.stubs.anthropic_stub import AnthropicStub

AS_OF = date(2024, 2, 10)
SARAH = {"id": "user_001", "email": "sarah.chen@email.com", "name": "Sarah Chen",
         "interests": ["hiking", "photography", "cooking"], "cuisine_preference": ["Italian", "Thai", "Japanese"],
         "dietary_restrictions": ["vegetarian"], "age": 32, "gender": "Female", "occupation": "Software Engineer",
         "relationship_status": "Single", "table_type_preference": "communal", "home_neighborhood": "Mission District",
         "work_neighborhood": "SOMA"}
# Seed 002's sample data, with the other participants as users so that friends can be named.
SEED_DOCUMENT = {
    "users": [SARAH, {"id": "user_002", "email": "mike.jones@email.com", "name": "Mike Jones"},
              {"id": "user_003", "email": "jenny.kim@email.com", "name": "Jenny Kim"},
              {"id": "user_004", "email": "alex.wong@email.com", "name": "Alex Wong"}],
    "events": [
        {"id": "event_001", "name": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault",
         "host": "Chef Mario", "event_type": "wine_tasting",
         "participants": ["sarah.chen@email.com", "mike.jones@email.com", "jenny.kim@email.com"]},
        {"id": "event_002", "name": "Thai Cooking Class", "date": "2024-01-22", "venue": "Culinary Studio",
         "host": "Chef Ploy", "event_type": "cooking_class",
         "participants": ["sarah.chen@email.com", "mike.jones@email.com"]},
        {"id": "event_003", "name": "Farm to Table Dinner", "date": "2024-02-05", "venue": "The Vault",
         "host": "Chef Mario", "event_type": "dinner",
         "participants": ["sarah.chen@email.com", "jenny.kim@email.com", "alex.wong@email.com"]}],
    "orders": [{"id": "order_001", "user_id": "user_001", "event_id": "event_001", "amount": 75.0,
                "date": "2024-01-10"},
               {"id": "order_002", "user_id": "user_001", "event_id": "event_002", "amount": 85.0,
                "date": "2024-01-18"}],
    "messages": [{"id": "msg_001", "user_id": "user_001", "status": "sent", "sent_date": "2024-01-25",
                  "content": "Hey Sarah! Chef Mario is hosting another Italian dinner..."},
                 {"id": "msg_002", "user_id": "user_001", "status": "queued", "created_date": "2024-02-10",
                  "content": "New Thai cooking class with Chef Ploy..."}],
}


def load_seed_sample(db, clock, document: dict = SEED_DOCUMENT) -> None:
    """The seed's sample through the real behavioural upload, committed."""
    report = import_dataset(db, kind="behavioral", data=json.dumps(document).encode(), filename="behaviour.json",
                            event_slug=None, actor_id=None, clock=clock, max_mb=5)
    assert report.ok and report.rows_invalid == 0, report.problems
    db.commit()


def refresh(db, clock, as_of: date = AS_OF):
    report = refresh_profiles(db, clock=clock, settings=Settings(), as_of=as_of)
    db.commit()
    return report


def profile_of(db, external_id: str) -> ReengagementProfile:
    db.expire_all()
    return db.scalar(select(ReengagementProfile).join(BehaviorUser, BehaviorUser.id == ReengagementProfile.user_id)
                     .where(BehaviorUser.external_id == external_id))


def test_a_refresh_stores_every_member_with_fields_under_the_seed_names(db, clock):
    load_seed_sample(db, clock)
    report = refresh(db, clock)
    assert (report.members, report.changed, report.unchanged, report.removed) == (4, 4, 0, 0)
    sarah = profile_of(db, "user_001")
    assert sarah.as_of == AS_OF and sarah.computed_at == clock.now() and len(sarah.input_hash) == 64
    assert sarah.decision == ReengagementDecision.SEND_PERSONALISED_MESSAGE
    assert sarah.fields["friends"] == ["Mike Jones", "Jenny Kim"]
    assert sarah.fields["last_event_date"] == "2024-02-05" and sarah.fields["last_message_sent_date"] == "2024-01-25"
    assert sarah.fields["event_history"][0] == {"name": "Italian Wine Tasting", "date": "2024-01-15",
                                                "venue": "The Vault"}
    assert (sarah.personalization_score, sarah.number_of_events_attended, sarah.days_since_last_event) == (85, 3, 5)
    assert (sarah.is_healthy_active_user, sarah.has_queued_messages, sarah.can_send_new_message) == (True, True, True)
    assert "The Vault" in sarah.summary


def test_a_second_refresh_with_unchanged_inputs_writes_nothing(db, clock):
    load_seed_sample(db, clock)
    refresh(db, clock)
    again = refresh(db, clock)
    assert (again.members, again.changed, again.unchanged) == (4, 0, 4)


def test_a_new_day_changes_the_days_since_figures_and_rewrites_the_rows(db, clock):
    load_seed_sample(db, clock)
    refresh(db, clock)
    later = refresh(db, clock, as_of=date(2024, 2, 20))
    assert later.changed == 4
    assert profile_of(db, "user_001").days_since_last_event == 15


def test_a_changed_message_rewrites_exactly_that_members_row(db, clock):
    load_seed_sample(db, clock)
    refresh(db, clock)
    hashes = {p.user_id: p.input_hash for p in db.scalars(select(ReengagementProfile))}
    db.execute(update(BehaviorMessage).where(BehaviorMessage.external_id == "msg_001")
               .values(sent_at=datetime(2024, 2, 3, 10, tzinfo=UTC)))
    db.commit()
    report = refresh(db, clock)
    assert (report.changed, report.unchanged) == (1, 3)
    sarah = profile_of(db, "user_001")
    assert sarah.fields["days_since_last_message"] == 7 and not sarah.can_send_new_message
    assert sarah.decision == ReengagementDecision.WAIT
    now = {p.user_id: p.input_hash for p in db.scalars(select(ReengagementProfile))}
    assert [u for u in hashes if hashes[u] != now[u]] == [sarah.user_id]


def test_a_deleted_member_loses_their_profile(db, clock):
    load_seed_sample(db, clock)
    refresh(db, clock)
    db.execute(BehaviorUser.__table__.delete().where(BehaviorUser.external_id == "user_004"))
    db.commit()
    report = refresh(db, clock)
    assert report.members == 3
    assert db.scalar(select(func.count()).select_from(ReengagementProfile)) == 3


def test_two_refreshes_at_once_leave_one_row_per_member(db, engine, clock):
    load_seed_sample(db, clock)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            with Session(engine) as session:
                barrier.wait()
                reports.append(refresh_profiles(session, clock=clock, settings=Settings(), as_of=AS_OF))
                session.commit()
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(r.changed for r in reports) == [0, 4]
    assert db.scalar(select(func.count()).select_from(ReengagementProfile)) == 4


def test_the_llm_polishes_changed_members_up_to_the_cap_those_to_message_first(db, clock, monkeypatch):
    load_seed_sample(db, clock)
    monkeypatch.setattr(store, "POLISH_CAP", 1)
    with AnthropicStub() as stub:
        llm = AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, timeout=5.0, max_retries=0,
                           bucket=TokenBucket(rate_per_minute=60_000, capacity=1_000))
        first = refresh_profiles(db, clock=clock, settings=Settings(), llm=llm, as_of=AS_OF)
        db.commit()
        second = refresh_profiles(db, clock=clock, settings=Settings(), llm=llm, as_of=AS_OF)
        asked = [str(r["messages"]) for r in stub.requests if "<member_profile>" in str(r["messages"])]
    assert (first.changed, first.polished, second.changed, second.polished) == (4, 1, 0, 0)
    assert len(asked) == 1 and "Mission District" in asked[0]  # Sarah, the one member to message
