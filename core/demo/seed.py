"""Loads the synthetic demo conference (attendees, program, alumni, one account per role)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.accounts import create_account, get_account
from core.demo.careers import alumnus_for_attendee, generate_course_completions, generate_job_postings
from core.demo.generate import generate_demo_alumni, generate_demo_attendees, generate_demo_program
from core.demo.vocabulary import DEPARTMENTS, FAVOURITE_SHARE, FAVOURITE_TITLES, FAVOURITES_PER_PERSON
from core.enrichment.favourites import TASTE_JOB, canonical_title
from core.events.attendees import upsert_attendees, validate_attendee
from core.events.events import add_organizer
from core.events.program import store_program
from core.knowledge.geocode import locate_rows
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.queue import request_job
from db.filters import in_values
from db.models import (
    Alumnus,
    Connection,
    ConnectionRequest,
    CourseCompletion,
    Event,
    Favourite,
    JobPosting,
    Message,
    MessageKind,
    MessageThread,
    Person,
    Recommendation,
    RecommendationKind,
    RequestStatus,
    SessionAction,
)

DEMO_PING = "Hi! We matched on GlobalConnect. Could we meet for ten minutes at the event?"
DEMO_REPLY = "Happy to. I'll be around the coffee area after the keynote."

DEMO_EVENT_SLUG = "globaltech-summit-2026"
DEMO_EVENT_NAME = "GlobalTech Summit 2026"
DEMO_EVENT_START = date(2026, 12, 8)
DEMO_POSTINGS = 400  # job postings for the skill demand and learning paths
DEMO_COMPLETIONS = 4000  # course completions by the demo alumni (at most two per alumnus)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    roles: tuple[str, ...]
    display_name: str


DEMO_ACCOUNTS = (
    DemoAccount("attendee", "attendee-demo-1", ("attendee",), "Demo Attendee"),
    DemoAccount("organizer", "organizer-demo-1", ("organizer",), "Demo Organizer"),
    DemoAccount("admin", "admin-demo-1", ("admin",), "Demo Admin"),
    DemoAccount("staff", "staff-demo-1", ("staff",), "Demo Staff"),
)


def database_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Event)) and not session.scalar(
        select(func.count()).select_from(Person))


def seed_demo(session: Session, *, clock: Clock, attendees: int = 300, alumni: int = 3000,
              with_accounts: bool = True) -> dict[str, int]:
    """Create the demo event and its data, and (in demo mode only) one account per role. Refuses a non-empty
    database."""
    if not database_is_empty(session):
        raise RuntimeError("The database already holds data; demo data is only loaded into an empty database.")
    now = clock.now()
    event = Event(slug=DEMO_EVENT_SLUG, name=DEMO_EVENT_NAME, starts_on=DEMO_EVENT_START,
                  ends_on=date.fromordinal(DEMO_EVENT_START.toordinal() + 1), city="Lisbon",
                  venue="Lisbon Congress Centre")
    session.add(event)
    session.flush()

    rows = generate_demo_attendees(n=attendees)
    profiles = []
    for row in rows:
        clean, errors = validate_attendee(row)
        if errors:
            raise ValueError(f"demo generator produced an invalid attendee {row['email']}: {errors}")
        profiles.append(clean)
    upsert_attendees(session, event.id, profiles, now)
    favourites = _seed_favourites(session, [p["email"] for p in profiles], now)
    if favourites:  # the worker embeds the few distinct titles once and computes the taste vectors
        request_job(session, job_id=TASTE_JOB, event_id=None, reason="demo favourites", clock=clock)

    sessions, speakers = generate_demo_program(start=DEMO_EVENT_START)
    program_counts = store_program(session, event.id, sessions, speakers)

    # The demo attendee is an alumnus too (the last of `alumni`), so "My career" has a history to show.
    alumni_rows = [*generate_demo_alumni(n=max(0, alumni - 1)), alumnus_for_attendee(profiles[0])][-alumni:] \
        if alumni else []
    if alumni_rows:  # the attendee's record is complete and verified, so the demo can show an alumni card
        alumni_rows[-1].update(department=alumni_rows[-1]["department"] or next(iter(DEPARTMENTS)), verified_at=now)
    session.add_all(Alumnus(**record) for record in alumni_rows)
    postings = generate_job_postings(DEMO_POSTINGS)
    locate_rows(postings)
    session.add_all(JobPosting(**row) for row in postings)
    completions = generate_course_completions(alumni_rows, min(DEMO_COMPLETIONS, 2 * len(alumni_rows)))
    session.add_all(CourseCompletion(**row) for row in completions)

    attendee_person = session.scalar(select(Person).where(Person.email == profiles[0]["email"]))
    for spec in DEMO_ACCOUNTS if with_accounts else ():
        if get_account(session, spec.username) is None:
            account = create_account(
                session, actor_id=None, username=spec.username, email=f"{spec.username}@demo.globalconnect.example",
                display_name=spec.display_name if spec.username != "attendee" else attendee_person.full_name,
                password=spec.password, roles=list(spec.roles),
                person_id=attendee_person.id if spec.username == "attendee" else None)
            if "organizer" in spec.roles:
                add_organizer(session, event_id=event.id, account_id=account.id, actor_id=None)
    record_audit(session, actor_id=None, action="demo.seeded", target_type="event", target_id=event.id,
                 details={"attendees": len(profiles), "alumni": alumni, **program_counts}, at=now)
    session.flush()
    return {"attendees": len(profiles), "favourites": favourites, "alumni": alumni, "job postings": len(postings),
            "course completions": len(completions), **program_counts,
            "accounts": len(DEMO_ACCOUNTS) if with_accounts else 0}


def _seed_favourites(session: Session, emails: list[str], now, seed: int = 11) -> int:
    """About half the attendees get 2-5 favourites from the small demo vocabulary, so some of them share titles."""
    rng = random.Random(seed)
    ids = dict(session.execute(select(Person.email, Person.id).where(in_values(Person.email, emails))).all())
    titles = [(kind, title) for kind, names in FAVOURITE_TITLES.items() for title in names]
    rows = []
    for email in emails:
        if rng.random() >= FAVOURITE_SHARE:
            continue
        for kind, title in rng.sample(titles, rng.randint(*FAVOURITES_PER_PERSON)):
            rows.append(Favourite(person_id=ids[email], kind=kind, title=title, canonical_title=canonical_title(title),
                                  rating=rng.choice((None, 3, 4, 5, 5)), source="manual",
                                  added_at=now - timedelta(days=rng.randint(1, 700))))
    session.add_all(rows)
    return len(rows)


def seed_demo_activity(session: Session, *, event_id: int, clock: Clock, seed: int = 7,
                       spare_person_id: int | None = None) -> dict[str, int]:
    """Plausible engagement on the stored recommendations (views, pings with some replies, accepted connection
    requests, bookmarks, attendance), so the organizer's analytics have something to show. `spare_person_id` is
    left untouched."""
    rng = random.Random(seed)
    now = clock.now()
    counts = {"views": 0, "pings": 0, "connections": 0, "bookmarks": 0, "attended": 0}
    pairs: set[tuple[int, int]] = set()
    threads: dict[tuple[int, int], MessageThread] = {}

    def write(sender: int, recipient: int, kind: MessageKind, body: str, at) -> None:
        pair = tuple(sorted((sender, recipient)))
        if pair not in threads:
            threads[pair] = MessageThread(person_a_id=pair[0], person_b_id=pair[1], event_id=event_id, created_at=at)
            session.add(threads[pair])
            session.flush()
        thread = threads[pair]
        thread.last_message_at = max(thread.last_message_at or at, at)
        session.add(Message(thread_id=thread.id, sender_id=sender, kind=kind.value, body=body, created_at=at,
                            read_at=at + timedelta(minutes=30)))

    recs = session.scalars(select(Recommendation).where(Recommendation.event_id == event_id,
                                                        Recommendation.user_id != (spare_person_id or 0))
                           .order_by(Recommendation.id)).all()
    for rec in recs:
        moment = now - timedelta(hours=rng.uniform(1, 72))
        if rec.kind == RecommendationKind.PERSON and rng.random() < 0.7:
            rec.viewed_at = moment
            counts["views"] += 1
            if rng.random() < 0.25 and spare_person_id != rec.target_person_id:
                rec.pinged_at = moment + timedelta(minutes=5)
                counts["pings"] += 1
                write(rec.user_id, rec.target_person_id, MessageKind.PING, DEMO_PING, rec.pinged_at)
                if rng.random() < 0.5:
                    write(rec.target_person_id, rec.user_id, MessageKind.MESSAGE, DEMO_REPLY,
                          rec.pinged_at + timedelta(minutes=40))
                pair = tuple(sorted((rec.user_id, rec.target_person_id)))
                if rng.random() < 0.5 and pair not in pairs:
                    pairs.add(pair)
                    rec.connected_at = moment + timedelta(hours=2)
                    session.add(ConnectionRequest(
                        event_id=event_id, requester_id=rec.user_id, recipient_id=rec.target_person_id,
                        recommendation_id=rec.id, origin="recommendation", status=RequestStatus.ACCEPTED.value,
                        created_at=moment + timedelta(hours=1), responded_at=rec.connected_at))
                    session.add(Connection(person_a_id=pair[0], person_b_id=pair[1], event_id=event_id,
                                           source="recommendation", created_at=rec.connected_at,
                                           interaction_count=1, last_interaction_at=rec.connected_at))
        elif rec.kind == RecommendationKind.SESSION and rec.rank <= 5 and rng.random() < 0.3:
            session.add(SessionAction(person_id=rec.user_id, session_id=rec.target_session_id, kind="bookmark",
                                      created_at=moment))
            counts["bookmarks"] += 1
            if rng.random() < 0.5:
                session.add(SessionAction(person_id=rec.user_id, session_id=rec.target_session_id, kind="attended",
                                          created_at=moment + timedelta(hours=1)))
                counts["attended"] += 1
    counts["connections"] = len(pairs)
    session.flush()
    return counts
