"""The unified "For You" feed (seed 001): people, sessions and speakers interleaved by match score."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.recommend.people import current_recommendations
from core.recommend.program import display_score, session_recommendations, speaker_recommendations

KIND_ORDER = {"person": 0, "speaker": 1, "session": 2}


@dataclass(frozen=True)
class FeedItem:
    kind: str  # person | session | speaker
    recommendation_id: int
    target_id: int
    score: float
    title: str
    subtitle: str
    reasons: list[str]
    rank: int = 0  # the stored rank within its kind: breaks ties between equal displayed scores


def unified_feed(session: Session, *, event_id: int, person_id: int, now: datetime, limit: int = 30
                 ) -> list[FeedItem]:
    """All stored recommendations of one attendee, best displayed score first whatever their kind; equal scores
    by rank."""
    items = [FeedItem("person", c.recommendation.id, c.person.id, c.recommendation.score,
                      c.person.full_name, " · ".join(x for x in (c.person.role, c.person.company) if x),
                      list(c.recommendation.reasons), c.recommendation.rank)
             for c in current_recommendations(session, event_id=event_id, person_id=person_id, now=now)]
    items += [FeedItem("session", c.recommendation.id, c.session.id, c.recommendation.score, c.session.title,
                       " · ".join(x for x in (f"{c.session.starts_at:%a %H:%M}" if c.session.starts_at else "",
                                                c.session.room, c.session.track) if x),
                       list(c.recommendation.reasons), c.recommendation.rank)
              for c in session_recommendations(session, event_id=event_id, person_id=person_id, now=now)]
    items += [FeedItem("speaker", c.recommendation.id, c.speaker.id, c.recommendation.score, c.speaker.name,
                       " · ".join(x for x in (c.speaker.title, c.speaker.company) if x),
                       list(c.recommendation.reasons), c.recommendation.rank)
              for c in speaker_recommendations(session, event_id=event_id, person_id=person_id, now=now)]
    return sorted(items, key=lambda i: (-display_score(i.score), i.rank, KIND_ORDER[i.kind], i.target_id))[:limit]
