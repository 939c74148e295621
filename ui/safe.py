"""Untrusted text — anything from the database, a file or a link — made safe to show.

Names, summaries and link values must never act as markup: in Streamlit's Markdown (links,
images, `:red[…]`, `:material/…:` icons, LaTeX), in `st.html`, plotly labels (which read `<b>`,
`<a>`) or pydeck tooltips. Every such value goes through one of these functions:

- `md(text)` for Markdown: captions, headings, notices, badges, widget labels;
- `html_text(text)` for HTML: `st.html`, plotly text and hover labels, pydeck tooltips;
- `plain(text)` where the value is shown as plain text (tables, selectbox options): it only
  drops the invisible characters that could disguise it.

All three drop bidirectional controls (U+202E turns "exe.doc" into "cod.exe") and other control
characters, fold line breaks into spaces, and shorten very long values (`limit` characters,
then "…"), so that a 20,000-character name cannot swamp a page.
"""

from __future__ import annotations

import html
import re
import unicodedata

from data_access._sql import INVISIBLE

DEFAULT_LIMIT = 80
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^\"'])")
# Markdown also turns bare addresses into links after escapes are resolved (GFM autolink
# literals: http://…, https://…, www.…, name@host); a zero-width space keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www|@)")


def plain(value: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """The value as one line of visible text: no control or bidirectional characters, at most
    `limit` characters (None: no limit)."""
    if value is None:
        return ""
    text = INVISIBLE.sub("", str(value))
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def md(value: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """The value for Markdown: every Markdown and Streamlit directive character escaped, and
    no address that Markdown would turn into a link."""
    escaped = _MARKDOWN.sub(r"\\\1", plain(value, limit))
    return _AUTOLINK.sub("\\1\u200b", escaped)


def html_text(value: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """The value for HTML (st.html, plotly labels, pydeck tooltips): entities escaped."""
    return html.escape(plain(value, limit), quote=True)
