"""Seed 000 §2.2's merge_and_validate: every platform's extraction into flat facts with their source, skills and
interests deduplicated across platforms (one spelling per skill-graph concept), and the platforms that gave data."""
from __future__ import annotations

from core.enrichment.extract import Extraction
from core.enrichment.facts import INTERESTS, SKILLS, MergedProfile, Platform
from core.knowledge.skills import concepts_of, normalize_phrase

LIST_LIMIT = 15  # skills and interests kept, each

# fact key <- (platform, field of its extraction)
FACT_FIELDS: tuple[tuple[str, Platform, str], ...] = (
    ("linkedin_url", Platform.LINKEDIN, "url"), ("linkedin_headline", Platform.LINKEDIN, "headline"),
    ("inferred_seniority", Platform.LINKEDIN, "inferred_seniority"),
    ("inferred_function", Platform.LINKEDIN, "inferred_function"),
    ("github_username", Platform.GITHUB, "username"), ("github_bio", Platform.GITHUB, "bio"),
    ("github_top_languages", Platform.GITHUB, "top_languages"), ("github_repo_count", Platform.GITHUB, "public_repos"),
    ("github_followers", Platform.GITHUB, "followers"), ("github_recent_repos", Platform.GITHUB, "recent_activity"),
    ("twitter_handle", Platform.TWITTER, "handle"), ("twitter_bio", Platform.TWITTER, "bio_snippet"),
    ("youtube_channel_url", Platform.YOUTUBE, "url"), ("youtube_channel_name", Platform.YOUTUBE, "channel_name"),
    ("youtube_subscriber_range", Platform.YOUTUBE, "subscriber_range"),
    ("is_content_creator", Platform.YOUTUBE, "is_content_creator"),
    ("instagram_handle", Platform.INSTAGRAM, "handle"), ("instagram_bio", Platform.INSTAGRAM, "bio_snippet"),
    ("facebook_profile_url", Platform.FACEBOOK, "url"), ("medium_url", Platform.MEDIUM, "url"),
    ("devto_url", Platform.DEVTO, "url"), ("personal_website", Platform.WEBSITE, "url"),
)
# Where skills and interests come from, most reliable first (GitHub's languages are counted, not inferred).
SKILL_FIELDS: tuple[tuple[Platform, str], ...] = ((Platform.GITHUB, "skills"), (Platform.LINKEDIN, "skills"))
INTEREST_FIELDS: tuple[tuple[Platform, str], ...] = (
    (Platform.TWITTER, "inferred_interests"), (Platform.YOUTUBE, "content_focus"),
    (Platform.MEDIUM, "topics"), (Platform.DEVTO, "topics"), (Platform.INSTAGRAM, "content_themes"),
    (Platform.WEBSITE, "topics"))


def _present(value: object) -> bool:
    if value is None or value is False:  # a False flag says nothing worth storing
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(isinstance(v, str) and v.strip() for v in value)
    return isinstance(value, bool | int)


def _stored(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return value


def dedupe_key(item: str) -> str:
    """What makes two spellings one item: the skill-graph concept when exactly one matches ("JS" = "JavaScript"),
    else the normalised words."""
    concepts = concepts_of(item)
    return f"concept:{next(iter(concepts))}" if len(concepts) == 1 else normalize_phrase(item) or item.lower()


def merged_list(extraction: Extraction, fields: tuple[tuple[Platform, str], ...]) -> dict | None:
    """One deduplicated, capped list with the platforms behind each item ({value, source, by_source})."""
    kept: dict[str, str] = {}  # key -> first spelling
    by_source: dict[str, list[str]] = {}
    for platform, name in fields:
        for item in (extraction.platforms.get(platform) or {}).get(name) or []:
            if not isinstance(item, str) or not item.strip():
                continue
            key = dedupe_key(item.strip())
            if key not in kept:
                if len(kept) >= LIST_LIMIT:
                    continue
                kept[key] = item.strip()
            labels = by_source.setdefault(kept[key], [])
            if platform.label not in labels:
                labels.append(platform.label)
    if not kept:
        return None
    values = list(kept.values())
    labels = list(dict.fromkeys(label for item in values for label in by_source[item]))
    return {"value": values, "source": ", ".join(labels), "by_source": {item: by_source[item] for item in values}}


def merge_extraction(extraction: Extraction) -> MergedProfile:
    """Flat facts {key: {"value", "source"}} for `Person.enrichment` (no None, no empty strings), the platforms that
    gave data in Platform order, and the platforms whose extraction failed."""
    facts: dict[str, dict] = {}
    for key, platform, name in FACT_FIELDS:
        value = (extraction.platforms.get(platform) or {}).get(name)
        if _present(value):
            facts[key] = {"value": _stored(value), "source": platform.label}
    for key, fields in ((SKILLS, SKILL_FIELDS), (INTERESTS, INTEREST_FIELDS)):
        merged = merged_list(extraction, fields)
        if merged is not None:
            facts[key] = merged
    sources = [p for p in Platform if extraction.platforms.get(p)]
    errors = {p.value: message for p, message in extraction.errors.items()}
    return MergedProfile(facts=facts, sources=sources, errors=errors)
