"""The pages of a municipality's site: a page context and one builder per page.

`render_pages` is a loop over `PAGE_BUILDERS`; the order of the tuple is the order of the
site's navigation. A new page is a module with a builder, added here.
"""

from __future__ import annotations

from collections.abc import Callable

from assessment.pages.aanbevelingen import build_aanbevelingen
from assessment.pages.actieplan import build_actieplan
from assessment.pages.context import PageContext, SiteData
from assessment.pages.factor import build_factor_pages
from assessment.pages.form import build_vragenlijst
from assessment.pages.kengetallen import build_kengetallen
from assessment.pages.keten import build_keten
from assessment.pages.method import build_methode
from assessment.pages.ontwikkeling import build_ontwikkeling
from assessment.pages.overzicht import build_overzicht
from assessment.pages.page import Page
from assessment.pages.prioriteiten import build_prioriteiten
from assessment.pages.toegankelijkheid import build_toegankelijkheid
from assessment.pages.wat_werkt import build_wat_werkt
from assessment.pages.workshop import build_workshop

PageBuilder = Callable[[PageContext], None]

PAGE_BUILDERS: tuple[PageBuilder, ...] = (
    build_overzicht,
    build_factor_pages,
    build_wat_werkt,
    build_keten,
    build_prioriteiten,
    build_ontwikkeling,
    build_kengetallen,
    build_aanbevelingen,
    build_actieplan,
    build_workshop,
    build_vragenlijst,
    build_methode,
    build_toegankelijkheid,
)


def render_pages(data: SiteData) -> list[Page]:
    """Every Markdown page of one municipality's site, in navigation order."""
    ctx = PageContext(data)
    for build in PAGE_BUILDERS:
        build(ctx)
    return ctx.pages
