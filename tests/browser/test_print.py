"""Printing: navigation hidden, charts visible, no table wider than the paper.

The checks run with print media emulated at the width of an A4 page minus its margins;
the Overzicht and Aanbevelingen pages are also printed to PDF in screenshots/.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.browsing import PAGE_TYPES, open_page
from tests.browser.conftest import SCREENSHOTS, Server, Visit

# A4 is 210 mm wide; with 15 mm margins 180 mm remain, 680 CSS pixels at 96 per inch.
PRINT_WIDTH = 680
HIDDEN_IN_PRINT = [".md-header", ".md-sidebar", ".md-footer", ".md-search", ".md-skip", ".md-top"]


def print_layout(page: Page) -> dict[str, Any]:
    """What the printed page shows: hidden chrome, chart sizes, too-wide tables."""
    layout: dict[str, Any] = page.evaluate(
        """(hidden) => {
            const content = document.querySelector(".md-content__inner").getBoundingClientRect();
            const shown = (element) => getComputedStyle(element).display !== "none"
                && element.getBoundingClientRect().height > 0;
            return {
                chrome: hidden.flatMap((selector) => [...document.querySelectorAll(selector)]
                    .filter(shown).map(() => selector)),
                charts: [...document.querySelectorAll(".ks-figure__chart svg")].map((svg) => {
                    const box = svg.getBoundingClientRect();
                    return [Math.round(box.width), Math.round(box.height),
                            Math.round(box.right - content.right)];
                }),
                wide: [...document.querySelectorAll(".md-content table")]
                    .filter((table) => table.getBoundingClientRect().right > content.right + 1
                        || table.getBoundingClientRect().width > content.width + 1)
                    .map((table) => table.outerHTML.slice(0, 80)),
                closed: document.querySelectorAll(".md-content details:not([open])").length,
                contentWidth: Math.round(content.width),
                scrollWidth: document.documentElement.scrollWidth,
            };
        }""",
        HIDDEN_IN_PRINT,
    )
    return layout


@pytest.mark.parametrize("page_type", [p for p in PAGE_TYPES if not p.startswith("404")])
def test_page_prints_without_navigation_and_without_cut_off_tables(
    visit: Visit, internal_site: Server, page_type: str
) -> None:
    page = visit.page
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 960})
    open_page(page, f"{internal_site.url}/{PAGE_TYPES[page_type]}")
    page.emulate_media(media="print")
    layout = print_layout(page)
    assert layout["chrome"] == []
    assert layout["contentWidth"] >= PRINT_WIDTH - 40  # the text uses the whole page
    assert layout["wide"] == []
    assert layout["closed"] == 0  # every data table is printed
    for width, height, beyond in layout["charts"]:
        assert width > 100
        assert height > 50
        assert beyond <= 1  # no chart sticks out of the page
    assert layout["scrollWidth"] <= PRINT_WIDTH


@pytest.mark.parametrize("page_type", ["overzicht", "aanbevelingen"])
def test_page_prints_to_pdf(visit: Visit, internal_site: Server, page_type: str) -> None:
    page = visit.page
    open_page(page, f"{internal_site.url}/{PAGE_TYPES[page_type]}")
    page.emulate_media(media="print")
    if page_type == "overzicht":
        assert print_layout(page)["charts"], "the radar chart is printed"
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"print-{page_type}.pdf"
    pdf = page.pdf(
        path=path,
        format="A4",
        margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"},
        print_background=True,
    )
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= 1
