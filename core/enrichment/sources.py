"""The enrichment sources behind small httpx clients: GitHub's public REST API and a web search API (seed 000 §2)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from core.enrichment.facts import PLATFORM_DOMAINS
from core.enrichment.records import GitHubProfile, SearchResult

# Seed 000 §2.2: the domains a profile search is restricted to, in the seed's order.
SEARCH_DOMAINS = [domain for domains in PLATFORM_DOMAINS.values() for domain in domains]
MAX_RESULTS = 15
NAME_LIMIT = 80
URL_LIMIT = 300
TITLE_LIMIT = 200
CONTENT_LIMIT = 1000
BIO_LIMIT = 300
NAME_FIELD_LIMIT = 100
TOP_LANGUAGES = 5
RECENT_REPOS = 5
DEFAULT_RETRY = timedelta(hours=1)

GITHUB_USERNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
# First path segments on github.com that are GitHub's own pages, not people.
GITHUB_RESERVED = frozenset({
    "about", "apps", "blog", "collections", "contact", "customer-stories", "enterprise", "events", "explore",
    "features", "github", "issues", "join", "login", "logout", "marketplace", "new", "notifications",
    "organizations", "orgs", "pricing", "pulls", "readme", "search", "security", "settings", "site", "sponsors",
    "team", "topics", "trending", "codespaces", "copilot", "solutions", "resources", "signup", "nonprofit",
    "premium-support", "home", "dashboard", "stars", "watching", "users", "account", "gist", "mobile",
})
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
URLS = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
OPERATORS = re.compile(r"\b(?:site|inurl|intitle|intext|filetype|ext|link|related|cache|allintitle|allinurl)\s*:",
                       re.IGNORECASE)
BOOLEAN_WORDS = re.compile(r"\b(?:OR|AND|NOT)\b")
SPECIALS = re.compile(r"[\"'`“”‘’«»()\[\]{}<>|*~^\\]")


class SourceError(Exception):
    """A source call failed (network, timeout, unexpected answer); the message says so in a few words."""


class SourceRateLimited(SourceError):
    """The source told us to stop (GitHub 403 / 429, search 429) until `retry_at` (None = an hour from now)."""

    def __init__(self, message: str, retry_at: datetime | None = None, retry_after_seconds: float | None = None):
        super().__init__(message)
        self.retry_at, self.retry_after_seconds = retry_at, retry_after_seconds

    def until(self, now: datetime) -> datetime:
        """When the source may be called again, on the caller's clock."""
        if self.retry_at is not None:
            return max(self.retry_at, now)
        if self.retry_after_seconds is not None:
            return now + timedelta(seconds=self.retry_after_seconds)
        return now + DEFAULT_RETRY


def _cap(value: object, limit: int) -> str | None:
    if value is None:
        return None
    text = CONTROL.sub(" ", str(value)).strip()
    return text[:limit] or None


def _int(value: object) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def sanitise_name(text: str | None) -> str:
    """Text fit for a search query: no control characters, quotes, search operators or URLs; at most 80 chars."""
    text = unicodedata.normalize("NFKC", text or "")
    text = CONTROL.sub(" ", text)
    text = URLS.sub(" ", text)
    text = OPERATORS.sub(" ", text)
    text = BOOLEAN_WORDS.sub(" ", text)
    text = SPECIALS.sub(" ", text)
    # a leading minus or plus excludes or forces a word in most search syntaxes
    text = re.sub(r"(?:(?<=\s)|^)[-+]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:NAME_LIMIT].strip()


def search_query(first_name: str | None, last_name: str | None, company: str | None, role: str | None) -> str:
    """Seed 000 §2.1's query "{name} {company} {role}", each part sanitised, at most 80 characters."""
    name = sanitise_name(f"{first_name or ''} {last_name or ''}")
    return sanitise_name(" ".join(p for p in (name, sanitise_name(company), sanitise_name(role)) if p))


def valid_github_username(name: str | None) -> str | None:
    """The username if it follows GitHub's rule (alphanumerics and single inner hyphens, at most 39), else None."""
    name = (name or "").strip().lstrip("@")
    return name if GITHUB_USERNAME.match(name) and name.lower() not in GITHUB_RESERVED else None


def github_username_from_url(url: str | None) -> str | None:
    """The username of a github.com profile link; None for repositories, gists, organisation and GitHub pages."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host not in {"github.com", "www.github.com"} or parts.scheme not in {"http", "https", ""}:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 1:
        return None
    return valid_github_username(segments[0])


def _retry_headers(response: httpx.Response) -> tuple[datetime | None, float | None]:
    reset = response.headers.get("X-RateLimit-Reset")
    after = response.headers.get("Retry-After")
    retry_at = retry_after = None
    try:
        retry_at = datetime.fromtimestamp(int(reset), UTC) if reset else None
    except (ValueError, OverflowError, OSError):
        retry_at = None
    try:
        retry_after = max(0.0, float(after)) if after else None
    except ValueError:
        retry_after = None
    return retry_at, retry_after


class GitHubClient:
    """GitHub's public REST API: a user and their recently updated repositories."""

    def __init__(self, base_url: str, token: str | None, timeout: float):
        headers = {"Accept": "application/vnd.github+json", "User-Agent": "GlobalConnect-enrichment"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _get(self, path: str, params: dict | None = None) -> httpx.Response | None:
        try:
            response = self.http.get(path, params=params)
        except httpx.TimeoutException:
            raise SourceError("GitHub did not answer in time.") from None
        except httpx.HTTPError as exc:
            raise SourceError(f"GitHub could not be reached ({type(exc).__name__}).") from None
        if response.status_code == 404:
            return None
        # a 403 is a rate limit only when GitHub says so; otherwise (e.g. a blocked account) it is this lookup's error
        limited = response.status_code >= 400 and (response.headers.get("X-RateLimit-Remaining") == "0"
                                                   or "Retry-After" in response.headers)
        if response.status_code == 429 or limited:
            retry_at, retry_after = _retry_headers(response)
            raise SourceRateLimited("GitHub's rate limit was reached.", retry_at, retry_after)
        if response.status_code >= 400:
            raise SourceError(f"GitHub answered {response.status_code}.")
        return response

    def profile(self, username: str) -> GitHubProfile | None:
        """The user's profile with languages and recent repositories; None when GitHub has no such user."""
        username = valid_github_username(username)
        if username is None:
            return None
        user = self._get(f"/users/{username}")
        if user is None:
            return None
        repos = self._get(f"/users/{username}/repos", params={"sort": "updated", "per_page": 10})
        try:
            data = user.json()
            repo_list = repos.json() if repos is not None else []
        except ValueError:
            raise SourceError("GitHub's answer was not JSON.") from None
        if not isinstance(data, dict) or not isinstance(repo_list, list):
            raise SourceError("GitHub's answer had an unexpected shape.")
        repo_list = [r for r in repo_list if isinstance(r, dict)]
        languages = Counter(_cap(r.get("language"), 40) for r in repo_list if r.get("language"))
        login = valid_github_username(data.get("login")) or username
        return GitHubProfile(
            username=login, url=f"https://github.com/{login}", bio=_cap(data.get("bio"), BIO_LIMIT),
            blog=_cap(data.get("blog"), URL_LIMIT), public_repos=_int(data.get("public_repos")),
            followers=_int(data.get("followers")),
            top_languages=[lang for lang, _ in languages.most_common(TOP_LANGUAGES) if lang],
            recent_repos=[n for n in (_cap(r.get("name"), NAME_FIELD_LIMIT) for r in repo_list[:RECENT_REPOS]) if n])


class SearchClient:
    """A web search API in the common JSON shape: POST /search {query, include_domains} -> results."""

    def __init__(self, base_url: str, api_key: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.http = httpx.Client(headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def search(self, query: str, include_domains: list[str], max_results: int = MAX_RESULTS) -> list[SearchResult]:
        """The results for a query restricted to the given domains (url, title and content capped)."""
        body = {"api_key": self.api_key, "query": query, "include_domains": list(include_domains),
                "max_results": max_results, "search_depth": "advanced"}
        try:
            response = self.http.post(f"{self.base_url}/search", json=body)
        except httpx.TimeoutException:
            raise SourceError("The search API did not answer in time.") from None
        except httpx.HTTPError as exc:
            raise SourceError(f"The search API could not be reached ({type(exc).__name__}).") from None
        if response.status_code == 429:
            retry_at, retry_after = _retry_headers(response)
            raise SourceRateLimited("The search API's rate limit was reached.", retry_at, retry_after)
        if response.status_code >= 400:
            raise SourceError(f"The search API answered {response.status_code}.")
        try:
            results = response.json().get("results")
        except (ValueError, AttributeError):
            raise SourceError("The search API's answer was not the expected JSON.") from None
        if not isinstance(results, list):
            raise SourceError("The search API's answer had no results list.")
        found = []
        for item in results[:max_results]:
            if not isinstance(item, dict):
                continue
            url = _cap(item.get("url"), URL_LIMIT)
            if url and url.lower().startswith(("http://", "https://")):
                found.append(SearchResult(url=url, title=_cap(item.get("title"), TITLE_LIMIT) or "",
                                          content=_cap(item.get("content"), CONTENT_LIMIT) or ""))
        return found
