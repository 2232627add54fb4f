"""The held-out matchmaking events: deterministic, hard by construction, and unknown to the taxonomy."""
from __future__ import annotations

import json

import pytest

from bench.eval_events import NEUTRAL_INTERESTS, TEMPLATES, VOCAB_DIR, EventSettings, generate_event, write_event
from core.knowledge.skills import concepts_of, misspelt_concept_matrix, normalize_phrase

REPORT_VOCABS = sorted(VOCAB_DIR.glob("report_*.json"))
TUNE_VOCABS = sorted(VOCAB_DIR.glob("tune_*.json"))
# Openings of the shared public generator's sentences, which must never reach a report.
PUBLIC_GENERATOR_PHRASES = ("growing my team", "looking for my next role", "happy to mentor people",
                            "early in my career and want guidance", "we sell a product for", "evaluating vendors for",
                            "raising a seed round", "early-stage investor backing")


def small(**overrides) -> EventSettings:
    return EventSettings(pairs=10, background=20, **overrides)


def tags(person: dict) -> list[str]:
    return person["skills_offered"] + person["skills_needed"] + person["interests"]


def test_the_same_seed_writes_the_same_files(tmp_path):
    settings = small(free_text=0.5, prose_only=0.3, sparse=0.3, typos=0.2)
    write_event(generate_event("report_maritime", settings), tmp_path / "a")
    write_event(generate_event("report_maritime", settings), tmp_path / "b")
    for name in ("attendees.csv", "pairs.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_two_sides_of_a_planted_pair_write_different_forms():
    event = generate_event("report_viticulture", small())
    people = {p["email"]: p for p in event.people}
    for a, b, kind in event.pairs:
        side_a, side_b = people[a], people[b]
        strings_a = set(tags(side_a)) | {side_a["industry"]}
        strings_b = set(tags(side_b)) | {side_b["industry"]}
        assert not (strings_a - {""}) & (strings_b - {""}), kind


def test_prose_only_people_have_no_skill_tags_but_their_prose_names_a_concept():
    event = generate_event("report_conservation", small(prose_only=1.0))
    spec = json.loads((VOCAB_DIR / "report_conservation.json").read_text(encoding="utf-8"))
    forms = [f.lower() for section in ("concepts", "industries") for fs in spec[section].values() for f in fs]
    prose_only = [p for p in event.people if p["prose_only"]]
    assert len(prose_only) == len(event.people)
    for person in prose_only:
        assert not person["skills_offered"] and not person["skills_needed"]
        assert len(person["interests"]) == 1 and person["interests"][0] in NEUTRAL_INTERESTS
        text = f"{person['bio']} {person['problem_statement']}".lower()
        assert any(form in text for form in forms), person


@pytest.mark.parametrize("vocab", REPORT_VOCABS + TUNE_VOCABS, ids=lambda p: p.stem)
def test_no_concept_form_is_known_to_the_taxonomy(vocab):
    concepts = json.loads(vocab.read_text(encoding="utf-8"))["concepts"]
    known = {form: concepts_of(form) for forms in concepts.values() for form in forms if concepts_of(form)}
    assert known == {}


@pytest.mark.parametrize("vocab", REPORT_VOCABS + TUNE_VOCABS, ids=lambda p: p.stem)
def test_no_concept_form_is_another_spelling_of_a_taxonomy_alias(vocab):
    forms = [form for forms in json.loads(vocab.read_text(encoding="utf-8"))["concepts"].values() for form in forms]
    spelt = misspelt_concept_matrix(forms, min_ratio=0.88)
    assert [form for form, row in zip(forms, spelt, strict=True) if row.any()] == []


@pytest.mark.parametrize("vocab", REPORT_VOCABS + TUNE_VOCABS, ids=lambda p: p.stem)
def test_each_vocabulary_has_sixteen_concepts_of_four_forms_and_six_industries_of_three(vocab):
    spec = json.loads(vocab.read_text(encoding="utf-8"))
    assert [len(f) for f in spec["concepts"].values()] == [4] * 16
    assert [len(f) for f in spec["industries"].values()] == [3] * 6


def test_there_are_at_least_three_tune_and_three_report_vocabularies():
    assert len(REPORT_VOCABS) >= 3 and len(TUNE_VOCABS) >= 3


def test_the_tune_and_report_template_families_share_no_template():
    tune = {t for family in TEMPLATES["tune"].values() for t in family}
    report = {t for family in TEMPLATES["report"].values() for t in family}
    assert tune and report and not tune & report


def test_the_report_family_never_uses_the_public_generators_sentences():
    report = [normalize_phrase(t) for family in TEMPLATES["report"].values() for t in family]
    for phrase in PUBLIC_GENERATOR_PHRASES:
        assert not any(normalize_phrase(phrase) in t for t in report), phrase


def test_sparse_background_people_give_only_a_role_and_two_interests():
    event = generate_event("report_maritime", EventSettings(pairs=0, background=20, sparse=1.0))
    for person in event.people:
        assert person["role"] and len(person["interests"]) == 2
        assert not (person["skills_offered"] or person["skills_needed"] or person["bio"] or person["industry"])
