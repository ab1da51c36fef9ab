"""What the browser tests share: the page types, axe-core, search and DOM checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MUNICIPALITY = "havenmeer"
COMPARED = "lindeloo"

# One page of every type, relative to the root of the built output.
PAGE_TYPES: dict[str, str] = {
    "portaal": "index.html",
    "overzicht": f"{MUNICIPALITY}/index.html",
    "factor": f"{MUNICIPALITY}/factoren/regie.html",
    "wat-werkt": f"{MUNICIPALITY}/wat-werkt.html",
    "de-keten": f"{MUNICIPALITY}/de-keten.html",
    "prioriteiten": f"{MUNICIPALITY}/prioriteiten.html",
    "ontwikkeling": f"{MUNICIPALITY}/ontwikkeling.html",
    "kengetallen": f"{MUNICIPALITY}/kengetallen.html",
    # An Overzicht with the comparison among municipalities of its size (a group of five).
    "overzicht-vergelijking": f"{COMPARED}/index.html",
    "aanbevelingen": f"{MUNICIPALITY}/aanbevelingen.html",
    # Lindeloo held a workshop in both rounds: its plan, late actions and the review of the
    # earlier round's actions. Rivierstede's latest round has six discussion points.
    "actieplan": "lindeloo/actieplan.html",
    "workshop": "rivierstede/workshop.html",
    "methode": f"{MUNICIPALITY}/methode.html",
    "toegankelijkheid": f"{MUNICIPALITY}/toegankelijkheid.html",
    # The page a web server shows for any missing path of the published folder, and the
    # one of a municipality's site published on its own (see test_subpath.py).
    "404": "404.html",
    "404-gemeente": f"{MUNICIPALITY}/404.html",
}

# Page types only the internal site has: the Workshop page carries the partners' notes and
# the reasons behind the agreed levels. The public site must answer 404 for them.
INTERNAL_ONLY = frozenset({"workshop"})


def absent_on(page: Page, site_url: str, site_name: str, page_type: str) -> bool:
    """True (after checking that the server answers 404) when the page type is one the
    audience of the site must not have; the caller then skips its own checks."""
    if page_type not in INTERNAL_ONLY or site_name != "public":
        return False
    response = page.goto(f"{site_url}/{PAGE_TYPES[page_type]}")
    assert response is not None, page_type
    assert response.status == 404, page_type
    return True


# Material's own inline scripts (its storage helpers, a tab fix and its JSON config).
MATERIAL_INLINE_SCRIPTS = ("__md_scope=", "var target=document.getElementById")


def open_page(page: Page, url: str) -> None:
    """Go to a page and wait until Material has set it up (its tables wrapped, ours marked)."""
    page.goto(url)
    page.wait_for_function(
        """() => !document.querySelector(".md-content table:not([class])")
            || [...document.querySelectorAll(".md-content table:not([class])")].every(
                (table) => table.closest(".md-typeset__scrollwrap"))"""
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")


# Resolves once the page has drawn two more frames: by then the browser has laid out what the
# last step changed and run the ResizeObserver callbacks and timers that layout started.
_NEXT_FRAMES = """() => new Promise((done) => requestAnimationFrame(
    () => requestAnimationFrame(() => setTimeout(done, 0))))"""

# True when no CSS transition or animation of the page is running (endless ones aside).
_AT_REST = """() => document.getAnimations().every((animation) =>
    animation.playState !== "running"
    || animation.effect?.getComputedTiming().endTime === Infinity)"""


def settle(page: Page) -> None:
    """Wait until the page is at rest: its transitions ended and the next frames drawn."""
    page.wait_for_function(_AT_REST)
    page.evaluate(_NEXT_FRAMES)


def resize(page: Page, width: int, height: int) -> None:
    """Give the window another size and wait until the page has drawn itself at that size.

    Our script makes a table or chart that scrolls sideways focusable in a ResizeObserver
    callback, which runs with the next frame, not at once when the window changes.
    """
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function("([w, h]) => innerWidth === w && innerHeight === h", arg=[width, height])
    settle(page)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }""",
        AXE_TAGS,
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as readable lines for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def search(page: Page, query: str) -> int:
    """Type a query into Material's search; wait for its answer and return the result count."""
    button = page.locator("label.md-header__button[for='__search']")
    if button.is_visible():  # on a phone the search field is behind a button
        button.click()
    box = page.locator("input.md-search__input")
    box.click()
    # Type only once the search index is loaded (the count no longer says "initialiseren").
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_contain_text("initialiseren", timeout=60_000)
    # Material searches on each key release. All but the last character go in without one,
    # so that exactly one search runs, for the whole query: its answer is the first result
    # count the dialog shows ("… overeenkomende document(en)").
    box.fill(query[:-1])
    box.press_sequentially(query[-1:])
    expect(meta).to_contain_text("overeenkomend", timeout=60_000)
    return page.locator(".md-search-result__item").count()


def injected_elements(page: Page) -> list[str]:
    """Elements that a payload could have created: scripts, handlers, frames, foreign media."""
    found: list[str] = page.evaluate(
        """(materialScripts) => {
            const found = [];
            for (const script of document.querySelectorAll("script:not([src])")) {
                const text = script.textContent.trim();
                if (script.type === "application/json") {  // data, never run: must parse
                    try { JSON.parse(text); continue; } catch (error) {}
                }
                if (materialScripts.some((start) => text.startsWith(start))) continue;
                found.push("inline script: " + text.slice(0, 80));
            }
            for (const element of document.querySelectorAll("*")) {
                for (const name of element.getAttributeNames()) {
                    if (name.toLowerCase().startsWith("on")) {
                        found.push(`${element.localName}[${name}]`);
                    }
                }
            }
            for (const link of document.querySelectorAll("a[href], area[href]")) {
                const href = link.getAttribute("href").replace(/[\\s\\u0000-\\u001f]/g, "");
                if (/^(javascript|vbscript|data):/i.test(href)) found.push("link: " + href);
            }
            for (const element of document.querySelectorAll(
                "iframe, frame, object, embed, base, form[action], meta[http-equiv]"
            )) {
                found.push(element.localName);
            }
            for (const element of document.querySelectorAll("img, video, audio, source, image")) {
                const url = element.getAttribute("src") || element.getAttribute("href") || "";
                if (url && new URL(url, location.href).origin !== location.origin) {
                    found.push(`${element.localName} from ${url}`);
                }
            }
            return found;
        }""",
        list(MATERIAL_INLINE_SCRIPTS),
    )
    return found


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return max(0, overflow)
