"""A municipality's site published on its own under a sub-path of a host, as a web server
would serve it: its pages, and its 404 page for a path that does not exist, load every
asset and link to pages that exist.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Response

from tests.browser.browsing import MUNICIPALITY
from tests.browser.conftest import Server, Visit, stop
from tests.sites import built_site

PREFIX = "/jeugd/ketenscan"


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one site folder under PREFIX; a missing page gets the site's 404 page."""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not (path + "/").startswith(PREFIX + "/"):
            return str(Path(self.directory) / ".missing")  # 404 for anything outside
        return super().translate_path(path[len(PREFIX) :] or "/")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def subpath_site() -> Iterator[Server]:
    """The demo's first municipality alone, served under PREFIX."""
    root = built_site("internal") / MUNICIPALITY
    handler = functools.partial(_SubPathHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = Server(root, f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}", httpd)
    yield server
    stop(server)


@pytest.mark.parametrize("path", ["index.html", "factoren/regie.html", "bestaat-niet.html"])
def test_a_site_under_a_sub_path_loads_every_asset_also_on_its_404_page(
    visit: Visit, subpath_site: Server, path: str
) -> None:
    page = visit.page
    failed: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 400 and response.url != f"{subpath_site.url}/{path}":
            failed.append(f"{response.status} {response.url}")

    page.on("response", record)
    answer = page.goto(f"{subpath_site.url}/{path}")
    assert answer is not None
    assert answer.status == (404 if path == "bestaat-niet.html" else 200)
    page.wait_for_load_state("load")
    # Our stylesheet gives the header the municipal blue; our script makes the menu a button.
    header = "() => getComputedStyle(document.querySelector('.md-header')).backgroundColor"
    assert page.evaluate(header) == "rgb(29, 79, 124)"
    assert page.get_attribute(".md-header label[for='__drawer']", "role") == "button"
    # Every link of the navigation (and the 404 page's link home) leads to a page of the site.
    links: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(".md-nav--primary a[href], .md-content a[href]")]
            .map((link) => link.href.split("#")[0])"""
    )
    assert links
    statuses: dict[str, int] = page.evaluate(
        """async (links) => Object.fromEntries(await Promise.all([...new Set(links)].map(
            async (link) => [link, (await fetch(link, {method: "HEAD"})).status])))""",
        links,
    )
    broken = {link: status for link, status in statuses.items() if status != 200}
    assert broken == {}
    assert all(link.startswith(subpath_site.url + "/") for link in statuses)
    assert failed == []
    assert visit.offsite_requests() == []
