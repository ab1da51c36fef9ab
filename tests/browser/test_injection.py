"""Hostile answer files in a real browser: nothing executes, nothing becomes markup.

The workspace of tests/payloads.py puts a payload in every comment, organisation name and
open answer, and in every text field of its workshop.yaml. On the internal site each one
must be readable as the literal text it is; on the public site none may appear except the
workshop's action titles and measures (public decisions), which must appear literally.
No dialog may open, and no element that a payload could have created may exist, also not
in Material's search results (rendered with innerHTML).
"""

from __future__ import annotations

import pytest

from tests.browser.browsing import injected_elements, open_page, search, settle
from tests.browser.conftest import Server, Visit
from tests.payloads import (
    MUNICIPALITY,
    PAYLOADS,
    internal_workshop_texts,
    public_workshop_texts,
)


def shown(payload: str) -> str:
    """A payload as the page shows it: bidi controls become visible code points."""
    return payload.replace("\u202e", "[U+202E]").replace("\u202c", "[U+202C]")


def html_pages(site: Server) -> list[str]:
    """The portal and every page of the hostile municipality, as paths on the server."""
    folder = site.root / MUNICIPALITY
    pages = sorted(p.relative_to(site.root).as_posix() for p in folder.rglob("*.html"))
    return ["index.html", *pages]


def read_every_page(visit: Visit, site: Server) -> str:
    """The visible text of every page, checking each page for injected elements on the way."""
    texts = []
    for path in html_pages(site):
        open_page(visit.page, f"{site.url}/{path}")
        assert injected_elements(visit.page) == [], path
        # "# kop" and "| a | b |" must not have become a heading or a table.
        assert visit.page.locator("h1").count() == 1, path
        texts.append(visit.page.inner_text("body"))
    return "\n".join(texts)


def test_every_payload_is_literal_text_on_the_internal_site(
    visit: Visit, injection_internal_site: Server
) -> None:
    text = read_every_page(visit, injection_internal_site)
    missing = [payload for payload in PAYLOADS if shown(payload) not in text]
    assert missing == []
    workshop = [*internal_workshop_texts(), *public_workshop_texts()]
    assert [t for t in workshop if shown(t) not in text] == []
    assert "\u202e" not in text
    assert visit.dialogs == []
    assert visit.offsite_requests() == []


def test_no_payload_reaches_the_public_site(visit: Visit, injection_public_site: Server) -> None:
    text = read_every_page(visit, injection_public_site)
    # The action titles and measures are public: literal text. Taken out, nothing of any
    # payload may be left (no answer-file text, no rationale, no note).
    decisions = public_workshop_texts()
    assert [t for t in decisions if shown(t) not in text] == []
    for decision in decisions:
        text = text.replace(shown(decision), "")
    assert [t for t in internal_workshop_texts() if shown(t) in text] == []
    shown_anyway = [payload for payload in PAYLOADS if shown(payload) in text]
    assert shown_anyway == []
    assert visit.dialogs == []
    assert visit.offsite_requests() == []


# Lunr splits words on spaces and hyphens only, so "script" and "alert" (inside the
# payload "<script>alert(1)</script>") find nothing; the others find the payload comments.
@pytest.mark.parametrize("query", ["script", "alert", "onerror", "config", "kop"])
def test_search_results_show_payloads_as_text(
    visit: Visit, injection_internal_site: Server, query: str
) -> None:
    page = visit.page
    open_page(page, f"{injection_internal_site.url}/{MUNICIPALITY}/index.html")
    found = search(page, query)
    # Open every "more results" group too, so that every snippet is rendered.
    for more in page.locator(".md-search-result__more > summary").all():
        more.click()
    # An injected handler would fire on insertion or, on an image, once loading it failed:
    # wait until every image has loaded or failed and the page has drawn its next frames.
    page.wait_for_function("() => [...document.images].every((image) => image.complete)")
    settle(page)
    assert injected_elements(page) == []
    assert page.locator(".md-search-result :is(script, img, iframe, svg[onload])").count() == 0
    assert visit.dialogs == []
    if query not in ("script", "alert"):
        assert found > 0
        results = page.inner_text(".md-search-result")
        assert "<script>alert(1)</script>" in results
        assert "<img src=x onerror=alert(1)>" in results


def test_an_address_in_a_comment_shows_as_text_in_the_search_results(
    visit: Visit, injection_internal_site: Server
) -> None:
    page = visit.page
    open_page(page, f"{injection_internal_site.url}/{MUNICIPALITY}/index.html")
    assert search(page, "*plaatje*") > 0  # the whole comment is one word to Lunr
    for more in page.locator(".md-search-result__more > summary").all():
        more.click()
    results = page.inner_text(".md-search-result")
    assert "![plaatje](http://example.invalid/x.png)" in results
    assert "about:invalid" not in results
    assert page.locator(".md-search-result :is(a[href*='example'], img)").count() == 0
    assert visit.offsite_requests() == []
