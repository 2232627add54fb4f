"""LLM extraction through the real anthropic SDK against the local stub: replies fill the fields, nulls stay out,
and hostile or garbage replies fall back to the rules without anything of them reaching the facts."""
import re

import pytest

from core.ai.llm import AnthropicLLM, TokenBucket
from core.enrichment.extract import extract_platforms, rule_data
from core.enrichment.facts import INTERESTS, Platform
from core.enrichment.merge import merge_extraction
from core.enrichment.prompts import TEMPERATURE
from core.enrichment.records import GitHubProfile, SearchResult
from tests.stubs.anthropic_stub import AnthropicStub

RESULTS = [
    SearchResult("https://www.linkedin.com/in/ana-lopez", "Ana Lopez - Senior Software Engineer - Acme | LinkedIn",
                 "Senior Software Engineer at Acme. Python."),
    SearchResult("https://x.com/ana_codes", "Ana Lopez (@ana_codes) / X", "Building payments APIs in Rust."),
    SearchResult("https://www.youtube.com/@anacodes", "Ana Codes - YouTube", "Ana Codes. 12.3K subscribers."),
]
GITHUB = GitHubProfile("ana", "https://github.com/ana", bio="Rust", top_languages=["Rust", "Python"])
EVIL = re.compile(r"evil|https?://(?!(?:www\.)?(?:linkedin|x|youtube|github)\.com/)|\*\*|\[|SYSTEM", re.I)


def extracted(mode: str):
    with AnthropicStub(mode) as stub:
        llm = AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, timeout=5.0, max_retries=0,
                           bucket=TokenBucket(rate_per_minute=60_000, capacity=1_000))
        extraction = extract_platforms(RESULTS, GITHUB, llm=llm, person_name="Ana Lopez", event_id=None)
        sent = list(stub.requests)
    return extraction, sent, llm


@pytest.fixture(scope="module")
def ok():
    return extracted("ok")


def test_llm_replies_fill_the_platform_fields(ok):
    extraction, _, _ = ok
    linkedin = extraction.platforms[Platform.LINKEDIN]
    assert linkedin["headline"] == "Principal Engineer, Payments Platform"
    assert (linkedin["inferred_seniority"], linkedin["inferred_function"]) == ("senior", "engineering")
    assert extraction.platforms[Platform.YOUTUBE]["channel_name"] == "Payments Explained"
    assert extraction.platforms[Platform.YOUTUBE]["subscriber_range"] == "1K-10K"
    assert extraction.platforms[Platform.TWITTER]["inferred_interests"] == ["Open source", "Fintech"]


def test_the_url_and_handle_are_the_results_own_not_the_replys(ok):
    twitter = ok[0].platforms[Platform.TWITTER]
    assert (twitter["url"], twitter["handle"]) == ("https://x.com/ana_codes", "@ana_codes")


def test_a_null_from_the_llm_stays_out_of_the_facts(ok):
    facts = merge_extraction(ok[0]).facts
    assert "twitter_bio" not in facts  # the rules would have found one; the model was unsure
    assert all(fact["value"] not in (None, "", []) for fact in facts.values())


def test_each_platform_is_one_low_temperature_call_logged_under_its_enrichment_feature(ok):
    _, sent, llm = ok
    assert len(sent) == 3 and all(body["temperature"] == TEMPERATURE for body in sent)
    assert sorted(r.feature for r in llm.calls.records) == ["enrichment.linkedin", "enrichment.twitter",
                                                            "enrichment.youtube"]
    assert all(r.outcome == "ok" for r in llm.calls.records)


def test_a_hostile_reply_falls_back_to_the_rules_and_leaves_no_trace():
    extraction, _, _ = extracted("hostile")
    rules = {p: rule_data(p, r) for p, r in zip((Platform.LINKEDIN, Platform.TWITTER, Platform.YOUTUBE), RESULTS,
                                                strict=True)}
    assert extraction.platforms[Platform.LINKEDIN] == rules[Platform.LINKEDIN]  # injected instructions: all rules
    twitter = extraction.platforms[Platform.TWITTER]
    assert twitter["bio_snippet"] == rules[Platform.TWITTER]["bio_snippet"]  # 2000 characters: dropped
    assert twitter["inferred_interests"] == ["AI"]
    youtube = extraction.platforms[Platform.YOUTUBE]
    assert youtube["subscriber_range"] == "10K-100K"  # "a billion" is no band: the snippet's count is used
    assert youtube["channel_name"] == "Click here now"
    merged = merge_extraction(extraction)
    texts = [t for fact in merged.facts.values()
             for t in (fact["value"] if isinstance(fact["value"], list) else [fact["value"]]) if isinstance(t, str)]
    assert texts and not [t for t in texts if EVIL.search(t)]
    assert "AI" in merged.facts[INTERESTS]["value"]


def test_a_garbage_reply_gives_the_rules_after_one_re_ask():
    extraction, sent, llm = extracted("garbage")
    assert extraction.platforms[Platform.LINKEDIN] == rule_data(Platform.LINKEDIN, RESULTS[0])
    assert extraction.platforms[Platform.YOUTUBE] == rule_data(Platform.YOUTUBE, RESULTS[2])
    assert len(sent) == 6 and {r.outcome for r in llm.calls.records} == {"invalid"}
    assert not extraction.errors


def test_an_unavailable_llm_gives_the_rules_and_github_is_unaffected():
    extraction, _, _ = extracted("overloaded")
    assert extraction.platforms[Platform.TWITTER] == rule_data(Platform.TWITTER, RESULTS[1])
    assert extraction.platforms[Platform.GITHUB]["top_languages"] == ["Rust", "Python"]
    assert merge_extraction(extraction).sources == [Platform.LINKEDIN, Platform.GITHUB, Platform.TWITTER,
                                                    Platform.YOUTUBE]
