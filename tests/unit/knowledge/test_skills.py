"""The skill graph tags phrases with concept families by whole-word aliases."""
from core.knowledge.skills import concept_matrix, concepts_of
from core.knowledge.taxonomy import CONCEPTS


def concept_with_multiword_alias() -> tuple[str, str]:
    for name, aliases in CONCEPTS.items():
        for alias in aliases:
            if len(alias.split()) >= 2:
                return name, alias
    raise AssertionError("the taxonomy has no multi-word alias")


def test_an_alias_inside_a_sentence_tags_its_concept():
    name, alias = concept_with_multiword_alias()
    assert name in concepts_of(f"Lately I spend most days on {alias.upper()}, honestly.")


def test_an_alias_must_match_whole_words():
    name, alias = concept_with_multiword_alias()
    glued = alias.replace(" ", "")
    assert name not in concepts_of(f"pre{glued}post")


def test_the_matrix_has_one_row_per_text_and_one_column_per_concept():
    name, alias = concept_with_multiword_alias()
    matrix = concept_matrix([alias, "nothing relevant here at all"])
    assert matrix.shape == (2, len(CONCEPTS))
    assert matrix[0, list(CONCEPTS).index(name)] == 1.0 and matrix[1].sum() == 0
