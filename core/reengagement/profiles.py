"""Seed 002's calculated fields for every community member, computed with set operations over whole frames."""
from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.reengagement.fields import CALCULATED_FIELDS, PROFILE_FIELDS
from core.reengagement.summary import template_summary
from db.models import ReengagementDecision

USER_COLUMNS = ("user_id", "id", "email", "name", *PROFILE_FIELDS, "is_on_team")
ORDER_COLUMNS = ("user_external_id", "event_external_id", "amount", "ordered_at")
EVENT_COLUMNS = ("external_id", "name", "held_at", "venue", "host", "event_type", "participants")
MESSAGE_COLUMNS = ("user_external_id", "status", "sent_at", "queued_at")
LIST_FIELDS = ("interests", "cuisine_preference", "dietary_restrictions")
# Seed 002's personalisation check reads these four fields.
KEY_FIELDS = ("interests", "cuisine_preference", "age", "occupation")
ENOUGH_KEY_FIELDS = 3
TOO_FEW_KEY_FIELDS = 2
HEALTHY_EVENTS = 3
FRIEND_SHARED_EVENTS = 2
SCORE_EVENTS_CAP = 6
DAYS_PER_MONTH = 30.44  # the average Gregorian month
SEND_REASON = "Can be messaged and has enough fields"
REQUEST_REASON = "Fewer than 2 of interests, cuisines, age and occupation are known"
NOT_ENOUGH_REASON = "Not enough data to personalise"


@dataclass
class BehaviouralFrames:
    """The behavioural tables as frames, one row per record. `names` (email, name) lists everyone who may be named
    as a friend; without it the users frame is used (load_frames fills it when it loads only some users)."""

    users: pd.DataFrame
    orders: pd.DataFrame
    events: pd.DataFrame
    messages: pd.DataFrame
    names: pd.DataFrame | None = None


_USERS_SQL = ("SELECT id AS user_id, external_id AS id, email, name, interests, cuisine_preference, "
              "dietary_restrictions, age, gender, occupation, relationship_status, table_type_preference, "
              "home_neighborhood, work_neighborhood, is_on_team FROM behavior_users")


def load_frames(session: Session, user_ids: list[int] | None = None) -> BehaviouralFrames:
    """Read the behavioural tables: everything, or what the given users' profiles depend on (their rows, orders,
    messages and events, and the names of the people they attended with)."""
    conn = session.connection()
    if user_ids is None:
        users = pd.read_sql(text(_USERS_SQL + " ORDER BY id"), conn)
        # the two largest tables hold only scalars: COPY to CSV reads them several times faster than row fetching
        orders = _copied(session, f"SELECT {', '.join(ORDER_COLUMNS)} FROM behavior_orders", ORDER_COLUMNS)
        events = pd.read_sql(text(f"SELECT {', '.join(EVENT_COLUMNS)} FROM behavior_events"), conn)
        messages = _copied(session, f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM behavior_messages", MESSAGE_COLUMNS)
        return BehaviouralFrames(_typed_users(users), _typed_orders(orders), events, _typed_messages(messages))
    ids = {"ids": [int(i) for i in user_ids]}
    users = pd.read_sql(text(_USERS_SQL + " WHERE id = ANY(:ids) ORDER BY id"), conn, params=ids)
    externals = {"ext": users["id"].tolist()}
    emails = {"emails": sorted({_email_key(e) for e in users["email"]})}
    orders = pd.read_sql(text(f"SELECT {', '.join(ORDER_COLUMNS)} FROM behavior_orders "
                              "WHERE user_external_id = ANY(:ext)"), conn, params=externals)
    messages = pd.read_sql(text(f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM behavior_messages "
                                "WHERE user_external_id = ANY(:ext)"), conn, params=externals)
    events = pd.read_sql(text(f"SELECT {', '.join(EVENT_COLUMNS)} FROM behavior_events "
                              "WHERE participants && CAST(:emails AS text[])"), conn, params=emails)
    others = sorted({_email_key(p) for ps in events["participants"] for p in (ps or [])})
    names = pd.read_sql(text("SELECT email, name FROM behavior_users WHERE lower(trim(email)) = ANY(:emails) "
                             "ORDER BY id"), conn, params={"emails": others})
    return BehaviouralFrames(_typed_users(users), _typed_orders(orders), events, _typed_messages(messages), names)


def _copied(session: Session, select_sql: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A SELECT of scalar columns read through COPY … TO STDOUT as CSV (no parameters: the SQL is our own)."""
    buffer = io.BytesIO()
    cursor = session.connection().connection.dbapi_connection.cursor()
    with cursor, cursor.copy(f"COPY ({select_sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    buffer.seek(0)
    return pd.read_csv(buffer, dtype={c: str for c in columns if c.endswith("_id") or c == "status"},
                       keep_default_na=False, na_values=[""])[list(columns)]


def _typed_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Orders with text ids, however they were read."""
    orders = orders.copy()
    orders["user_external_id"] = orders["user_external_id"].astype(str)
    return orders


def _typed_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """Messages with text ids and UTC timestamps, however they were read (rows or CSV)."""
    messages = messages.copy()
    messages["user_external_id"] = messages["user_external_id"].astype(str)
    for column in ("sent_at", "queued_at"):
        messages[column] = pd.to_datetime(messages[column], utc=True, errors="coerce", format="mixed")
    return messages


def _typed_users(users: pd.DataFrame) -> pd.DataFrame:
    users = users.copy()
    for name in LIST_FIELDS:
        users[name] = [list(v) if isinstance(v, list | tuple | np.ndarray) else [] for v in users[name]]
    users["age"] = pd.Series([_canonical(a) for a in users["age"].tolist()], index=users.index, dtype=object)
    return users


def _email_key(email) -> str:
    return str(email or "").strip().lower()


def _email_keys(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip().str.lower()


def _dates(series: pd.Series) -> pd.Series:
    """Timestamps, dates or ISO strings as datetime64 at midnight (UTC days); NaT where missing."""
    if series.empty:
        return pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    stamps = pd.to_datetime(series, utc=True, errors="coerce", format="mixed")
    return stamps.dt.tz_localize(None).dt.normalize()


def _as_date(value) -> date | None:
    return None if pd.isna(value) else value.date()


def _lists_by_key(keys: np.ndarray, values: list) -> dict:
    """{key: [values of that key]} for keys already sorted, by slicing instead of grouping."""
    if len(keys) == 0:
        return {}
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    plain = keys[starts].tolist()
    return {k: values[s:e] for k, s, e in zip(plain, starts.tolist(), ends.tolist(), strict=True)}


def _filled(values: pd.Series) -> pd.Series:
    """Whether each value is given: a non-empty list, non-blank text, or a number."""
    def one(value) -> bool:
        if isinstance(value, list | tuple | np.ndarray):
            return any(str(v).strip() for v in value)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return False
        return bool(str(value).strip())
    return pd.Series([one(v) for v in values], index=values.index, dtype=bool)


def _participations(frames: BehaviouralFrames, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame, pd.Index]:
    """(each user's attended events held by `as_of`, with the event's columns; every (event, email) pair; the
    emails, whose positions are the email codes the two frames join on)."""
    events = frames.events.reset_index(drop=True)
    events = events.assign(held_on=_dates(events["held_at"]))
    events = events[events["held_on"].isna() | (events["held_on"] <= pd.Timestamp(as_of))]
    # Rows numbered in date order, so a smaller (event_row, position) is an earlier meeting.
    events = events.sort_values(["held_on", "name", "external_id"], na_position="last", kind="stable")
    events = events.assign(event_row=np.arange(len(events)))
    pairs = events[["event_row", "participants"]].explode("participants").dropna(subset=["participants"])
    pairs = pd.DataFrame({"event_row": pairs["event_row"].to_numpy(dtype=np.int64),
                          "email_key": _email_keys(pairs["participants"]).to_numpy()})
    pairs = pairs[pairs["email_key"] != ""]
    # Joins run on integer codes of the emails: much faster than on text.
    codes, emails = pd.factorize(pairs["email_key"])
    pairs = pairs.assign(email_key=codes).drop_duplicates(["event_row", "email_key"])
    pairs["position"] = pairs.groupby("event_row").cumcount().to_numpy()
    users = pd.DataFrame({"user_id": frames.users["user_id"].to_numpy(),
                          "email_key": emails.get_indexer(_email_keys(frames.users["email"]))})
    attended = users[users["email_key"] >= 0].merge(pairs, on="email_key")
    columns = events[["event_row", "external_id", "name", "held_on", "venue", "host", "event_type"]]
    attended = attended.drop(columns="position")
    attended = attended.merge(columns, on="event_row")
    attended = attended.sort_values(["user_id", "held_on", "name", "external_id"], na_position="last", kind="stable")
    return attended.reset_index(drop=True), pairs, emails


def _friends(attended: pd.DataFrame, pairs: pd.DataFrame, emails: pd.Index,
             names: pd.DataFrame) -> dict[int, list[str]]:
    """Other participants who attended 2+ events with each user and have a user row: most shared events first, then
    in the order the user first met them (event date, then the event's participant list)."""
    mine = attended[["user_id", "email_key", "event_row"]].rename(columns={"email_key": "own_email"})
    together = mine.merge(pairs, on="event_row")
    together = together[together["email_key"] != together["own_email"]]
    if together.empty:
        return {}
    together["met"] = together["event_row"] * (int(pairs["position"].max()) + 1) + together["position"]
    shared = together.groupby(["user_id", "email_key"], sort=False).agg(shared=("met", "size"), met=("met", "min"))
    shared = shared.reset_index()
    shared = shared[shared["shared"] >= FRIEND_SHARED_EVENTS]
    if shared.empty:
        return {}
    named = names.assign(email=_email_keys(names["email"]))
    named = named.assign(email_key=emails.get_indexer(named["email"])).drop_duplicates("email_key")
    named = named[named["email_key"] >= 0]
    local_part = named["email"].str.split("@").str[0]
    blank = named["name"].isna() | (named["name"].fillna("").astype(str).str.strip() == "")
    named = named.assign(friend=named["name"].where(~blank, local_part).astype(str).str.strip())
    shared = shared.merge(named[["email_key", "friend"]], on="email_key")
    shared = shared.sort_values(["user_id", "shared", "met"], ascending=[True, False, True], kind="stable")
    return _lists_by_key(shared["user_id"].to_numpy(), shared["friend"].tolist())


def _hosts(attended: pd.DataFrame) -> dict[int, list[str]]:
    """Each user's hosts, most frequent first, then in order of first visit."""
    hosts = attended[["user_id", "host"]].assign(order=np.arange(len(attended)))
    hosts = hosts[hosts["host"].notna() & (hosts["host"].astype(str).str.strip() != "")]
    counted = hosts.groupby(["user_id", "host"], sort=False).agg(times=("order", "size"), first=("order", "min"))
    counted = counted.reset_index().sort_values(["user_id", "times", "first"], ascending=[True, False, True])
    return _lists_by_key(counted["user_id"].to_numpy(), counted["host"].tolist())


def _favourite_types(attended: pd.DataFrame) -> dict[int, list[str]]:
    """Each user's most attended event types; ties all kept, by name."""
    types = attended[attended["event_type"].notna() & (attended["event_type"].astype(str).str.strip() != "")]
    counted = types.groupby(["user_id", "event_type"], sort=False).size().rename("times").reset_index()
    best = counted.groupby("user_id")["times"].transform("max")
    counted = counted[counted["times"] == best].sort_values(["user_id", "event_type"])
    return _lists_by_key(counted["user_id"].to_numpy(), counted["event_type"].tolist())


def _event_fields(frames: BehaviouralFrames, as_of: date) -> pd.DataFrame:
    attended, pairs, emails = _participations(frames, as_of)
    names = frames.names if frames.names is not None else frames.users[["email", "name"]]
    users = frames.users["user_id"]
    keys = attended["user_id"].to_numpy()
    held = attended["held_on"]
    history = [{"name": n, "date": None if pd.isna(d) else d.date().isoformat(), "venue": None if pd.isna(v) else v}
               for n, d, v in zip(attended["name"].tolist(), held.tolist(), attended["venue"].tolist(), strict=True)]
    venues = attended[["user_id", "venue"]].dropna().drop_duplicates()
    by_user = attended.groupby("user_id")
    count = by_user.size().reindex(users, fill_value=0)
    first, last = by_user["held_on"].min().reindex(users), by_user["held_on"].max().reindex(users)
    today = pd.Timestamp(as_of)
    months = np.maximum((today - first).dt.days.to_numpy(dtype=float) / DAYS_PER_MONTH, 1.0)
    months = np.where(np.isnan(months), 1.0, months)
    days_since = (today - last).dt.days
    friends, hosts = _friends(attended, pairs, emails, names), _hosts(attended)
    histories = _lists_by_key(keys, history)
    venue_lists = _lists_by_key(venues["user_id"].to_numpy(), venues["venue"].tolist())
    types = _favourite_types(attended)
    ids = users.tolist()
    return pd.DataFrame({
        "friends": [friends.get(u, []) for u in ids],
        "event_history_hosts": [hosts.get(u, []) for u in ids],
        "event_history": [histories.get(u, []) for u in ids],
        "venue_history": [venue_lists.get(u, []) for u in ids],
        "number_of_events_attended": count.to_numpy().astype(object),
        "last_event_date": pd.Series([_as_date(v) for v in last.tolist()], dtype=object),
        "favorite_event_types": [types.get(u, []) for u in ids],
        "average_events_per_month": np.round(count.to_numpy() / months, 2).astype(object),
        "days_since_last_event": pd.Series([None if pd.isna(v) else int(v) for v in days_since.tolist()],
                                           dtype=object),
    })


def _message_fields(frames: BehaviouralFrames, as_of: date, cooldown_days: int) -> pd.DataFrame:
    messages = frames.messages
    status = messages["status"].fillna("").astype(str).str.strip().str.lower()
    sent_on = _dates(messages["sent_at"])
    today = pd.Timestamp(as_of)
    queued = messages.loc[status == "queued", "user_external_id"].value_counts()
    # A message sent after the as-of day had not been sent yet on that day.
    is_sent = (status == "sent") & (sent_on.isna() | (sent_on <= today))
    sent = messages.loc[is_sent, "user_external_id"].value_counts()
    last_sent = sent_on[is_sent].groupby(messages.loc[is_sent, "user_external_id"]).max()
    externals = frames.users["id"]
    queued_count = queued.reindex(externals, fill_value=0).to_numpy()
    sent_count = sent.reindex(externals, fill_value=0).to_numpy()
    last = last_sent.reindex(externals)
    days = (today - last).dt.days.to_numpy(dtype=float)
    can_send = np.isnan(days) | (days >= cooldown_days)
    return pd.DataFrame({
        "has_queued_messages": (queued_count > 0).astype(object),
        "queued_message_count": queued_count.astype(object),
        "has_sent_messages": (sent_count > 0).astype(object),
        "last_message_sent_date": pd.Series([_as_date(v) for v in last.tolist()], dtype=object),
        "days_since_last_message": pd.Series([None if np.isnan(d) else int(d) for d in days], dtype=object),
        "total_messages_sent": sent_count.astype(object),
        "can_send_new_message": can_send.astype(object),
    })


def _decisions(profiles: pd.DataFrame, cooldown_days: int) -> tuple[list, list[str]]:
    send = profiles["can_send_new_message"].astype(bool) & profiles["has_enough_fields_to_personalize"].astype(bool)
    ask = ~send & profiles["should_request_more_details"].astype(bool)
    decisions, reasons = [], []
    for is_send, is_ask, can_send, last in zip(send.tolist(), ask.tolist(), profiles["can_send_new_message"].tolist(),
                                               profiles["last_message_sent_date"].tolist(), strict=True):
        if is_send:
            decisions.append(ReengagementDecision.SEND_PERSONALISED_MESSAGE)
            reasons.append(SEND_REASON)
        elif is_ask:
            decisions.append(ReengagementDecision.REQUEST_MORE_DETAILS)
            reasons.append(REQUEST_REASON)
        else:
            decisions.append(ReengagementDecision.WAIT)
            reasons.append(NOT_ENOUGH_REASON if can_send
                           else f"Cooldown until {(last + timedelta(days=cooldown_days)).isoformat()}")
    return decisions, reasons


def compute_profiles(frames: BehaviouralFrames, *, as_of: date, cooldown_days: int = 14) -> pd.DataFrame:
    """Every user's seed 002 profile as of a day: their fields, every calculated field, the summary and the
    decision with its reason. Events held and messages sent after `as_of` are not counted."""
    users = frames.users.reset_index(drop=True)
    frames = BehaviouralFrames(users, frames.orders, frames.events, frames.messages, frames.names)
    out = users[[c for c in USER_COLUMNS if c != "is_on_team"]].astype(object)
    out = out.where(out.notna(), None)
    out["age"] = pd.Series([None if a is None else int(a) for a in out["age"]], dtype=object)
    out = pd.concat([out, _event_fields(frames, as_of), _message_fields(frames, as_of, cooldown_days)], axis=1)
    events = out["number_of_events_attended"].to_numpy(dtype=np.int64)
    filled = {f: _filled(users[f]).to_numpy(dtype=np.int64) for f in PROFILE_FIELDS}
    key_filled = sum(filled[f] for f in KEY_FIELDS)
    all_filled = sum(filled.values())
    score = np.round(70 * all_filled / len(PROFILE_FIELDS) + 30 * np.minimum(events, SCORE_EVENTS_CAP)
                     / SCORE_EVENTS_CAP).astype(np.int64)
    out["has_enough_fields_to_personalize"] = (key_filled >= ENOUGH_KEY_FIELDS).astype(object)
    out["is_first_time_user"] = (events == 0).astype(object)
    out["should_request_more_details"] = (key_filled < TOO_FEW_KEY_FIELDS).astype(object)
    out["is_healthy_active_user"] = (events >= HEALTHY_EVENTS).astype(object)
    out["is_on_team"] = users["is_on_team"].fillna(False).astype(bool).to_numpy().astype(object)
    out["personalization_score"] = score.astype(object)
    orders = frames.orders["user_external_id"].value_counts()
    out["total_orders"] = orders.reindex(users["id"], fill_value=0).to_numpy().astype(object)
    columns = [*USER_COLUMNS[:4], *PROFILE_FIELDS, *CALCULATED_FIELDS]
    out = out[columns]
    values = [out[c].tolist() for c in columns]
    out["summary"] = [template_summary(dict(zip(columns, row, strict=True))) for row in zip(*values, strict=True)]
    decision, reason = _decisions(out, cooldown_days)
    out["decision"] = pd.Series(decision, index=out.index, dtype=object)
    out["decision_reason"] = pd.Series(reason, index=out.index, dtype=object)
    return out


def _canonical(value):
    """One value as the same plain Python value however its column was typed: whole floats as ints (an int column
    with a missing value reads as floats), missing values as None, timestamps as ISO text."""
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(_canonical(v) for v in value)
    if value is None or value is pd.NaT or (isinstance(value, float | np.floating) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, pd.Timestamp | date):
        return value.isoformat()
    return value


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _text_lists(keys: list, texts: list[str]) -> dict:
    """{key: its texts sorted and joined}, grouping by sorting once instead of per-group Python calls."""
    if not keys:
        return {}
    frame = pd.DataFrame({"key": pd.Series(keys, dtype=object).astype(str), "text": texts}).sort_values(
        ["key", "text"], kind="stable")
    return {k: "\x1c".join(v) for k, v in _lists_by_key(frame["key"].to_numpy(), frame["text"].tolist()).items()}


def input_hashes(frames: BehaviouralFrames, *, as_of: date, cooldown_days: int) -> pd.Series:
    """user_id -> sha256 of everything that user's profile depends on: their fields, their events (with every
    co-participant's email and user name), their order count, their messages, the day and the cooldown."""
    users = frames.users.reset_index(drop=True)
    names = frames.names if frames.names is not None else users[["email", "name"]]
    known = dict(zip(_email_keys(names["email"]).tolist(), map(_canonical, names["name"].tolist()), strict=True))
    events = frames.events
    event_digest = {}
    for ext, name, held, venue, host, kind, participants in zip(*(events[c].tolist() for c in EVENT_COLUMNS),
                                                                strict=True):
        people = sorted((k, known.get(k, _NO_USER)) for k in {_email_key(p) for p in participants or []})
        event_digest[str(ext)] = _digest(tuple(map(_canonical, (ext, name, held, venue, host, kind))) + (people,))
    pairs = events[["external_id", "participants"]].explode("participants").dropna(subset=["participants"])
    pairs = pd.DataFrame({"external_id": pairs["external_id"].astype(str).to_numpy(),
                          "email_key": _email_keys(pairs["participants"]).to_numpy()}).drop_duplicates()
    emails = pd.DataFrame({"user_id": users["user_id"].to_numpy(), "email_key": _email_keys(users["email"])})
    attended = emails.merge(pairs, on="email_key")
    per_user = _text_lists(attended["user_id"].tolist(), [event_digest[e] for e in attended["external_id"]])
    messages = frames.messages
    texts = messages["status"].fillna("").astype(str)
    for column in ("sent_at", "queued_at"):
        stamps = pd.to_datetime(messages[column], utc=True, errors="coerce", format="mixed")
        texts = texts + "\x1f" + stamps.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")
    per_ext = _text_lists(messages["user_external_id"].astype(str).tolist(), texts.tolist())
    orders = frames.orders["user_external_id"].astype(str).value_counts().to_dict()
    context = (as_of.isoformat(), cooldown_days)
    rows = (tuple(map(_canonical, row)) for row in zip(*(users[c].tolist() for c in USER_COLUMNS), strict=True))
    digests = [_digest((own, per_user.get(str(own[0]), ""), per_ext.get(str(own[1]), ""), orders.get(str(own[1]), 0),
                        context)) for own in rows]
    return pd.Series(digests, index=pd.Index(users["user_id"].to_numpy(), name="user_id"), name="input_hash")


_NO_USER = "\x00"  # a participant without a user row: distinct from a user row without a name


def jsonable_fields(row: Mapping) -> dict:
    """A profile row's calculated fields as JSON values (dates in ISO 8601), under the seed's names."""
    def plain(value):
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value
    return {name: plain(row[name]) for name in CALCULATED_FIELDS}
