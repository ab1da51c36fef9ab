"""One Markdown page of a site, with its charts kept apart until the HTML is built."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One Markdown file of the site and its place in the navigation.

    Charts are not in `content` but in `charts`: (marker, SVG) pairs whose marker stands
    where the SVG belongs. MkDocs then never parses the large SVGs (its Markdown and its
    search index would only spend time on them); `insert_charts` puts them into the built
    HTML. `inline` is the page as one Markdown text, charts included.
    """

    path: str
    title: str
    content: str
    section: str | None = None
    charts: tuple[tuple[str, str], ...] = ()

    @property
    def inline(self) -> str:
        """The Markdown with every chart in its place."""
        content = self.content
        for marker, svg in self.charts:
            content = content.replace(marker, svg, 1)
        return content

    @property
    def html_path(self) -> str:
        """Where MkDocs writes this page (`use_directory_urls: false`)."""
        return self.path.removesuffix(".md") + ".html"


# A chart in a rendered page. Answer-file text cannot produce it: it is entity-escaped.
_CHART_SVG = re.compile(r'(?<=<div class="ks-figure__chart">)<svg\b.*?</svg>(?=</div>)', re.S)


def lift_charts(content: str, prefix: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Replace every chart SVG by a unique marker; returns the text and (marker, SVG)."""
    lifted: list[tuple[str, str]] = []

    def marker(match: re.Match[str]) -> str:
        token = f"<!--ks-chart:{prefix}:{len(lifted)}-->"
        lifted.append((token, match.group(0)))
        return token

    return _CHART_SVG.sub(marker, content), tuple(lifted)
