"""Seed 000 §2.2's merge: flat facts with their source, skills and interests deduplicated across platforms with the
platforms behind each, and the sources in a stable order."""
from core.enrichment.extract import Extraction
from core.enrichment.facts import FACT_LABELS, INTERESTS, SKILLS, Platform
from core.enrichment.merge import LIST_LIMIT, merge_extraction


def extraction() -> Extraction:
    return Extraction(platforms={
        Platform.TWITTER: {"url": "https://x.com/ana", "handle": "@ana", "bio_snippet": "",
                           "inferred_interests": ["Rust", "machine learning", "ML"]},
        Platform.GITHUB: {"username": "ana", "url": "https://github.com/ana", "bio": None, "public_repos": 0,
                          "followers": 7, "top_languages": ["JavaScript", "Rust"], "recent_activity": [],
                          "skills": ["JavaScript", "Rust", "JS"]},
        Platform.LINKEDIN: {"url": "https://www.linkedin.com/in/ana", "headline": "Staff Engineer",
                            "inferred_seniority": "senior", "inferred_function": None,
                            "skills": ["javascript", "software engineering"]},
        Platform.MEDIUM: {"url": "https://medium.com/@ana", "topics": ["rust"]},
    }, errors={Platform.YOUTUBE: "RuntimeError: boom"})


def test_facts_carry_their_value_and_platform_label():
    facts = merge_extraction(extraction()).facts
    assert facts["linkedin_headline"] == {"value": "Staff Engineer", "source": "LinkedIn"}
    assert facts["github_followers"] == {"value": 7, "source": "GitHub"}
    assert facts["github_repo_count"] == {"value": 0, "source": "GitHub"}
    assert facts["medium_url"] == {"value": "https://medium.com/@ana", "source": "Medium"}
    assert set(facts) <= set(FACT_LABELS)


def test_no_none_no_empty_string_and_no_empty_list_is_stored():
    facts = merge_extraction(extraction()).facts
    for key in ("twitter_bio", "github_bio", "inferred_function", "github_recent_repos"):
        assert key not in facts
    for fact in facts.values():
        assert fact["value"] not in (None, "", [])


def test_skills_are_deduplicated_by_concept_keeping_the_first_spelling_with_their_sources():
    skills = merge_extraction(extraction()).facts[SKILLS]
    assert skills["value"] == ["JavaScript", "Rust", "software engineering"]
    assert skills["by_source"]["JavaScript"] == ["GitHub", "LinkedIn"]
    assert skills["by_source"]["software engineering"] == ["LinkedIn"]
    assert skills["source"] == "GitHub, LinkedIn"


def test_interests_merge_case_insensitively_across_platforms():
    interests = merge_extraction(extraction()).facts[INTERESTS]
    assert interests["value"] == ["Rust", "machine learning"]
    assert interests["by_source"] == {"Rust": ["Twitter/X", "Medium"], "machine learning": ["Twitter/X"]}


def test_lists_are_capped():
    many = Extraction(platforms={Platform.TWITTER: {"url": "https://x.com/a",
                                                    "inferred_interests": [f"topic{n}" for n in range(40)]}})
    interests = merge_extraction(many).facts[INTERESTS]
    assert len(interests["value"]) == LIST_LIMIT == len(interests["by_source"])


def test_sources_are_the_platforms_with_data_in_platform_order_and_errors_are_kept():
    merged = merge_extraction(extraction())
    assert merged.sources == [Platform.LINKEDIN, Platform.GITHUB, Platform.TWITTER, Platform.MEDIUM]
    assert merged.errors == {"youtube": "RuntimeError: boom"}


def test_nothing_found_gives_no_facts_and_no_sources():
    merged = merge_extraction(Extraction())
    assert (merged.facts, merged.sources, merged.skills) == ({}, [], [])
