"""Browser fixtures: the built demo served from 127.0.0.1 and Debian's Chromium via Playwright.

Every page a test opens records the requests it makes; `offsite_requests` lists those to any
host but the local server, which must stay empty.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.sites import built_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@dataclass
class Server:
    """A static file server on 127.0.0.1 for one folder."""

    root: Path
    url: str
    httpd: http.server.ThreadingHTTPServer = field(repr=False)


def serve_folder(root: Path) -> Server:
    """Serve `root` on a free port of 127.0.0.1 in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return Server(root, f"http://127.0.0.1:{httpd.server_address[1]}", httpd)


@pytest.fixture(scope="session")
def internal_site() -> Iterator[Server]:
    """The demo workspace built for the internal audience, served locally."""
    server = serve_folder(built_site("internal"))
    yield server
    server.httpd.shutdown()


@pytest.fixture(scope="session")
def public_site() -> Iterator[Server]:
    """The demo workspace built for the public audience, served locally."""
    server = serve_folder(built_site("public", audience="public"))
    yield server
    server.httpd.shutdown()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright cannot download a browser here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test`, which installs Debian's chromium")
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


@dataclass
class Visit:
    """A browser page plus every request and dialog it produced."""

    page: Page
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def offsite_requests(self) -> list[str]:
        """Requests to any host but 127.0.0.1."""
        return [
            url
            for url in self.requests
            if not url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))
        ]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    """A fresh browser context whose requests and dialogs are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    record = Visit(page)
    context.on("request", lambda request: record.requests.append(request.url))

    def on_dialog(dialog: Any) -> None:
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield record
    context.close()
