"""Rate limits, CORS, the sites beside the API, and the admin page's round actions, through
a real server whose `ketenscan.yaml` sets low limits and one allowed origin."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assessment.instrument import Questionnaire
from assessment.server.invitations import Issued, Planned
from tests.collecting import (
    ADMIN_TOKEN,
    RunningServer,
    collect_workspace,
    document,
    invite,
    start_server,
)
from tests.helpers import MUNICIPALITY, ROUND

ORIGIN = "https://sites.voorbeeld.nl"
SETTINGS = f"""collect:
  allowed_origins:
    - {ORIGIN}
  rate_limits:
    per_token: 5
    per_address: 1000
"""


@dataclass
class Limited:
    server: RunningServer
    tokens: dict[str, Issued]
    questionnaire: Questionnaire

    def doc(self, name: str) -> dict[str, object]:
        item = self.tokens[name]
        return document(
            self.questionnaire,
            respondent=item.respondent,
            role=item.role,
            organisation=item.organisation or "",
        )


@pytest.fixture(scope="module")
def limited(
    questionnaire: Questionnaire, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Limited]:
    base = tmp_path_factory.mktemp("limits")
    root = collect_workspace(questionnaire, base / "ws", SETTINGS)
    site = base / "public"
    (site / MUNICIPALITY).mkdir(parents=True)
    (site / "index.html").write_text("<h1>Portaal</h1>", encoding="utf-8")
    (site / "404.html").write_text("<h1>Niet gevonden</h1>", encoding="utf-8")
    (site / MUNICIPALITY / "vragenlijst.html").write_text("<h1>Vragenlijst</h1>", encoding="utf-8")
    names = ["burst", "admin", "cors"]
    issued = invite(root, [Planned(n, f"Organisatie {n}", "gemeente") for n in names])
    server = start_server(root, out=site)
    yield Limited(server, dict(zip(names, issued, strict=True)), questionnaire)
    server.stop()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_gets_a_burst_then_429_with_retry_after(limited: Limited) -> None:
    token = limited.tokens["burst"].token
    statuses = [
        limited.server.request("GET", "/api/v1/invitation", headers=_auth(token)).status
        for _ in range(5)
    ]
    assert statuses == [200] * 5  # per_token: 5
    refused = limited.server.request("GET", "/api/v1/invitation", headers=_auth(token))
    assert refused.status == 429
    assert refused.codes == ["collect.rate-limited"]
    # 5 per minute refill one every 12 s: the wait is whole seconds, at most 12.
    assert 1 <= int(refused.headers["retry-after"]) <= 12
    other = limited.server.request(
        "GET", "/api/v1/invitation", headers=_auth(limited.tokens["cors"].token)
    )
    assert other.status == 200  # another invitation has its own bucket


def test_cors_answers_only_the_listed_origin_and_never_with_credentials(
    limited: Limited,
) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    }
    allowed = limited.server.request(
        "OPTIONS", "/api/v1/responses", headers={"Origin": ORIGIN, **preflight}
    )
    assert allowed.status == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "idempotency-key" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in allowed.headers
    other = limited.server.request(
        "OPTIONS", "/api/v1/responses", headers={"Origin": "https://kwaad.example", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers
    simple = limited.server.request("GET", "/api/v1/health", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN


def test_the_sites_are_served_beside_the_api_with_their_own_policy(limited: Limited) -> None:
    page = limited.server.request("GET", f"/{MUNICIPALITY}/vragenlijst.html")
    assert page.status == 200
    assert b"Vragenlijst" in page.body
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "cache-control" not in page.headers or page.headers["cache-control"] != "no-store"
    missing = limited.server.request("GET", "/nergens.html")
    assert missing.status == 404
    assert b"Niet gevonden" in missing.body
    assert limited.server.request("POST", "/index.html", b"x").status == 405
    api_missing = limited.server.request("GET", "/api/v1/nergens")
    assert api_missing.headers["content-type"] == "application/problem+json"


def _form(limited: Limited, action: str, body: str = "") -> int:
    from assessment.server.admin import form_check

    basic = base64.b64encode(f"beheer:{ADMIN_TOKEN}".encode()).decode()
    reply = limited.server.request(
        "POST",
        f"/beheer/{MUNICIPALITY}/{ROUND}/{action}",
        f"check={form_check(ADMIN_TOKEN)}&{body}".encode(),
        {
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": limited.server.url,
            "Sec-Fetch-Site": "same-origin",
        },
    )
    return reply.status


def test_closing_and_reopening_a_round_on_the_admin_page(limited: Limited) -> None:
    token = limited.tokens["admin"].token
    assert _form(limited, "sluiten") == 303
    closed = limited.server.submit(token, limited.doc("admin"))
    assert closed.status == 409
    assert closed.codes == ["collect.round-closed"]
    assert "is gesloten sinds" in closed.json()["detail"]
    assert _form(limited, "heropenen") == 303
    assert limited.server.submit(token, limited.doc("admin")).status == 201
    # A last day in the past closes it; clearing the date opens it again.
    assert _form(limited, "sluitdatum", "datum=2020-01-31") == 303
    assert limited.server.submit(token, limited.doc("admin")).status == 409
    assert _form(limited, "sluitdatum", "datum=") == 303
    assert limited.server.submit(token, limited.doc("admin")).status == 201
    assert _form(limited, "sluitdatum", "datum=31-01-2020") == 400


def test_a_stopped_server_has_written_every_file(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = collect_workspace(questionnaire, tmp_path / "ws")
    [item] = invite(root, [Planned("laatste", "Laatste BV", "gemeente")])
    server = start_server(root)
    doc = document(questionnaire, respondent="laatste", role="gemeente", organisation="Laatste BV")
    assert server.submit(item.token, doc).status == 201
    server.stop()  # SIGTERM: the queue is stored and the file written before it exits
    assert server.process.returncode == 0
    assert (root / "gemeenten" / MUNICIPALITY / ROUND / "antwoorden" / "laatste.yaml").exists()
    assert "Gestopt" in server.logs()


# Last: it leaves this address waiting for the rest of the minute.
def test_an_address_guessing_tokens_is_stopped(limited: Limited) -> None:
    statuses = [
        limited.server.request(
            "GET", "/api/v1/invitation", headers=_auth(secrets.token_urlsafe(24))
        ).status
        for _ in range(31)
    ]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429
    # Then even a valid token from that address waits.
    valid = limited.server.request(
        "GET", "/api/v1/invitation", headers=_auth(limited.tokens["admin"].token)
    )
    assert valid.status == 429
