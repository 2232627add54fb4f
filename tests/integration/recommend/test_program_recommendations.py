"""Session and speaker recommendations on a real Postgres: semantic matching, exclusions, social proof, LLM."""
import json

import pytest
from sqlalchemy import select

from core.ai.llm import LLMError
from core.events.attendees import upsert_attendees
from core.events.events import get_event
from core.jobs.uploads import import_dataset
from core.recommend import program
from core.recommend.program import (
    record_session_action,
    refresh_program_recommendations,
    session_recommendations,
    speaker_recommendations,
)
from db.models import Connection, LLMCall, Person, ProgramSession, Recommendation, RecommendationKind, Speaker
from tests.conftest import SHARED
from tests.fakes import FakeEmbedder, FakeLLM
from tests.samples import SCHEDULE

EUROPYTHON = SHARED / "data" / "europython2022" / "europython2022_sessions.json"


def attendee(email: str, interests: list[str], **extra) -> dict:
    return {"email": email, "first_name": email.split("@")[0].title(), "last_name": "Test", "company": "Acme",
            "role": extra.pop("role", "Engineer"), "interests": interests, "goals": extra.pop("goals", ["LEARN"]),
            "skills_offered": [], "skills_needed": extra.pop("skills_needed", []), **extra}


def register(db, clock, slug: str, *people: dict):
    event = get_event(db, slug)
    upsert_attendees(db, event.id, list(people), clock.now())
    db.commit()
    return event


def person_id(db, email: str) -> int:
    return db.scalar(select(Person.id).where(Person.email == email))


@pytest.fixture
def europython(db, clock):
    report = import_dataset(db, kind="sessions", data=EUROPYTHON.read_bytes(), filename=EUROPYTHON.name,
                            event_slug="ep", actor_id=None, clock=clock, max_mb=50)
    assert report.ok
    return get_event(db, "ep")


def test_a_deep_learning_and_nlp_attendee_gets_mostly_ml_sessions_without_a_shared_tag(db, clock, europython,
                                                                                        real_embedder):
    register(db, clock, "ep", attendee("ada@x.io", ["deep learning", "NLP"]))
    refresh_program_recommendations(db, event=europython, embedder=real_embedder, clock=clock)
    db.commit()
    top = session_recommendations(db, event_id=europython.id, person_id=person_id(db, "ada@x.io"),
                                  now=clock.now())[:5]
    ml = [c.session.title for c in top if "PyData" in (c.session.track or "") or "Machine Learning" in (
        c.session.track or "")]
    assert len(ml) >= 3, [(c.session.title, c.session.track) for c in top]
    assert not any({"deep learning", "nlp"} & {t.lower() for t in c.session.tags} for c in top)
    assert all(c.recommendation.reasons for c in top)


def schedule_event(db, clock):
    import_dataset(db, kind="sessions", data=json.dumps(SCHEDULE).encode(), filename="schedule.json",
                   event_slug="conf", actor_id=None, clock=clock, max_mb=5)
    return get_event(db, "conf")


def refreshed_attendee(db, clock):
    """The schedule's event with one attendee whose lists were refreshed; (event, their id)."""
    event = schedule_event(db, clock)
    register(db, clock, "conf", attendee("ana@x.io", ["data", "python", "keynote"]))
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    return event, person_id(db, "ana@x.io")


def test_dismissed_and_attended_sessions_are_not_recommended_again(db, clock):
    event, me = refreshed_attendee(db, clock)
    first = session_recommendations(db, event_id=event.id, person_id=me, now=clock.now())
    record_session_action(db, person_id=me, session_id=first[0].session.id, action="dismiss", clock=clock)
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    again = session_recommendations(db, event_id=event.id, person_id=me, now=clock.now())
    assert first[0].session.id not in {c.session.id for c in again}


def test_a_session_bookmarked_by_a_connection_says_so(db, clock):
    event = schedule_event(db, clock)
    register(db, clock, "conf", attendee("ana@x.io", ["data", "python", "keynote"]),
             attendee("bo@x.io", ["data"]))
    ana, bo = person_id(db, "ana@x.io"), person_id(db, "bo@x.io")
    db.add(Connection(person_a_id=min(ana, bo), person_b_id=max(ana, bo), event_id=event.id))
    db.commit()
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    target = session_recommendations(db, event_id=event.id, person_id=ana, now=clock.now())[0].session
    record_session_action(db, person_id=bo, session_id=target.id, action="bookmark", clock=clock)
    card = next(c for c in session_recommendations(db, event_id=event.id, person_id=ana, now=clock.now())
                if c.session.id == target.id)
    assert card.connections_going == 1


def tagged_program(db, clock):
    """Three sessions tagged 'data': two at the same time (one with a single seat), one in the afternoon."""
    program = ("id,title,start,end,room,tags,capacity\n"
               "s1,Data mesh in practice,2026-12-01 10:00,2026-12-01 10:45,A,data,1\n"
               "s2,Data contracts,2026-12-01 10:00,2026-12-01 10:45,B,data,200\n"
               "s3,Data at rest,2026-12-01 14:00,2026-12-01 14:45,C,data,200\n")
    import_dataset(db, kind="sessions", data=program.encode(), filename="program.csv", event_slug="conf",
                   actor_id=None, clock=clock, max_mb=5)


def test_a_nearly_full_session_offers_alternatives_with_room_at_the_same_time(db, clock):
    tagged_program(db, clock)
    event = register(db, clock, "conf", attendee("ana@x.io", ["data"]), attendee("bo@x.io", ["data"]))
    ana, bo = person_id(db, "ana@x.io"), person_id(db, "bo@x.io")
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    full = db.scalar(select(ProgramSession).where(ProgramSession.external_id == "s1"))
    record_session_action(db, person_id=bo, session_id=full.id, action="bookmark", clock=clock)
    card = next(c for c in session_recommendations(db, event_id=event.id, person_id=ana, now=clock.now())
                if c.session.id == full.id)
    assert card.nearly_full
    assert [s.external_id for s in card.alternatives] == ["s2"]


def test_speakers_come_with_reasons_and_three_conversation_starters(db, clock, europython, real_embedder):
    register(db, clock, "ep", attendee("ada@x.io", ["machine learning", "audio"], goals=["LEARN", "NETWORK"]))
    refresh_program_recommendations(db, event=europython, embedder=real_embedder, clock=clock)
    db.commit()
    cards = speaker_recommendations(db, event_id=europython.id, person_id=person_id(db, "ada@x.io"),
                                    now=clock.now())
    assert cards and all(len(c.recommendation.starters) == 3 and c.recommendation.reasons for c in cards)


def test_the_llm_reranks_sessions_and_only_known_ids_count(db, clock):
    tagged_program(db, clock)
    event = register(db, clock, "conf", attendee("ana@x.io", ["data"]))
    ranked = [{"sessionId": "S2", "matchScore": 97, "reasons": ["Best fit for your data goals"]},
              {"sessionId": "S99", "matchScore": 99, "reasons": ["Invented"]}]
    llm = FakeLLM(json.dumps(ranked))
    report = refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock, llm=llm)
    db.commit()
    assert report.llm_ranked == 1
    assert "ana@x.io" not in llm.prompts[0]
    top = db.scalars(select(Recommendation).where(Recommendation.kind == RecommendationKind.SESSION)
                     .order_by(Recommendation.rank)).first()
    assert (top.strategy, top.score, top.reasons) == ("llm", 97.0, ["Best fit for your data goals"])


def test_a_failed_llm_call_keeps_the_algorithmic_sessions(db, clock):
    tagged_program(db, clock)
    event = register(db, clock, "conf", attendee("ana@x.io", ["data"]))
    report = refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock,
                                             llm=FakeLLM(error=LLMError("no valid reply after a re-ask")))
    db.commit()
    assert report.llm_failed == 1
    assert set(db.scalars(select(Recommendation.strategy))) == {"algorithmic"}


def test_the_llm_writes_the_speaker_starters_and_a_failure_keeps_the_templates(db, clock):
    event = schedule_event(db, clock)
    register(db, clock, "conf", attendee("ana@x.io", ["data", "security"], goals=["NETWORK"]))
    intros = [{"speakerId": f"P{k}", "conversationStarters": [f"Q{k}a", f"Q{k}b", f"Q{k}c"],
               "potentialValue": "A data mentor"} for k in (1, 2)]
    llm = FakeLLM(replies={"speaker_starters": json.dumps(intros)})
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock, llm=llm)
    db.commit()
    speakers = db.scalars(select(Recommendation).where(Recommendation.kind == RecommendationKind.SPEAKER)
                          .order_by(Recommendation.rank)).all()
    assert speakers and speakers[0].starters == ["Q1a", "Q1b", "Q1c"] and speakers[0].strategy == "llm"
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock,
                                    llm=FakeLLM(error=LLMError("timeout")))
    db.commit()
    db.expire_all()  # the refresh updated the same rows in place
    fallback = db.scalars(select(Recommendation).where(Recommendation.kind == RecommendationKind.SPEAKER)).all()
    assert all(len(r.starters) == 3 and r.strategy == "algorithmic" for r in fallback)


def test_filters_narrow_sessions_by_time_of_day(db, clock):
    tagged_program(db, clock)
    event = register(db, clock, "conf", attendee("ana@x.io", ["data"]))
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    afternoon = session_recommendations(db, event_id=event.id, person_id=person_id(db, "ana@x.io"), now=clock.now(),
                                        part_of_day="afternoon")
    assert [c.session.external_id for c in afternoon] == ["s3"]


def real_llm(stub):
    from core.ai.llm import AnthropicLLM, TokenBucket

    return AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, timeout=5.0, max_retries=0,
                        bucket=TokenBucket(rate_per_minute=60_000, capacity=1_000))


def test_through_the_real_sdk_sessions_are_reranked_and_speakers_introduced_and_calls_logged(db, clock):
    from tests.stubs.anthropic_stub import AnthropicStub

    tagged_program(db, clock)
    event = register(db, clock, "conf", attendee("ana@x.io", ["data"], goals=["NETWORK"]))
    db.add(Speaker(event_id=event.id, name="Ada Byron", expertise=["data"], title="Engineer"))
    db.commit()
    with AnthropicStub("reversed") as stub:
        report = refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock,
                                                 llm=real_llm(stub))
        db.commit()
    sessions = db.scalars(select(Recommendation).where(Recommendation.kind == RecommendationKind.SESSION)
                          .order_by(Recommendation.rank)).all()
    assert report.llm_ranked == 1 and {r.strategy for r in sessions} == {"llm"}
    assert sessions[0].reasons == ["LLM reason for this session"]  # its own label, S3, said in words
    speaker = db.scalar(select(Recommendation).where(Recommendation.kind == RecommendationKind.SPEAKER))
    assert speaker.starters == [f"LLM starter {k} for this speaker" for k in (1, 2, 3)]
    assert not any("ana@x.io" in p for p in stub.prompts())
    assert sorted(db.scalars(select(LLMCall.feature))) == ["session_recommendations", "speaker_starters"]


def test_through_the_real_sdk_an_overloaded_api_leaves_the_algorithmic_lists(db, clock):
    from tests.stubs.anthropic_stub import AnthropicStub

    tagged_program(db, clock)
    event = register(db, clock, "conf", attendee("ana@x.io", ["data"]))
    with AnthropicStub("overloaded") as stub:
        report = refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock,
                                                 llm=real_llm(stub))
        db.commit()
    assert report.llm_failed >= 1
    assert set(db.scalars(select(Recommendation.strategy))) == {"algorithmic"}
    assert set(db.scalars(select(LLMCall.outcome))) == {"error"}


def test_a_second_refresh_updates_the_rows_that_stay_in_place_and_drops_the_dismissed_session(db, clock):
    event, me = refreshed_attendee(db, clock)
    sessions = select(Recommendation.target_session_id, Recommendation.id).where(
        Recommendation.kind == RecommendationKind.SESSION)
    before = dict(db.execute(sessions).all())
    dismissed = session_recommendations(db, event_id=event.id, person_id=me, now=clock.now())[0].session.id
    record_session_action(db, person_id=me, session_id=dismissed, action="dismiss", clock=clock)
    refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    after = dict(db.execute(sessions).all())
    assert dismissed not in after
    assert set(after) == set(before) - {dismissed}
    assert all(after[s] == before[s] for s in after)


def test_lists_stored_a_few_attendees_at_a_time_give_everyone_one_complete_list(db, clock, monkeypatch):
    monkeypatch.setattr(program, "STORE_ATTENDEES", 2)
    event = schedule_event(db, clock)
    register(db, clock, "conf", *(attendee(f"a{i}@x.io", ["data", "python", "keynote"]) for i in range(5)))
    report = refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
    db.commit()
    rows = db.execute(select(Recommendation.user_id, Recommendation.kind, Recommendation.rank)).all()
    lists: dict[tuple[int, str], list[int]] = {}
    for user, kind, rank in rows:
        lists.setdefault((user, kind), []).append(rank)
    assert len({user for user, _ in lists}) == 5
    assert all(sorted(ranks) == list(range(1, len(ranks) + 1)) for ranks in lists.values())
    assert report.session_recommendations == sum(kind == RecommendationKind.SESSION for _, kind, _ in rows)
    assert report.speaker_recommendations == sum(kind == RecommendationKind.SPEAKER for _, kind, _ in rows)
