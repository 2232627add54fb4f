"""Hand-built behavioural frames for the re-engagement unit tests."""
from __future__ import annotations

from datetime import date

import pandas as pd

from core.reengagement.profiles import (
    EVENT_COLUMNS,
    MESSAGE_COLUMNS,
    ORDER_COLUMNS,
    BehaviouralFrames,
    compute_profiles,
)

AS_OF = date(2024, 6, 30)
FULL_PROFILE = {"interests": ["hiking"], "cuisine_preference": ["Thai"], "dietary_restrictions": ["vegan"],
                "age": 40, "gender": "Male", "occupation": "Teacher", "relationship_status": "Married",
                "table_type_preference": "private", "home_neighborhood": "Noe Valley", "work_neighborhood": "SOMA"}


def user(user_id: int, email: str, name: str | None = None, **fields) -> dict:
    """A user row with every profile field empty unless given."""
    row = {"user_id": user_id, "id": f"u{user_id}", "email": email, "name": name, "interests": [],
           "cuisine_preference": [], "dietary_restrictions": [], "age": None, "gender": None, "occupation": None,
           "relationship_status": None, "table_type_preference": None, "home_neighborhood": None,
           "work_neighborhood": None, "is_on_team": False}
    return row | fields


def event(external_id: str, held: str | None, participants: list[str], *, venue: str | None = "Hall",
          host: str | None = "Host", event_type: str | None = "dinner", name: str | None = None) -> dict:
    return {"external_id": external_id, "name": name or f"Event {external_id}",
            "held_at": pd.Timestamp(held, tz="UTC") if held else None, "venue": venue, "host": host,
            "event_type": event_type, "participants": participants}


def message(user_external_id: str, status: str, sent: str | None = None, queued: str | None = None) -> dict:
    return {"user_external_id": user_external_id, "status": status,
            "sent_at": pd.Timestamp(sent, tz="UTC") if sent else None,
            "queued_at": pd.Timestamp(queued, tz="UTC") if queued else None}


def order(user_external_id: str, event_external_id: str | None = None) -> dict:
    return {"user_external_id": user_external_id, "event_external_id": event_external_id, "amount": 10.0,
            "ordered_at": pd.Timestamp("2024-01-01", tz="UTC")}


def frames(users: list[dict], events: list[dict] = (), orders: list[dict] = (),
           messages: list[dict] = ()) -> BehaviouralFrames:
    def frame(rows, columns):
        return pd.DataFrame(list(rows), columns=list(columns))
    return BehaviouralFrames(pd.DataFrame(users), frame(orders, ORDER_COLUMNS), frame(events, EVENT_COLUMNS),
                             frame(messages, MESSAGE_COLUMNS))


def profiles(users, events=(), orders=(), messages=(), *, as_of: date = AS_OF, cooldown_days: int = 14) -> dict:
    """{user_id: profile row} computed from hand-built rows."""
    computed = compute_profiles(frames(users, events, orders, messages), as_of=as_of, cooldown_days=cooldown_days)
    return {row["user_id"]: row for row in computed.to_dict("records")}
