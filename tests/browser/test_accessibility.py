"""WCAG 2.1 A/AA in a real browser: axe-core on every page type, plus what axe cannot see.

axe-core is loaded from node_modules (never a CDN). Next to it: the language, one h1 per
page, charts with a name and a reachable table, the whole page by keyboard with a visible
focus, and reflow at 360 px and at 200% zoom without horizontal scrolling.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.browsing import (
    PAGE_TYPES,
    absent_on,
    axe_violations,
    describe,
    horizontal_overflow,
    open_page,
    resize,
    search,
    settle,
)
from tests.browser.conftest import SCREENSHOTS, Server, Visit

# Boxes that may scroll sideways on their own: chart, data table, Markdown table.
SCROLL_BOXES = ".ks-figure__chart, .ks-table-wrap, .md-typeset__scrollwrap"
# The portal and its 404 page are one page: nothing to search.
WITHOUT_SEARCH = {"portaal", "404"}
CHART_PAGES = [
    "overzicht",
    "factor",
    "wat-werkt",
    "de-keten",
    "prioriteiten",
    "ontwikkeling",
    "kengetallen",
    "overzicht-vergelijking",
    "portaal",
]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_axe_violations_and_is_dutch_with_one_h1(
    visit: Visit, audience_site: Server, page_type: str
) -> None:
    page = visit.page
    if absent_on(page, audience_site.url, audience_site.root.name, page_type):
        return
    open_page(page, f"{audience_site.url}/{PAGE_TYPES[page_type]}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("h1").count() == 1
    assert page.title().strip()


def test_search_dialog_with_results_has_no_axe_violations(
    visit: Visit, audience_site: Server
) -> None:
    open_page(visit.page, f"{audience_site.url}/{PAGE_TYPES['overzicht']}")
    assert search(visit.page, "regie") > 0
    assert visit.page.locator(".md-search").get_attribute("aria-label")
    violations = axe_violations(visit.page)
    assert violations == [], describe(violations)
    if audience_site.root.name == "internal":
        (SCREENSHOTS / "pages").mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=SCREENSHOTS / "pages" / "zoeken-1280.png")


def _chart_problems(page: Page) -> list[str]:
    problems: list[str] = page.evaluate(
        """() => {
            const problems = [];
            const figures = document.querySelectorAll(".md-content .ks-figure");
            if (figures.length === 0) problems.push("no chart on this page");
            for (const figure of figures) {
                const svg = figure.querySelector(".ks-figure__chart svg");
                if (!svg) { problems.push(figure.id + ": no svg"); continue; }
                if (svg.getAttribute("role") !== "img") problems.push(figure.id + ": role");
                const label = (svg.getAttribute("aria-label") || "").trim();
                const title = svg.querySelector(":scope > title");
                if (!label || !title || !title.textContent.trim()) {
                    problems.push(figure.id + ": chart without a name");
                }
                const box = svg.getBoundingClientRect();
                if (box.width < 100 || box.height < 50) problems.push(figure.id + ": tiny chart");
                const summary = figure.querySelector(".ks-figure__summary");
                if (!summary || !summary.textContent.trim()) {
                    problems.push(figure.id + ": no text summary");
                }
                const wrap = figure.querySelector(".ks-table-wrap");
                if (!wrap) { problems.push(figure.id + ": no data table"); continue; }
                if (wrap.tabIndex !== 0 || wrap.getAttribute("role") !== "region"
                    || !(wrap.getAttribute("aria-label") || "").trim()) {
                    problems.push(figure.id + ": table wrapper not a named focusable region");
                }
                if (!wrap.checkVisibility({checkVisibilityCSS: true, checkOpacity: true})) {
                    problems.push(figure.id + ": data table hidden");
                }
                const table = wrap.querySelector("table");
                if (!table || !table.querySelector("caption")
                    || !table.querySelector("th[scope=col]")
                    || table.querySelectorAll("tbody tr").length === 0) {
                    problems.push(figure.id + ": table without caption, headers or rows");
                }
            }
            return problems;
        }"""
    )
    return problems


def test_charts_have_a_name_a_summary_and_a_reachable_table(
    visit: Visit, audience_site: Server
) -> None:
    for page_type in CHART_PAGES:
        open_page(visit.page, f"{audience_site.url}/{PAGE_TYPES[page_type]}")
        assert _chart_problems(visit.page) == [], page_type


_MARK_FOCUSABLE = """() => {
    // Styles are taken without focus: blur the focused element meanwhile.
    const active = document.activeElement;
    if (active && active !== document.body) active.blur();
    const style = (element) => {
        const s = getComputedStyle(element);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | ");
    };
    const all = document.querySelectorAll(
        "a[href], input:not([type=hidden]), button, summary, select, textarea, [tabindex]"
    );
    const expected = [];
    all.forEach((element, index) => {
        element.dataset.ksFocus = String(index);
        element.dataset.ksStyle = style(element);
        const visible = element.checkVisibility({checkVisibilityCSS: true, checkOpacity: true});
        const box = element.getBoundingClientRect();
        if (visible && box.width > 0 && box.height > 0 && element.tabIndex >= 0
            && !element.closest("[inert], [aria-hidden=true]") && !element.disabled) {
            expected.push({index: String(index), what: element.outerHTML.slice(0, 120)});
        }
    });
    if (active && active !== document.body) active.focus();
    return expected;
}"""

_FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body || !element.dataset.ksFocus) return null;
    const s = getComputedStyle(element);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1
        && s.outlineColor !== "rgba(0, 0, 0, 0)";
    const shadow = s.boxShadow !== "none";
    const now = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | ");
    return {
        index: element.dataset.ksFocus,
        visible: (outline || shadow) && now !== element.dataset.ksStyle,
        what: element.outerHTML.slice(0, 120),
        nav: !!element.closest(".md-nav--primary"),
        search: element.matches("input.md-search__input"),
        menu: element.matches("label[for=__drawer]"),
        onScreen: (() => {
            const box = element.getBoundingClientRect();
            return box.right > 0 && box.bottom > 0 && box.left < innerWidth
                && box.top < innerHeight && box.width > 0 && box.height > 0;
        })(),
    };
}"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_keyboard_reaches_navigation_search_and_every_link_with_visible_focus(
    visit: Visit, internal_site: Server, page_type: str
) -> None:
    page = visit.page
    open_page(page, f"{internal_site.url}/{PAGE_TYPES[page_type]}")
    expected = {item["index"]: item["what"] for item in page.evaluate(_MARK_FOCUSABLE)}
    reached: dict[str, dict[str, object]] = {}
    first = None
    for _ in range(len(expected) + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        if focused["index"] == first:
            break
        first = first or focused["index"]
        reached[focused["index"]] = focused
    missing = [what for index, what in expected.items() if index not in reached]
    assert missing == [], f"not reachable by Tab on {page_type}: {missing}"
    invisible = [str(item["what"]) for item in reached.values() if not item["visible"]]
    assert invisible == [], f"focus not visible on {page_type}: {invisible}"
    assert any(item["nav"] for item in reached.values()), "navigation not reached"
    if page_type not in WITHOUT_SEARCH:
        assert any(item["search"] for item in reached.values()), "search not reached"


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_reflows_at_360_px_and_200_percent_zoom(
    visit: Visit, audience_site: Server, page_type: str
) -> None:
    page = visit.page
    audience = audience_site.root.name  # "internal" or "public"
    if absent_on(page, audience_site.url, audience, page_type):
        return
    open_page(page, f"{audience_site.url}/{PAGE_TYPES[page_type]}")
    shots = SCREENSHOTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    if audience == "internal":  # the public pages differ only by what they leave out
        page.screenshot(path=shots / f"{page_type}-1280.png", full_page=True)
    for width, height in ((360, 740), (640, 450)):  # a phone; 1280 x 900 at 200% zoom
        resize(page, width, height)
        assert horizontal_overflow(page) == 0, f"{page_type} scrolls sideways at {width} px"
        assert _overflowing_text(page) == [], f"{page_type} at {width} px"
        assert _unreachable_scroll_boxes(page) == [], f"{page_type} at {width} px"
        # The key figures' and the comparison's charts are made to fit a phone: none of
        # them scrolls sideways.
        fitting = ".ks-figure--bullet, .ks-figure--trend, #vergelijking, [id^='spreiding-']"
        assert _scrolling(page, fitting) == [], f"{page_type} at {width} px"
    resize(page, 375, 812)
    if audience == "internal":
        page.screenshot(path=shots / f"{page_type}-375.png", full_page=True)


def _overflowing_text(page: Page) -> list[str]:
    """Content that sticks out of the content column, outside a box that scrolls itself."""
    found: list[str] = page.evaluate(
        """(SCROLL_BOXES) => {
            const inner = document.querySelector(".md-content__inner");
            if (!inner) return [];
            const right = inner.getBoundingClientRect().right + 1;
            const found = [];
            for (const element of inner.querySelectorAll("*")) {
                if (element.closest(SCROLL_BOXES)) continue;
                const box = element.getBoundingClientRect();
                if (box.width > 0 && box.right > right) {
                    found.push(element.outerHTML.slice(0, 100));
                }
            }
            return found.slice(0, 5);
        }""",
        SCROLL_BOXES,
    )
    return found


def _scrolling(page: Page, figures: str) -> list[str]:
    """The ids of the figures matching `figures` whose chart scrolls sideways."""
    found: list[str] = page.evaluate(
        """(figures) => [...document.querySelectorAll(figures)]
            .filter((figure) => {
                const box = figure.querySelector(".ks-figure__chart");
                return box && box.scrollWidth > box.clientWidth + 1;
            })
            .map((figure) => figure.id)""",
        figures,
    )
    return found


def _unreachable_scroll_boxes(page: Page) -> list[str]:
    """Boxes that scroll sideways but cannot take keyboard focus or have no name."""
    found: list[str] = page.evaluate(
        """(SCROLL_BOXES) => [...document.querySelectorAll(SCROLL_BOXES)]
            .filter((box) => box.scrollWidth > box.clientWidth + 1)
            .filter((box) => box.tabIndex !== 0 || !box.getAttribute("aria-label"))
            .map((box) => box.outerHTML.slice(0, 100))""",
        SCROLL_BOXES,
    )
    return found


def _tab_through(page: Page, presses: int) -> list[dict[str, Any]]:
    """Press Tab until the focus comes round again; what each press focused, once at rest."""
    page.evaluate(_MARK_FOCUSABLE)
    reached: list[dict[str, Any]] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        # The search dialog slides in; a closing menu or search scrolls the page: what counts
        # is where the focus is once they have ended.
        settle(page)
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        if reached and focused["index"] == reached[0]["index"]:
            break
        reached.append(focused)
    return reached


@pytest.mark.parametrize("page_type", ["overzicht", "factor"])
def test_at_200_percent_zoom_the_keyboard_opens_the_menu_and_focus_stays_visible(
    visit: Visit, internal_site: Server, page_type: str
) -> None:
    page = visit.page
    page.set_viewport_size({"width": 640, "height": 450})  # 1280 x 900 at 200%
    open_page(page, f"{internal_site.url}/{PAGE_TYPES[page_type]}")
    reached = _tab_through(page, 150)
    hidden = [
        (item["onScreen"], item["visible"], item["what"])
        for item in reached
        if not (item["onScreen"] and item["visible"])
    ]
    assert hidden == [], "focus off screen or not visible"
    assert not any(item["nav"] for item in reached), "closed menu still in the Tab order"
    assert any(item["menu"] for item in reached), "menu button not reachable"

    button = page.locator(".md-header label[for='__drawer']")
    assert button.get_attribute("role") == "button"
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    settle(page)
    assert page.evaluate(_FOCUSED)["nav"], "the focus moves into the open menu"
    in_menu = _tab_through(page, 40)
    assert in_menu[0]["nav"], "Tab stays in the open menu"
    hidden = [
        (item["onScreen"], item["visible"], item["what"])
        for item in in_menu
        if not (item["onScreen"] and item["visible"])
    ]
    assert hidden == [], "focus off screen or not visible in or after the menu"
    # Tab went on past the menu's last link: that closed the menu.
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.getAttribute('for')") == "__drawer"


def test_a_focus_that_moves_on_while_the_menu_closes_stays_in_sight(
    visit: Visit, internal_site: Server
) -> None:
    """Tab held down, or a slow phone: the focus leaves the open menu (which closes it and
    schedules a scroll to the element that got the focus) and moves on again before that
    scroll runs. The late scroll must not take the new focus out of sight."""
    page = visit.page
    page.set_viewport_size({"width": 640, "height": 450})  # 1280 x 900 at 200%
    open_page(page, f"{internal_site.url}/{PAGE_TYPES['overzicht']}")
    button = page.locator(".md-header label[for='__drawer']")
    button.focus()
    page.keyboard.press("Enter")
    settle(page)
    moved: dict[str, Any] = page.evaluate(
        """async () => {
            const menu = [...document.querySelectorAll(".md-sidebar--primary a[href]")];
            const stops = [...document.querySelectorAll(
                ".md-content :is(a[href], summary, [tabindex='0'])")];
            const [first, last] = [stops[0], stops[stops.length - 1]];
            menu[menu.length - 1].focus();
            first.focus();  // out of the menu: it closes
            last.focus();  // and on, far down the page, before the menu's scroll has run
            const top = (element) => element.getBoundingClientRect().top;
            const apart = Math.abs(top(last) - top(first)) > innerHeight;
            await new Promise((done) => setTimeout(done, 0));
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
            const box = document.activeElement.getBoundingClientRect();
            return {
                apart,
                closed: !document.getElementById("__drawer").checked,
                last: document.activeElement === last,
                onScreen: box.bottom > 0 && box.top < innerHeight,
            };
        }"""
    )
    assert moved["apart"], "the two links must not fit on one screen for this test"
    assert moved["closed"], "leaving the menu closes it"
    assert moved["last"]
    assert moved["onScreen"], "the focus was scrolled out of sight"
