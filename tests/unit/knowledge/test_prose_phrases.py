"""Tag-like phrases are found in free text, with the direction of the cue before them."""
from core.knowledge.prose_phrases import Direction, prose_phrases


def found(clause: str) -> list[tuple[str, Direction]]:
    return [(p.text, p.direction) for p in prose_phrases(clause)]


def test_the_object_of_a_preposition_is_a_phrase_and_the_people_around_it_are_not():
    assert found("Growing my team; we urgently need people strong in container orchestration") == [
        ("container orchestration", Direction.NEED)]


def test_years_of_work_in_something_is_an_offer():
    assert found("Years of hands-on work in hive parasite management") == [
        ("hive parasite management", Direction.OFFER)]


def test_a_list_after_one_cue_gives_one_phrase_per_item():
    assert found("I have spent eight years on queen rearing and colony splitting") == [
        ("queen rearing", Direction.OFFER), ("colony splitting", Direction.OFFER)]


def test_an_object_verb_introduces_the_phrase():
    assert found("Evaluating vendors for threat modeling") == [("threat modeling", Direction.NEED)]


def test_words_like_teams_and_startup_are_trimmed_from_the_phrase():
    assert found("We sell a product for Cybersecurity teams") == [("Cybersecurity", Direction.OFFER)]
    assert found("Raising a seed round for our Climate tech startup") == [("Climate tech", Direction.NEED)]


def test_interest_cues_mark_a_topic_rather_than_a_need():
    assert found("Curious about alcohol duty returns") == [("alcohol duty returns", Direction.INTEREST)]


def test_generic_nouns_like_role_are_not_phrases():
    assert found("Looking for my next role") == []


def test_a_clause_without_any_cue_or_preposition_gives_nothing():
    assert found("Happy to chat") == []


def test_an_ampersand_inside_a_word_keeps_it_whole_and_one_between_words_splits_the_list():
    assert found("Early-stage investor backing P&I clubs") == [("P&I clubs", Direction.OFFER)]
    assert found("We need help with R&D & marketing") == [("R&D", Direction.NEED), ("marketing", Direction.NEED)]
