"""The built HTML finished: charts put in, and nothing left that reaches another host."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from assessment.pages.page import Page

# Lunr files the Dutch search needs; the other languages are dropped from every site.
_LUNR = "assets/javascripts/lunr"
_LUNR_KEEP = {"lunr.nl.min.js", "lunr.stemmer.support.min.js", "lunr.multi.min.js"}


_EXTERNAL_URL = re.compile(r"https?://(?!www\.w3\.org/)(?!127\.0\.0\.1)(?!localhost)")


_TAG = re.compile(r"<[^>]*>")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/")


def insert_charts(site: Path, pages: Iterable[Page]) -> None:
    """Put each page's chart SVGs into its built HTML, where MkDocs kept the markers."""
    for page in pages:
        if not page.charts:
            continue
        path = site / page.html_path
        text = path.read_text(encoding="utf-8")
        for marker, svg in page.charts:
            if text.count(marker) != 1:
                raise ValueError(f"grafiek niet gevonden in {page.html_path}")
            text = text.replace(marker, svg)
        path.write_text(text, encoding="utf-8")


def unwanted(relative: str) -> bool:
    """Whether a file of the built site is one the site does not need (a source map, a
    search language other than Dutch); `relative` is its path in the site, with '/'."""
    if relative.endswith(".map"):
        return True
    folder, _, name = relative.rpartition("/")
    return folder.startswith(_LUNR) and name.endswith(".js") and name not in _LUNR_KEEP


def sanitize_site(site: Path, clean: Iterable[Path] | None = None) -> None:
    """Remove what the site does not need and every reference to another host.

    With `clean`, only those files are searched for references (the others are known to
    be clean already, e.g. copied from a site sanitized before).
    """
    for path in [p for p in site.rglob("*") if p.is_file()]:
        if unwanted(path.relative_to(site).as_posix()):
            path.unlink()
    for path in site.rglob("*") if clean is None else clean:
        if (
            path.suffix not in (".js", ".css", ".html", ".json", ".xml", ".txt")
            or not path.is_file()
        ):
            continue
        if path.name.startswith("sitemap.xml"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "search_index.json":
            cleaned = _sanitize_search_index(text)
        else:
            cleaned = _EXTERNAL_URL.sub("about:invalid#", _SOURCE_MAP.sub("", text))
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
    # Without a site_url MkDocs' sitemap lists nothing; it only adds a foreign namespace.
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if (site / name).exists():
            (site / name).unlink()


def _sanitize_search_index(text: str) -> str:
    """The search index with every address made harmless, except in the text of its texts.

    Titles and texts are HTML fragments whose text Material's search plugin escaped: an
    address there is text (a comment that quotes it, shown as the page shows it), never a
    request. Only a tag could make one: addresses in tags and elsewhere are rewritten.
    """

    def unlink(value: str) -> str:
        return _EXTERNAL_URL.sub("about:invalid#", value)

    index = json.loads(text)
    docs = index.pop("docs", [])
    for doc in docs:
        for key, value in doc.items():
            if key in ("title", "text"):
                doc[key] = _TAG.sub(lambda tag: unlink(tag.group()), value)
            else:
                doc[key] = json.loads(unlink(json.dumps(value)))
    cleaned = json.loads(unlink(json.dumps(index)))
    cleaned["docs"] = docs
    return json.dumps(cleaned, separators=(",", ":"))
