"""The matcher reads phrases out of free text, values one-sided swaps, and keeps an adjacent-interest slot."""
import numpy as np

from core.recommend.matching import (
    Controls,
    EventMatcher,
    MatchProfile,
    adjacent_candidates,
    with_prose_phrases,
)
from tests.fakes import FakeEmbedder


def build(profiles: list[MatchProfile]) -> EventMatcher:
    profiles = [with_prose_phrases(p) for p in profiles]
    texts = sorted({t for p in profiles for t in (*p.offers, *p.needs, *p.topics, *p.statements, *p.prose_phrases())})
    embedder = FakeEmbedder()
    profile_vectors = embedder.encode([" ".join([*p.offers, *p.needs, *p.topics, *p.statements]) for p in profiles])
    return EventMatcher(profiles, embedder.encode(texts), {t: i for i, t in enumerate(texts)}, profile_vectors)


def person(i, goals, offers=(), needs=(), topics=("meetups",), statements=(), years=None):
    return MatchProfile(i, list(goals), list(offers), list(needs), list(topics), list(statements), years)


def ranking(matcher: EventMatcher, viewer: int, k: int = 3) -> list[int]:
    return [m.candidate for m in matcher.recommend(Controls(), k=k, diversity=0)[viewer]]


def test_a_phrase_in_a_bio_becomes_an_offer_of_its_own():
    profile = with_prose_phrases(person(0, ["GET_HIRED"], statements=["Years of hands-on work in hive scales"]))
    assert profile.prose_offers == ["hive scales"]
    assert profile.facet_texts("offers")[0] == "hive scales"


def test_an_interest_written_in_prose_is_a_topic_and_not_a_need():
    profile = with_prose_phrases(person(0, ["NETWORK"], statements=["Curious about mead making"]))
    assert "mead making" in profile.facet_texts("topics")
    assert "mead making" not in profile.facet_texts("needs")


def test_an_investor_backing_a_founders_field_ranks_above_one_backing_another():
    crowd = [person(0, ["FIND_INVESTORS"], topics=["meetups"],
                    statements=["Raising a seed round for our mead startup"]),
             person(1, ["INVEST"], topics=["meetups"], statements=["Early-stage investor backing mead companies"]),
             person(2, ["INVEST"], topics=["meetups"], statements=["Early-stage investor backing candle companies"]),
             *[person(i, ["NETWORK"], topics=[f"topic {i}"]) for i in range(3, 12)]]
    order = ranking(build(crowd), 0)
    assert order.index(1) < order.index(2)


def test_partners_with_only_one_direction_of_the_swap_still_rank_above_strangers():
    crowd = [person(0, ["FIND_PARTNERS"], offers=["hive scales"], needs=["queen rearing"]),
             person(1, ["FIND_PARTNERS"], offers=["queen rearing"], needs=["watercolour"]),
             person(2, ["FIND_PARTNERS"], offers=["pottery"], needs=["watercolour"]),
             *[person(i, ["NETWORK"], topics=[f"topic {i}"]) for i in range(3, 12)]]
    order = ranking(build(crowd), 0)
    assert order.index(1) < order.index(2)


def test_related_but_not_identical_interests_are_adjacent():
    evidence = {"need_offer": np.array([[1.0, 1.0, 0.1]]), "offer_need": np.array([[0.0, 0.2, 0.1]]),
                "topic": np.array([[1.0, 0.4, 0.1]])}
    assert adjacent_candidates(evidence).tolist() == [[False, True, False]]


def crowd_with_neighbours() -> list[MatchProfile]:
    exact = [person(i, ["GET_HIRED"], offers=["queen rearing"], topics=["bees"]) for i in range(1, 12)]
    return [person(0, ["HIRE"], needs=["queen rearing"], topics=["bees"]), *exact,
            person(12, ["GET_HIRED"], offers=["queen rearing in small backyard hives at home"],
                   topics=["bees mead candles honey"])]


def test_each_top_ten_holds_exactly_one_adjacent_interest_match():
    lists = build(crowd_with_neighbours()).recommend(Controls(), k=10)
    assert all(sum(m.adjacent for m in found) <= 1 for found in lists.values())
    assert sum(m.adjacent for m in lists[0]) == 1


def test_the_adjacent_pick_from_outside_the_list_takes_the_last_place():
    found = build(crowd_with_neighbours()).recommend(Controls(), k=10)[0]
    assert found[-1].adjacent and found[-1].candidate == 12


def test_a_short_list_has_no_adjacent_slot():
    found = build(crowd_with_neighbours()).recommend(Controls(), k=3)[0]
    assert not any(m.adjacent for m in found)
