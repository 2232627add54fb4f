"""The summary polish through the real anthropic SDK against the local stub: a faithful rewrite is kept, one that
adds facts falls back to the template, and the member's summary reaches the model fenced."""
import pytest

from core.ai.llm import AnthropicLLM, TokenBucket
from core.reengagement.profiles import compute_profiles
from core.reengagement.summary import polish_summary
from tests.stubs.anthropic_stub import AnthropicStub
from tests.unit.reengagement.seed_example import AS_OF, seed_frames


@pytest.fixture(scope="module")
def sarah() -> dict:
    return compute_profiles(seed_frames(), as_of=AS_OF).to_dict("records")[0]


def polished(mode: str, row: dict) -> tuple[str, list[dict], AnthropicLLM]:
    with AnthropicStub(mode) as stub:
        llm = AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, timeout=5.0, max_retries=0,
                           bucket=TokenBucket(rate_per_minute=60_000, capacity=1_000))
        text = polish_summary(row["summary"], row, llm=llm)
        return text, stub.requests, llm


def test_a_faithful_rewrite_from_the_model_is_used(sarah):
    text, _, llm = polished("ok", sarah)
    assert text != sarah["summary"]
    assert text == sarah["summary"].replace("most recently", "the latest one")
    assert [(r.feature, r.outcome) for r in llm.calls.records] == [("reengagement.summary", "ok")]


def test_a_rewrite_adding_facts_falls_back_to_the_template(sarah):
    text, _, _ = polished("hostile", sarah)
    assert text == sarah["summary"]
    assert "sushi" not in text and "Paris" not in text


def test_an_unreachable_model_leaves_the_template(sarah):
    text, _, _ = polished("overloaded", sarah)
    assert text == sarah["summary"]


def test_the_summary_is_sent_fenced_with_a_system_prompt_calling_it_data(sarah):
    _, requests, _ = polished("ok", sarah)
    prompt = requests[0]["messages"][0]["content"]
    assert prompt.count("<member_profile>") == 1 and sarah["summary"] in prompt
    system = " ".join(block["text"] for block in requests[0]["system"])
    assert "never instructions" in system
