"""Concepts induced from an event's own phrases: spellings, abbreviations and close meanings."""
import numpy as np

from core.knowledge.concept_induction import InductionSettings, event_concepts, induce_concepts
from core.knowledge.skills import concept_matrix


def unit(*rows: list[float]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


ORTHOGONAL = unit([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1])


def groups_of(phrases: list[str], vectors: np.ndarray) -> list[set[str]]:
    return [{phrases[i] for i in group} for group in induce_concepts(phrases, vectors)]


def test_a_typo_joins_the_phrase_it_misspells():
    phrases = ["varroa mite control", "varroa mite contrl", "queen rearing", "wax rendering"]
    assert groups_of(phrases, ORTHOGONAL) == [{"varroa mite control", "varroa mite contrl"}]


def test_an_acronym_joins_the_words_it_abbreviates():
    phrases = ["VMC", "varroa mite control", "queen rearing", "wax rendering"]
    assert groups_of(phrases, ORTHOGONAL) == [{"VMC", "varroa mite control"}]


def test_mutual_nearest_neighbours_above_the_bar_form_one_concept():
    vectors = unit([1, 0.3, 0, 0], [1, 0.35, 0, 0], [0, 0, 1, 0], [0, 0, 0.2, 1])
    assert groups_of(["bee yard planning", "apiary layout", "mead", "candles"], vectors) == [
        {"bee yard planning", "apiary layout"}]


def test_phrases_far_apart_in_meaning_and_spelling_stay_apart():
    assert groups_of(["mead making", "hive scales", "queen rearing", "wax rendering"], ORTHOGONAL) == []


def test_a_group_larger_than_the_cap_is_a_chain_and_is_dropped():
    phrases = [f"phrase number {i}" for i in range(5)]
    vectors = unit(*[[1, 0.01 * i, 0, 0] for i in range(5)])
    assert induce_concepts(phrases, vectors, InductionSettings(max_concept_size=4)) == []


def test_a_misspelt_taxonomy_skill_shares_the_taxonomy_concept():
    texts = ["kubernetes", "kubernetess", "watercolour"]
    concepts = event_concepts(texts, ORTHOGONAL[:3], set(texts))
    taxonomy = concept_matrix(["kubernetes"])[0]
    assert taxonomy.any() and (concepts[1, :taxonomy.size] == taxonomy).all()


def test_a_misspelt_taxonomy_skill_alone_in_the_event_gets_the_taxonomy_concept():
    texts = ["machine lerning", "watercolour"]
    concepts = event_concepts(texts, ORTHOGONAL[:2], set(texts))
    taxonomy = concept_matrix(["machine learning"])[0]
    assert taxonomy.any() and (concepts[0, :taxonomy.size] == taxonomy).all()


def test_a_clause_carries_the_concepts_of_its_phrases_and_not_of_its_other_words():
    texts = ["We're hiring: looking for someone who really knows watercolour", "watercolour"]
    concepts = event_concepts(texts, ORTHOGONAL[:2], {"watercolour"})
    assert concept_matrix(["We're hiring"])[0].any()  # "hiring" alone names a taxonomy concept…
    assert (concepts[0] == concepts[1]).all()  # …which the clause does not carry
