"""Helpers for the collection server's tests: a real server in a subprocess, invitations,
answer documents and plain HTTP calls (http.client, so every header is ours to set).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assessment.instrument import Questionnaire
from assessment.server import store
from assessment.server.invitations import Issued, Planned, issue_invitations
from tests.helpers import MUNICIPALITY, ROUND, build_workspace, cycle_score

ADMIN_TOKEN = "beheer-test-token-0123456789abcdef"
GENEROUS = "collect:\n  rate_limits:\n    per_token: 100000\n    per_address: 1000000\n"


@dataclass
class Reply:
    """An HTTP response: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)

    @property
    def codes(self) -> list[str]:
        """The codes of the problems in a problem response."""
        return [p["code"] for p in self.json()["problems"]]

    @property
    def fields(self) -> dict[str, str]:
        """Code -> field of every problem."""
        return {p["code"]: p["field"] for p in self.json()["problems"]}


@dataclass
class RunningServer:
    """`ketenscan collect serve` in a subprocess."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    workspace: Path
    db: Path
    stopped: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def logs(self) -> str:
        """Everything the server wrote to stderr so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30,
    ) -> Reply:
        """One request on a fresh connection."""
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=timeout
        )
        try:
            conn.request(method, path, body=body, headers=dict(headers or {}))
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()

    def submit(
        self,
        token: str | None,
        document: Any,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """POST an answer document (a dict, or raw bytes) to /api/v1/responses."""
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        sent = {"Content-Type": "application/json", "Idempotency-Key": key or str(uuid.uuid4())}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        return self.request("POST", "/api/v1/responses", body, sent)

    def stop(self) -> None:
        """SIGTERM, as systemd stops it; wait for a clean exit."""
        if self.stopped:
            return
        self.stopped = True
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        self.stopped = True
        self.process.kill()
        self.process.wait(30)


def start_server(
    workspace: Path,
    *,
    db: Path | None = None,
    out: Path | None = None,
    log: Path | None = None,
    extra_args: list[str] | None = None,
    port: int = 0,
    timeout: float = 60,
) -> RunningServer:
    """Start the server on a free port of 127.0.0.1 and wait until it serves."""
    db = db or workspace / ".ketenscan" / "collect.sqlite"
    log = log or workspace.parent / f"{workspace.name}-server-{time.monotonic_ns()}.log"
    args = [
        sys.executable, "-m", "assessment", "collect", "serve", str(workspace),
        "--port", str(port), "--db", str(db), "--no-build",
    ]  # fmt: skip
    if out is not None:
        args += ["--out", str(out)]
    args += extra_args or []
    env = {**os.environ, "KETENSCAN_ADMIN_TOKEN": ADMIN_TOKEN, "PYTHONUNBUFFERED": "1"}
    handle = log.open("wb")
    process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, env=env)
    handle.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            if "verzamelt antwoorden op " in line:
                url = line.split("verzamelt antwoorden op ", 1)[1].strip().rstrip("/")
                return RunningServer(url, process, log, workspace, db)
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up:\n{text}")
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"the server did not start:\n{log.read_text(encoding='utf-8')}")


def collect_workspace(questionnaire: Questionnaire, root: Path, settings: str = GENEROUS) -> Path:
    """The minimal workspace of tests.helpers with settings for the server appended."""
    build_workspace(questionnaire, root)
    with (root / "ketenscan.yaml").open("a", encoding="utf-8") as handle:
        handle.write(settings)
    return root


def invite(
    workspace: Path,
    planned: list[Planned],
    *,
    db: Path | None = None,
    municipality: str = MUNICIPALITY,
    round_slug: str = ROUND,
    site_url: str = "http://127.0.0.1:8100/",
) -> list[Issued]:
    """Make invitations straight in the database (the server may be running)."""
    conn = store.open_database(db or workspace / ".ketenscan" / "collect.sqlite")
    try:
        issued, _ = issue_invitations(conn, workspace, municipality, round_slug, planned, site_url)
    finally:
        conn.close()
    return issued


def document(
    questionnaire: Questionnaire,
    *,
    respondent: str,
    role: str,
    organisation: str,
    municipality: str = MUNICIPALITY,
    round_slug: str = ROUND,
    **extra: Any,
) -> dict[str, Any]:
    """A complete, valid answer document as JSON data (every statement answered)."""
    doc: dict[str, Any] = {
        "instrument": questionnaire.instrument.ref,
        "municipality": municipality,
        "round": round_slug,
        "respondent": {"id": respondent, "organisation": organisation, "role": role},
        "submitted": "2025-10-14",
        "answers": {
            sid: cycle_score(index) for index, sid in enumerate(questionnaire.statement_order)
        },
    }
    doc.update(extra)
    return doc


def database(path: Path) -> Any:
    """A plain connection for checking what the server stored."""
    return store.connect(path)
