"""load_frames reads the behavioural tables on real Postgres: all members, or only some with what they depend on."""
from datetime import UTC, datetime

import pytest

from core.reengagement.profiles import compute_profiles, input_hashes, load_frames
from db.models import BehaviorEvent, BehaviorMessage, BehaviorOrder, BehaviorUser
from tests.unit.reengagement.seed_example import (
    AS_OF,
    FRIEND_USERS,
    SAMPLE_EVENTS,
    SAMPLE_MESSAGES,
    SAMPLE_ORDERS,
    SAMPLE_USER,
)


def day(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


@pytest.fixture
def seeded(db):
    """The seed's sample data in the behavioural tables, and one unrelated member with an event of their own."""
    sarah = BehaviorUser(external_id="user_001", name="Sarah Chen", is_on_team=False,
                         **{k: v for k, v in SAMPLE_USER.items() if k != "id"})
    db.add(sarah)
    db.add_all(BehaviorUser(external_id=ext, email=email, name=name) for ext, email, name in FRIEND_USERS)
    db.add(BehaviorUser(external_id="user_009", email="zed@x.io", name="Zed Q"))
    db.add_all(BehaviorEvent(external_id=e["id"], name=e["name"], held_at=day(e["date"]), venue=e["venue"],
                             host=e["host"], event_type=e["event_type"], participants=e["participants"])
               for e in SAMPLE_EVENTS)
    db.add(BehaviorEvent(external_id="event_009", name="Other", held_at=day("2024-01-01"), participants=["zed@x.io"]))
    db.add_all(BehaviorOrder(external_id=o["id"], user_external_id=o["user_id"], event_external_id=o["event_id"],
                             amount=o["amount"], ordered_at=day(o["date"])) for o in SAMPLE_ORDERS)
    db.add_all(BehaviorMessage(external_id=m["id"], user_external_id=m["user_id"], content=m["content"],
                               status=m["status"], sent_at=day(m.get("sent_date")),
                               queued_at=day(m.get("created_date"))) for m in SAMPLE_MESSAGES)
    db.flush()
    return db, sarah.id


def test_loading_everything_gives_sarah_the_seeds_fields(seeded):
    db, sarah_id = seeded
    frames = load_frames(db)
    assert len(frames.users) == 5 and len(frames.events) == 4
    row = compute_profiles(frames, as_of=AS_OF).set_index("user_id").loc[sarah_id]
    assert row["friends"] == ["Mike Jones", "Jenny Kim"]
    assert (row["days_since_last_event"], row["days_since_last_message"], row["personalization_score"]) == (5, 16, 85)
    assert row["total_orders"] == 2 and row["queued_message_count"] == 1


def test_loading_one_member_reads_only_what_their_profile_depends_on(seeded):
    db, sarah_id = seeded
    frames = load_frames(db, [sarah_id])
    assert frames.users["user_id"].tolist() == [sarah_id]
    assert sorted(frames.events["external_id"]) == ["event_001", "event_002", "event_003"]
    assert len(frames.orders) == 2 and len(frames.messages) == 2
    assert sorted(frames.names["name"]) == ["Alex Wong", "Jenny Kim", "Mike Jones", "Sarah Chen"]
    row = compute_profiles(frames, as_of=AS_OF).iloc[0]
    assert row["friends"] == ["Mike Jones", "Jenny Kim"] and row["interests"] == ["hiking", "photography", "cooking"]


def test_one_members_hash_is_the_same_loaded_alone_or_with_everyone(seeded):
    db, sarah_id = seeded
    alone = input_hashes(load_frames(db, [sarah_id]), as_of=AS_OF, cooldown_days=14)
    everyone = input_hashes(load_frames(db), as_of=AS_OF, cooldown_days=14)
    assert alone[sarah_id] == everyone[sarah_id]
