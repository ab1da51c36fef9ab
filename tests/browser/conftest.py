"""Browser fixtures: the built demo served from 127.0.0.1 and Debian's Chromium via Playwright.

Every page a test opens records the requests it makes; `offsite_requests` lists those to any
host but the local server, which must stay empty. It also records every write to
localStorage, sessionStorage and document.cookie, whoever makes it.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from assessment.server.invitations import Issued, Planned
from tests.collecting import GENEROUS, RunningServer, invite, start_server
from tests.payloads import write_injection_workspace
from tests.sites import BUILD_ROOT, EXAMPLES, built_site

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
INJECTION_WORKSPACE = BUILD_ROOT / "injection-ws"
PAYLOADS_SOURCE = Path(__file__).resolve().parents[1] / "payloads.py"

# Runs before any script of a page: reports every storage or cookie write to the test.
_STORAGE_SPY = """
(() => {
  const report = (kind, key) => { try { window.__ksRecordWrite(kind + ":" + key); } catch (e) {} };
  for (const name of ["setItem"]) {
    const original = Storage.prototype[name];
    Storage.prototype[name] = function (key, value) {
      report(this === window.sessionStorage ? "sessionStorage" : "localStorage", String(key));
      return original.call(this, key, value);
    };
  }
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    get() { return cookie.get.call(this); },
    set(value) { report("cookie", String(value).split("=")[0]); cookie.set.call(this, value); },
  });
})();
"""


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


def stop(server: Server) -> None:
    """Stop a server and close its socket."""
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="session")
def internal_site() -> Iterator[Server]:
    """The demo workspace built for the internal audience, served locally."""
    server = serve_folder(built_site("internal"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def public_site() -> Iterator[Server]:
    """The demo workspace built for the public audience, served locally."""
    server = serve_folder(built_site("public", audience="public"))
    yield server
    stop(server)


def injection_workspace() -> Path:
    """The hostile workspace at a stable path, rewritten only when tests/payloads.py changed.

    A stable path and unchanged files let the build skip it on the next run; the lock keeps
    one xdist worker from rewriting it while another builds from it.
    """
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    stamp = BUILD_ROOT / "injection-ws.stamp"
    wanted = hashlib.sha256(PAYLOADS_SOURCE.read_bytes()).hexdigest()
    with (BUILD_ROOT / "injection-ws.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = stamp.read_text(encoding="utf-8") if stamp.exists() else ""
            if current != wanted or not INJECTION_WORKSPACE.is_dir():
                write_injection_workspace(INJECTION_WORKSPACE)
                stamp.write_text(wanted, encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return INJECTION_WORKSPACE


@pytest.fixture(scope="session")
def injection_internal_site() -> Iterator[Server]:
    """The hostile workspace built for the internal audience, served locally."""
    server = serve_folder(built_site("injection-internal", workspace=injection_workspace()))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def injection_public_site() -> Iterator[Server]:
    """The hostile workspace built for the public audience, served locally."""
    root = built_site("injection-public", workspace=injection_workspace(), audience="public")
    server = serve_folder(root)
    yield server
    stop(server)


COLLECT_MUNICIPALITY = "rivierstede"
COLLECT_ROUND = "2025-najaar"  # the newest round of Rivierstede: the form's round


def rivierstede_workspace() -> Path:
    """The demo's Rivierstede alone, with the server's settings, at a stable path."""
    root = BUILD_ROOT / "rivierstede-ws"
    source = EXAMPLES / "gemeenten" / COLLECT_MUNICIPALITY
    digest = hashlib.sha256(GENEROUS.encode())
    for path in sorted([EXAMPLES / "ketenscan.yaml", *source.rglob("*")]):
        if path.is_file():
            digest.update(path.as_posix().encode() + path.read_bytes())
    stamp = BUILD_ROOT / "rivierstede-ws.stamp"
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    with (BUILD_ROOT / "rivierstede-ws.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = stamp.read_text(encoding="utf-8") if stamp.exists() else ""
            if current != digest.hexdigest() or not root.is_dir():
                shutil.rmtree(root, ignore_errors=True)
                shutil.copytree(source, root / "gemeenten" / COLLECT_MUNICIPALITY)
                text = (EXAMPLES / "ketenscan.yaml").read_text(encoding="utf-8")
                (root / "ketenscan.yaml").write_text(text + GENEROUS, encoding="utf-8")
                stamp.write_text(digest.hexdigest(), encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return root


@dataclass
class CollectSite:
    """The collection server serving Rivierstede's built site, with its own workspace."""

    server: RunningServer
    workspace: Path
    out: Path

    def invite(self, respondent: str, organisation: str | None, role: str) -> Issued:
        """A fresh invitation for the form's round."""
        [item] = invite(
            self.workspace,
            [Planned(respondent, organisation, role)],
            municipality=COLLECT_MUNICIPALITY,
            round_slug=COLLECT_ROUND,
            site_url=self.server.url + "/",
        )
        return item

    def page_url(self, token: str | None = None) -> str:
        """The Vragenlijst page, with an invitation token when given."""
        url = f"{self.server.url}/{COLLECT_MUNICIPALITY}/vragenlijst.html"
        return f"{url}#t={token}" if token else url


def collect_copy(target: Path) -> tuple[Path, Path]:
    """A writable copy of the Rivierstede workspace, and its built site (shared, read-only)."""
    source = rivierstede_workspace()
    out = built_site("collect-rivierstede", workspace=source)
    shutil.copytree(source, target)
    return target, out


@pytest.fixture(scope="session")
def collect_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CollectSite]:
    """The real collection server (uvicorn, random free port) for the form tests."""
    workspace, out = collect_copy(tmp_path_factory.mktemp("collect") / "ws")
    server = start_server(workspace, out=out)
    yield CollectSite(server, workspace, out)
    server.stop()


@pytest.fixture(params=["internal", "public"])
def audience_site(request: pytest.FixtureRequest) -> Server:
    """The demo site of each audience in turn."""
    server: Server = request.getfixturevalue(f"{request.param}_site")
    return server


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
    """A browser page plus every request, dialog and storage write it produced."""

    page: Page
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    storage_writes: list[str] = field(default_factory=list)

    def offsite_requests(self) -> list[str]:
        """Requests to any host but 127.0.0.1."""
        return [
            url
            for url in self.requests
            if not url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))
        ]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    """A fresh browser context whose requests, dialogs and storage writes are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    record = Visit(page)
    context.on("request", lambda request: record.requests.append(request.url))
    context.expose_function("__ksRecordWrite", lambda write: record.storage_writes.append(write))
    context.add_init_script(_STORAGE_SPY)

    def on_dialog(dialog: Any) -> None:
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield record
    context.close()
