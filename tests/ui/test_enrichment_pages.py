"""The enrichment on the pages: My profile's "Public profiles" section and completion prompt, For you's banner,
My favourites with the taste toggle, Privacy's and Analytics' words when enrichment is off on the server."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from core.analytics.event_analytics import refresh_event_analytics
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event
from db.models import (
    EnrichmentStatus,
    EnrichmentTier,
    Favourite,
    FavouriteKind,
    JobRequest,
    Person,
    TasteProfile,
)
from db.models.base import EMBEDDING_DIM
from tests.ui.conftest import me, page_app, texts

PROFILE = "pages/profile.py"
FAVOURITES = "pages/favourites.py"
SOURCE_SETTINGS = ("SEARCH_API_URL", "SEARCH_API_KEY", "GITHUB_TOKEN")


@pytest.fixture
def enrichment_off(monkeypatch):
    for name in SOURCE_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def enrichment_on(monkeypatch):
    """A configured search source; nothing answers there, and no page may call it."""
    monkeypatch.setenv("SEARCH_API_URL", "http://127.0.0.1:9/search")
    monkeypatch.setenv("SEARCH_API_KEY", "test-key")


@pytest.fixture
def no_favourites(demo):
    """The demo, with the demo attendee's own favourites (the seed gives them some) removed."""
    demo.execute(delete(Favourite).where(Favourite.person_id == me(demo)))
    demo.execute(delete(TasteProfile).where(TasteProfile.person_id == me(demo)))
    demo.commit()
    return demo


def attendee(db, **fields) -> Person:
    """The demo attendee, with `fields` stored."""
    person = db.get(Person, me(db))
    for name, value in fields.items():
        setattr(person, name, value)
    db.commit()
    return person


def enriched(db, clock, tier: EnrichmentTier, sources: list[str], facts: dict) -> Person:
    return attendee(db, allow_enrichment=True, enrichment_status=EnrichmentStatus.COMPLETED, enrichment_tier=tier,
                    enrichment_sources=sources, enrichment=facts, enriched_at=clock.now(), enrichment_attempts=1)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def labels(at) -> list[str]:
    return [b.label for b in at.button]


def test_with_enrichment_off_on_the_server_the_profile_says_so_and_offers_no_button(demo, enrichment_off):
    attendee(demo, allow_enrichment=True)
    at = page_app("attendee", PROFILE)
    assert not at.exception
    assert any("Enrichment from public profiles is off on this server" in i.value for i in at.info)
    assert "Enrich my profile" not in labels(at)


def test_a_consented_attendee_queues_enrichment_with_the_button(demo, enrichment_on):
    person = attendee(demo, allow_enrichment=True, enrichment_status=EnrichmentStatus.PENDING)
    at = page_app("attendee", PROFILE)
    button(at, "Enrich my profile").click().run()
    assert not at.exception and at.success
    assert demo.scalar(select(JobRequest.job_id).where(JobRequest.person_id == person.id)) == "enrich-profiles"
    at.run()  # a reload
    assert any(i.value.startswith("Queued — the worker will look in a moment") for i in at.info)
    assert button(at, "Enrich my profile").disabled


def test_an_attendee_who_has_not_consented_is_sent_to_privacy_instead_of_a_button(demo, enrichment_on):
    attendee(demo, allow_enrichment=False)
    at = page_app("attendee", PROFILE)
    assert "Enrich my profile" not in labels(at)
    assert any("Privacy" in link.label for link in at.get("page_link"))


def test_a_rich_profile_shows_its_tier_sources_and_facts_as_plain_text(demo, clock, enrichment_on):
    hostile = "<b>x</b> [link](http://evil)"
    enriched(demo, clock, EnrichmentTier.TIER_1_RICH, ["github", "linkedin", "twitter"],
             {"github_bio": {"value": hostile, "source": "GitHub"},
              "linkedin_headline": {"value": "Staff engineer at Acme", "source": "LinkedIn"}})
    at = page_app("attendee", PROFILE)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Profile tier"] == "Rich"
    shown = texts(at)
    assert "TIER_" not in shown and "COMPLETED" not in shown
    assert "GitHub" in shown and "LinkedIn" in shown and "Twitter" in shown
    facts = at.dataframe[-1].value
    assert hostile in facts.to_string() and "Staff engineer at Acme" in facts.to_string()
    assert "](http://evil)" not in shown and "<b>" not in shown


def test_a_basic_profile_shows_the_completion_prompt_naming_what_is_missing(demo, clock, enrichment_on):
    enriched(demo, clock, EnrichmentTier.TIER_2_BASIC, ["github"],
             {"github_username": {"value": "octo", "source": "GitHub"}})
    at = page_app("attendee", PROFILE)
    assert {m.label: m.value for m in at.metric}["Profile tier"] == "Basic"
    assert "Almost there!" in texts(at) and "We couldn't find your LinkedIn or Twitter/X" in texts(at)


def test_a_failed_enrichment_shows_the_attempts_and_the_last_error(demo, clock, enrichment_on):
    attendee(demo, allow_enrichment=True, enrichment_status=EnrichmentStatus.FAILED,
             enrichment_tier=EnrichmentTier.TIER_3_MANUAL, enrichment_attempts=3,
             enrichment_last_error="The search service did not answer.")
    at = page_app("attendee", PROFILE)
    assert any("did not answer" in e.value for e in at.error)
    assert "3 attempts" in texts(at) and "Complete your profile" in texts(at)


def test_for_you_shows_the_completion_prompt_until_it_is_dismissed(demo, clock, enrichment_on):
    enriched(demo, clock, EnrichmentTier.TIER_2_BASIC, ["linkedin"], {})
    at = page_app("attendee", "pages/for_you.py")
    assert "Almost there!" in texts(at) and "GitHub or Twitter/X" in texts(at)
    assert any(link.label == "Complete My profile" for link in at.get("page_link"))
    button(at, "Dismiss").click().run()
    assert "Almost there!" not in texts(at)


def test_for_you_shows_no_completion_prompt_for_a_rich_profile(demo, clock, enrichment_on):
    enriched(demo, clock, EnrichmentTier.TIER_1_RICH, ["linkedin", "github", "twitter"], {})
    at = page_app("attendee", "pages/for_you.py")
    assert not at.exception and "Almost there!" not in texts(at) and "Dismiss" not in labels(at)


def test_privacy_says_when_enrichment_is_off_on_the_server(demo, enrichment_off):
    at = page_app("attendee", "pages/privacy.py")
    assert any("off on this server" in c.value for c in at.caption)


def test_analytics_shows_the_enrichment_rate_as_off_when_the_server_has_no_source(demo, clock, enrichment_off):
    refresh_event_analytics(demo, event_id=get_event(demo, DEMO_EVENT_SLUG).id, now=clock.now())
    demo.commit()
    at = page_app("organizer", "pages/analytics.py")
    assert {m.label: m.value for m in at.metric}["Enrichment rate"] == "off"


def test_an_empty_favourites_list_says_what_to_add(no_favourites):
    at = page_app("attendee", FAVOURITES)
    assert not at.exception and "No favourites yet" in texts(at)


def test_an_attendee_adds_a_favourite_with_a_rating_and_sees_it_listed(no_favourites):
    demo = no_favourites
    at = page_app("attendee", FAVOURITES)
    at.selectbox(key="favourite_kind").set_value(FavouriteKind.FILM)
    at.text_input(key="favourite_title").input("Blade Runner")
    at.selectbox(key="favourite_rating").set_value(5)
    button(at, "Add favourite").click().run()
    assert not at.exception and "Added Blade Runner" in texts(at)
    stored = demo.execute(select(Favourite.kind, Favourite.title, Favourite.rating)
                          .where(Favourite.person_id == me(demo))).all()
    assert [tuple(row) for row in stored] == [(FavouriteKind.FILM, "Blade Runner", 5)]
    assert any("Blade Runner" in m.value and ":material/movie:" in m.value for m in at.markdown)


def test_removing_a_favourite_asks_first_and_then_removes_it(no_favourites, clock):
    demo = no_favourites
    demo.add(Favourite(person_id=me(demo), kind=FavouriteKind.BOOK, title="Dune", canonical_title="dune",
                       added_at=clock.now()))
    demo.commit()
    at = page_app("attendee", FAVOURITES)
    button(at, "Remove").click().run()
    mine = select(Favourite.title).where(Favourite.person_id == me(demo))
    assert demo.scalars(mine).all() == ["Dune"] and "Remove Dune from your favourites?" in texts(at)
    button(at, "Remove it").click().run()
    assert demo.scalars(mine).all() == [] and "No favourites yet" in texts(at)


def test_turning_taste_matching_off_after_confirming_clears_the_taste_profile(no_favourites, clock):
    demo = no_favourites
    person_id = me(demo)
    demo.add(Favourite(person_id=person_id, kind=FavouriteKind.BOOK, title="Dune", canonical_title="dune",
                       added_at=clock.now()))
    demo.add(TasteProfile(person_id=person_id, vector=[0.1] * EMBEDDING_DIM, titles=1, input_hash="h",
                          computed_at=clock.now() - timedelta(days=1), traits={"genre": "epic science fiction"},
                          traits_summary="epic science fiction", traits_inferred_at=clock.now()))
    demo.commit()
    at = page_app("attendee", FAVOURITES)
    assert "We inferred you enjoy epic science fiction" in texts(at)
    at.toggle(key="favourites_use_taste").set_value(False).run()
    assert demo.get(TasteProfile, person_id) is not None  # nothing is deleted before the confirmation
    button(at, "Turn off and delete my taste profile").click().run()
    demo.expire_all()
    assert demo.get(TasteProfile, person_id) is None or demo.get(TasteProfile, person_id).vector is None
    assert demo.get(Person, person_id).taste_opt_out is True
    assert "We inferred you enjoy" not in texts(at) and not at.toggle(key="favourites_use_taste").value
