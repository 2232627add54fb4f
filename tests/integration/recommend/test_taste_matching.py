"""Favourites as a small taste term in matching and as a conversation starter, on a real Postgres."""
import pytest

from core.enrichment.favourites import add_favourite
from core.enrichment.taste import refresh_taste_vectors
from core.recommend.people import current_recommendations, refresh_recommendations
from db.models import Event, Favourite, Person, Registration
from tests.fakes import FakeEmbedder

# Neutral networkers: each shares a little with Xan (finance) or Yuki (the sea), nobody much with both.
CROWD = [("Ann", "Financial Planner", ["personal finance"]), ("Ben", "Policy Analyst", ["public policy"]),
         ("Cat", "Auditor", ["corporate accounting"]), ("Dan", "Sailor", ["ocean sailing"]),
         ("Eva", "Climate Scientist", ["climate science"]), ("Fin", "Diver", ["scuba diving"]),
         ("Gia", "Economist", ["economics"])]
SCI_FI = [("book", "Dune"), ("film", "Blade Runner"), ("book", "Foundation"), ("film", "Arrival")]
MORE_SCI_FI = [("book", "Dune"), ("film", "Blade Runner (Final Cut)"), ("book", "Hyperion"), ("film", "Interstellar")]
COOKING = [("book", "Salt Fat Acid Heat"), ("podcast", "The Splendid Table"), ("film", "Chef"),
           ("film", "Julie & Julia")]
ROMANCE = [("book", "Pride and Prejudice"), ("film", "Notting Hill"), ("podcast", "Modern Love")]


@pytest.fixture
def event(db):
    event = Event(slug="taste", name="Taste summit")
    db.add(event)
    db.flush()
    return event


def register(db, event, first, role, interests) -> Person:
    person = Person(email=f"{first.lower()}@x.io", first_name=first, last_name="T", company="Co", role=role,
                    goals=["NETWORK"], interests=interests, skills_offered=[], skills_needed=[])
    db.add(person)
    db.flush()
    db.add(Registration(event_id=event.id, person_id=person.id))
    db.flush()
    return person


@pytest.fixture
def crowd(db, event, clock):
    people = [register(db, event, first, role, interests) for first, role, interests in CROWD]
    for person in people:
        love(db, person, ROMANCE, clock)
    return people


@pytest.fixture
def pair(db, event, crowd):
    return (register(db, event, "Xan", "Tax Accountant", ["tax law"]),
            register(db, event, "Yuki", "Marine Biologist", ["coral reefs"]))


def love(db, person, titles, clock) -> None:
    for kind, title in titles:
        add_favourite(db, person_id=person.id, kind=kind, title=title, clock=clock)


def rank_of(db, event, clock, viewer, target) -> int:
    cards = current_recommendations(db, event_id=event.id, person_id=viewer.id, now=clock.now())
    return [c.person.id for c in cards].index(target.id) + 1


def refresh(db, event, clock, embedder):
    refresh_taste_vectors(db, embedder=embedder, clock=clock)
    refresh_recommendations(db, event=event, embedder=embedder, clock=clock)


def test_overlapping_favourites_rank_a_pair_higher_than_disjoint_ones(db, event, pair, clock, real_embedder):
    xan, yuki = pair
    love(db, xan, SCI_FI, clock)
    love(db, yuki, COOKING, clock)
    refresh(db, event, clock, real_embedder)
    disjoint = rank_of(db, event, clock, xan, yuki), rank_of(db, event, clock, yuki, xan)
    db.query(Favourite).filter(Favourite.person_id == yuki.id).delete()
    love(db, yuki, MORE_SCI_FI, clock)
    refresh(db, event, clock, real_embedder)
    overlapping = rank_of(db, event, clock, xan, yuki), rank_of(db, event, clock, yuki, xan)
    assert overlapping[0] < disjoint[0] and overlapping[1] < disjoint[1]


def test_a_shared_favourite_title_becomes_a_conversation_starter(db, event, pair, clock):
    xan, yuki = pair
    love(db, xan, SCI_FI, clock)
    love(db, yuki, MORE_SCI_FI, clock)
    refresh(db, event, clock, FakeEmbedder())
    cards = {c.person.id: c for c in current_recommendations(db, event_id=event.id, person_id=xan.id,
                                                              now=clock.now())}
    assert 'You both love "Dune".' in cards[yuki.id].recommendation.starters
    assert not any("You both love" in s for person, card in cards.items() if person != yuki.id
                   for s in card.recommendation.starters)


def test_someone_who_opted_out_of_taste_gets_no_favourite_starter(db, event, pair, clock):
    xan, yuki = pair
    love(db, xan, SCI_FI, clock)
    love(db, yuki, MORE_SCI_FI, clock)
    yuki.taste_opt_out = True
    db.flush()
    refresh(db, event, clock, FakeEmbedder())
    card = next(c for c in current_recommendations(db, event_id=event.id, person_id=xan.id, now=clock.now())
                if c.person.id == yuki.id)
    assert not any("You both love" in s for s in card.recommendation.starters)
