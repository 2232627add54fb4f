"""The event-wide session and speaker refresh (matrices) stores exactly what the per-attendee formulas store."""
from sqlalchemy import select

from core.demo.seed import DEMO_EVENT_SLUG, seed_demo
from core.events.attendees import upsert_attendees
from core.events.events import get_event
from core.recommend.program import record_session_action, refresh_program_recommendations
from db.models import Person, ProgramSession, Recommendation, RecommendationKind, Registration, Speaker

EMPTY = {"company": "", "role": "", "interests": [], "goals": [], "skills_offered": [], "skills_needed": []}


def sample_event(db, clock):
    """The demo event with 250 attendees and its program, plus the awkward cases: sessions without tags (one
    with a track only, one with a description only, one with neither), speakers without expertise (one with a
    bio, one with nothing), attendees with empty fields, and a dismissed session."""
    seed_demo(db, clock=clock, attendees=250, alumni=0, with_accounts=False)
    event = get_event(db, DEMO_EVENT_SLUG)
    bio_only = Speaker(event_id=event.id, name="Noor Haddad", title="Data Engineer", company="Streamwise",
                       bio="Builds streaming pipelines and teaches data quality.")
    bare = Speaker(event_id=event.id, name="Ilse Brandt")
    db.add_all([bio_only, bare,
                ProgramSession(event_id=event.id, external_id="x1", title="Reliable data pipelines",
                               track="Data", speakers=[bio_only]),
                ProgramSession(event_id=event.id, external_id="x2", title="Open questions",
                               description="How teams learn to hire and mentor engineers in a downturn.",
                               difficulty="Beginner friendly", speakers=[bare]),
                ProgramSession(event_id=event.id, external_id="x3", title="Lunch")])
    upsert_attendees(db, event.id, [
        {"email": "empty@x.io", "first_name": "Em", "last_name": "Pty", **EMPTY},
        {"email": "goals@x.io", "first_name": "Go", "last_name": "Al", **EMPTY,
         "goals": ["GET_MENTORED", "HIRE", "LEARN"]},
        {"email": "one@x.io", "first_name": "On", "last_name": "E", **EMPTY, "interests": ["data pipelines"],
         "role": "Data Engineer", "skills_needed": ["Data quality"], "years_experience": 2},
    ], clock.now())
    db.flush()
    first = db.scalar(select(Registration.person_id).where(Registration.event_id == event.id)
                      .order_by(Registration.person_id))
    tagged = db.scalar(select(ProgramSession.id).where(ProgramSession.event_id == event.id, ProgramSession.tags != [])
                       .order_by(ProgramSession.id))
    record_session_action(db, person_id=first, session_id=tagged, action="dismiss", clock=clock)
    db.commit()
    return event


def stored(db) -> list[tuple]:
    return [tuple(row) for row in db.execute(
        select(Recommendation.user_id, Recommendation.kind, Recommendation.target_session_id,
               Recommendation.target_speaker_id, Recommendation.rank, Recommendation.score, Recommendation.reasons,
               Recommendation.starters, Recommendation.strategy)
        .order_by(Recommendation.user_id, Recommendation.kind, Recommendation.rank))]


def test_the_whole_event_refresh_stores_what_scoring_each_attendee_and_session_alone_stores(db, clock, real_embedder):
    event = sample_event(db, clock)
    refresh_program_recommendations(db, event=event, embedder=real_embedder, clock=clock, reference=True)
    db.commit()
    reference = stored(db)
    refresh_program_recommendations(db, event=event, embedder=real_embedder, clock=clock)
    db.commit()
    assert stored(db) == reference
    # the sample exercised what it is for
    untagged = set(db.scalars(select(ProgramSession.id).where(ProgramSession.external_id.in_(["x1", "x2"]))))
    bare = set(db.scalars(select(Speaker.id).where(Speaker.expertise == [])))
    reasons = [r for row in reference for r in row[6]]
    assert {row[2] for row in reference} & untagged and {row[3] for row in reference} & bare
    assert any(r.startswith("Shared interests") for r in reasons)
    assert any(r.startswith("About your interest in") for r in reasons)
    assert any(r.startswith("Teaches") for r in reasons) and any(r.startswith("Can help with") for r in reasons)
    kinds = {row[1] for row in reference}
    assert kinds == {RecommendationKind.SESSION, RecommendationKind.SPEAKER}


def test_attendees_with_empty_fields_get_the_same_lists_from_both_refreshes(db, clock, real_embedder):
    event = sample_event(db, clock)
    people = dict(db.execute(select(Person.email, Person.id).where(
        Person.email.in_(["empty@x.io", "goals@x.io", "one@x.io"]))).all())
    refresh_program_recommendations(db, event=event, embedder=real_embedder, clock=clock, reference=True,
                                    only_person_ids=list(people.values()))
    reference = stored(db)
    refresh_program_recommendations(db, event=event, embedder=real_embedder, clock=clock,
                                    only_person_ids=list(people.values()))
    assert stored(db) == reference
    assert people["one@x.io"] in {row[0] for row in reference} <= set(people.values())
