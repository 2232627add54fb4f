"""The event program: sessions, speakers and who speaks where."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import ProgramSession, Speaker

SESSION_FIELDS = ("title", "description", "starts_at", "ends_at", "room", "track", "session_type", "difficulty",
                  "tags", "outcomes", "target_audience", "capacity")
SPEAKER_FIELDS = ("name", "title", "company", "bio", "expertise", "offerings")


def speaker_key(record: dict) -> str:
    """How a speaker is matched on re-upload: by email, else by the id the program export gave them."""
    email = (record.get("email") or "").strip().lower()
    return email or f"id:{record['external_id']}"


def store_program(session: Session, event_id: int, sessions: list[dict], speakers: list[dict]) -> dict[str, int]:
    """Upsert speakers (by email or export id) and sessions (by external id), then link them.

    A session lists its speakers as `speaker_keys` (see `speaker_key`) or, from simple files, `speaker_emails`."""
    existing_speakers: dict[str, Speaker] = {}
    for speaker in session.scalars(select(Speaker).where(Speaker.event_id == event_id)):
        for key in ([speaker.email] if speaker.email else []) + ([f"id:{speaker.external_id}"]
                                                                 if speaker.external_id else []):
            existing_speakers[key] = speaker
    for record in speakers:
        key = speaker_key(record)
        speaker = existing_speakers.get(key)
        if speaker is None:
            speaker = Speaker(event_id=event_id, email=(record.get("email") or "").strip().lower() or None,
                              external_id=record.get("external_id"))
            session.add(speaker)
            existing_speakers[key] = speaker
        elif record.get("stub"):  # only an email from a program file: keep what a speakers upload said
            continue
        for field in SPEAKER_FIELDS:
            if field in record:
                setattr(speaker, field, record[field])
    existing_sessions = {s.external_id: s for s in session.scalars(
        select(ProgramSession).where(ProgramSession.event_id == event_id)
        .options(selectinload(ProgramSession.speakers)))}
    for record in sessions:
        item = existing_sessions.get(record["external_id"])
        if item is None:
            item = ProgramSession(event_id=event_id, external_id=record["external_id"])
            session.add(item)
            existing_sessions[item.external_id] = item
        for field in SESSION_FIELDS:
            if field in record:
                setattr(item, field, record[field])
        keys = record.get("speaker_keys") or [e.strip().lower() for e in record.get("speaker_emails", [])]
        item.speakers = list(dict.fromkeys(existing_speakers[k] for k in keys if k in existing_speakers))
    session.flush()
    return {"sessions": len(sessions), "speakers": len(speakers)}


def list_sessions(session: Session, event_id: int, *, track: str | None = None) -> list[ProgramSession]:
    """The event's sessions in time order, with their speakers loaded."""
    query = (select(ProgramSession).where(ProgramSession.event_id == event_id)
             .options(selectinload(ProgramSession.speakers))
             .order_by(ProgramSession.starts_at.nulls_last(), ProgramSession.room, ProgramSession.title))
    if track:
        query = query.where(ProgramSession.track == track)
    return list(session.scalars(query))


def list_speakers(session: Session, event_id: int) -> list[Speaker]:
    return list(session.scalars(select(Speaker).where(Speaker.event_id == event_id)
                                .options(selectinload(Speaker.sessions)).order_by(Speaker.name)))
