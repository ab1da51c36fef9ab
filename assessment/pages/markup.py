"""Text on a page: every text that came from a user's file is made inert here."""

from __future__ import annotations

import html
import re
from typing import Any

import markupsafe

from assessment.formatting import is_missing, number

# Characters with a meaning in HTML, Markdown (inline or block) or Jinja/MkDocs syntax.
_SPECIAL = re.compile(r"[&<>\"'`*_\[\]()#|!{}~\\=+\-:.$%^@]")


# Bidi controls and other invisible format characters: shown as their code point so that
# they can neither reorder the page nor hide text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


_BLANK_LINES = re.compile(r"\n\s*\n+")


def user_text(value: object) -> markupsafe.Markup:
    """Text from an answer file, safe in Markdown, raw HTML blocks and table cells."""
    text = "" if value is None else str(value)
    text = _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)
    text = _BLANK_LINES.sub("\n", text)
    # Every special character is an entity by now, so the text is safe as markup.
    # A space after each break: the search index drops the tag, and its snippets should not
    # run two lines together ("regel 1regel 2").
    return markupsafe.Markup(text.replace("\n", "<br> "))  # noqa: S704


def attr(value: object) -> str:
    """A value for an HTML attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def num(value: Any, digits: int = 1) -> str:
    """Template filter: number with a decimal comma, '–' when missing."""
    try:
        return number(None if is_missing(value) else float(value), digits)
    except (TypeError, ValueError):
        return "–"
