"""The shape of a person's enrichment: platforms, fact keys and the per-source skills that matching reads.

`Person.enrichment` maps a fact key to {"value": str | int | list[str], "source": <platform label>} and, for the
merged lists (`extracted_skills`, `extracted_interests`), also "by_source": {item: [platform labels]}."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from db.models import EnrichmentTier, Person


class Platform(StrEnum):
    """A place a public profile can be found (seed 000 §1.1, §2.2); stored in `Person.enrichment_sources`."""

    LINKEDIN = "linkedin"
    GITHUB = "github"
    TWITTER = "twitter"
    YOUTUBE = "youtube"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    MEDIUM = "medium"
    DEVTO = "devto"
    WEBSITE = "website"

    @property
    def label(self) -> str:
        return PLATFORM_LABELS[self]


PLATFORM_LABELS = {Platform.LINKEDIN: "LinkedIn", Platform.GITHUB: "GitHub", Platform.TWITTER: "Twitter/X",
                   Platform.YOUTUBE: "YouTube", Platform.INSTAGRAM: "Instagram", Platform.FACEBOOK: "Facebook",
                   Platform.MEDIUM: "Medium", Platform.DEVTO: "dev.to", Platform.WEBSITE: "personal website"}

# Seed 000 §2.2: the domains of each platform a profile search is restricted to (the personal website has none).
PLATFORM_DOMAINS = {
    Platform.LINKEDIN: ("linkedin.com",), Platform.GITHUB: ("github.com",), Platform.TWITTER: ("twitter.com", "x.com"),
    Platform.YOUTUBE: ("youtube.com",), Platform.INSTAGRAM: ("instagram.com",), Platform.FACEBOOK: ("facebook.com",),
    Platform.MEDIUM: ("medium.com",), Platform.DEVTO: ("dev.to",)}

# What the completion prompt asks for when a platform was not found (seed 000 §8.1), most useful first.
PROMPTED_PLATFORMS = (Platform.LINKEDIN, Platform.GITHUB, Platform.TWITTER)

SKILLS = "extracted_skills"
INTERESTS = "extracted_interests"
# Fact keys, each stored as {"value": …, "source": label}; lists are lists of short strings.
FACT_LABELS = {
    "linkedin_url": "LinkedIn profile", "linkedin_headline": "LinkedIn headline",
    "inferred_seniority": "Seniority (inferred)", "inferred_function": "Function (inferred)",
    "github_username": "GitHub username", "github_bio": "GitHub bio", "github_top_languages": "GitHub languages",
    "github_repo_count": "Public repositories", "github_followers": "GitHub followers",
    "github_recent_repos": "Recent repositories", "twitter_handle": "Twitter/X handle", "twitter_bio": "Twitter/X bio",
    "youtube_channel_url": "YouTube channel", "youtube_channel_name": "YouTube channel name",
    "youtube_subscriber_range": "YouTube subscribers", "instagram_handle": "Instagram handle",
    "instagram_bio": "Instagram bio", "facebook_profile_url": "Facebook page", "medium_url": "Medium",
    "devto_url": "dev.to", "personal_website": "Personal website", "is_content_creator": "Content creator",
    SKILLS: "Skills found in public profiles", INTERESTS: "Interests found in public profiles",
}


@dataclass
class MergedProfile:
    """The merge of every platform's extraction: facts for `Person.enrichment`, and the platforms found."""

    facts: dict[str, dict] = field(default_factory=dict)
    sources: list[Platform] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # platform or source -> what went wrong

    @property
    def skills(self) -> list[str]:
        return list((self.facts.get(SKILLS) or {}).get("value") or [])

    @property
    def interests(self) -> list[str]:
        return list((self.facts.get(INTERESTS) or {}).get("value") or [])


def tier_for(source_count: int) -> EnrichmentTier:
    """Seed 000 §8.1: 3+ sources rich, 1-2 basic, none manual."""
    if source_count >= 3:
        return EnrichmentTier.TIER_1_RICH
    return EnrichmentTier.TIER_2_BASIC if source_count >= 1 else EnrichmentTier.TIER_3_MANUAL


TIER_LABELS = {EnrichmentTier.TIER_0_PENDING: "Not enriched yet", EnrichmentTier.TIER_1_RICH: "Rich",
               EnrichmentTier.TIER_2_BASIC: "Basic", EnrichmentTier.TIER_3_MANUAL: "Manual"}


@dataclass(frozen=True)
class CompletionPrompt:
    """Seed 000 §8.1's banner: what to add for better matches; none for a rich profile."""

    title: str
    body: str
    missing: tuple[str, ...]


def missing_platforms(sources: list[str]) -> list[Platform]:
    return [p for p in PROMPTED_PLATFORMS if p.value not in sources]


def completion_prompt(tier: EnrichmentTier, sources: list[str]) -> CompletionPrompt | None:
    """The completion prompt of a tier (None for rich and not-yet-enriched profiles)."""
    missing = tuple(p.label for p in missing_platforms(sources))
    if tier == EnrichmentTier.TIER_2_BASIC and missing:
        shown = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        return CompletionPrompt("Almost there!", f"We couldn't find your {shown}. Add them manually for better "
                                "recommendations.", missing)
    if tier == EnrichmentTier.TIER_3_MANUAL:
        return CompletionPrompt("Complete your profile", "We couldn't find your public profiles. Add your LinkedIn "
                                "or GitHub, a short bio and the skills you offer to get personalised "
                                "recommendations.", missing)
    return None


def enriched_skills(person: Person) -> list[str]:
    """The skills and languages enrichment found for the person: they join the offered skills in matching."""
    facts = person.enrichment or {}
    found = [*((facts.get("github_top_languages") or {}).get("value") or []),
             *((facts.get(SKILLS) or {}).get("value") or [])]
    own = {s.strip().lower() for s in person.skills_offered or ()}
    return [s for s in dict.fromkeys(found) if isinstance(s, str) and s.strip() and s.strip().lower() not in own]
