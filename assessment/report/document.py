"""The report as one self-contained HTML document made for paper (A4, black and white),
and its print through Chromium with a table of contents that knows its page numbers."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt

from assessment.models import Factor
from assessment.pages.context import environment
from assessment.pages.method import render_method
from assessment.paths import default_site_dir
from assessment.printing import OutlineEntry, outline_entries, print_css
from assessment.report.content import Chapter, ReportContext, chapters, workshop_part
from assessment.report.kengetallen import key_figures
from assessment.report.summary import dutch_date, summary

TEMPLATE = "print/rapport.html.j2"
_HEADING = re.compile(r"<(/?)h([1-5])\b")


def report_css() -> str:
    """The shared print style sheet and the report's own."""
    own = (default_site_dir() / "print" / "rapport.css").read_text(encoding="utf-8")
    return print_css() + "\n" + own


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def method_html(ctx: ReportContext) -> str:
    """The method text as HTML for the annex, its headings one level down (h1 -> h2)."""
    text = render_method(ctx.questionnaire, ctx.thresholds, ctx.data.audience, medium="report")
    text = text.split("\n", 1)[1] if text.startswith("# ") else text  # the annex has its own
    rendered = _markdown().render(text)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", rendered)


class ReportDocument:
    """One municipality's report for one audience, ready to render with page numbers."""

    def __init__(self, ctx: ReportContext, made: dt.date | None = None) -> None:
        self.ctx = ctx
        self.printed_numbers: dict[str, int] = {}  # of the latest print
        workshop = workshop_part(ctx)
        figures = key_figures(ctx)
        self.chapters = chapters(ctx, workshop=workshop is not None, key_figures=bool(figures))
        self.context: dict[str, Any] = {
            **ctx.common,
            "css": report_css(),
            "made": dutch_date(made or dt.date.today()),
            "audience": ctx.data.audience,
            "info": ctx.data.info,
            "chapters": {c.id: c for c in self.chapters},
            "toc": self.chapters,
            "summary": summary(ctx),
            "pages": ctx.captured,
            "factors": [_factor(ctx, factor) for factor in ctx.success.factors],
            "workshop": workshop,
            "key_figures": figures,
            "method": method_html(ctx),
            "rule_titles": {rule.id: rule.title for rule in ctx.questionnaire.rules},
            "level_titles": {lvl.id: lvl.title for lvl in ctx.instrument.intervention_levels},
            "dutch_date": dutch_date,
            "session": ctx.session_now,
        }

    def render(self, page_numbers: dict[str, int] | None = None) -> str:
        """The HTML; without page numbers the table of contents holds placeholders."""
        return (
            environment()
            .get_template(TEMPLATE)
            .render(**self.context, page_numbers=page_numbers or {})
        )

    def page_numbers(self, pdf: bytes) -> dict[str, int]:
        """Where each chapter starts in a printed PDF, from its outline (by heading text)."""
        entries = outline_entries(pdf)
        found: dict[str, int] = {}
        position = 0
        for chapter in self.chapters:
            position = _find(entries, chapter, position)
            found[chapter.id] = entries[position].page
        return found

    def revise(self, pdf: bytes) -> str | None:
        """For `print_pdf`: the document again with the page numbers the printed PDF has,
        or None when it shows them already (the placeholders of the first print never do)."""
        numbers = self.page_numbers(pdf)
        if numbers == self.printed_numbers:
            return None
        self.printed_numbers = numbers
        return self.render(numbers)


def _factor(ctx: ReportContext, factor: Factor) -> tuple[Factor, dict[str, Any], list[Any]]:
    """A factor, its page's data and its statements numbered as in its chart."""
    page = ctx.captured_page(f"factoren/{factor.id}.md")
    scored = {str(s["statement"]): s for s in page["statements"]}
    rows = [
        (number, statement.text, scored[statement.id])
        for number, statement in enumerate(factor.statements, start=1)
        if statement.id in scored
    ]
    return factor, page, rows


def _find(entries: list[OutlineEntry], chapter: Chapter, start: int) -> int:
    """The first outline entry from `start` on whose title is the chapter's heading (spaces
    aside: Chromium may drop one where a heading wraps)."""
    wanted = "".join(chapter.heading.split())
    for index in range(start, len(entries)):
        if "".join(entries[index].title.split()) == wanted:
            return index
    raise LookupError(f"kop '{chapter.heading}' staat niet in de inhoud van de PDF")
