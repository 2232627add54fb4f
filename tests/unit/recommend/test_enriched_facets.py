"""Enriched skills and favourites as the matcher, the explainer and the LLM prompt see them (no database)."""
import re

import numpy as np

from core.recommend.explain import Side, TextSpace, explain_match
from core.recommend.matching import Controls, EventMatcher, MatchProfile
from core.recommend.rerank import build_rerank_prompt
from core.recommend.signals import enriched_skill_sources, without_excluded_signals
from db.models import Person
from tests.fakes import FakeEmbedder

TEMPLATE = "Attendee:\n{attendee}\n\nCandidates:\n{candidates}\n\nPick {k}."
FENCE = re.compile(r"<profile_data>\n(.*?)\n</profile_data>", re.S)
ENRICHMENT = {
    "linkedin_headline": {"value": "Staff engineer at Acme, see https://ana.dev and @ana_l", "source": "LinkedIn"},
    "linkedin_url": {"value": "https://linkedin.com/in/ana-lopez", "source": "LinkedIn"},
    "github_username": {"value": "analopez", "source": "GitHub"},
    "github_top_languages": {"value": ["Rust", "Go"], "source": "GitHub"},
    "extracted_skills": {"value": ["Kubernetes", "Rust"], "source": "LinkedIn",
                         "by_source": {"Kubernetes": ["LinkedIn", "personal website"], "Rust": ["GitHub"]}},
    "inferred_seniority": {"value": "senior", "source": "LinkedIn"},
}


def person(pid: int, first: str = "Ana", **fields) -> Person:
    values = dict(email=f"p{pid}@x.io", last_name="Lopez", company="Acme", role="Engineer", industry="Fintech",
                  interests=["AI"], goals=["MENTOR"], skills_offered=["public speaking"], skills_needed=[],
                  years_experience=12, allow_enrichment=True, enrichment={})
    values.update(fields)
    return Person(id=pid, first_name=first, **values)


def test_enriched_skills_keep_the_platforms_they_were_found_on():
    sources = enriched_skill_sources(person(1, enrichment=ENRICHMENT))
    assert sources == {"Rust": ["GitHub"], "Go": ["GitHub"], "Kubernetes": ["LinkedIn", "personal website"]}


def test_enrichment_without_consent_gives_no_skills():
    assert enriched_skill_sources(person(1, enrichment=ENRICHMENT, allow_enrichment=False)) == {}


def test_an_excluded_enriched_skill_leaves_its_lists_but_the_rest_stay():
    view = without_excluded_signals(person(1, enrichment=ENRICHMENT),
                                    {"enrichment:github_top_languages:Rust", "enrichment:extracted_skills:Rust"})
    assert list(enriched_skill_sources(view)) == ["Go", "Kubernetes"]
    assert "Rust" not in view.enrichment["extracted_skills"]["by_source"]


def test_the_viewers_prompt_has_the_enriched_section_fenced_and_without_links_or_handles():
    built = build_rerank_prompt(TEMPLATE, person(1, enrichment=ENRICHMENT), [person(2, "Bo")], 1)
    attendee = built.prompt.split("Candidates:")[0]
    section = attendee.split("### Enriched Profile Data (from public sources):\n")[1]
    fenced = FENCE.match(section).group(1)
    assert "GitHub languages: Rust, Go" in fenced and "Seniority: senior" in fenced
    assert "Staff engineer at Acme" in fenced
    assert not re.search(r"https?:|ana\.dev|linkedin\.com|@ana_l|analopez", built.prompt)


def test_a_candidates_enriched_line_sits_inside_their_fenced_profile():
    built = build_rerank_prompt(TEMPLATE, person(1), [person(2, "Bo", enrichment=ENRICHMENT)], 1)
    candidate = built.prompt.split("Candidates:")[1]
    fenced = FENCE.search(candidate).group(1)
    assert "From public profiles:" in fenced and "Extracted skills: Kubernetes, Rust" in fenced
    assert "### Enriched" not in candidate and "https" not in candidate


def test_a_profile_without_enrichment_renders_as_before():
    built = build_rerank_prompt(TEMPLATE, person(1), [person(2, "Bo")], 1)
    assert "Enriched" not in built.prompt and "From public profiles" not in built.prompt


def test_a_reason_from_an_enriched_skill_names_the_public_profile():
    me = Side("Ben", "Junior developer", "Beta", ["GET_MENTORED"], 2, needs=["Rust"])
    them = Side("Ana", "Engineer", "Acme", ["MENTOR"], 12, offers=["public speaking"], enriched={"Rust": "GitHub"})
    texts = ["Rust", "public speaking"]
    explanation = explain_match(me, them, TextSpace(texts, FakeEmbedder().encode(texts)), "Expo")
    assert "Ana's public GitHub shows Rust, which you need." in explanation.reasons


def test_a_shared_favourite_becomes_a_conversation_starter():
    me = Side("Ben", "Designer", "Beta", ["NETWORK"], 2, favourites={"the hobbit": "The Hobbit", "dune": "Dune"})
    them = Side("Ana", "Engineer", "Acme", ["NETWORK"], 12, favourites={"dune": "DUNE (1965)"})
    explanation = explain_match(me, them, TextSpace([], np.zeros((0, 384), np.float32)), "Expo")
    assert 'You both love "Dune".' in explanation.starters and len(explanation.starters) == 2


def matcher(profiles: list[MatchProfile], taste: np.ndarray | None = None) -> EventMatcher:
    texts = sorted({t for p in profiles for t in (*p.offers, *p.needs, *p.topics, *p.enriched_offers)})
    embedder = FakeEmbedder()
    return EventMatcher(profiles, embedder.encode(texts), {t: i for i, t in enumerate(texts)},
                        embedder.encode([" ".join(p.offers + p.needs + p.topics) for p in profiles]),
                        taste_vectors=taste)


def all_scores(m: EventMatcher) -> np.ndarray:
    candidates, scores, _ = m.score_block(np.arange(m.n), Controls(), m.n)
    full = np.full((m.n, m.n), -np.inf)
    np.put_along_axis(full, candidates, scores, axis=1)
    return full


CROWD = [MatchProfile(0, ["GET_MENTORED"], [], ["Rust"], ["systems"]),
         MatchProfile(1, ["MENTOR"], ["public speaking"], [], ["systems"]),
         MatchProfile(2, ["MENTOR"], ["Rust"], [], ["cooking"]),
         MatchProfile(3, ["NETWORK"], ["sales"], ["hiring"], ["systems"])]


def test_enriched_offers_only_raise_the_scores_of_their_owner():
    before = all_scores(matcher(CROWD))
    enriched = [*CROWD[:1], MatchProfile(1, ["MENTOR"], ["public speaking"], [], ["systems"],
                                         enriched_offers=["Rust"]), *CROWD[2:]]
    after = all_scores(matcher(enriched))
    assert after[0, 1] > before[0, 1]
    assert np.all(after[:, 1] >= before[:, 1])
    others = [c for c in range(4) if c != 1]
    assert np.array_equal(after[np.ix_(others, others)], before[np.ix_(others, others)])


def test_taste_vectors_of_zeros_change_no_score():
    zero = np.zeros((len(CROWD), 384), np.float32)
    assert np.array_equal(all_scores(matcher(CROWD, zero)), all_scores(matcher(CROWD)))


def test_shared_taste_raises_only_the_pair_that_shares_it():
    taste = np.zeros((len(CROWD), 384), np.float32)
    taste[1, 0] = taste[3, 0] = 1.0
    before, after = all_scores(matcher(CROWD)), all_scores(matcher(CROWD, taste))
    assert after[1, 3] > before[1, 3] and after[3, 1] > before[3, 1]
    assert after[0, 2] == before[0, 2]
