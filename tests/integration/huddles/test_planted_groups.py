"""Problem huddles on the real model: planted groups of paraphrased problems are found and never mixed, with the
pairwise precision and recall of group membership documented in the README (threshold 0.40)."""
import itertools
from datetime import UTC, date, datetime

from sqlalchemy import select

from core.huddles.generate import DEFAULT_PROBLEM_SIMILARITY, generate_problem_huddles
from db.models import Event, Huddle, HuddleParticipant, Person, Registration
from tests.integration.huddles.test_planted_groups_data import NOISE, PLANTED_GROUPS

MIN_PRECISION, MIN_RECALL = 0.95, 0.65


def test_planted_problem_groups_are_found_without_mixing_two_problems(db, clock, real_embedder):
    event = Event(slug="planted", name="Planted", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2),
                  timezone="UTC")
    db.add(event)
    db.flush()
    label: dict[int, str | None] = {}
    statements = [(name, s) for name, group in PLANTED_GROUPS.items() for s in group] + [(None, s) for s in NOISE]
    for n, (name, statement) in enumerate(statements):
        person = Person(email=f"p{n}@x.io", first_name=f"P{n}", last_name="X", problem_statement=statement)
        db.add(person)
        db.flush()
        db.add(Registration(event_id=event.id, person_id=person.id, registered_at=datetime(2026, 11, 1, tzinfo=UTC)))
        label[person.id] = name
    db.flush()

    counts = generate_problem_huddles(db, event_id=event.id, clock=clock, embedder=real_embedder,
                                      threshold=DEFAULT_PROBLEM_SIMILARITY)

    members: dict[int, list[int]] = {}
    for huddle_id, person_id in db.execute(select(HuddleParticipant.huddle_id, HuddleParticipant.person_id)):
        members.setdefault(huddle_id, []).append(person_id)
    predicted = {frozenset(p) for group in members.values() for p in itertools.combinations(group, 2)}
    truth = {frozenset((a, b)) for a, b in itertools.combinations(label, 2) if label[a] and label[a] == label[b]}
    precision = len(predicted & truth) / len(predicted)
    recall = len(predicted & truth) / len(truth)
    found = {name for name in PLANTED_GROUPS
             if any(sum(label[p] == name for p in group) >= 3 for group in members.values())}
    mixed = [g for g in members.values() if len({label[p] for p in g if label[p]}) > 1]
    print(f"\nplanted groups found {len(found)}/{len(PLANTED_GROUPS)}, huddles {counts['huddles']}, "
          f"pairwise precision {precision:.3f}, recall {recall:.3f}")
    assert found == set(PLANTED_GROUPS)
    assert mixed == []
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL
    assert all(3 <= len(g) <= 8 for g in members.values())
    assert db.scalar(select(Huddle.problem_statement).limit(1))
