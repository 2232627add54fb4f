"""Small builders for the capsule tests: people, capsules and engagement scores on real Postgres."""
from datetime import timedelta

from core.community.capsules import natural_key
from db.models import Alumnus, CapsuleSource, EngagementScore, KnowledgeCapsule, Person


def person(session, email: str, *, offered=(), needed=(), role: str = "", bio: str | None = None) -> int:
    row = Person(email=email, first_name=email.split("@")[0].title(), last_name="Test", role=role,
                 skills_offered=list(offered), skills_needed=list(needed), interests=[], goals=[], bio=bio)
    session.add(row)
    session.flush()
    return row.id


def capsule(session, title: str, tags, *, now, age_days: float = 0, author_id: int | None = None,
            author_email: str | None = None, views: int = 0, likes: int = 0, bookmarks: int = 0,
            content: str = "A short capsule body about the topic in its title.", minutes: int = 5) -> int:
    row = KnowledgeCapsule(natural_key=natural_key(title, author_email or "someone"), title=title, content=content,
                           tags=list(tags), category=None, author_person_id=author_id, author_name="Someone",
                           author_email=author_email, duration_minutes=minutes, source=CapsuleSource.UPLOAD,
                           created_at=now - timedelta(days=age_days), views_count=views, likes_count=likes,
                           bookmarks_count=bookmarks)
    session.add(row)
    session.flush()
    return row.id


def score(session, person_id: int, total: float, now) -> None:
    session.add(EngagementScore(person_id=person_id, total=total, level="Active", factors={}, streak_days=0,
                                computed_at=now))
    session.flush()


def verified_alumnus(session, email: str, now) -> None:
    session.add(Alumnus(email=email, name="Verified Author", skills=[], verified_at=now))
    session.flush()
