"""The event program: sessions, speakers and who speaks where."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Session as ProgramSession
from db.models import Speaker

SESSION_FIELDS = ("title", "description", "starts_at", "ends_at", "room", "track", "session_type", "difficulty",
                  "tags", "outcomes", "target_audience", "capacity")
SPEAKER_FIELDS = ("name", "title", "company", "bio", "expertise", "offerings")


def store_program(session: Session, event_id: int, sessions: list[dict], speakers: list[dict]) -> dict[str, int]:
    """Upsert speakers by email and sessions by external id, then link them. Does not commit."""
    existing_speakers = {s.email: s for s in session.scalars(select(Speaker).where(Speaker.event_id == event_id))}
    for record in speakers:
        email = record["email"].strip().lower()
        speaker = existing_speakers.get(email)
        if speaker is None:
            speaker = Speaker(event_id=event_id, email=email)
            session.add(speaker)
            existing_speakers[email] = speaker
        for field in SPEAKER_FIELDS:
            if field in record:
                setattr(speaker, field, record[field])
    existing_sessions = {s.external_id: s for s in session.scalars(
        select(ProgramSession).where(ProgramSession.event_id == event_id).options(selectinload(ProgramSession.speakers)))}
    for record in sessions:
        item = existing_sessions.get(record["external_id"])
        if item is None:
            item = ProgramSession(event_id=event_id, external_id=record["external_id"])
            session.add(item)
            existing_sessions[item.external_id] = item
        for field in SESSION_FIELDS:
            if field in record:
                setattr(item, field, record[field])
        wanted = [existing_speakers[e.strip().lower()] for e in record.get("speaker_emails", [])
                  if e.strip().lower() in existing_speakers]
        item.speakers = wanted
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
