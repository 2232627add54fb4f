"""Per-platform extraction of seed 000 §2.2: which search result is which platform's profile, what rules read from
its title and snippet, and, with an LLM, the seed's prompts with validated replies; platforms run in parallel.

Every value that leaves here is plain, one-line, capped text: search snippets and LLM replies are untrusted."""
from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel

from core.ai.llm import LLMClient, LLMError
from core.enrichment import prompts
from core.enrichment.facts import PLATFORM_DOMAINS, Platform
from core.enrichment.records import GitHubProfile, SearchResult
from core.enrichment.sources import GITHUB_RESERVED
from core.knowledge.skills import concepts_of

# Caps of extracted values (characters; lists: items).
HEADLINE_LIMIT, BIO_LIMIT, NAME_LIMIT, ITEM_LIMIT, ITEMS_LIMIT, URL_LIMIT = 160, 280, 100, 60, 8, 300

# A result on none of the platforms' domains may be a personal website.
_ALL_DOMAINS = tuple(d for domains in PLATFORM_DOMAINS.values() for d in domains) + ("youtu.be", "fb.com", "t.co")

# First path segments that are the site's own pages, not somebody's profile.
RESERVED_PATHS = {
    Platform.GITHUB: GITHUB_RESERVED,
    Platform.TWITTER: frozenset(str.split(
        "home explore search hashtag i intent share settings login logout signup notifications messages "
        "compose tos privacy about help jobs status")),
    Platform.INSTAGRAM: frozenset(str.split(
        "p reel reels explore stories tv accounts direct about developer legal web challenge")),
    Platform.FACEBOOK: frozenset(str.split(
        "watch groups events marketplace gaming login logout sharer sharer.php share.php photo.php story.php "
        "permalink.php hashtag help policies privacy search settings home.php pages_reaction_units l.php "
        "photo video reel")),
    Platform.DEVTO: frozenset(str.split(
        "t tags search top latest settings enter about faq privacy terms code-of-conduct contact dashboard "
        "notifications readinglist new listings videos podcasts api")),
    Platform.MEDIUM: frozenset(str.split(
        "www help policy about jobs blog m tag topic search me plans membership creators")),
}
HANDLE_PATTERNS = {
    Platform.GITHUB: re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"),
    Platform.TWITTER: re.compile(r"[A-Za-z0-9_]{1,15}"), Platform.INSTAGRAM: re.compile(r"[A-Za-z0-9._]{1,30}"),
    Platform.FACEBOOK: re.compile(r"[A-Za-z0-9.\-]{2,80}"), Platform.MEDIUM: re.compile(r"[A-Za-z0-9._-]{1,60}"),
    Platform.DEVTO: re.compile(r"[A-Za-z0-9_]{1,60}"), Platform.LINKEDIN: re.compile(r"[A-Za-z0-9%_-]{2,100}"),
    Platform.YOUTUBE: re.compile(r"[A-Za-z0-9._-]{1,100}")}

# LinkedIn headline rules: (field, value, pattern), first match per field wins. Seniority falls back to "mid" for
# a plain job title; the function stays unknown (None) when no rule matches.
HEADLINE_RULES: tuple[tuple[str, str, re.Pattern], ...] = tuple(
    (fact, value, re.compile(pattern, re.I)) for fact, value, pattern in (
        ("inferred_seniority", "executive",
         r"\b(?:ceo|cto|cfo|coo|cmo|cpo|cio|ciso|cro|chief|c-level|founder|co-?founder|president|vp|svp|evp"
         r"|vice[- ]president|managing director|director|head of|general partner|owner)\b"),
        ("inferred_seniority", "senior",
         r"\b(?:senior|sr\.?|staff|principal|lead|leader|architect|distinguished|(?:engineering|general|group)"
         r" manager)\b"),
        ("inferred_seniority", "junior",
         r"\b(?:junior|jr\.?|intern|internship|graduate|trainee|apprentice|entry[- ]level|student|bootcamp)\b"),
        ("inferred_seniority", "mid",
         r"\b(?:engineer|developer|programmer|designer|analyst|scientist|consultant|specialist|marketer"
         r"|account executive|product manager|researcher|administrator|recruiter|writer|associate)\b"),
        ("inferred_function", "design", r"\b(?:design|designer|ux|ui|user experience|user research\w*)\b"),
        ("inferred_function", "marketing",
         r"\b(?:marketing|marketer|growth|brand|seo|content strategy|communications|cmo|community manager)\b"),
        ("inferred_function", "sales",
         r"\b(?:sales|account executive|account manager|business development|bdr|sdr|cro|partnerships)\b"),
        ("inferred_function", "product",
         r"\b(?:product manager|product management|product owner|product lead|head of product|vp,? product"
         r"|cpo|chief product)\b"),
        ("inferred_function", "engineering",
         r"\b(?:engineer\w*|developer|programmer|devops|sre|cto|software|architect|data scientist"
         r"|machine learning|ml|full[- ]?stack|backend|frontend)\b"),
    ))

SUBSCRIBERS_RE = re.compile(r"(\d[\d,.]*)\s*([KkMmBb]|thousand|million|billion)?\s+subscribers?\b", re.I)
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
CREATOR_RE = re.compile(r"\b(?:videos?|uploads?|episodes?|tutorials?|podcast|vlogs?|streams?|livestreams?)\b", re.I)
TITLE_SUFFIX_RE = re.compile(
    r"\s*(?:[|\-–—·]\s*)?(?:LinkedIn|YouTube|Instagram(?: photos and videos)?|Facebook|Medium|DEV Community"
    r"|X|Twitter)\s*$", re.I)
TITLE_SPLIT_RE = re.compile(r"\s+[-–—|·]\s+")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.I)
MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Markdown and HTML marks; "C#" and "snake_case" keep theirs (a hashtag or heading loses its #).
MARKUP_RE = re.compile(r"</?[a-zA-Z][^>]*>|[*`>~|\[\]{}<\\]|__|(?<!\w)#+")
INSTRUCTION_RE = re.compile(r"^\W*(?:system|assistant|user|human|developer|instructions?)\s*:"
                            r"|\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions|prompt|rules)\b", re.I | re.S)
LONG_TOKEN = 50


def _split(url: str) -> tuple[str, list[str], dict[str, list[str]]] | None:
    """Host (without www./m./mobile.), path segments and query of an http(s) URL; None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = re.sub(r"^(?:www|m|mobile)\.(?=[^.]+\.[^.]+)", "", parts.hostname.lower())
    return host, [s for s in parts.path.split("/") if s], parse_qs(parts.query)


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _handle(platform: Platform, candidate: str) -> str | None:
    pattern = HANDLE_PATTERNS[platform]
    if not pattern.fullmatch(candidate) or candidate.lower() in RESERVED_PATHS.get(platform, ()):
        return None
    return candidate


def handle_from_url(platform: Platform, url: str) -> str | None:
    """The profile's handle (LinkedIn slug, YouTube channel id, handle or name) when `url` is a profile page of
    `platform`; None for posts, repositories, searches, the site's own pages and other hosts.

    Post links of Medium and dev.to name their author and count; statuses, photos and repositories do not."""
    split = _split(url)
    if split is None or platform == Platform.WEBSITE:
        return None
    host, path, query = split
    if not any(_on(host, d) for d in PLATFORM_DOMAINS[platform]):
        return None
    first = path[0] if path else ""
    if platform == Platform.LINKEDIN:
        return _handle(platform, path[1]) if len(path) >= 2 and first == "in" else None
    if platform == Platform.GITHUB:
        return _handle(platform, first) if len(path) == 1 and host == "github.com" else None
    if platform in (Platform.TWITTER, Platform.INSTAGRAM):
        return _handle(platform, first) if len(path) == 1 else None
    if platform == Platform.YOUTUBE:
        if first.startswith("@") and len(first) > 1:
            return _handle(platform, first[1:])
        return _handle(platform, path[1]) if len(path) >= 2 and first in ("channel", "c") else None
    if platform == Platform.FACEBOOK:
        if first == "profile.php":
            ids = query.get("id") or []
            return ids[0] if ids and ids[0].isdigit() else None
        if first in ("people", "pages") and len(path) >= 2:
            return _handle(platform, path[-1]) if path[-1].isdigit() else None
        return _handle(platform, first) if len(path) == 1 else None
    if platform == Platform.MEDIUM:
        if host != "medium.com":  # someone.medium.com
            return _handle(platform, host.removesuffix(".medium.com"))
        return _handle(platform, first[1:]) if first.startswith("@") and len(first) > 1 else None
    if platform == Platform.DEVTO:
        return _handle(platform, first) if host == "dev.to" and 1 <= len(path) <= 2 else None
    return None


CANONICAL_HOSTS = {Platform.LINKEDIN: "www.linkedin.com", Platform.YOUTUBE: "www.youtube.com",
                   Platform.INSTAGRAM: "www.instagram.com", Platform.FACEBOOK: "www.facebook.com"}


def profile_url(platform: Platform, url: str) -> str | None:
    """The canonical profile URL behind a matching result URL, without query or post (a Medium or dev.to post gives
    its author's page)."""
    handle = handle_from_url(platform, url)
    if handle is None:
        return None
    host, path, _ = _split(url)
    if platform == Platform.MEDIUM:
        return f"https://medium.com/@{handle}"
    if platform == Platform.DEVTO:
        return f"https://dev.to/{handle}"
    if platform == Platform.TWITTER:
        return f"https://{host}/{handle}"
    if platform == Platform.LINKEDIN:
        return f"https://www.linkedin.com/in/{handle}"
    if platform == Platform.FACEBOOK and path[0] == "profile.php":
        return f"https://www.facebook.com/profile.php?id={handle}"
    kept = path[:3] if platform == Platform.FACEBOOK and path[0] in ("people", "pages") else \
        path[:1] if path[0].startswith("@") or len(path) == 1 else path[:2]
    return f"https://{CANONICAL_HOSTS.get(platform, host)}/{'/'.join(kept)}"


def website_url(url: str | None) -> str | None:
    """A personal website's http(s) URL (a bare domain gets https://), or None when it is on a platform's domain
    or is no web address at all."""
    value = (url or "").strip()
    if value and not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        value = "https://" + value
    split = _split(value)
    if split is None or "." not in split[0] or any(_on(split[0], d) for d in _ALL_DOMAINS) or len(value) > URL_LIMIT:
        return None
    return value


def is_profile(platform: Platform, url: str) -> bool:
    """Whether a search result URL is `platform`'s profile page (for the website: outside the platform domains)."""
    if platform == Platform.WEBSITE:
        return website_url(url) is not None and bool(re.match(r"https?://", url.strip(), re.I))
    return handle_from_url(platform, url) is not None


# --- cleaning -------------------------------------------------------------------------------------------------

def cap_text(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-") + "…"


def clean_text(value: object, limit: int, own_url: str = "", drop_overlong: bool = False) -> str | None:
    """Untrusted text as it may be stored: Markdown and HTML reduced to words, links other than `own_url` removed,
    one line, capped at `limit` (or dropped, with `drop_overlong`); None when nothing is left or a word is absurdly
    long."""
    if not isinstance(value, str):
        return None
    text = MD_LINK_RE.sub(r"\1", value)
    text = URL_RE.sub(lambda m: m.group(0) if own_url and m.group(0).rstrip("/.") == own_url.rstrip("/") else "",
                      text)
    text = MARKUP_RE.sub(" ", text)
    text = re.sub(r"\(\s*\)", "", " ".join(text.split())).strip(" ,;:-·|")
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    if not text or any(len(word) > LONG_TOKEN for word in text.split()):
        return None
    if len(text) > limit:
        return None if drop_overlong else cap_text(text, limit)
    return text


def clean_list(values: object, drop_overlong: bool = False) -> list[str]:
    """A list of short topics, each cleaned, without duplicates, at most ITEMS_LIMIT."""
    if not isinstance(values, list):
        return []
    cleaned = [clean_text(v, ITEM_LIMIT, drop_overlong=drop_overlong) for v in values]
    return list(dict.fromkeys(c for c in cleaned if c))[:ITEMS_LIMIT]


def _compact(data: dict) -> dict:
    """No None, no empty strings or lists."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != []}


# --- rules ----------------------------------------------------------------------------------------------------

def subscriber_range(text: str | None) -> str | None:
    """Seed 000's subscriber band of a snippet's "12.3K subscribers" ("10K-100K"), None when it states none."""
    match = SUBSCRIBERS_RE.search(text or "")
    if not match:
        return None
    number, unit = match.group(1), (match.group(2) or "").lower()
    try:
        count = float(number.replace(",", "")) if unit or "," in number else float(number)
    except ValueError:
        return None
    count *= _MULTIPLIERS.get(unit, 1)
    bands = ((1e3, "Under 1K"), (1e4, "1K-10K"), (1e5, "10K-100K"), (1e6, "100K-1M"))
    return next((band for limit, band in bands if count < limit), "1M+")


def headline_facts(headline: str | None) -> dict[str, str]:
    """Inferred seniority and function of a headline by HEADLINE_RULES (absent when no rule matches)."""
    found: dict[str, str] = {}
    for fact, value, pattern in HEADLINE_RULES:
        if fact not in found and headline and pattern.search(headline):
            found[fact] = value
    return found


def title_parts(title: str | None) -> list[str]:
    """A result title split at its separators, without the platform suffix
    ("Ana Lopez - Staff Engineer - Acme | LinkedIn" -> ["Ana Lopez", "Staff Engineer", "Acme"])."""
    text = TITLE_SUFFIX_RE.sub("", " ".join((title or "").split()))
    return [p.strip() for p in TITLE_SPLIT_RE.split(text) if p.strip()]


def linkedin_headline(title: str | None) -> str | None:
    """The headline of a "Name - Headline - Company | LinkedIn" title, with its company ("Staff Engineer at
    Acme"); None when the title is only a name."""
    parts = title_parts(title)[1:]
    if not parts:
        return None
    headline = parts[0]
    if len(parts) > 1 and not re.search(r"\bat\b|@", headline, re.I):
        headline = f"{headline} at {parts[1]}"
    return clean_text(headline, HEADLINE_LIMIT)


def tagged(text: str | None) -> list[str]:
    """The skill graph's concept names found in a text, sorted."""
    return sorted(concepts_of(text or ""))


def _display_name(title: str | None) -> str | None:
    """The name a profile title starts with ("Ana Lopez (@ana) / X" -> "Ana Lopez")."""
    text = TITLE_SUFFIX_RE.sub("", " ".join((title or "").split()))
    text = re.sub(r"\s*\(@?[\w.]+\).*$|\s*\bon\b.*$", "", TITLE_SPLIT_RE.split(text)[0] if text else "")
    return clean_text(text, NAME_LIMIT)


def rule_data(platform: Platform, result: SearchResult) -> dict:
    """What rules read from a profile's search result (seed §2.2 shapes), without an LLM."""
    url = profile_url(platform, result.url) if platform != Platform.WEBSITE else website_url(result.url)
    handle = handle_from_url(platform, result.url)
    text = f"{TITLE_SUFFIX_RE.sub('', result.title or '')} {result.content or ''}"  # "DEV Community" is no topic
    bio = clean_text(result.content, BIO_LIMIT, own_url=url or "")
    if platform == Platform.LINKEDIN:
        headline = linkedin_headline(result.title)
        return _compact({"url": url, "headline": headline, **headline_facts(headline),
                         "skills": tagged(f"{headline or ''} {result.content or ''}")})
    if platform == Platform.TWITTER:
        return _compact({"url": url, "handle": f"@{handle}", "bio_snippet": bio, "inferred_interests": tagged(bio)})
    if platform == Platform.YOUTUBE:
        count_band = subscriber_range(result.content) or subscriber_range(result.title)
        creator = True if (count_band and count_band != "Under 1K") or CREATOR_RE.search(text) else None
        return _compact({"url": url, "channel_name": _display_name(result.title), "subscriber_range": count_band,
                         "content_focus": tagged(text), "is_content_creator": creator})
    if platform == Platform.INSTAGRAM:
        return _compact({"url": url, "handle": f"@{handle}", "bio_snippet": bio, "content_themes": tagged(bio)})
    if platform == Platform.FACEBOOK:
        lowered = text.lower()
        kind = ("public_figure" if "public figure" in lowered else
                "business_page" if re.search(r"\b(?:likes|talking about|followers|page)\b", lowered) else None)
        return _compact({"url": url, "profile_type": kind, "name_or_page_title": _display_name(result.title),
                         "bio_snippet": bio})
    if platform in (Platform.MEDIUM, Platform.DEVTO):
        return _compact({"url": url, "handle": f"@{handle}", "bio_snippet": bio, "topics": tagged(text)})
    if platform == Platform.WEBSITE:
        return _compact({"url": url, "title": clean_text(result.title, NAME_LIMIT), "bio_snippet": bio,
                         "topics": tagged(text)})
    raise ValueError(f"no search-result rules for {platform}")


def github_data(profile: GitHubProfile) -> dict:
    """Seed §2.2's GitHub shape from the REST API's answer; languages are skills, and so are the bio's concepts."""
    bio = clean_text(profile.bio, BIO_LIMIT)
    languages = clean_list(list(profile.top_languages))[:5]
    return _compact({"username": profile.username, "url": profile.url, "bio": bio, "public_repos": profile.public_repos,
                     "followers": profile.followers, "top_languages": languages,
                     "recent_activity": clean_list(list(profile.recent_repos))[:5],
                     "skills": [*languages, *tagged(bio)]})


# --- LLM ------------------------------------------------------------------------------------------------------

ENUMS = {"inferred_seniority": prompts.SENIORITIES, "inferred_function": prompts.FUNCTIONS,
         "subscriber_range": prompts.SUBSCRIBER_RANGES, "profile_type": prompts.FACEBOOK_PROFILE_TYPES}
LIST_FIELDS = ("inferred_interests", "content_focus", "content_themes", "topics")
TEXT_LIMITS = {"headline": HEADLINE_LIMIT, "bio_snippet": BIO_LIMIT, "channel_name": NAME_LIMIT,
               "name_or_page_title": NAME_LIMIT, "title": NAME_LIMIT}
FROM_URL = ("url", "handle")  # always the result's own, never the reply's


def _reply_texts(reply: BaseModel) -> list[str]:
    values = reply.model_dump().values()
    return [t for v in values for t in (v if isinstance(v, list) else [v]) if isinstance(t, str)]


def validated_reply(platform: Platform, reply: BaseModel, rules: dict) -> dict | None:
    """A reply as it may be stored, or None when it reads like injected instructions (the caller then keeps the
    rules). URL and handle come from the result; texts lose links and Markdown, and one over its cap is dropped;
    an enum outside its values is dropped; a dropped value is the rules' instead; a null stays out."""
    if any(INSTRUCTION_RE.search(text) for text in _reply_texts(reply)):
        return None
    raw = reply.model_dump()
    own = rules.get("url", "")
    data: dict = {key: rules[key] for key in FROM_URL if key in rules}
    for key, value in raw.items():
        if key in FROM_URL or value is None:
            continue
        if key in ENUMS:
            allowed = {v.lower(): v for v in ENUMS[key]}
            cleaned = allowed.get(value.strip().lower()) if isinstance(value, str) else None
        elif key in LIST_FIELDS:
            cleaned = clean_list(value, drop_overlong=True) or None
        elif isinstance(value, bool):
            cleaned = value
        else:
            cleaned = clean_text(value, TEXT_LIMITS.get(key, BIO_LIMIT), own_url=own, drop_overlong=True)
        data[key] = cleaned if cleaned is not None else rules.get(key)
    if platform == Platform.LINKEDIN:
        data["skills"] = rules.get("skills")
    return _compact(data)


def llm_data(platform: Platform, result: SearchResult, llm: LLMClient, person_name: str, rules: dict,
             event_id: int | None = None) -> dict:
    """The seed's prompt for the platform, answered by the LLM and validated; the rules' data when the call fails
    or the reply is unusable."""
    try:
        prompt = prompts.extraction_prompt(platform, result, person_name)
        reply = llm.complete_json(system=prompts.SYSTEM, prompt=prompt,
                                  schema=prompts.REPLY_MODELS[platform], max_tokens=prompts.MAX_TOKENS,
                                  temperature=prompts.TEMPERATURE, feature=f"enrichment.{platform.value}",
                                  event_id=event_id)
    except LLMError:
        return rules
    return validated_reply(platform, reply, rules) or rules


def extract_from_result(platform: Platform, result: SearchResult, llm: LLMClient | None, person_name: str,
                        event_id: int | None = None) -> dict:
    """One platform's data from its search result: the LLM's when one is configured, else the rules'."""
    rules = rule_data(platform, result)
    if llm is None or not (result.title or result.content):
        return rules
    return llm_data(platform, result, llm, person_name, rules, event_id)


# --- all platforms --------------------------------------------------------------------------------------------

SEARCHED_PLATFORMS = (Platform.LINKEDIN, Platform.TWITTER, Platform.YOUTUBE, Platform.INSTAGRAM, Platform.FACEBOOK,
                      Platform.MEDIUM, Platform.DEVTO, Platform.WEBSITE)
# One extractor per search-result platform; a test may swap one to show that a failure stays with its platform.
EXTRACTORS: dict[Platform, Callable[..., dict]] = {p: extract_from_result for p in SEARCHED_PLATFORMS}


@dataclass
class Extraction:
    """Each found platform's extracted fields (seed §2.2 shapes), and the platforms whose extraction raised."""

    platforms: dict[Platform, dict] = field(default_factory=dict)
    errors: dict[Platform, str] = field(default_factory=dict)


def first_results(results: list[SearchResult]) -> dict[Platform, SearchResult]:
    """The first matching result of each searched platform, as the seed takes them."""
    found: dict[Platform, SearchResult] = {}
    for platform in SEARCHED_PLATFORMS:
        match = next((r for r in results if is_profile(platform, r.url)), None)
        if match is not None:
            found[platform] = match
    return found


def extract_platforms(results: list[SearchResult], github: GitHubProfile | None, *, llm: LLMClient | None,
                      person_name: str, event_id: int | None = None) -> Extraction:
    """Every platform's data from the search results and the GitHub profile, extracted in parallel: an exception
    in one platform's extractor lands in `errors` and the others are still returned."""
    found = first_results(results)
    website = website_url(github.blog) if github is not None and github.blog else None
    if website is not None:  # the site they list on GitHub beats a guess from the search
        found[Platform.WEBSITE] = SearchResult(url=website)
    extraction = Extraction()
    jobs: dict[Platform, Callable[[], dict]] = {
        p: (lambda p=p, r=r: EXTRACTORS[p](p, r, llm, person_name, event_id)) for p, r in found.items()}
    if github is not None:
        jobs[Platform.GITHUB] = lambda: github_data(github)
    if not jobs:
        return extraction
    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="enrich-extract") as pool:
        futures = {p: pool.submit(job) for p, job in jobs.items()}
    for platform in Platform:
        if platform not in futures:
            continue
        try:
            data = futures[platform].result()
        except Exception as exc:  # noqa: BLE001 - one platform's failure never stops the others
            extraction.errors[platform] = cap_text(f"{type(exc).__name__}: {exc}", 300)
            continue
        if data:
            extraction.platforms[platform] = data
    return extraction
