"""'Why this match' texts are built from what actually matched."""
from core.knowledge.skills import concept_matrix
from core.recommend.explain import Side, TextSpace, explain_match, explain_matches
from core.recommend.matching import pack_concept_bits
from tests.fakes import FakeEmbedder


def space_of(me: Side, them: Side) -> TextSpace:
    texts = sorted({t for s in (me, them) for t in (*s.offers, *s.needs, *s.topics, *s.statements)})
    return TextSpace(texts, FakeEmbedder().encode(texts))


HIRER = Side("Hana", "Engineering Manager", "Acme", ["HIRE"], 12, "SaaS", "Lisbon", needs=["kubernetes operations"],
             topics=["cloud platforms"], statements=["We are growing the platform team fast this year"])
SEEKER = Side("Sam", "Senior Engineer", "Beta", ["GET_HIRED"], 6, "SaaS", "Berlin", offers=["kubernetes operations"],
              topics=["cloud platforms"], statements=["Looking for my next role in a platform team this year"])


def explain(me=HIRER, them=SEEKER):
    return explain_match(me, them, space_of(me, them), "Expo")


def test_the_goal_reason_follows_what_is_specific_to_the_candidate():
    reasons = explain().reasons
    assert reasons[-1] == "Sam is open to a new role and you are hiring."
    assert reasons[0].startswith("You need kubernetes operations; Sam brings")


def test_the_skill_reason_names_the_matched_skill_and_experience():
    expected = "You need kubernetes operations; Sam brings kubernetes operations (6 years of experience)."
    assert expected in explain().reasons


def test_there_are_two_or_three_reasons_and_two_starters():
    result = explain()
    assert 2 <= len(result.reasons) <= 3 and len(result.starters) == 2


def test_two_free_text_clauses_are_never_paired_as_need_and_offer():
    result = explain()
    assert not any("Looking for my next role" in r and "growing the platform team" in r for r in result.reasons)


def test_chips_stay_short():
    assert all(len(chip) <= 42 for chip in explain().chips)


def test_the_potential_value_follows_the_goal_pair():
    assert explain().potential_value.startswith("A candidate for the role you are hiring for")


def test_a_need_stated_only_in_prose_is_quoted():
    me = Side("Ana", "CTO", "Gamma", ["BUY"], 9, None, None,
              statements=["we urgently need payment fraud detection"])
    them = Side("Sol", "Founder", "Delta", ["SELL"], 8, None, None, offers=["payment fraud detection"])
    reasons = explain(me, them).reasons
    assert any('You wrote "we urgently need payment fraud detection"' in r for r in reasons)


def test_people_with_nothing_in_common_still_get_specific_facts():
    me = Side("Ana", "CTO", "Gamma", ["NETWORK"], 9, "Fintech", "Oslo")
    them = Side("Bo", "Designer", "Eta", ["LEARN"], 2, "Fintech", "Oslo")
    assert explain(me, them).reasons == ["Bo has 2 years of experience, now Designer at Eta.",
                                         "You both work in Fintech.", "You are both based in Oslo."]


def test_a_shared_skill_graph_concept_counts_as_a_match_even_when_the_words_differ():
    texts = ["Kubernetes", "container orchestration"]
    space = TextSpace(texts, FakeEmbedder().encode(texts), pack_concept_bits(concept_matrix(texts)))
    need, offer, similarity = space.best_pair(["container orchestration"], ["Kubernetes"])
    assert (need, offer) == ("container orchestration", "Kubernetes") and similarity >= 0.85


def test_explaining_many_viewers_at_once_gives_each_single_pair_viewer_what_explain_match_gives():
    mentor = Side("Mo", "Staff Engineer", "Gamma", ["MENTOR"], 15, "SaaS", "Lisbon", offers=["cloud platforms"],
                  topics=["kubernetes operations"], statements=["I coach engineers who move into platform work"])
    sides = [HIRER, SEEKER, mentor]
    texts = sorted({t for s in sides for t in (*s.offers, *s.needs, *s.topics, *s.statements)})
    space = TextSpace(texts, FakeEmbedder().encode(texts))
    pairs = [(0, 1), (1, 2), (2, 1)]
    assert explain_matches(sides, pairs, space, "Expo") == [
        explain_match(sides[a], sides[b], space, "Expo") for a, b in pairs]
