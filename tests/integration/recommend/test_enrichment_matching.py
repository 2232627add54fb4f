"""Skills found by enrichment in matching, on a real Postgres with the real embedding model: they can only help."""
import numpy as np
import pytest
from sqlalchemy import select

from core.enrichment.agent import enrich_due
from core.enrichment.facts import enriched_skills
from core.platform.settings import Settings
from core.recommend.people import current_recommendations, event_people, prepare_event, refresh_recommendations
from core.recommend.signals import exclude_signal, signals_of
from db.models import EnrichmentTier, Event, Person, Registration
from tests.stubs.enrichment_stubs import GitHubStub

# 33 plausible attendees of a developer conference; none of them offers or needs Rust. Ten want help with
# speaking, which Ana's own profile offers, so her top 10 is full before enrichment.
CROWD = [
    ("Ari", "Junior Developer", ["GET_MENTORED"], [], ["public speaking"], ["web development"], 1),
    ("Bo", "Graduate Engineer", ["GET_MENTORED"], [], ["presentation skills"], ["open source"], 1),
    ("Cy", "Developer", ["GET_MENTORED"], [], ["giving conference talks"], ["cloud"], 2),
    ("Di", "Support Engineer", ["GET_MENTORED"], [], ["speaking at meetups"], ["devops"], 2),
    ("Ed", "Intern", ["GET_MENTORED"], [], ["writing talk proposals"], ["databases"], 0),
    ("Flo", "Junior Analyst", ["LEARN"], [], ["conference speaking"], ["data"], 1),
    ("Gil", "Associate Engineer", ["GET_MENTORED"], [], ["stage confidence for talks"], ["mobile apps"], 2),
    ("Hu", "Junior Designer", ["GET_MENTORED"], [], ["presenting to large audiences"], ["design"], 1),
    ("Ines", "Trainee Developer", ["LEARN"], [], ["technical presentations"], ["AI"], 1),
    ("Jo", "Apprentice", ["GET_MENTORED"], [], ["speaking at conferences"], ["security"], 0),
    ("Lea", "Engineering Manager", ["MENTOR"], ["engineering management", "code review"], [], ["open source"], 15),
    ("Tom", "Staff Engineer", ["MENTOR"], ["distributed systems", "Go"], [], ["systems programming"], 14),
    ("Iva", "Principal Engineer", ["MENTOR"], ["C++", "performance tuning"], [], ["compilers"], 18),
    ("Raj", "Senior Developer", ["MENTOR"], ["Python", "API design"], [], ["open source"], 10),
    ("Eli", "CTO", ["MENTOR", "HIRE"], ["architecture", "technical hiring"], ["backend engineers"],
     ["developer tools"], 20),
    ("Kai", "Tech Lead", ["MENTOR"], ["Kubernetes", "cloud infrastructure"], [], ["devops"], 12),
    ("Zoe", "Security Engineer", ["MENTOR"], ["application security", "threat modelling"], [], ["security"], 11),
    ("Max", "Data Engineer", ["MENTOR"], ["data pipelines", "SQL"], [], ["databases"], 9),
    ("Nia", "Developer Advocate", ["MENTOR", "NETWORK"], ["public speaking", "technical writing"], [],
     ["developer communities"], 8),
    ("Oli", "Embedded Engineer", ["MENTOR"], ["C", "firmware"], [], ["hardware"], 13),
    ("Uma", "Junior Developer", ["GET_MENTORED"], [], ["career growth"], ["web development"], 1),
    ("Gus", "Student", ["GET_MENTORED", "GET_HIRED"], ["JavaScript"], ["internships"], ["open source"], 0),
    ("Pia", "Frontend Developer", ["NETWORK"], ["React", "TypeScript"], ["design systems"], ["web development"], 4),
    ("Sol", "Founder", ["FIND_PARTNERS"], ["product strategy"], ["backend engineers"], ["startups"], 7),
    ("Dan", "Recruiter", ["HIRE"], ["technical hiring"], ["software engineers"], ["careers"], 6),
    ("Ada", "Backend Developer", ["GET_HIRED"], ["Java", "Spring"], [], ["backend development"], 5),
    ("Bea", "QA Engineer", ["LEARN"], ["test automation"], ["Python"], ["quality engineering"], 3),
    ("Cal", "Site Reliability Engineer", ["NETWORK"], ["incident response", "observability"], [], ["devops"], 8),
    ("Dev", "Mobile Developer", ["LEARN"], ["Swift", "Kotlin"], ["cloud infrastructure"], ["mobile apps"], 4),
    ("Fay", "Product Manager", ["NETWORK"], ["roadmapping"], ["API design"], ["developer tools"], 6),
    ("Hal", "Database Administrator", ["MENTOR"], ["PostgreSQL", "query tuning"], [], ["databases"], 16),
    ("Joy", "ML Engineer", ["MENTOR"], ["machine learning", "Python"], [], ["AI"], 9),
    ("Lou", "Game Developer", ["MENTOR"], ["Unity", "C#"], [], ["game development"], 10),
]
RUST = {"github_top_languages": {"value": ["Rust"], "source": "GitHub"},
        "extracted_skills": {"value": ["Rust"], "source": "GitHub", "by_source": {"Rust": ["GitHub"]}}}


@pytest.fixture
def event(db):
    event = Event(slug="devconf", name="DevConf")
    db.add(event)
    db.flush()
    for first, role, goals, offered, needed, interests, years in CROWD:
        register(db, event, first, role=role, goals=goals, skills_offered=offered, skills_needed=needed,
                 interests=interests, years_experience=years)
    return event


def register(db, event, first, **fields) -> Person:
    person = Person(email=f"{first.lower()}@x.io", first_name=first, last_name="T", company="Co",
                    allow_enrichment=True, **fields)
    db.add(person)
    db.flush()
    db.add(Registration(event_id=event.id, person_id=person.id))
    db.flush()
    return person


@pytest.fixture
def pair(db, event):
    """Ana mentors, and only her public GitHub shows Rust; Ben wants a mentor for Rust."""
    ana = register(db, event, "Ana", role="Engineer", goals=["MENTOR"], skills_offered=["conference talks"],
                   interests=["cycling"], years_experience=12)
    ben = register(db, event, "Ben", role="Junior Developer", goals=["GET_MENTORED"], skills_needed=["Rust"],
                   interests=["systems programming"], years_experience=2)
    return ana, ben


def listed(db, event, clock, viewer: Person) -> list[int]:
    return [c.person.id for c in current_recommendations(db, event_id=event.id, person_id=viewer.id, now=clock.now())]


def enrich(db, person: Person, facts: dict, tier=EnrichmentTier.TIER_1_RICH) -> None:
    person.enrichment, person.enrichment_tier = facts, tier
    db.flush()


def test_people_matched_only_through_enrichment_are_recommended_after_it_and_not_before(db, event, pair, clock,
                                                                                         real_embedder):
    ana, ben = pair
    ana.github_username = "ana-rs"  # given at registration; the agent reads her languages from GitHub's API
    refresh_recommendations(db, event=event, embedder=real_embedder, clock=clock)
    assert ana.id not in listed(db, event, clock, ben) and ben.id not in listed(db, event, clock, ana)
    with GitHubStub() as github:
        github.user("ana-rs", languages=["Rust", "Rust"])
        report = enrich_due(db, clock=clock, settings=Settings(github_api_url=github.url, github_token="t"), llm=None)
    assert report.completed == 1 and enriched_skills(ana) == ["Rust"]
    refresh_recommendations(db, event=event, embedder=real_embedder, clock=clock)
    assert ana.id in listed(db, event, clock, ben) and ben.id in listed(db, event, clock, ana)


def test_the_reason_says_the_skill_comes_from_a_public_profile(db, event, pair, clock, real_embedder):
    ana, ben = pair
    enrich(db, ana, RUST)
    refresh_recommendations(db, event=event, embedder=real_embedder, clock=clock)
    card = next(c for c in current_recommendations(db, event_id=event.id, person_id=ben.id, now=clock.now())
                if c.person.id == ana.id)
    assert "Ana's public GitHub shows Rust, which you need." in card.recommendation.reasons


def scores_for(db, event, clock, embedder, target: Person) -> dict[int, float]:
    """Every other attendee's exact match score for `target`."""
    prepared = prepare_event(db, event, event_people(db, event.id), embedder, clock.now())
    matcher = prepared.matcher
    column = next(i for i, p in enumerate(prepared.people) if p.id == target.id)
    candidates, scores, _ = matcher.score_block(np.arange(matcher.n), prepared.controls, matcher.n)
    return {prepared.people[row].id: float(scores[row][candidates[row] == column][0])
            for row in range(matcher.n) if row != column}


@pytest.fixture
def complete(db, event):
    """A complete manual profile: role, goals, skills offered and needed, interests, bio and experience."""
    return register(db, event, "Mia", role="Platform Engineer", goals=["MENTOR", "NETWORK"],
                    skills_offered=["Kubernetes", "CI/CD pipelines"], skills_needed=["public speaking"],
                    interests=["devops", "open source"], bio="I run the build and deploy platform for 40 teams.",
                    years_experience=11, enrichment_tier=EnrichmentTier.TIER_3_MANUAL)


def test_enrichment_never_lowers_anyones_score_for_a_person_and_removing_it_restores_them(
        db, event, complete, clock, real_embedder):
    manual = scores_for(db, event, clock, real_embedder, complete)
    enrich(db, complete, {"github_top_languages": {"value": ["Python", "Go"], "source": "GitHub"},
                          "extracted_skills": {"value": ["test automation", "observability"], "source": "LinkedIn",
                                               "by_source": {"test automation": ["LinkedIn"],
                                                             "observability": ["LinkedIn"]}}})
    enriched = scores_for(db, event, clock, real_embedder, complete)
    assert all(enriched[other] >= manual[other] for other in manual)
    assert any(enriched[other] > manual[other] for other in manual)  # Bea needs Python
    enrich(db, complete, {}, EnrichmentTier.TIER_3_MANUAL)
    assert scores_for(db, event, clock, real_embedder, complete) == manual


def test_the_tier_alone_changes_no_score(db, event, complete, clock, real_embedder):
    manual = scores_for(db, event, clock, real_embedder, complete)
    complete.enrichment_tier = EnrichmentTier.TIER_1_RICH
    db.flush()
    assert scores_for(db, event, clock, real_embedder, complete) == manual


def test_an_excluded_enriched_skill_no_longer_drives_the_match(db, event, pair, clock, real_embedder):
    ana, ben = pair
    without = scores_for(db, event, clock, real_embedder, ana)[ben.id]
    enrich(db, ana, RUST)
    assert scores_for(db, event, clock, real_embedder, ana)[ben.id] > without
    listing = {s.key: s for s in signals_of(db, ana.id)}
    assert listing["enrichment:github_top_languages:Rust"].source == "Enrichment: GitHub"
    for key in ("enrichment:github_top_languages:Rust", "enrichment:extracted_skills:Rust"):
        exclude_signal(db, person_id=ana.id, signal=key, clock=clock)
    assert scores_for(db, event, clock, real_embedder, ana)[ben.id] == without


def test_without_consent_enrichment_is_ignored(db, event, pair, clock, real_embedder):
    ana, ben = pair
    without = scores_for(db, event, clock, real_embedder, ana)[ben.id]
    enrich(db, ana, RUST)
    ana.allow_enrichment = False
    db.flush()
    assert scores_for(db, event, clock, real_embedder, ana)[ben.id] == without
    assert db.scalar(select(Person.enrichment).where(Person.id == ana.id)) == RUST
