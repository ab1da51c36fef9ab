"""`ketenscan serve` (SPEC §7): a live preview on 127.0.0.1 that rebuilds when a file changes.

serve_workspace runs in a thread with a stop event and port 0; the test reads the address
it announces, fetches pages over HTTP, changes an answer file and waits (with a deadline)
until the page shows the change.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assessment.website.serve import serve_workspace
from tests.test_pages import TOWN, answer_path, write_town

DEADLINE = 180.0  # seconds; a build takes a few, a loaded CI machine many more
ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/")


@dataclass
class Preview:
    """A running `serve_workspace` and everything it said."""

    root: Path
    out: Path
    stop: threading.Event
    thread: threading.Thread
    messages: queue.Queue[str]
    said: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    url: str = ""

    def wait_for(self, wanted: Callable[[str], bool], what: str) -> str:
        """The first message (old or new) for which `wanted` holds, within the deadline."""
        deadline = time.monotonic() + DEADLINE
        while True:
            for message in self.said:
                if wanted(message):
                    return message
            if self.errors:
                raise AssertionError(f"serve_workspace stopped: {self.errors[0]!r}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no message {what} within {DEADLINE} s: {self.said}")
            with contextlib.suppress(queue.Empty):
                self.said.append(self.messages.get(timeout=min(remaining, 0.5)))

    def fetch(self, path: str) -> str:
        """A page of the preview over HTTP."""
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            assert response.status == 200
            text: str = response.read().decode("utf-8")
            return text

    def poll(self, path: str, wanted: Callable[[str], bool], what: str) -> str:
        """Fetch `path` until `wanted` holds for it, within the deadline."""
        deadline = time.monotonic() + DEADLINE
        while True:
            text = self.fetch(path)
            if wanted(text):
                return text
            if self.errors:
                raise AssertionError(f"serve_workspace stopped: {self.errors[0]!r}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} never showed {what} within {DEADLINE} s")
            time.sleep(0.3)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """serve_workspace on a free port of 127.0.0.1, stopped (and checked) afterwards."""
    root = write_town(tmp_path / "ws", respondents=2)
    messages: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            serve_workspace(
                root, tmp_path / "out", port=0, say=messages.put, stop=stop, interval=0.2
            )
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    thread = threading.Thread(target=serve, daemon=True)
    running = Preview(root, tmp_path / "out", stop, thread, messages, errors=errors)
    thread.start()
    try:
        announced = running.wait_for(lambda m: ADDRESS.search(m) is not None, "with the address")
        match = ADDRESS.search(announced)
        assert match is not None
        running.url = match.group(0)
        yield running
    finally:
        stop.set()
        thread.join(timeout=DEADLINE)
    assert not thread.is_alive()
    assert errors == []


def break_answer(path: Path) -> str:
    """Put a 9 where a 4 was; the `path:line:col: ` of the value."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if re.fullmatch(r"  [a-z0-9-]+: 4\n", line))
    key = lines[index].split(":")[0]
    lines[index] = f"{key}: 9\n"
    path.write_text("".join(lines), encoding="utf-8")
    return f"{path.as_posix()}:{index + 1}:{len(key) + 3}: "


@pytest.mark.build
def test_serve_rebuilds_on_change_reports_problems_and_stops_when_asked(
    preview: Preview,
) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:[1-9]\d*/", preview.url)
    assert f'href="{TOWN}/index.html"' in preview.fetch("index.html")
    assert "JGZ team 1 Voorbeeldstad" in preview.fetch(f"{TOWN}/de-keten.html")

    # A changed answer file: the page shows the change once the site is rebuilt.
    path = answer_path(preview.root, TOWN, 1)
    path.write_text(
        path.read_text(encoding="utf-8").replace("JGZ team 1 Voorbeeldstad", "JGZ Vernieuwd"),
        encoding="utf-8",
    )
    preview.poll(f"{TOWN}/de-keten.html", lambda text: "JGZ Vernieuwd" in text, "the new name")
    preview.wait_for(lambda m: m == f"Opnieuw gebouwd: {TOWN}", "about the rebuild")
    before = preview.fetch(f"{TOWN}/de-keten.html")

    # A broken answer file: its problem is reported and the last good site stays.
    position = break_answer(answer_path(preview.root, TOWN, 2))
    preview.wait_for(lambda m: m.startswith(position), "with the problem's position")
    assert preview.fetch(f"{TOWN}/de-keten.html") == before
    assert "JGZ Vernieuwd" in before

    preview.stop.set()
    preview.thread.join(timeout=DEADLINE)
    assert not preview.thread.is_alive()
    with pytest.raises(urllib.error.URLError):
        preview.fetch("index.html")
