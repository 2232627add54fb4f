"""What goes into a search query and which GitHub links name a person."""
import pytest

from core.enrichment.sources import github_username_from_url, sanitise_name, search_query


def test_a_query_is_name_company_and_role():
    assert search_query("Ana", "Lopez", "Acme Corp", "Data Engineer") == "Ana Lopez Acme Corp Data Engineer"


@pytest.mark.parametrize("hostile, expected", [
    ('Ana" OR site:evil.com', "Ana evil.com"),
    ("Bob -linkedin +admin", "Bob linkedin admin"),
    ("Eve\x00\nhttps://evil.example/x?q=1 Smith", "Eve Smith"),
    ("  Ana   (Lopez)  ", "Ana Lopez"),
    ("inurl:admin intitle:secret Zoe", "admin secret Zoe"),
    ("Mary-Jane O'Neil", "Mary-Jane O Neil"),
])
def test_names_lose_quotes_operators_urls_and_control_characters(hostile, expected):
    assert sanitise_name(hostile) == expected


def test_a_sanitised_name_is_at_most_80_characters():
    assert len(sanitise_name("A" * 50 + " " + "B" * 50)) <= 80
    assert len(search_query("A" * 70, "B" * 70, "C" * 70, "D" * 70)) <= 80


@pytest.mark.parametrize("url, username", [
    ("https://github.com/analopez", "analopez"),
    ("https://www.github.com/ana-lopez/", "ana-lopez"),
    ("https://github.com/analopez?tab=repositories", "analopez"),
    ("https://github.com/analopez/project", None),
    ("https://gist.github.com/analopez", None),
    ("https://github.com/orgs/acme", None),
    ("https://github.com/features", None),
    ("https://github.com/topics/python", None),
    ("https://github.com/-bad-", None),
    ("https://notgithub.com/analopez", None),
    ("https://github.com/" + "a" * 40, None),
    ("not a url", None),
])
def test_only_profile_links_give_a_github_username(url, username):
    assert github_username_from_url(url) == username
