"""Seed 002's sample user, events, orders and messages as behavioural frames, with the friends as users too."""
from __future__ import annotations

from datetime import date

import pandas as pd

from core.reengagement.profiles import BehaviouralFrames

AS_OF = date(2024, 2, 10)  # the seed's example day: 5 days after her last event, 16 after her last message

SAMPLE_USER = {
    "id": "user_001",
    "email": "sarah.chen@email.com",
    "interests": ["hiking", "photography", "cooking"],
    "cuisine_preference": ["Italian", "Thai", "Japanese"],
    "dietary_restrictions": ["vegetarian"],
    "age": 32,
    "gender": "Female",
    "occupation": "Software Engineer",
    "relationship_status": "Single",
    "table_type_preference": "communal",
    "home_neighborhood": "Mission District",
    "work_neighborhood": "SOMA",
}

SAMPLE_EVENTS = [
    {"id": "event_001", "name": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault",
     "host": "Chef Mario", "participants": ["sarah.chen@email.com", "mike.jones@email.com", "jenny.kim@email.com"],
     "event_type": "wine_tasting"},
    {"id": "event_002", "name": "Thai Cooking Class", "date": "2024-01-22", "venue": "Culinary Studio",
     "host": "Chef Ploy", "participants": ["sarah.chen@email.com", "mike.jones@email.com"],
     "event_type": "cooking_class"},
    {"id": "event_003", "name": "Farm to Table Dinner", "date": "2024-02-05", "venue": "The Vault",
     "host": "Chef Mario", "participants": ["sarah.chen@email.com", "jenny.kim@email.com", "alex.wong@email.com"],
     "event_type": "dinner"},
]

SAMPLE_ORDERS = [
    {"id": "order_001", "user_id": "user_001", "event_id": "event_001", "amount": 75.00, "date": "2024-01-10"},
    {"id": "order_002", "user_id": "user_001", "event_id": "event_002", "amount": 85.00, "date": "2024-01-18"},
]

SAMPLE_MESSAGES = [
    {"id": "msg_001", "user_id": "user_001", "content": "Hey Sarah! Chef Mario is hosting another Italian dinner...",
     "status": "sent", "sent_date": "2024-01-25"},
    {"id": "msg_002", "user_id": "user_001", "content": "New Thai cooking class with Chef Ploy...",
     "status": "queued", "created_date": "2024-02-10"},
]

# The seed names Sarah's friends but lists no user rows for them; they are members with only a name and email.
FRIEND_USERS = [("user_002", "mike.jones@email.com", "Mike Jones"), ("user_003", "jenny.kim@email.com", "Jenny Kim"),
                ("user_004", "alex.wong@email.com", "Alex Wong")]

EMPTY_PROFILE = {"interests": [], "cuisine_preference": [], "dietary_restrictions": [], "age": None, "gender": None,
                 "occupation": None, "relationship_status": None, "table_type_preference": None,
                 "home_neighborhood": None, "work_neighborhood": None}


def seed_frames() -> BehaviouralFrames:
    """The seed's sample data as the frames `load_frames` returns."""
    users = [{"user_id": 1, "name": "Sarah Chen", "is_on_team": False, **SAMPLE_USER}]
    users += [{"user_id": n, "id": ext, "email": email, "name": name, **EMPTY_PROFILE, "is_on_team": False}
              for n, (ext, email, name) in enumerate(FRIEND_USERS, start=2)]
    events = [{"external_id": e["id"], "name": e["name"], "held_at": pd.Timestamp(e["date"], tz="UTC"),
               "venue": e["venue"], "host": e["host"], "event_type": e["event_type"],
               "participants": e["participants"]} for e in SAMPLE_EVENTS]
    orders = [{"user_external_id": o["user_id"], "event_external_id": o["event_id"], "amount": o["amount"],
               "ordered_at": pd.Timestamp(o["date"], tz="UTC")} for o in SAMPLE_ORDERS]
    messages = [{"user_external_id": m["user_id"], "status": m["status"],
                 "sent_at": pd.Timestamp(m["sent_date"], tz="UTC") if m.get("sent_date") else None,
                 "queued_at": pd.Timestamp(m["created_date"], tz="UTC") if m.get("created_date") else None}
                for m in SAMPLE_MESSAGES]
    return BehaviouralFrames(pd.DataFrame(users), pd.DataFrame(orders), pd.DataFrame(events), pd.DataFrame(messages))
