"""Program uploads: sessions (CSV, frab/pretalx schedule.json, pretalx-style session lists) and speakers."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.events.program import speaker_key, store_program
from core.ingest.fields import TEXT_LIMIT, FieldError, column_limit, column_limits, is_email, shown, split_list
from core.ingest.pipeline import DatasetKind
from core.ingest.tabular import (
    FileRejected,
    ReadLimits,
    Row,
    Table,
    decode_text,
    parse_datetime,
    parse_json,
    read_table,
    too_many_rows,
)
from db.models import ProgramSession, Speaker

SESSION_REQUIRED = ["title", "start"]
# A session's key is its `code` (pretalx), else its `guid` (frab), else its `id`: exports that carry both a numeric
# id and a guid may repeat the id across rooms.
SESSION_OPTIONAL = ["id", "code", "guid", "description", "end", "duration", "room", "track", "type", "difficulty",
                    "tags", "outcomes", "target_audience", "capacity", "speaker_emails", "speakers_json"]
SESSION_SYNONYMS = {
    "session_id": "id", "external_id": "id",
    "name": "title", "session_title": "title", "talk_title": "title",
    "abstract": "description", "summary": "description",
    "start_time": "start", "starts_at": "start", "begin": "start", "start_date": "start", "date": "start",
    "end_time": "end", "ends_at": "end", "finish": "end",
    "duration_minutes": "duration", "length": "duration",
    "location": "room", "venue": "room", "stage": "room",
    "session_type": "type", "format": "type", "submission_type": "type", "kind": "type",
    "level": "difficulty", "python_level": "difficulty", "audience_level": "difficulty",
    "keywords": "tags", "topics": "tags",
    "learning_outcomes": "outcomes", "takeaways": "outcomes",
    "audience": "target_audience", "for_whom": "target_audience",
    "seats": "capacity", "max_attendees": "capacity",
    "speakers": "speaker_emails", "speaker_email": "speaker_emails", "speaker": "speaker_emails",
}
SPEAKER_REQUIRED = ["name", "email"]
SPEAKER_OPTIONAL = ["title", "company", "bio", "expertise", "offerings"]
SPEAKER_SYNONYMS = {
    "full_name": "name", "speaker": "name", "speaker_name": "name",
    "e_mail": "email", "email_address": "email", "mail": "email",
    "job_title": "title", "position": "title", "role": "title",
    "affiliation": "company", "organisation": "company", "organization": "company", "employer": "company",
    "biography": "bio", "about": "bio",
    "topics": "expertise", "skills": "expertise", "areas_of_expertise": "expertise",
    "offers": "offerings", "can_help_with": "offerings",
}
MAX_SESSION_HOURS = 24
DATE_LIMIT = 64  # characters of a date, time or duration cell
SESSION_LIMITS = {
    **column_limits(ProgramSession, {"id": "external_id", "code": "external_id", "guid": "external_id",
                                     "title": "title", "description": "description", "room": "room",
                                     "track": "track", "type": "session_type", "difficulty": "difficulty"}),
    "start": DATE_LIMIT, "end": DATE_LIMIT, "duration": DATE_LIMIT, "capacity": 20,
    "speakers_json": 100 * TEXT_LIMIT,  # the speakers of a program export, each checked field by field
}
SPEAKER_LIMITS = column_limits(Speaker, ["name", "email", "title", "company", "bio"])
# A speaker of a program export: which of the record's fields fills which column of the speakers table.
EXPORT_SPEAKER_FIELDS = {"external_id": "code", "name": "name", "company": "affiliation", "bio": "biography"}


def _minutes(text: str) -> int | None:
    """'45', '45 min' or 'HH:MM' -> minutes."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", text)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    match = re.fullmatch(r"(\d{1,4})\s*(m|min|mins|minutes)?", text, re.I)
    return int(match.group(1)) if match else None


def _speakers_of(values: dict[str, str], errors: list[FieldError]) -> list[dict]:
    """The session's speakers: full records from a program export, or bare emails from a CSV."""
    if values.get("speakers_json"):
        speakers = json.loads(values["speakers_json"])
        for speaker in speakers:
            for column, source in EXPORT_SPEAKER_FIELDS.items():
                text = speaker.get(column) or ""
                limit = column_limit(Speaker, column)
                if len(text) > limit:
                    errors.append(FieldError("speakers", f"speaker '{shown(speaker['name'])}': the {source} is "
                                                         f"{len(text):,} characters long; the maximum for a "
                                                         f"speaker's {column} is {limit:,}"))
        return speakers
    speakers = []
    for email in split_list(values.get("speaker_emails", "").replace(",", ";")):
        email = email.lower()
        if is_email(email):
            speakers.append({"email": email, "name": email.split("@")[0].replace(".", " ").title(), "stub": True})
        else:
            errors.append(FieldError("speaker_emails", f"'{shown(email)}' is not an email address"))
    return speakers


def validate_session(values: dict[str, str]) -> tuple[dict | None, list[FieldError]]:
    """One program row -> a clean session record, or what is wrong with it."""
    errors: list[FieldError] = []
    title = " ".join(values.get("title", "").split())
    if not title:
        errors.append(FieldError("title", "is empty"))
    elif len(title) > 300:
        errors.append(FieldError("title", "is longer than 300 characters"))
    starts = parse_datetime(values.get("start", ""))
    if starts is None:
        errors.append(FieldError("start", f"'{shown(values.get('start', ''))}' is not a date and time (use e.g. "
                                          "2026-12-01 09:30 or ISO 8601)" if values.get("start") else "is empty"))
    ends = parse_datetime(values.get("end", ""))
    if values.get("end") and ends is None:
        errors.append(FieldError("end", f"'{shown(values['end'])}' is not a date and time"))
    if ends is None and starts is not None and values.get("duration"):
        minutes = _minutes(values["duration"])
        if minutes is None:
            errors.append(FieldError("duration", f"'{shown(values['duration'])}' is not a duration in minutes or "
                                                 "HH:MM"))
        else:
            ends = starts + timedelta(minutes=minutes)
    if starts and ends and not timedelta(0) < ends - starts <= timedelta(hours=MAX_SESSION_HOURS):
        errors.append(FieldError("end", "must be after the start and within 24 hours of it"))
    capacity = None
    if values.get("capacity", "").strip():
        try:
            capacity = int(float(values["capacity"]))
            if capacity < 0:
                raise ValueError
        except ValueError:
            errors.append(FieldError("capacity", f"'{shown(values['capacity'])}' is not a whole number of seats"))
    speakers = _speakers_of(values, errors)
    if errors:
        return None, errors
    external_id = (values.get("code", "").strip() or values.get("guid", "").strip() or values.get("id", "").strip()
                   or f"{title.lower()}|{starts.isoformat()}")
    return {
        "external_id": external_id[:120], "title": title, "description": values.get("description", "").strip(),
        "starts_at": starts, "ends_at": ends, "room": values.get("room", "").strip() or None,
        "track": values.get("track", "").strip() or None, "session_type": values.get("type", "").strip() or None,
        "difficulty": values.get("difficulty", "").strip()[:30] or None, "tags": split_list(values.get("tags", "")),
        "outcomes": split_list(values.get("outcomes", "")),
        "target_audience": split_list(values.get("target_audience", "")), "capacity": capacity,
        "speakers": speakers,
    }, []


def validate_speaker(values: dict[str, str]) -> tuple[dict | None, list[FieldError]]:
    """One speaker row -> a clean speaker record, or what is wrong with it."""
    errors: list[FieldError] = []
    name = " ".join(values.get("name", "").split())
    email = values.get("email", "").strip().lower()
    if not name:
        errors.append(FieldError("name", "is empty"))
    if not email:
        errors.append(FieldError("email", "is empty"))
    elif not is_email(email):
        errors.append(FieldError("email", f"'{shown(email)}' is not an email address"))
    if errors:
        return None, errors
    return {"email": email, "name": name[:200], "title": values.get("title", "").strip() or None,
            "company": values.get("company", "").strip() or None, "bio": values.get("bio", "").strip(),
            "expertise": split_list(values.get("expertise", "")),
            "offerings": split_list(values.get("offerings", ""))}, []


def _speaker_record(person: dict) -> dict:
    """A speaker of a pretalx/frab export as a speaker record (they come with a code or guid, not an email); the
    numeric `id` of a frab export is the last resort, as some repeat it. Lengths are checked in validation."""
    code = str(person.get("code") or person.get("guid") or person.get("id") or "").strip()
    name = " ".join(str(person.get("public_name") or person.get("name") or "").split())
    record = {"external_id": code or f"name:{name.lower()}"[:120], "name": name or "Unnamed speaker",
              "bio": str(person.get("biography") or person.get("bio") or "").strip(),
              "company": str(person.get("affiliation") or person.get("company") or "").strip() or None}
    email = str(person.get("email") or "").strip().lower()
    if email and is_email(email):
        record["email"] = email
    return record


def _session_row(event: dict, room: str | None = None) -> dict[str, str]:
    """One pretalx/frab/EuroPython session object as program-row values."""
    description = "\n\n".join(str(event.get(k) or "").strip() for k in ("abstract", "description")
                              if str(event.get(k) or "").strip())
    duration = str(event.get("duration") or "")
    people = event.get("persons") or event.get("speakers") or []
    return {
        "id": str(event.get("code") or event.get("guid") or event.get("id") or ""),
        "title": str(event.get("title") or ""), "description": description,
        "start": str(event.get("start") if "T" in str(event.get("start") or "") else event.get("date") or ""),
        "end": str(event.get("end") or ""), "duration": duration,
        "room": str(event.get("room") or room or ""), "track": str(event.get("track") or ""),
        "type": str(event.get("type") or event.get("submission_type") or ""),
        "difficulty": str(event.get("python_level") or event.get("level") or event.get("difficulty") or ""),
        "tags": ";".join(str(t) for t in event.get("tags") or []),
        "speakers_json": json.dumps([_speaker_record(p) for p in people if isinstance(p, dict)]),
    }


def _program_table(document, limits: ReadLimits) -> Table | None:
    """A frab/pretalx schedule.json, or a list of session objects with nested speakers, as a Table."""
    events: list[tuple[dict, str | None]] = []
    if isinstance(document, dict) and isinstance(document.get("schedule"), dict):
        conference = document["schedule"].get("conference") or {}
        for day in conference.get("days") or []:
            for room, items in (day.get("rooms") or {}).items():
                events += [(item, room) for item in items or [] if isinstance(item, dict)]
        if not events:
            raise FileRejected("The schedule.json has no sessions: schedule → conference → days → rooms is empty.")
    elif isinstance(document, list) and any(isinstance(e, dict) and isinstance(e.get("speakers") or e.get("persons"),
                                                                                list) for e in document):
        events = [(item, None) for item in document if isinstance(item, dict)]
    else:
        return None
    if len(events) > limits.max_rows:
        raise too_many_rows(limits.max_rows)
    rows = [Row(index, _session_row(event, room)) for index, (event, room) in enumerate(events, start=1)]
    return Table(list(rows[0].values), rows, line_label="session", warnings=_repeated_ids(events))


def _repeated_ids(events: list[tuple[dict, str | None]]) -> list[str]:
    """A warning when the export's numeric ids repeat (across rooms) and its sessions were keyed otherwise."""
    rooms_of: dict[str, set[str]] = {}
    for event, room in events:
        if event.get("id") not in (None, "") and (event.get("code") or event.get("guid")):
            rooms_of.setdefault(str(event["id"]), set()).add(str(event.get("room") or room or "?"))
    repeated = sorted((i for i, rooms in rooms_of.items() if len(rooms) > 1), key=lambda i: (len(i), i))
    if not repeated:
        return []
    example = repeated[0]
    return [f"Ignored the sessions' numeric 'id': it repeats across rooms ({len(repeated)} id(s), e.g. {example} in "
            f"{', '.join(sorted(rooms_of[example]))}), so sessions are keyed by their "
            f"{'code' if any(e.get('code') for e, _ in events) else 'guid'} instead."]


def read_program(data: bytes, filename: str, max_bytes: int, limits: ReadLimits | None = None) -> Table:
    """Program files: a frab/pretalx schedule.json or a session list with speakers, else any table."""
    limits = limits or ReadLimits()
    if len(data) <= max_bytes and data.strip()[:1] in (b"{", b"[") or filename.lower().endswith(".json"):
        text, _ = decode_text(data) if len(data) <= max_bytes else ("", "")
        try:
            table = _program_table(parse_json(text, limits), limits) if text else None
        except json.JSONDecodeError:
            table = None  # read_table reports the JSON error with its position
        if table is not None:
            return table
    return read_table(data, filename, max_bytes=max_bytes, limits=limits)


def store_sessions(session: Session, event_id: int | None, rows: list[dict], now) -> dict[str, int]:
    """Upsert the sessions and their speakers; counts are by session."""
    before = {s.external_id: _session_state(s) for s in session.scalars(
        select(ProgramSession).where(ProgramSession.event_id == event_id))}
    speakers = {speaker_key(s): s for row in rows for s in row["speakers"]}
    records = [{**{k: v for k, v in row.items() if k != "speakers"},
                "speaker_keys": [speaker_key(s) for s in row["speakers"]]} for row in rows]
    store_program(session, event_id, records, list(speakers.values()))
    after = {s.external_id: _session_state(s) for s in session.scalars(
        select(ProgramSession).where(ProgramSession.event_id == event_id))}
    keys = [row["external_id"] for row in rows]
    inserted = sum(1 for k in keys if k not in before)
    unchanged = sum(1 for k in keys if k in before and before[k] == after[k])
    return {"inserted": inserted, "updated": len(keys) - inserted - unchanged, "unchanged": unchanged,
            "speakers": len(speakers)}


def store_speakers(session: Session, event_id: int | None, rows: list[dict], now) -> dict[str, int]:
    """Upsert speakers by email."""
    before = {s.email: _speaker_state(s) for s in session.scalars(select(Speaker).where(Speaker.event_id == event_id))}
    store_program(session, event_id, [], rows)
    after = {s.email: _speaker_state(s) for s in session.scalars(select(Speaker).where(Speaker.event_id == event_id))}
    inserted = sum(1 for r in rows if r["email"] not in before)
    unchanged = sum(1 for r in rows if r["email"] in before and before[r["email"]] == after[r["email"]])
    return {"inserted": inserted, "updated": len(rows) - inserted - unchanged, "unchanged": unchanged}


def _session_state(item: ProgramSession) -> tuple:
    return (item.title, item.description, item.starts_at, item.ends_at, item.room, item.track, item.session_type,
            item.difficulty, tuple(item.tags or ()), tuple(sorted(s.id for s in item.speakers)))


def _speaker_state(speaker: Speaker) -> tuple:
    return (speaker.name, speaker.title, speaker.company, speaker.bio, tuple(speaker.expertise or ()),
            tuple(speaker.offerings or ()))


SESSIONS_UPLOAD = DatasetKind(
    name="sessions",
    label="Conference program (sessions)",
    required=SESSION_REQUIRED,
    optional=SESSION_OPTIONAL,
    synonyms=SESSION_SYNONYMS,
    validate=validate_session,
    key=lambda row: row["external_id"],
    store=store_sessions,
    read=read_program,
    limits=SESSION_LIMITS,
    hint="Also accepted as they are: a frab/pretalx schedule.json export, or a JSON list of sessions with "
         "nested speakers (pretalx API, EuroPython). Dates without a zone are read as UTC.",
)


SPEAKERS_UPLOAD = DatasetKind(
    name="speakers",
    label="Speakers",
    required=SPEAKER_REQUIRED,
    optional=SPEAKER_OPTIONAL,
    synonyms=SPEAKER_SYNONYMS,
    validate=validate_speaker,
    key=lambda row: row["email"],
    store=store_speakers,
    limits=SPEAKER_LIMITS,
)
