"""Helpers for the live workshop's tests and benchmark: plain asyncio HTTP calls and
Server-Sent Events clients (no HTTP library beyond the standard one), and a session set
up through the admin routes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.collecting import ADMIN_TOKEN as ADMIN
from tests.collecting import GENEROUS
from tests.sites import EXAMPLES

LIVE_SETTINGS = GENEROUS + "    live_joins: 100000\n"


def live_workspace(target: Path, settings: str = LIVE_SETTINGS) -> Path:
    """The demo's Rivierstede alone (12 partners answered 2025-najaar), with settings."""
    shutil.copytree(EXAMPLES / "gemeenten" / "rivierstede", target / "gemeenten" / "rivierstede")
    text = (EXAMPLES / "ketenscan.yaml").read_text(encoding="utf-8")
    (target / "ketenscan.yaml").write_text(text + settings, encoding="utf-8")
    return target


def basic(token: str = ADMIN) -> str:
    """The Authorization header of the admin token."""
    return "Basic " + base64.b64encode(f"beheer:{token}".encode()).decode()


@dataclass
class Answer:
    """An HTTP answer: status, headers (lower-case) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


class Client:
    """One keep-alive HTTP/1.1 connection to the server (requests one at a time)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request; JSON bodies for dicts and lists, bytes as they are."""
        for attempt in range(2):
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            assert self._reader is not None
            data = b""
            sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
                sent.setdefault("Content-Type", "application/json")
            elif isinstance(body, bytes):
                data = body
            sent["Content-Length"] = str(len(data))
            head = f"{method} {path} HTTP/1.1\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in sent.items()
            )
            try:
                self._writer.write(head.encode() + b"\r\n" + data)
                await self._writer.drain()
                status, got = await _read_head(self._reader)
            except (ConnectionError, OSError):
                await self.close()
                if attempt:
                    raise
                continue  # the server closed an idle keep-alive connection: once more
            length = int(got.get("content-length", "0"))
            payload = await self._reader.readexactly(length) if length else b""
            if got.get("connection", "").lower() == "close":
                await self.close()
            return Answer(status, got, payload)
        raise AssertionError("unreachable")

    async def close(self) -> None:
        """Close the connection."""
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


@dataclass
class Stream:
    """An SSE client: every state event it received, with the time it arrived."""

    url: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)
    last_id: str | None = None
    raw: list[str] = field(default_factory=list)
    status: int = 0
    parse: bool = True  # False: count the events only (the benchmark's many phones)
    events: int = 0
    _task: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _writer: asyncio.StreamWriter | None = None

    @property
    def latest(self) -> dict[str, Any] | None:
        """The newest state."""
        return self.states[-1] if self.states else None

    async def open(self, last_event_id: str | None = None) -> None:
        """Connect; the first state arrives in the background."""
        parts = urlsplit(self.url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        self._writer = writer
        sent = {"Host": f"{parts.hostname}:{parts.port}", "Accept": "text/event-stream",
                **self.headers}  # fmt: skip
        if last_event_id is not None:
            sent["Last-Event-ID"] = last_event_id
        head = f"GET {self.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
        writer.write(head.encode() + b"\r\n")
        await writer.drain()
        self.status, _ = await _read_head(reader)
        self._task = asyncio.create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        # The body is chunked: chunk sizes and event lines, one event ends with a blank line.
        buffer = b""
        try:
            while True:
                size_line = await reader.readline()
                if not size_line:
                    return
                size = int(size_line.strip() or b"0", 16)
                if size == 0:
                    return
                buffer += await reader.readexactly(size)
                await reader.readexactly(2)
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._event(block.decode("utf-8"))
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            return

    def _event(self, block: str) -> None:
        if not self.parse:
            self.events += block.startswith("id: ")
            return
        self.raw.append(block)
        data = [line[6:] for line in block.split("\n") if line.startswith("data: ")]
        for line in block.split("\n"):
            if line.startswith("id: "):
                self.last_id = line[4:]
        if data:
            self.states.append(json.loads("\n".join(data)))
            self.arrived.append(time.perf_counter())
            self._changed.set()

    async def until(
        self, check: Callable[[dict[str, Any]], bool], timeout: float = 20
    ) -> dict[str, Any]:
        """Wait until a received state passes `check`; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            for state in reversed(self.states):
                if check(state):
                    found: dict[str, Any] = state
                    return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no such state; the newest: {self.latest}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    async def revision(self, at_least: int, timeout: float = 20) -> dict[str, Any]:
        """The first state with this revision or a newer one."""
        return await self.until(lambda s: s["revision"] >= at_least, timeout)

    async def close(self) -> None:
        """Drop the connection (as a phone that loses its network)."""
        if self._writer is not None:
            self._writer.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


async def control(client: Client, code: str, action: str, **fields: Any) -> Answer:
    """A facilitator's button on the presenter page (with the form's check value)."""
    page = await client.request("GET", f"/beheer/live/{code}", headers={"Authorization": basic()})
    check = re.search(rb'name="check" value="([0-9a-f]+)"', page.body)
    assert check, page.body[:300]
    pairs: list[tuple[str, str]] = [("check", check.group(1).decode())]
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, str(item)))
    return await client.request(
        "POST",
        f"/beheer/live/{code}/{action}",
        urlencode(pairs).encode(),
        {"Authorization": basic(), "Accept": "application/json",
         "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip


async def start_session(client: Client, municipality: str, round_slug: str) -> str:
    """Start a session from the admin page; returns its join code."""
    page = await client.request("GET", "/beheer", headers={"Authorization": basic()})
    check = re.search(rb'name="check" value="([0-9a-f]+)"', page.body)
    assert check
    answer = await client.request(
        "POST",
        "/beheer/live",
        urlencode({"check": check.group(1).decode(), "ronde": f"{municipality}/{round_slug}"})
        .encode(),
        {"Authorization": basic(), "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert answer.status == 303, answer.body[:300]
    return answer.headers["location"].rsplit("/", 1)[1]


async def join(client: Client, code: str, role: str) -> str:
    """Join a session with a role; returns the participant's token."""
    answer = await client.request("POST", f"/api/v1/live/{code}/participants", {"role": role})
    assert answer.status == 201, answer.body
    token: str = answer.json()["token"]
    return token


async def vote(client: Client, code: str, token: str, factor: str, value: Any) -> Answer:
    """A participant's vote."""
    return await client.request(
        "PUT",
        f"/api/v1/live/{code}/votes/{factor}",
        {"value": value},
        {"Authorization": f"Bearer {token}"},
    )
