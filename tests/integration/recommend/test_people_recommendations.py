"""Refreshing, reading, acting on and exporting people recommendations on a real Postgres."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from core.jobs.uploads import import_dataset
from core.networking.requests import respond_to_request
from core.platform.clock import FixedClock
from core.recommend import people
from core.recommend.actions import ActionError, record_action
from core.recommend.people import (
    current_recommendations,
    export_recommendations_csv,
    refresh_recommendations,
)
from core.recommend.program import display_score
from db.models import Connection, ConnectionRequest, Event, MatchControl, Person, PersonEmbedding, Recommendation
from tests.fakes import FakeEmbedder

HEADER = ("email,first_name,last_name,company,role,industry,company_size,years_experience,interests,goals,"
          "skills_offered,skills_needed,bio,problem_statement,city,country,allow_enrichment\n")
ROWS = [
    "hirer@x.io,Hana,Ito,Acme,Engineering Manager,SaaS,,12,cloud,HIRE,,kubernetes operations,"
    "We are growing the platform team.,,Lisbon,Portugal,true",
    "seeker@x.io,Sam,Lee,Beta,Senior Engineer,SaaS,,6,cloud,GET_HIRED,kubernetes operations,,,,Berlin,Germany,true",
    "painter@x.io,Pia,Roth,Gamma,Artist,Art,,6,art,GET_HIRED,watercolour painting,,,,Paris,France,true",
    "seller@x.io,Sol,Diaz,Delta,Founder,Fintech,,8,fintech,SELL,payment fraud detection,,,,Madrid,Spain,true",
    "buyer@x.io,Bea,Kim,Epsilon,Head of Risk,Fintech,,10,fintech,BUY,,payment fraud detection,,,Seoul,South Korea,true",
    "mentor@x.io,Max,Berg,Zeta,VP Product,SaaS,,20,product,MENTOR,product roadmaps,,,,Oslo,Norway,true",
    "mentee@x.io,Mia,Berg,Eta,Junior PM,SaaS,,1,product,GET_MENTORED,,product roadmaps,,,Oslo,Norway,true",
]


@pytest.fixture
def event(db, clock):
    data = (HEADER + "\n".join(ROWS) + "\n").encode()
    import_dataset(db, kind="attendees", data=data, filename="a.csv", event_slug="expo", actor_id=None, clock=clock,
                   max_mb=5)
    return db.scalar(select(Event))


def person_id(db, email):
    return db.scalar(select(Person.id).where(Person.email == email))


def refresh(db, event, clock, embedder=None, **kwargs):
    return refresh_recommendations(db, event=event, embedder=embedder or FakeEmbedder(), clock=clock, **kwargs)


def test_refresh_stores_ranked_recommendations_for_everyone(db, event, clock):
    report = refresh(db, event, clock)
    assert report.people == 7 and report.strategy == "small_event"
    cards = current_recommendations(db, event_id=event.id, person_id=person_id(db, "hirer@x.io"), now=clock.now())
    assert cards[0].person.email == "seeker@x.io"
    assert sorted(c.recommendation.rank for c in cards) == list(range(1, len(cards) + 1))
    scores = [display_score(c.recommendation.score) for c in cards]
    assert scores == sorted(scores, reverse=True)


def test_every_recommendation_carries_reasons_starters_value_and_strategy(db, event, clock):
    refresh(db, event, clock)
    for rec in db.scalars(select(Recommendation)):
        assert 2 <= len(rec.reasons) <= 3 and len(rec.starters) == 2 and rec.potential_value
        assert rec.strategy == "algorithmic" and rec.expires_at == clock.now() + timedelta(hours=24)


def test_the_top_reason_cites_what_actually_matched(db, event, clock):
    refresh(db, event, clock)
    cards = current_recommendations(db, event_id=event.id, person_id=person_id(db, "buyer@x.io"), now=clock.now())
    assert "payment fraud detection" in " ".join(cards[0].recommendation.reasons)


def test_a_second_refresh_with_no_profile_changes_embeds_nothing(db, event, clock):
    refresh(db, event, clock)
    embedder = FakeEmbedder()
    report = refresh(db, event, clock, embedder)
    assert report.embedded_profiles == 0 and embedder.calls == []
    assert db.scalar(select(func.count()).select_from(PersonEmbedding)) == 7


def accept_request_from(db, requester: int, clock) -> None:
    request = db.scalar(select(ConnectionRequest).where(ConnectionRequest.requester_id == requester))
    respond_to_request(db, request_id=request.id, person_id=request.recipient_id, action="accept", clock=clock)


def test_connect_sends_one_request_and_makes_no_connection_until_it_is_accepted(db, event, clock):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action="connect", clock=clock)
    with pytest.raises(ActionError, match="already asked"):
        record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action="connect", clock=clock)
    assert db.scalar(select(func.count()).select_from(ConnectionRequest)) == 1
    assert db.scalar(select(func.count()).select_from(Connection)) == 0


def test_an_accepted_request_makes_one_connection_and_removes_the_pair_on_refresh(db, event, clock):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action="connect", clock=clock)
    accept_request_from(db, hirer, clock)
    assert db.scalar(select(func.count()).select_from(Connection)) == 1
    refresh(db, event, clock)
    shown = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())
    assert first.person.id not in [c.person.id for c in shown]


def test_a_pair_acted_on_that_drops_out_is_kept_for_analytics_but_no_longer_current(db, event, clock):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action="connect", clock=clock)
    accept_request_from(db, hirer, clock)
    refresh(db, event, clock)
    kept = db.get(Recommendation, first.recommendation.id, populate_existing=True)
    assert kept.connected_at == clock.now() and kept.rank == 0 and kept.expires_at == clock.now()


def test_a_pair_not_acted_on_that_drops_out_is_deleted(db, event, clock):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    db.add(MatchControl(person_id=hirer, target_person_id=first.person.id, kind="block"))
    db.commit()
    refresh(db, event, clock)
    assert db.get(Recommendation, first.recommendation.id, populate_existing=True) is None


def test_dismissed_people_disappear_at_once_and_stay_away_after_refresh(db, event, clock):
    refresh(db, event, clock)
    buyer = person_id(db, "buyer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=buyer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=buyer, action="dismiss", clock=clock)
    assert first.person.id not in [c.person.id for c in current_recommendations(
        db, event_id=event.id, person_id=buyer, now=clock.now())]
    refresh(db, event, clock)
    assert first.person.id not in [c.person.id for c in current_recommendations(
        db, event_id=event.id, person_id=buyer, now=clock.now())]


def test_snoozed_people_return_after_30_days(db, event, clock):
    refresh(db, event, clock)
    buyer = person_id(db, "buyer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=buyer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=buyer, action="snooze", clock=clock)
    later = FixedClock(clock.now() + timedelta(days=31))
    refresh(db, event, later)
    assert first.person.id in [c.person.id for c in current_recommendations(
        db, event_id=event.id, person_id=buyer, now=later.now())]


def test_more_like_this_replaces_an_earlier_less_like_this(db, event, clock):
    refresh(db, event, clock)
    buyer = person_id(db, "buyer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=buyer, now=clock.now())[0]
    for action in ("less_like", "more_like"):
        record_action(db, recommendation_id=first.recommendation.id, person_id=buyer, action=action, clock=clock)
    assert list(db.scalars(select(MatchControl.kind))) == ["more_like"]


def test_views_and_pings_are_stored_and_survive_a_refresh(db, event, clock):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    for action in ("view", "ping"):
        record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action=action, clock=clock)
    refresh(db, event, clock)
    again = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    assert again.recommendation.viewed_at == clock.now() and again.recommendation.pinged_at == clock.now()


def test_a_new_attendees_list_is_stored_beside_the_merged_lists_of_those_who_had_one(db, event, clock,
                                                                                   monkeypatch):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action="ping", clock=clock)
    late = "late@x.io,Lou,Ng,Theta,Recruiter,SaaS,,9,cloud,HIRE,,kubernetes operations,,,Lisbon,Portugal,true\n"
    import_dataset(db, kind="attendees", data=(HEADER + late).encode(), filename="b.csv", event_slug="expo",
                   actor_id=None, clock=clock, max_mb=5)
    monkeypatch.setattr(people, "STORE_VIEWERS", 1)  # the newcomer's batch holds no one with a stored list
    refresh(db, event, clock)
    newcomer = current_recommendations(db, event_id=event.id, person_id=person_id(db, "late@x.io"), now=clock.now())
    assert [c.recommendation.rank for c in newcomer] == list(range(1, 8))
    assert newcomer[0].person.email == "seeker@x.io"
    again = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())
    assert len(again) == 7 and db.get(Recommendation, first.recommendation.id).pinged_at == clock.now()


def test_a_viewer_whose_only_stored_pair_expired_after_an_action_gets_it_back_merged(db, event, clock, monkeypatch):
    refresh(db, event, clock)
    hirer = person_id(db, "hirer@x.io")
    first = current_recommendations(db, event_id=event.id, person_id=hirer, now=clock.now())[0]
    record_action(db, recommendation_id=first.recommendation.id, person_id=hirer, action="ping", clock=clock)
    db.execute(delete(Recommendation).where(Recommendation.user_id == hirer,
                                            Recommendation.id != first.recommendation.id))
    db.execute(update(Recommendation).where(Recommendation.id == first.recommendation.id)
               .values(rank=0, expires_at=clock.now() - timedelta(days=1)))
    db.commit()
    monkeypatch.setattr(people, "STORE_VIEWERS", 1)
    refresh(db, event, clock)  # a copied row for the same pair would break the unique key
    kept = db.get(Recommendation, first.recommendation.id, populate_existing=True)
    assert kept.rank == 1 and kept.pinged_at == clock.now() and kept.expires_at > clock.now()


def test_acting_on_someone_elses_recommendation_is_refused(db, event, clock):
    refresh(db, event, clock)
    rec = db.scalar(select(Recommendation).where(Recommendation.user_id == person_id(db, "hirer@x.io")))
    with pytest.raises(ActionError):
        record_action(db, recommendation_id=rec.id, person_id=person_id(db, "buyer@x.io"), action="ping", clock=clock)


def test_refreshing_one_attendee_leaves_the_others_untouched(db, event, clock):
    refresh(db, event, clock)
    later = FixedClock(clock.now() + timedelta(hours=1))
    refresh(db, event, later, only_person_ids=[person_id(db, "hirer@x.io")])
    generated = dict(db.execute(select(Recommendation.user_id, func.max(Recommendation.generated_at))
                                .group_by(Recommendation.user_id)).all())
    assert generated[person_id(db, "hirer@x.io")] == later.now()
    assert generated[person_id(db, "buyer@x.io")] == clock.now()


def test_deleted_people_are_neither_recommended_nor_given_recommendations(db, event, clock):
    seeker = db.scalar(select(Person).where(Person.email == "seeker@x.io"))
    seeker.deleted_at = clock.now()
    db.commit()
    refresh(db, event, clock)
    assert seeker.id not in set(db.scalars(select(Recommendation.target_person_id)))
    assert seeker.id not in set(db.scalars(select(Recommendation.user_id)))


def test_the_export_has_the_agreed_columns_and_one_row_per_recommendation(db, event, clock):
    refresh(db, event, clock)
    rows = list(csv.DictReader(io.StringIO(export_recommendations_csv(db, event.id, clock.now()))))
    assert list(rows[0]) == ["user_email", "rank", "recommended_email", "score", "strategy", "variant", "reasons"]
    assert len(rows) == db.scalar(select(func.count()).select_from(Recommendation))
