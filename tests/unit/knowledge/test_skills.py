"""The skill graph tags phrases with concept families by whole-word aliases, and other spellings of an alias."""
from core.knowledge.skills import concept_matrix, concepts_of, misspelt_concept_matrix, normalize_phrase
from core.knowledge.taxonomy import CONCEPTS


def concept_with_multiword_alias() -> tuple[str, str]:
    for name, aliases in CONCEPTS.items():
        for alias in aliases:
            if len(alias.split()) >= 2:
                return name, alias
    raise AssertionError("the taxonomy has no multi-word alias")


def long_alias() -> tuple[str, str]:
    """A concept and an alias of three words or more and 24 characters or more, written as normalised."""
    for name, aliases in CONCEPTS.items():
        for alias in aliases:
            if len(alias.split()) >= 3 and len(alias) >= 24 and normalize_phrase(alias) == alias:
                return name, alias
    raise AssertionError("the taxonomy has no long alias")


def misspelt_concepts(text: str) -> set[str]:
    row = misspelt_concept_matrix([text], min_ratio=0.88)[0]
    return {name for name, tagged in zip(CONCEPTS, row, strict=True) if tagged}


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


def test_an_alias_with_a_letter_dropped_is_another_spelling_of_its_concept():
    name, alias = long_alias()
    assert name in misspelt_concepts(alias[:10] + alias[11:])


def test_an_alias_with_a_word_more_is_another_spelling_of_its_concept():
    name, alias = long_alias()
    first, rest = alias.split(" ", 1)
    assert name in misspelt_concepts(f"{first} new {rest}")


def test_a_different_first_letter_makes_another_word_not_a_typo():
    name, alias = long_alias()
    first = "q" if alias[0] != "q" else "z"
    assert name not in misspelt_concepts(first + alias[1:])


def test_a_different_short_word_makes_another_phrase_not_a_typo():
    name, alias = long_alias()
    assert name not in misspelt_concepts(f"{alias} xy")


def test_an_alias_itself_is_not_another_spelling_of_anything():
    _, alias = long_alias()
    assert misspelt_concepts(alias) == set()


def test_a_phrase_unlike_every_alias_is_no_spelling_of_a_concept():
    assert misspelt_concepts("quarterly village bake sale") == set()


def test_a_single_word_is_never_respelled_into_another_word():
    name, alias = next((n, a) for n, aliases in CONCEPTS.items() for a in aliases
                       if " " not in a and len(a) >= 8 and normalize_phrase(a) == a)
    assert name not in misspelt_concepts(alias[:4] + alias[5:])


def test_the_closest_alias_wins_and_every_chunk_is_read(monkeypatch):
    import core.knowledge.skills as skills

    name, alias = long_alias()
    monkeypatch.setattr(skills, "SPELLING_ROWS", 1)
    rows = misspelt_concept_matrix(["quarterly village bake sale", alias[:10] + alias[11:]], min_ratio=0.88)
    assert not rows[0].any()
    assert {n for n, tagged in zip(CONCEPTS, rows[1], strict=True) if tagged} == {name}
