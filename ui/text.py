"""The one way untrusted text (from users, uploads or the LLM) reaches Markdown: escaped, so it shows as typed."""
from __future__ import annotations

import html
import re

# CommonMark lets a backslash escape any ASCII punctuation: that stops links, images, headings, lists, emphasis,
# Streamlit's $math$ and :icon: shortcodes. Bare addresses are linked by the renderer after escaping, so a zero-width
# space breaks "https:", "www." and "@" apart, which keeps them readable.
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|@)")
_BREAK = "\u200b"


def plain(text: object, limit: int | None = None) -> str:
    """`text` as literal Markdown: no link, image, heading, list, emphasis or math can be injected through it."""
    value = "" if text is None else str(text)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group(1) + _BREAK, value))


def chart_safe(text: object, limit: int | None = 60) -> str:
    """`text` inside a plotly chart (which renders a few HTML tags) or another HTML context: escaped and capped."""
    value = "" if text is None else str(text)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value)
