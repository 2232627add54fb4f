"""Prompt variant versions, traffic changes and assignments on a real Postgres."""
import pytest
from sqlalchemy import func, select

from core.ai.prompts import (
    VariantDraft,
    VariantError,
    active_variants,
    assign_variants,
    create_variant,
    edit_variant,
    ensure_seed_variants,
    set_traffic,
)
from db.models import AuditLog, Event, ExperimentAssignment, Person, PromptVariant, Recommendation

TEMPLATE = "Pick {k} people for {attendee} from {candidates}."


def seeded(db):
    ensure_seed_variants(db)
    variants = active_variants(db)
    db.commit()
    return {v.name: v for v in variants}


def test_the_three_seed_variants_are_created_once_as_active_50_25_25(db):
    seeded(db)
    seeded(db)
    rows = db.execute(select(PromptVariant.name, PromptVariant.weight, PromptVariant.status)).all()
    assert sorted(rows) == [("control", 50.0, "active"), ("conversation_optimized", 25.0, "active"),
                            ("goal_focused", 25.0, "active")]


def test_editing_a_version_that_produced_recommendations_creates_the_next_version(db, clock):
    control = seeded(db)["control"]
    person = Person(email="a@x.io", first_name="A", last_name="B", company="C", role="R", interests=["x"],
                    goals=["LEARN"])
    event = Event(slug="expo", name="Expo")
    db.add_all([person, event])
    db.flush()
    db.add(Recommendation(event_id=event.id, user_id=person.id, kind="person", target_person_id=person.id, rank=1,
                          score=1, strategy="llm", prompt_variant_id=control.id, generated_at=clock.now(),
                          expires_at=clock.now()))
    db.commit()
    original = control.template
    newer = edit_variant(db, variant_id=control.id, draft=VariantDraft(TEMPLATE), actor_id=None, clock=clock)
    assert (newer.name, newer.version, newer.status, newer.weight) == ("control", 2, "draft", 0)
    assert db.get(PromptVariant, control.id).template == original


def test_editing_an_unused_draft_changes_it_in_place(db, clock):
    draft = create_variant(db, name="short", draft=VariantDraft(TEMPLATE), actor_id=None, clock=clock)
    edited = edit_variant(db, variant_id=draft.id, draft=VariantDraft(TEMPLATE + " Be brief."), actor_id=None,
                          clock=clock)
    assert edited.id == draft.id and edited.version == 1 and edited.template.endswith("Be brief.")


def test_a_template_with_an_unknown_variable_is_not_saved(db, clock):
    with pytest.raises(VariantError):
        create_variant(db, name="bad", draft=VariantDraft("{attendee} {candidates} {venue}"), actor_id=None,
                       clock=clock)
    assert db.scalar(select(func.count()).select_from(PromptVariant).where(PromptVariant.name == "bad")) == 0


def test_promoting_with_weights_that_do_not_add_up_to_100_writes_nothing(db, clock):
    variants = seeded(db)
    draft = create_variant(db, name="short", draft=VariantDraft(TEMPLATE), actor_id=None, clock=clock)
    db.commit()
    with pytest.raises(VariantError, match="add up to 110%"):
        set_traffic(db, statuses={draft.id: "active"}, weights={draft.id: 10}, actor_id=None, clock=clock)
    db.rollback()
    assert db.get(PromptVariant, draft.id).status == "draft"
    assert db.get(PromptVariant, variants["control"].id).weight == 50


def test_promoting_and_retiring_applies_the_new_split_and_is_audit_logged(db, clock):
    variants = seeded(db)
    draft = create_variant(db, name="short", draft=VariantDraft(TEMPLATE), actor_id=None, clock=clock)
    set_traffic(db, statuses={draft.id: "active", variants["goal_focused"].id: "retired"},
                weights={draft.id: 25, variants["control"].id: 50, variants["conversation_optimized"].id: 25},
                actor_id=None, clock=clock)
    assert sorted((v.name, v.weight) for v in active_variants(db)) == [
        ("control", 50), ("conversation_optimized", 25), ("short", 25)]
    assert db.scalar(select(AuditLog.action).where(AuditLog.action == "prompt_variant.traffic"))


def test_assignments_are_recorded_and_reassigning_with_the_same_weights_changes_nothing(db, clock):
    seeded(db)
    people = [Person(email=f"p{i}@x.io", first_name="P", last_name=str(i), company="C", role="R", interests=["x"],
                     goals=["LEARN"]) for i in range(40)]
    db.add_all(people)
    db.flush()
    first = {p: v.id for p, v in assign_variants(db, [p.id for p in people], clock).items()}
    db.commit()
    again = {p: v.id for p, v in assign_variants(db, [p.id for p in people], clock).items()}
    recorded = dict(db.execute(select(ExperimentAssignment.person_id, ExperimentAssignment.variant_id)).all())
    assert first == again == recorded
