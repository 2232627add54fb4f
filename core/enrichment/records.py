"""What the sources answer: web search results and a GitHub profile, as plain records."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchResult:
    """One web search hit in the common JSON shape (url, title, content)."""

    url: str
    title: str = ""
    content: str = ""


@dataclass(frozen=True)
class GitHubProfile:
    """What GitHub's public REST API says of a user and their recently updated repositories (seed 000 §2.2)."""

    username: str
    url: str
    bio: str | None = None
    blog: str | None = None  # the personal website they list, if any
    public_repos: int = 0
    followers: int = 0
    top_languages: list[str] = field(default_factory=list)  # by repository count, at most 5
    recent_repos: list[str] = field(default_factory=list)  # at most 5 names
