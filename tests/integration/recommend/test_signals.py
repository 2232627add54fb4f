"""Audit my signals on a real Postgres: the listing with its grades, and exclusions that the next refresh obeys."""
import pytest
from sqlalchemy import select

from core.recommend.people import current_recommendations, refresh_recommendations
from core.recommend.signals import (
    PrivacyGrade,
    SignalError,
    SignalGroup,
    exclude_signal,
    include_signal,
    signals_of,
)
from db.models import Event, MatchControl, Person, ProgramSession, Registration, SessionAction, SignalExclusion
from tests.fakes import FakeEmbedder


@pytest.fixture
def event(db):
    event = Event(slug="sig", name="Signals summit")
    db.add(event)
    db.flush()
    return event


def register(db, event, **fields) -> Person:
    person = Person(email=f"{fields['first_name'].lower()}@x.io", last_name="T", **fields)
    db.add(person)
    db.flush()
    db.add(Registration(event_id=event.id, person_id=person.id))
    db.flush()
    return person


@pytest.fixture
def pair(db, event):
    """Two people who match only through one skill: Hana needs kubernetes operations, Sam offers it."""
    hana = register(db, event, first_name="Hana", role="Engineering Manager", goals=["NETWORK"],
                    skills_needed=["kubernetes operations"], interests=["gardening"])
    sam = register(db, event, first_name="Sam", role="Engineer", goals=["NETWORK"],
                   skills_offered=["kubernetes operations"], interests=["chess"])
    return hana, sam


def refresh(db, event, clock):
    refresh_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)


def reasons_for(db, event, viewer, clock) -> str:
    cards = current_recommendations(db, event_id=event.id, person_id=viewer.id, now=clock.now())
    return " ".join(reason for card in cards for reason in card.recommendation.reasons)


def by_key(db, person):
    return {s.key: s for s in signals_of(db, person.id)}


def test_profile_fields_are_listed_with_their_privacy_grade(db, event):
    person = register(db, event, first_name="Ada", role="CTO", goals=["HIRE"], problem_statement="We cannot hire.",
                      city="Lisbon")
    signals = by_key(db, person)
    assert signals["field:role"].grade == PrivacyGrade.LIMITED
    assert signals["field:problem_statement"].grade == PrivacyGrade.PRIVATE
    assert signals["field:goals"].grade == PrivacyGrade.PRIVATE
    assert signals["field:goals"].value == "Find talent to hire"
    assert signals["field:location"].value == "Lisbon"


def test_skills_needs_and_interests_have_stable_keys(db, event, pair):
    hana, sam = pair
    assert "need:kubernetes operations" in by_key(db, hana) and "interest:gardening" in by_key(db, hana)
    assert by_key(db, sam)["skill:kubernetes operations"].group == SignalGroup.SKILLS


def test_skill_concepts_the_matcher_reads_are_listed_with_their_source(db, event, pair):
    hana, _ = pair
    concepts = [s for s in signals_of(db, hana.id) if s.key.startswith("concept:")]
    assert concepts and all("need kubernetes operations" in s.source for s in concepts
                            if "kubernetes" in s.value.lower())


def test_enrichment_facts_are_public_and_name_their_source(db, event):
    person = register(db, event, first_name="Eve", enrichment={"github_languages": {"value": ["Go", "Rust"],
                                                                                   "source": "GitHub"}})
    fact = by_key(db, person)["enrichment:github_languages"]
    assert fact.grade == PrivacyGrade.PUBLIC and fact.value == "Go, Rust" and "GitHub" in fact.source


def test_feedback_and_bookmarks_are_private_behavioural_signals(db, event, pair, clock):
    hana, sam = pair
    talk = ProgramSession(event_id=event.id, external_id="t1", title="Operating clusters")
    db.add_all([talk, MatchControl(person_id=hana.id, target_person_id=sam.id, kind="less_like")])
    db.flush()
    db.add(SessionAction(person_id=hana.id, session_id=talk.id, kind="bookmark", created_at=clock.now()))
    db.flush()
    signals = by_key(db, hana)
    assert signals[f"feedback:less_like:{sam.id}"].grade == PrivacyGrade.PRIVATE
    assert signals[f"bookmark:{talk.id}"].value == "Operating clusters"
    assert not signals[f"bookmark:{talk.id}"].excludable


def test_an_excluded_signal_is_marked_excluded_in_the_listing(db, event, pair, clock):
    hana, _ = pair
    exclude_signal(db, person_id=hana.id, signal="interest:gardening", clock=clock)
    assert by_key(db, hana)["interest:gardening"].excluded
    assert not by_key(db, hana)["need:kubernetes operations"].excluded


def test_excluding_a_signal_twice_keeps_one_row(db, event, pair, clock):
    hana, _ = pair
    for _ in range(2):
        exclude_signal(db, person_id=hana.id, signal="field:bio", clock=clock)
    assert len(db.scalars(select(SignalExclusion).where(SignalExclusion.person_id == hana.id)).all()) == 1


def test_an_unknown_signal_kind_is_refused(db, event, pair, clock):
    with pytest.raises(SignalError, match="not a signal"):
        exclude_signal(db, person_id=pair[0].id, signal="password:hunter2", clock=clock)


def test_before_the_exclusion_the_match_cites_the_shared_skill(db, event, pair, clock):
    hana, _ = pair
    refresh(db, event, clock)
    assert "kubernetes operations" in reasons_for(db, event, hana, clock)


def test_an_excluded_skill_no_longer_produces_a_reason_after_the_next_refresh(db, event, pair, clock):
    hana, sam = pair
    refresh(db, event, clock)
    exclude_signal(db, person_id=hana.id, signal="need:kubernetes operations", clock=clock)
    refresh(db, event, clock)
    assert "kubernetes" not in reasons_for(db, event, hana, clock)
    assert "kubernetes" not in reasons_for(db, event, sam, clock)


def test_an_excluded_skill_keeps_citing_until_the_refresh(db, event, pair, clock):
    hana, _ = pair
    refresh(db, event, clock)
    exclude_signal(db, person_id=hana.id, signal="need:kubernetes operations", clock=clock)
    assert "kubernetes operations" in reasons_for(db, event, hana, clock)


def test_an_excluded_concept_drops_every_text_naming_it(db, event, pair, clock):
    hana, _ = pair
    concept = next(s.value for s in signals_of(db, hana.id)
                   if s.key.startswith("concept:") and "kubernetes" in s.value.lower())
    exclude_signal(db, person_id=hana.id, signal=f"concept:{concept}", clock=clock)
    refresh(db, event, clock)
    assert "kubernetes" not in reasons_for(db, event, hana, clock)


def test_an_excluded_field_is_blanked_for_matching_but_kept_on_the_profile(db, event, pair, clock):
    hana, sam = pair
    exclude_signal(db, person_id=sam.id, signal="field:role", clock=clock)
    refresh(db, event, clock)
    assert "Engineer" not in reasons_for(db, event, hana, clock)
    assert db.get(Person, sam.id).role == "Engineer"


def test_including_the_skill_again_restores_the_reason_at_the_next_refresh(db, event, pair, clock):
    hana, _ = pair
    exclude_signal(db, person_id=hana.id, signal="need:kubernetes operations", clock=clock)
    refresh(db, event, clock)
    include_signal(db, person_id=hana.id, signal="need:kubernetes operations")
    refresh(db, event, clock)
    assert "kubernetes operations" in reasons_for(db, event, hana, clock)


def test_excluded_feedback_is_ignored_by_the_next_refresh(db, event, pair, clock):
    hana, sam = pair
    db.add(MatchControl(person_id=hana.id, target_person_id=sam.id, kind="dismiss"))
    db.flush()
    refresh(db, event, clock)
    assert current_recommendations(db, event_id=event.id, person_id=hana.id, now=clock.now()) == []
    exclude_signal(db, person_id=hana.id, signal=f"feedback:dismiss:{sam.id}", clock=clock)
    refresh(db, event, clock)
    cards = current_recommendations(db, event_id=event.id, person_id=hana.id, now=clock.now())
    assert [c.person.id for c in cards] == [sam.id]


def test_an_excluded_interest_no_longer_drives_a_session_recommendation(db, event, clock):
    from core.recommend.program import refresh_program_recommendations
    from db.models import Recommendation, RecommendationKind

    hana = register(db, event, first_name="Hana", role="Engineer", goals=["LEARN"], interests=["Kubernetes"])
    db.add_all([ProgramSession(event_id=event.id, external_id="k8s", title="Operating Kubernetes at scale",
                               description="Clusters, operators and upgrades.", tags=["Kubernetes"]),
                ProgramSession(event_id=event.id, external_id="ux", title="Designing calm interfaces",
                               description="Typography and colour.", tags=["Design"])])
    db.flush()

    def session_reasons() -> str:
        refresh_program_recommendations(db, event=event, embedder=FakeEmbedder(), clock=clock)
        return " ".join(r for rec in db.scalars(select(Recommendation).where(
            Recommendation.user_id == hana.id, Recommendation.kind == RecommendationKind.SESSION))
            for r in rec.reasons)

    assert "Kubernetes" in session_reasons()
    exclude_signal(db, person_id=hana.id, signal="interest:Kubernetes", clock=clock)
    assert "Kubernetes" not in session_reasons()
