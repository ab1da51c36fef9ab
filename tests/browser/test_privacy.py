"""Privacy in a real browser: no request to any other host, no cookie, nothing stored.

Material's JavaScript can store a few keys of its own (`__palette` for a colour toggle,
`__consent` for a cookie banner, `__tabs` for linked content tabs, `__announce`,
`__outdated` and `__source` for an announcement bar, a version warning and repository
facts). The site enables none of those features, so nothing may be stored at all.
"""

from __future__ import annotations

from playwright.sync_api import Response

from tests.browser.browsing import INTERNAL_ONLY, PAGE_TYPES, open_page, search
from tests.browser.conftest import Server, Visit


def test_no_request_leaves_the_local_server_and_nothing_is_stored(
    visit: Visit, audience_site: Server
) -> None:
    page = visit.page
    failed: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/404.html"):
            failed.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    for page_type, path in PAGE_TYPES.items():
        if page_type in INTERNAL_ONLY and audience_site.root.name == "public":
            continue  # absent there (tests/browser/test_accessibility.py checks the 404)
        open_page(page, f"{audience_site.url}/{path}")
    open_page(page, f"{audience_site.url}/{PAGE_TYPES['overzicht']}")
    assert search(page, "samenwerking") > 0
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert "#" in page.url or page.url.endswith(".html")

    assert visit.offsite_requests() == []
    assert failed == []
    assert page.context.cookies() == []
    assert visit.storage_writes == []
    assert page.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
    assert page.evaluate("() => document.cookie") == ""


def test_a_phone_makes_no_request_elsewhere_either(visit: Visit, internal_site: Server) -> None:
    # Material loads other parts (the drawer, the search behind a button) on a small screen.
    page = visit.page
    page.set_viewport_size({"width": 375, "height": 812})
    open_page(page, f"{internal_site.url}/{PAGE_TYPES['factor']}")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-nav--primary .md-nav__link").first.wait_for(state="visible")
    page.mouse.click(360, 400)  # on the overlay beside the menu: closes it again
    assert search(page, "regie") > 0
    assert visit.offsite_requests() == []
    assert page.context.cookies() == []
    assert visit.storage_writes == []
