"""The live workshop in Chromium: a presenter and 8 phones (keyboard and touch) in one
session on a real server; the presenter's bars after every vote (counted by hand), a
changed vote, a phone that loses its network and comes back, the reveal, a reload of the
presenter, axe on both pages, and the phone's page at 360 px and at 200% zoom.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.browsing import axe_violations, describe, horizontal_overflow, resize
from tests.collecting import ADMIN_TOKEN, RunningServer, start_server
from tests.live_helpers import live_workspace

pytestmark = pytest.mark.browser

ROLES = ["wijkteam", "school-po", "huisartsenpraktijk", "gemeente",
         "jeugd-ggz", "kinderopvang", "welzijn", "leerplicht"]  # fmt: skip


@dataclass
class Room:
    """The server, the presenter's page and the session's code."""

    server: RunningServer
    presenter: Page
    code: str


@pytest.fixture(scope="module")
def room(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """A session started with the admin page's button, its presenter page open at 1280×720."""
    server = start_server(live_workspace(tmp_path_factory.mktemp("live-browser") / "ws"))
    context = browser.new_context(
        viewport={"width": 1280, "height": 720},
        locale="nl-NL",
        http_credentials={"username": "beheer", "password": ADMIN_TOKEN},
        bypass_csp=True,  # axe is added as a script of its own
    )
    page = context.new_page()
    page.goto(f"{server.url}/beheer")
    page.select_option("#live-ronde", "rivierstede/2025-najaar")
    page.get_by_role("button", name="Workshopsessie starten").click()
    page.wait_for_url("**/beheer/live/*")
    code = page.url.rsplit("/", 1)[1]
    yield Room(server, page, code)
    context.close()
    server.stop()


class Proxy:
    """A TCP proxy in front of the server: `cut()` drops every connection and refuses new
    ones (a phone that loses its network), `restore()` lets them through again."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.refusing = False
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            with self.lock:
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every connection; refuse new ones."""
        self.refusing = True
        with self.lock:
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open.clear()

    def restore(self) -> None:
        """Take connections again."""
        self.refusing = False

    def close(self) -> None:
        """Stop listening."""
        self.cut()
        self.listener.close()


def phone(browser: Browser, url: str, touch: bool) -> tuple[BrowserContext, Page]:
    """A phone at 360 px; with a touch screen (taps) or a keyboard."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        has_touch=touch,
        is_mobile=touch,
        locale="nl-NL",
        bypass_csp=True,
    )
    page = context.new_page()
    page.goto(url)
    return context, page


def presenter_counts(page: Page) -> list[str]:
    """The count beside each level's bar on the presenter's screen ('' while hidden)."""
    counts: list[str] = page.eval_on_selector_all(
        "#niveaus .count", "items => items.map(item => item.textContent)"
    )
    return counts


def expect_counts(page: Page, votes: int, counts: list[int] | None) -> None:
    """Wait until the presenter shows `votes` votes and these counts (None: hidden)."""
    words = "stem" if votes == 1 else "stemmen"
    page.wait_for_function(
        "text => document.getElementById('verdeling-uitleg').textContent.startsWith(text)",
        arg=f"{votes} {words} binnen",
    )
    shown = presenter_counts(page)
    if counts is None:
        assert shown == [""] * 5
    else:
        assert shown == [f"{c} {'stem' if c == 1 else 'stemmen'}" for c in counts]


def vote_by_keyboard(page: Page, level: str) -> None:
    """Choose a level with the keyboard and send it (Space on the radio, Tab, Enter)."""
    page.focus(f"#niveau-{level}")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def vote_by_touch(page: Page, level: str) -> None:
    """Tap a level and the button."""
    page.tap(f"label[for=niveau-{level}]")
    page.tap("#stem-knop")


def test_a_presenter_and_8_phones_vote_by_keyboard_and_touch(browser: Browser, room: Room) -> None:
    presenter = room.presenter
    url = f"{room.server.url}/live/{room.code}"
    # Phone 7 reaches the server through a proxy that the test can cut.
    proxy = Proxy(urlsplit(room.server.url).port or 80)
    phones: list[tuple[BrowserContext, Page, bool]] = []
    for number, role in enumerate(ROLES):
        touch = number >= 4
        own = f"http://127.0.0.1:{proxy.port}/live/{room.code}" if number == 7 else url
        context, page = phone(browser, own, touch)
        page.wait_for_selector("#meedoen:not([hidden])")
        if touch:
            page.tap(f"label[for=rol-{role}]")
            page.tap("#meedoen-form button")
        else:
            page.focus(f"#rol-{role}")
            page.keyboard.press("Space")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
        page.wait_for_selector("#wachten:not([hidden])")
        phones.append((context, page, touch))
    presenter.wait_for_function("() => document.getElementById('aantal').textContent === '8'")

    presenter.focus("#stemming-knop")
    presenter.keyboard.press("Enter")
    for _, page, _ in phones:
        page.wait_for_selector("#stemmen:not([hidden])")
    assert phones[0][1].text_content("#factor-kop") == "De juiste partners"

    # (level chosen, then the presenter's counts of levels 1..5, hidden below 3 levels)
    steps: list[tuple[str, list[int] | None]] = [
        ("4", None),
        ("4", None),
        ("2", [0, 1, 0, 2, 0]),
        ("weet-niet", [0, 1, 0, 2, 0]),  # a vote, not a level
        ("5", [0, 1, 0, 2, 1]),
        ("3", [0, 1, 1, 2, 1]),
        ("3", [0, 1, 2, 2, 1]),
        ("1", [1, 1, 2, 2, 1]),
    ]
    for votes, ((_, page, touch), (level, counts)) in enumerate(
        zip(phones, steps, strict=True), start=1
    ):
        (vote_by_touch if touch else vote_by_keyboard)(page, level)
        page.wait_for_function(
            "() => document.getElementById('stem-status').textContent.includes('ontvangen')"
        )
        expect_counts(presenter, votes, counts)

    # Phone 0 changes its 4 into a 5: still 8 votes, one fewer 4, one more 5.
    vote_by_keyboard(phones[0][1], "5")
    phones[0][1].wait_for_function(
        "() => document.getElementById('stem-status').textContent.includes('niveau 5')"
    )
    presenter.wait_for_function(
        "() => document.querySelector('#niveau-5 .count').textContent === '2 stemmen'"
    )
    expect_counts(presenter, 8, [1, 1, 2, 1, 2])

    # A reload of the presenter shows the same state.
    presenter.reload()
    presenter.wait_for_function(
        "() => document.querySelector('#niveau-5 .count').textContent === '2 stemmen'"
    )
    expect_counts(presenter, 8, [1, 1, 2, 1, 2])

    # Phone 7 loses its network; meanwhile the facilitator closes the vote, reveals the
    # result and moves on. Back online, the phone shows where the session is.
    _, dropped, _ = phones[7]
    proxy.cut()
    dropped.wait_for_function(
        "() => document.getElementById('melding').textContent.includes('verbinding is even weg')"
    )
    presenter.click("#stemming-knop")
    presenter.wait_for_function("() => document.getElementById('stemming-knop').textContent"
                                " === 'Stemming openen'")  # fmt: skip
    presenter.click("#onthullen-knop")
    first = phones[0][1]
    first.wait_for_selector("#uitslag:not([hidden])")
    assert first.eval_on_selector_all(
        "#uitslag-inhoud td", "cells => cells.map(cell => cell.textContent)"
    ) == ["1", "1", "2", "1", "2"]
    presenter.wait_for_function(
        "() => document.getElementById('eensgezindheid').textContent !== '—'"
    )
    proxy.restore()
    dropped.wait_for_selector("#uitslag:not([hidden])")
    dropped.wait_for_function(
        "() => document.getElementById('melding').textContent.includes('hersteld')"
    )

    for context, _, _ in phones:
        context.close()
    proxy.close()


def test_axe_finds_nothing_on_the_presenter_and_the_phone(browser: Browser, room: Room) -> None:
    presenter = room.presenter
    presenter.goto(f"{room.server.url}/beheer/live/{room.code}")
    presenter.wait_for_function("() => document.getElementById('factor-kop').textContent !== ''")
    violations = axe_violations(presenter)
    assert violations == [], describe(violations)
    context, page = phone(browser, f"{room.server.url}/live/{room.code}", touch=False)
    page.wait_for_selector("#meedoen:not([hidden])")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.check("#rol-wijkteam")
    page.click("#meedoen-form button")
    page.wait_for_selector("#wachten:not([hidden]), #stemmen:not([hidden])")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    context.close()
    join_page = browser.new_context(bypass_csp=True).new_page()
    join_page.goto(f"{room.server.url}/live")
    violations = axe_violations(join_page)
    assert violations == [], describe(violations)
    join_page.context.close()


def test_the_phone_page_reflows_at_360_px_and_200_percent_zoom(
    browser: Browser, room: Room, tmp_path: Path
) -> None:
    presenter = room.presenter
    presenter.goto(f"{room.server.url}/beheer/live/{room.code}")
    presenter.wait_for_function("() => document.getElementById('stemming-knop').textContent"
                                " !== ''")  # fmt: skip
    if presenter.text_content("#stemming-knop") == "Stemming openen":
        presenter.click("#stemming-knop")
    context, page = phone(browser, f"{room.server.url}/live/{room.code}", touch=True)
    page.tap("label[for=rol-gemeente]")
    page.tap("#meedoen-form button")
    page.wait_for_selector("#stemmen:not([hidden])")
    for width, height in ((360, 740), (640, 450)):  # a phone; 1280 x 900 at 200% zoom
        resize(page, width, height)
        assert horizontal_overflow(page) == 0, width
        button = page.locator("#stem-knop")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box is not None
        assert box["width"] >= 44
        assert box["height"] >= 44
        assert box["x"] + box["width"] <= width
    vote_by_touch(page, "3")
    page.wait_for_function(
        "() => document.getElementById('stem-status').textContent.includes('ontvangen')"
    )
    context.close()
