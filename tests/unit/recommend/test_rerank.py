"""Turning an LLM re-rank reply into picks: only known candidates, at most k, in the LLM's order."""
import json

import pytest

from core.ai.llm import LLMError
from core.recommend.rerank import RerankPrompt, rerank_with_llm
from tests.fakes import FakeLLM

PROMPT = RerankPrompt("rank these", {"P1": 101, "P2": 102, "P3": 103})


def reply(*ids: str) -> str:
    return json.dumps([{"userId": i, "matchScore": 80, "reasons": [f"reason {i}"],
                        "conversationStarters": [f"starter {i}"], "potentialValue": "value"} for i in ids])


def test_picks_follow_the_llm_order():
    picks = rerank_with_llm(FakeLLM(reply("P3", "P1")), PROMPT, k=10)
    assert [p.person_id for p in picks] == [103, 101]


def test_ids_that_were_not_candidates_are_dropped():
    picks = rerank_with_llm(FakeLLM(reply("P9", "P2", "me@example.com")), PROMPT, k=10)
    assert [p.person_id for p in picks] == [102]


def test_no_more_than_k_picks_are_kept_and_repeats_count_once():
    picks = rerank_with_llm(FakeLLM(reply("P1", "P1", "P2", "P3")), PROMPT, k=2)
    assert [p.person_id for p in picks] == [101, 102]


def test_a_reply_naming_no_candidate_is_an_error_so_the_caller_falls_back():
    with pytest.raises(LLMError):
        rerank_with_llm(FakeLLM(reply("P7")), PROMPT, k=10)
