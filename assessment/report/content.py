"""What the report shows, gathered by the site's own page builders: the report renders the
same figures as the site, so that a number in the council's PDF is the number on the site.

`ReportContext` is a page context whose `page()` keeps each builder's template data instead
of rendering Markdown; the report's HTML template then lays that data out for paper.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from assessment.pages.aanbevelingen import build_aanbevelingen
from assessment.pages.actieplan import build_actieplan
from assessment.pages.context import PageContext, SiteData, one_round, records
from assessment.pages.factor import build_factor_pages
from assessment.pages.kengetallen import build_kengetallen
from assessment.pages.keten import build_keten
from assessment.pages.ontwikkeling import build_ontwikkeling
from assessment.pages.overzicht import build_overzicht
from assessment.pages.page import Page
from assessment.pages.prioriteiten import build_prioriteiten
from assessment.pages.wat_werkt import build_wat_werkt

# The site's pages whose data the report shows, by the path the builder gives them.
BUILDERS = (
    build_overzicht,
    build_factor_pages,
    build_wat_werkt,
    build_keten,
    build_prioriteiten,
    build_ontwikkeling,
    build_aanbevelingen,
    build_actieplan,
    build_kengetallen,
)


class ReportContext(PageContext):
    """A page context that keeps what each page builder would render, by page path."""

    def __init__(self, data: SiteData) -> None:
        super().__init__(data)
        self.captured: dict[str, dict[str, Any]] = {}

    def page(
        self, path: str, title: str, template: str, section: str | None = None, **extra: Any
    ) -> Page:
        """Keep the builder's template data; nothing is rendered."""
        self.captured[path] = {"title": title, **extra}
        return self.add(Page(path, title, "", section))

    def captured_page(self, path: str) -> dict[str, Any]:
        """The template data of one of the site's pages."""
        return self.captured[path]


@dataclass(frozen=True)
class Chapter:
    """A heading of the report that the table of contents lists (and the outline holds)."""

    id: str
    number: str
    title: str
    level: int  # 1: a chapter, 2: a part of one

    @property
    def heading(self) -> str:
        """The heading as printed, which is also its title in the PDF's outline."""
        return f"{self.number} {self.title}" if self.number else self.title


def gather(data: SiteData) -> ReportContext:
    """Run the page builders the report draws on, for one municipality and audience.

    The public report holds no text that partners wrote: besides what the public site
    leaves out (comments, organisation names, rationales, notes), the actions lose their
    titles and measures here and are named by number.
    """
    if data.audience == "public":
        data = dataclasses.replace(
            data,
            actions=data.actions.assign(title=None, measure=None),
            carried=data.carried.assign(title=None, measure=None),
        )
    ctx = ReportContext(data)
    for build in BUILDERS:
        build(ctx)
    return ctx


def chapters(ctx: ReportContext, *, workshop: bool, key_figures: bool) -> list[Chapter]:
    """The report's chapters in order, numbered; optional ones only when they have content."""
    parts: list[tuple[str, str]] = [
        ("samenvatting", "Samenvatting"),
        ("in-een-beeld", "In één beeld"),
        ("succesfactoren", "De succesfactoren"),
        ("wat-werkt", "Wat werkt"),
        ("keten", "De keten"),
        ("prioriteiten", "Prioriteiten"),
        ("ontwikkeling", "Ontwikkeling"),
        ("aanbevelingen", "Aanbevelingen"),
    ]
    if workshop:
        parts.append(("actieplan", "Workshop en actieplan"))
    if key_figures:
        parts.append(("kengetallen", "Kengetallen"))
    found: list[Chapter] = []
    for number, (anchor, title) in enumerate(parts, start=1):
        found.append(Chapter(anchor, str(number), title, 1))
        if anchor == "succesfactoren":
            found += [
                Chapter(f"factor-{factor.id}", f"{number}.{index}", factor.title, 2)
                for index, factor in enumerate(ctx.success.factors, start=1)
            ]
    found.append(Chapter("methode", "", "Bijlage: zo rekenen we", 1))
    return found


def workshop_part(ctx: ReportContext) -> dict[str, Any] | None:
    """The consensus scores and the action plan, when a workshop took place (else None)."""
    plan = ctx.captured_page("actieplan.md")
    if plan["plan_round"] is None:
        return None
    agreed = []
    if ctx.session_now is not None:
        for section in ctx.instrument.sections:
            for factor in section.factors:
                row = ctx.agreed_now.get(factor.id)
                mean = (
                    ctx.factors_now.loc[factor.id, "mean"]
                    if factor.id in ctx.factors_now.index
                    else None
                )
                agreed.append(
                    {"factor": factor, "section": section.title, "agreed": row, "mean": mean}
                )
    notes = [] if ctx.public else records(one_round(ctx.data.notes, ctx.latest))
    names = {f.id: f.title for f in ctx.instrument.factors()} | {
        s.id: s.text for s in ctx.instrument.statements()
    }
    return {
        **plan,
        "agreed_rows": agreed,
        "notes": [{"label": names.get(str(n["point"]), n["point"]), **n} for n in notes],
    }
