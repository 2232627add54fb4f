"""'Download my data' on a real Postgres (seed 000 §11.2): a person with a row in every personal table, exported."""
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.privacy.export import ExportError, export_person, personal_tables, section_name
from db.models import (
    Account,
    AccountToken,
    AgendaItem,
    AlumniCard,
    AlumniCardRequest,
    Alumnus,
    AuditLog,
    BehaviorUser,
    Block,
    CapsuleRanking,
    CapsuleRankingRun,
    CapsuleReaction,
    CapsuleRelevance,
    CapsuleView,
    CareerPrediction,
    CategorySnooze,
    Connection,
    ConnectionActivity,
    ConnectionFeedback,
    ConnectionNote,
    ConnectionRequest,
    CourseCompletion,
    DatasetUpload,
    EngagementHistory,
    EngagementScore,
    EnrichmentCacheEntry,
    Event,
    EventOrganizer,
    ExperimentAssignment,
    Favourite,
    FollowUpDraft,
    Huddle,
    HuddleParticipant,
    JobRequest,
    KnowledgeCapsule,
    LocationShare,
    MatchControl,
    Meeting,
    Message,
    MessageThread,
    Notification,
    Person,
    PersonBadge,
    PersonEmbedding,
    ProfileView,
    ProgramSession,
    PromptVariant,
    Recommendation,
    RecommendationFeedback,
    Registration,
    Report,
    SessionAction,
    SignalExclusion,
    Speaker,
    TasteProfile,
)


def person(db, first: str, email: str) -> Person:
    row = Person(email=email, first_name=first, last_name="Silva", company="Acme", role="CTO", interests=["ai"],
                 goals=["LEARN"], enrichment={"github": {"repos": 12}})
    db.add(row)
    db.flush()
    return row


@pytest.fixture
def world(db, clock):
    """Ana with at least one row in every table that holds personal data; Bo, the other attendee."""
    now = clock.now()
    ana, bo = person(db, "Ana", "ana@x.io"), person(db, "Bo", "bo@x.io")
    event = Event(slug="expo", name="Expo 2026")
    db.add(event)
    db.flush()
    session = ProgramSession(event_id=event.id, external_id="s1", title="Vector search in practice")
    huddle = Huddle(event_id=event.id, topic="Scaling data pipelines")
    account = Account(username="ana", email="ana@x.io", display_name="Ana", password_hash="secret-hash",
                      person_id=ana.id, roles=["attendee"])
    db.add_all([session, huddle, account])
    db.flush()
    variant = PromptVariant(name="v1", template="t", created_by=account.id)
    connection = Connection(person_a_id=ana.id, person_b_id=bo.id, event_id=event.id)
    thread = MessageThread(person_a_id=ana.id, person_b_id=bo.id, event_id=event.id, created_at=now)
    db.add_all([variant, connection, thread])
    db.flush()
    recommendation = Recommendation(event_id=event.id, user_id=ana.id, kind="person", target_person_id=bo.id,
                                    rank=1, score=0.9, strategy="llm", generated_at=now,
                                    expires_at=now + timedelta(days=1), reasons=["You both build pipelines"])
    alumnus = Alumnus(email="ana@x.io", name="Ana Silva")
    db.add_all([recommendation, alumnus])
    db.flush()
    db.add_all([
        Block(blocker_id=ana.id, blocked_id=bo.id, created_at=now),
        CategorySnooze(person_id=ana.id, category="investors", until=now + timedelta(days=7), created_at=now),
        LocationShare(person_id=ana.id, event_id=event.id, zone="Hall A", shared_at=now,
                      expires_at=now + timedelta(hours=1)),
        MatchControl(person_id=ana.id, target_person_id=bo.id, kind="snooze"),
        Notification(person_id=ana.id, kind="ping", title="Bo pinged you", actor_id=bo.id),
        PersonEmbedding(person_id=ana.id, content_hash="h", model="m", embedding=[0.0] * 384),
        ProfileView(viewer_id=ana.id, person_id=bo.id, day=date(2026, 12, 1), views=2),
        Registration(event_id=event.id, person_id=ana.id, registered_at=now),
        SignalExclusion(person_id=ana.id, signal="skill:Python", created_at=now),
        Speaker(event_id=event.id, person_id=ana.id, name="Ana Silva", email="ana@x.io"),
        AccountToken(purpose="invitation", token_hash="token-secret", person_id=ana.id, account_id=account.id,
                     created_at=now, expires_at=now + timedelta(days=7)),
        AgendaItem(event_id=event.id, person_id=ana.id, session_id=session.id, score=0.5, planned_at=now),
        AuditLog(action="profile.updated", target_person_id=ana.id, at=now),
        ConnectionActivity(connection_id=connection.id, actor_id=ana.id, kind="note"),
        ConnectionFeedback(connection_id=connection.id, person_id=ana.id, rating=5),
        ConnectionNote(connection_id=connection.id, person_id=ana.id, note="Met at the coffee stand",
                       updated_at=now),
        DatasetUpload(kind="attendees", filename="a.csv", sha256="0" * 64, size_bytes=1, uploaded_by=account.id),
        EventOrganizer(event_id=event.id, account_id=account.id),
        JobRequest(job_id="refresh-recommendations", person_id=ana.id, requested_at=now),
        Meeting(event_id=event.id, requester_id=ana.id, recipient_id=bo.id, status="pending", proposed_by=ana.id,
                proposed_slots=[], created_at=now),
        Message(thread_id=thread.id, sender_id=bo.id, body="Hello Ana!", created_at=now),
        Report(reporter_id=ana.id, reported_id=bo.id, context="message", reason="spam", created_at=now),
        SessionAction(person_id=ana.id, session_id=session.id, kind="bookmark", created_at=now),
        ExperimentAssignment(experiment="people", person_id=ana.id, variant_id=variant.id),
        FollowUpDraft(connection_id=connection.id, event_id=event.id, author_id=ana.id, recipient_id=bo.id,
                      body="Great to meet you", source="llm", created_at=now),
        HuddleParticipant(huddle_id=huddle.id, person_id=ana.id),
        ConnectionRequest(requester_id=ana.id, recipient_id=bo.id, origin="recommendation", status="pending",
                          created_at=now),
        RecommendationFeedback(recommendation_id=recommendation.id, person_id=ana.id, action="bookmark"),
        CareerPrediction(alumnus_id=alumnus.id, email="ana@x.io", current_role="Data Analyst",
                         predictions=[{"role": "Data Scientist", "probability": 0.6}], advice="Learn Python.",
                         advice_source="template", computed_at=now),
        BehaviorUser(external_id="u1", email="ANA@x.io"),
        CourseCompletion(student_id="st1", course_name="Data 101", email="ana@x.io"),
        AlumniCard(card_uid="c" * 36, alumnus_id=alumnus.id, person_id=ana.id, card_number="ALM-2020-CS-000001",
                   name="Ana Silva", batch_year=2020, department="Computer Science", issued_at=now,
                   expires_at=now + timedelta(days=730), status="active", token="card-token", verification_count=0),
        AlumniCardRequest(alumnus_id=alumnus.id, person_id=ana.id, requested_at=now, status="review"),
        EnrichmentCacheEntry(source="search", key_hash="k" * 64, key="Ana Silva Acme CTO", person_id=ana.id,
                             payload={"results": []}, fetched_at=now, expires_at=now + timedelta(days=1)),
        Favourite(person_id=ana.id, kind="film", title="Dune", canonical_title="dune", source="manual", added_at=now),
        TasteProfile(person_id=ana.id, vector=[0.0] * 384, titles=1, input_hash="h", computed_at=now),
        EngagementScore(person_id=ana.id, total=55, level="Active", factors={"profile": 55.0}, streak_days=1,
                        computed_at=now),
        EngagementHistory(person_id=ana.id, computed_at=now, total=55, factors={"profile": 55.0}),
        PersonBadge(person_id=ana.id, badge="first_connection", earned_at=now),
    ])
    capsule = KnowledgeCapsule(natural_key="n" * 64, title="Window functions", content="Rank rows with OVER.",
                               tags=["SQL"], author_person_id=ana.id, author_name="Ana Silva", author_email="ana@x.io",
                               duration_minutes=5, source="written", created_at=now)
    db.add(capsule)
    db.flush()
    db.add_all([
        CapsuleView(capsule_id=capsule.id, person_id=ana.id, day=now, viewed_at=now),
        CapsuleReaction(capsule_id=capsule.id, person_id=ana.id, kind="like", created_at=now),
        CapsuleRanking(person_id=ana.id, capsule_id=capsule.id, rank=1, score=0.7, breakdown={"skill_match": 1.0},
                       computed_at=now),
        CapsuleRankingRun(person_id=ana.id, computed_at=now, capsules_version="v"),
        CapsuleRelevance(person_id=ana.id, capsule_id=capsule.id, profile_hash="h", relevance=0.9, source="llm",
                         computed_at=now),
    ])
    db.flush()
    return {"ana": ana, "bo": bo, "account": account}


def test_every_table_holding_personal_data_has_a_section_in_the_export(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    expected = {section_name(t.name) for t in personal_tables()}
    assert expected <= data.keys()


def test_every_table_holding_personal_data_reaches_the_export_with_the_persons_row(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    empty = sorted(t.name for t in personal_tables() if not data[section_name(t.name)])
    assert empty == [], f"no exported row for: {empty} (add a row for each new table to the `world` fixture)"


def test_the_tables_walked_include_every_foreign_key_to_people_and_accounts():
    from db.models import Base

    walked = {t.name for t in personal_tables()}
    linked = {t.name for t in Base.metadata.sorted_tables if t.name != "people"
              and any(fk.column.table.name in ("people", "accounts") for fk in t.foreign_keys)}
    assert linked <= walked and {"messages", "audit_log", "accounts"} <= walked


def test_the_export_is_json_with_datetimes_as_iso_strings(db, clock, world):
    export = export_person(db, person_id=world["ana"].id, clock=clock)
    text = json.dumps(export)
    assert export["exported_at"] == "2026-12-01T09:00:00+00:00" and "2026-12-01T09:00:00+00:00" in text
    assert export["data"]["event registrations"][0]["registered_at"] == "2026-12-01T09:00:00+00:00"


def test_other_people_appear_by_name_only(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    connection = data["connections"][0]
    assert (connection["person_a"], connection["person_b"]) == ("you", "Bo Silva")
    assert "bo@x.io" not in json.dumps(data)


def test_messages_from_the_other_person_in_the_persons_conversations_are_exported(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    assert [(m["sender"], m["body"]) for m in data["messages"]] == [("Bo Silva", "Hello Ana!")]


def test_recommendations_received_keep_their_reasons(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    assert data["recommendations received"][0]["reasons"] == ["You both build pipelines"]


def test_the_profile_and_the_enrichment_are_exported_separately(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    assert data["profile"]["email"] == "ana@x.io" and data["enriched_data"] == {"github": {"repos": 12}}


def test_passwords_tokens_and_embeddings_never_reach_the_export(db, clock, world):
    text = json.dumps(export_person(db, person_id=world["ana"].id, clock=clock))
    assert "secret-hash" not in text and "token-secret" not in text and '"embedding"' not in text


def test_rows_in_another_persons_private_space_are_counted_not_shown(db, clock, world):
    bo_data = export_person(db, person_id=world["bo"].id, clock=clock)["data"]
    assert bo_data["withheld"]["times another attendee blocked you"] == 1
    assert bo_data["people you blocked"] == [] and bo_data["reports"] == []


def test_the_huddle_and_the_event_are_named_beside_their_ids(db, clock, world):
    data = export_person(db, person_id=world["ana"].id, clock=clock)["data"]
    assert data["huddles"][0]["huddle"] == "Scaling data pipelines"
    assert data["agenda"][0]["event"] == "Expo 2026" and data["agenda"][0]["session"] == "Vector search in practice"


def test_an_export_is_recorded_in_the_audit_log_about_the_person(db, clock, world):
    export_person(db, person_id=world["ana"].id, clock=clock, actor_id=world["account"].id)
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "data.exported")).one()
    assert (entry.target_person_id, entry.actor_account_id) == (world["ana"].id, world["account"].id)


def test_exporting_an_unknown_person_says_so(db, clock):
    with pytest.raises(ExportError, match="does not exist"):
        export_person(db, person_id=999, clock=clock)
