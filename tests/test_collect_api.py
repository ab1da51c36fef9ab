"""The collection server's API through a real uvicorn on 127.0.0.1: every bad request is a
clear 4xx problem (RFC 9457, the codes of `validate --json`) that stores nothing; a good
one is stored, written as the form's file and acknowledged with a receipt; retries with
the same Idempotency-Key store nothing twice.
"""

from __future__ import annotations

import copy
import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assessment.answerfile import render_answer_file
from assessment.instrument import Questionnaire
from assessment.jsonio import with_dates
from assessment.models import Response
from assessment.server import store
from assessment.server.invitations import Issued, Planned, closing_moment
from assessment.validate import validate_path
from tests.collecting import (
    ADMIN_TOKEN,
    Reply,
    RunningServer,
    collect_workspace,
    document,
    invite,
    start_server,
)
from tests.helpers import MUNICIPALITY, ROUND, write_municipality

ANSWERS = Path("gemeenten") / MUNICIPALITY / ROUND / "antwoorden"


@dataclass
class Setup:
    """The running server and the invitations the tests use."""

    server: RunningServer
    tokens: dict[str, Issued]
    questionnaire: Questionnaire

    def doc(self, name: str, **changes: Any) -> dict[str, Any]:
        """A valid document for the invitation `name`."""
        item = self.tokens[name]
        return document(
            self.questionnaire,
            respondent=item.respondent,
            role=item.role,
            organisation=item.organisation or "Een organisatie",
            municipality=item.municipality,
            round_slug=item.round,
            **changes,
        )

    def count(self) -> int:
        """Stored submissions."""
        conn = store.connect(self.server.db)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
        finally:
            conn.close()


@pytest.fixture(scope="module")
def setup(
    questionnaire: Questionnaire, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setup]:
    root = collect_workspace(questionnaire, tmp_path_factory.mktemp("api") / "ws")
    write_municipality(root, "anderstad")
    for extra in ("2026-voorjaar", "2024-najaar", "2023-najaar"):
        (root / "gemeenten" / MUNICIPALITY / extra / "antwoorden").mkdir(parents=True)
    tokens: dict[str, Issued] = {}
    for name, planned, municipality, round_slug in (
        ("wijkteam", Planned("wijkteam-noord", "Wijkteam Noord", "wijkteam"), MUNICIPALITY, ROUND),
        ("per-role", Planned("jeugd-en-gezinsteam", None, "jeugd-en-gezinsteam"), MUNICIPALITY,
         ROUND),
        ("revoked", Planned("school-de-es", "School De Es", "school-po"), MUNICIPALITY, ROUND),
        ("hostile", Planned("vrije-naam", None, "wijkteam"), MUNICIPALITY, ROUND),
        ("replays", Planned("replays", "Herhaal BV", "gemeente"), MUNICIPALITY, ROUND),
        ("other-municipality", Planned("wijkteam-noord", "Wijkteam Noord", "wijkteam"),
         "anderstad", ROUND),
        ("other-round", Planned("wijkteam-noord", "Wijkteam Noord", "wijkteam"), MUNICIPALITY,
         "2026-voorjaar"),
        ("closed", Planned("wijkteam-noord", "Wijkteam Noord", "wijkteam"), MUNICIPALITY,
         "2024-najaar"),
        ("expired", Planned("wijkteam-noord", "Wijkteam Noord", "wijkteam"), MUNICIPALITY,
         "2023-najaar"),
    ):  # fmt: skip
        [tokens[name]] = invite(root, [planned], municipality=municipality, round_slug=round_slug)
    conn = store.open_database(root / ".ketenscan" / "collect.sqlite")
    with store.transaction(conn):
        revoked = store.invitation_by_hash(conn, _hash(tokens["revoked"].token))
        assert revoked is not None
        store.revoke_invitation(conn, revoked.id)
        store.close_round(conn, MUNICIPALITY, "2024-najaar")
        store.set_closing(conn, MUNICIPALITY, "2023-najaar", closing_moment(_date(2023, 12, 1)))
    conn.close()
    server = start_server(root)
    yield Setup(server, tokens, questionnaire)
    server.stop()


def _hash(token: str) -> str:
    from assessment.server.invitations import hash_token

    return hash_token(token)


def _date(year: int, month: int, day: int) -> Any:
    import datetime as dt

    return dt.date(year, month, day)


# ---------------------------------------------------------------- bad requests: 4xx, nothing stored


def _deep(levels: int) -> bytes:
    return b'{"open": {"goes_well": ' + b"[" * levels + b"]" * levels + b"}}"


Case = Callable[[Setup], Reply]


def _send(token_name: str | None, body: Callable[[Setup], Any], **headers: str) -> Case:
    def run(s: Setup) -> Reply:
        token = s.tokens[token_name].token if token_name else None
        return s.server.submit(token, body(s), headers=headers)

    return run


def _changed(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Setup], Any]:
    def make(s: Setup) -> dict[str, Any]:
        doc = s.doc(name)
        change(doc)
        return doc

    return make


def _first(s: Setup) -> str:
    return s.questionnaire.statement_order[0]


def _set_answer(value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["answers"][next(iter(doc["answers"]))] = value

    return change


BAD: dict[str, tuple[Case, int, list[str]]] = {
    "no token": (_send(None, lambda s: s.doc("wijkteam")), 401, ["collect.no-token"]),
    "basic instead of bearer": (
        _send(None, lambda s: s.doc("wijkteam"), Authorization="Basic YmVoZWVyOng="),
        401,
        ["collect.no-token"],
    ),
    "unknown token": (
        lambda s: s.server.submit(secrets.token_urlsafe(24), s.doc("wijkteam")),
        401,
        ["collect.unknown-token"],
    ),
    "malformed token": (
        lambda s: s.server.submit("x' OR 1=1 --", s.doc("wijkteam")),
        401,
        ["collect.unknown-token"],
    ),
    "revoked token": (_send("revoked", lambda s: s.doc("revoked")), 401, ["collect.revoked-token"]),
    "expired token (closing date passed)": (
        _send("expired", lambda s: s.doc("expired")),
        409,
        ["collect.round-closed"],
    ),
    "closed round": (_send("closed", lambda s: s.doc("closed")), 409, ["collect.round-closed"]),
    "token of another municipality": (
        _send("other-municipality", lambda s: s.doc("wijkteam")),
        422,
        ["answers.wrong-municipality"],
    ),
    "token of another round": (
        _send("other-round", lambda s: s.doc("wijkteam")),
        422,
        ["answers.wrong-round"],
    ),
    "token of another respondent": (
        _send("per-role", lambda s: s.doc("wijkteam")),
        422,
        ["answers.wrong-respondent", "collect.wrong-role"],
    ),
    "malformed JSON": (_send("wijkteam", lambda s: b'{"answers": {,}'), 400, ["json.syntax"]),
    "trailing comma": (_send("wijkteam", lambda s: b'{"a": 1,}'), 400, ["json.syntax"]),
    "empty body": (_send("wijkteam", lambda s: b""), 400, ["json.empty"]),
    "not UTF-8": (_send("wijkteam", lambda s: b'{"a": "\xe9"}'), 400, ["json.encoding"]),
    "NaN": (_send("wijkteam", lambda s: b'{"a": NaN}'), 400, ["json.syntax"]),
    "a number of 5000 digits": (
        _send("wijkteam", lambda s: b'{"a": ' + b"9" * 5000 + b"}"),
        400,
        ["json.syntax"],
    ),
    "duplicate key": (
        _send("wijkteam", lambda s: b'{"round": "a", "round": "b"}'),
        400,
        ["json.duplicate-key"],
    ),
    "body over 1 MiB": (
        _send("wijkteam", lambda s: b'{"a": "' + b"x" * (1024 * 1024) + b'"}'),
        413,
        ["json.too-large"],
    ),
    "nesting 13 deep": (_send("wijkteam", lambda s: _deep(11)), 400, ["json.too-deep"]),
    "nesting 100,000 deep": (_send("wijkteam", lambda s: _deep(100_000)), 400, ["json.too-deep"]),
    "a list instead of a document": (
        _send("wijkteam", lambda s: [s.doc("wijkteam")]),
        422,
        ["file.not-a-mapping"],
    ),
    "score 6": (
        _send("wijkteam", _changed("wijkteam", _set_answer(6))),
        422,
        ["answers.score-out-of-range"],
    ),
    "score as text": (
        _send("wijkteam", _changed("wijkteam", _set_answer("3"))),
        422,
        ["answers.score-out-of-range"],
    ),
    "score 3.5": (
        _send("wijkteam", _changed("wijkteam", _set_answer(3.5))),
        422,
        ["answers.score-out-of-range"],
    ),
    "score true": (
        _send("wijkteam", _changed("wijkteam", _set_answer(True))),
        422,
        ["answers.score-out-of-range"],
    ),
    "organisation as a number": (
        _send("per-role", _changed("per-role", lambda d: d["respondent"].update(organisation=5))),
        422,
        ["field.not-text"],
    ),
    "answers as a list": (
        _send("wijkteam", _changed("wijkteam", lambda d: d.update(answers=[1, 2]))),
        422,
        ["field.not-mapping"],
    ),
    "unknown statement id": (
        _send("wijkteam", _changed("wijkteam", lambda d: d["answers"].update({"regie-x": 3}))),
        422,
        ["answers.unknown-statement"],
    ),
    "missing statement": (
        _send("wijkteam", _changed("wijkteam", lambda d: d["answers"].popitem())),
        422,
        ["answers.missing-statement"],
    ),
    "unknown key": (
        _send("wijkteam", _changed("wijkteam", lambda d: d.update(opmerkingen="x"))),
        422,
        ["field.unknown"],
    ),
    "comment over 4000 characters": (
        _send("wijkteam", _changed("wijkteam", lambda d: d.update(comments={"regie": "é" * 4001}))),
        422,
        ["field.too-long"],
    ),
    "date that does not exist": (
        _send("wijkteam", _changed("wijkteam", lambda d: d.update(submitted="2025-02-30"))),
        422,
        ["field.not-date"],
    ),
    "another role than the invitation's": (
        _send("wijkteam", _changed("wijkteam", lambda d: d["respondent"].update(role="gemeente"))),
        422,
        ["collect.wrong-role"],
    ),
    "another organisation than the invitation's": (
        _send(
            "wijkteam",
            _changed("wijkteam", lambda d: d["respondent"].update(organisation="Wijkteam Zuid")),
        ),
        422,
        ["collect.wrong-organisation"],
    ),
    "no Idempotency-Key": (
        lambda s: s.server.request(
            "POST",
            "/api/v1/responses",
            json.dumps(s.doc("wijkteam")).encode(),
            {
                "Authorization": f"Bearer {s.tokens['wijkteam'].token}",
                "Content-Type": "application/json",
            },
        ),
        400,
        ["collect.missing-idempotency-key"],
    ),
    "an Idempotency-Key that is no UUID": (
        lambda s: s.server.submit(s.tokens["wijkteam"].token, s.doc("wijkteam"), key="1; DROP"),
        400,
        ["collect.invalid-idempotency-key"],
    ),
    "not sent as JSON": (
        _send("wijkteam", lambda s: s.doc("wijkteam"), **{"Content-Type": "text/plain"}),
        415,
        ["collect.unsupported-media-type"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_request_is_a_clear_4xx_problem_and_stores_nothing(setup: Setup, case: str) -> None:
    run, status, codes = BAD[case]
    before = setup.count()
    reply = run(setup)
    assert reply.status == status, reply.body[:500]
    assert reply.headers["content-type"] == "application/problem+json"
    body = reply.json()
    assert body["status"] == status
    assert body["type"] == f"/api/v1/problems#{body['code']}"
    assert body["title"]
    assert body["detail"]
    assert sorted(set(reply.codes)) == codes
    for problem in body["problems"]:
        assert set(problem) == {"code", "field", "message"}
        assert problem["message"]
    assert setup.count() == before
    assert not (setup.server.workspace / ANSWERS / "wijkteam-noord.yaml").exists()


def test_problems_name_the_statement_or_field(setup: Setup) -> None:
    first = _first(setup)
    doc = setup.doc("wijkteam")
    doc["answers"][first] = 6
    doc["answers"]["regie-onbekend"] = 2
    doc["importance"] = {"regie": 0}
    reply = setup.server.submit(setup.tokens["wijkteam"].token, doc)
    assert reply.status == 422
    assert reply.json()["code"] == "collect.invalid-response"
    assert reply.fields == {
        "answers.score-out-of-range": f"answers.{first}",
        "answers.unknown-statement": "answers.regie-onbekend",
        "answers.importance-out-of-range": "importance.regie",
    }
    messages = " ".join(p["message"] for p in reply.json()["problems"])
    assert "1 tot en met 5" in messages  # Dutch, as ketenscan validate says it


def test_no_request_ever_gets_a_5xx_for_unusual_http(setup: Setup) -> None:
    token = setup.tokens["wijkteam"].token
    replies = [
        setup.server.request("PUT", "/api/v1/responses", b"{}"),
        setup.server.request("DELETE", "/api/v1/invitation"),
        setup.server.request("GET", "/api/v1/nergens"),
        setup.server.request("POST", "/api/v1/responses", b"{}", {"Content-Length": "99999999"}),
        setup.server.request(
            "GET", "/api/v1/receipts/%00%2F..", headers={"Authorization": f"Bearer {token}"}
        ),
        setup.server.request("GET", "/api/v1/invitation", headers={"Authorization": "Bearer"}),
    ]
    assert [r.status for r in replies] == [405, 405, 404, 401, 404, 401]
    for reply in replies:
        assert reply.headers["content-type"] == "application/problem+json"
    assert "POST" in replies[0].headers["allow"]


# ---------------------------------------------------------------- a good submission


def test_an_accepted_answer_is_stored_written_and_acknowledged(setup: Setup) -> None:
    item = setup.tokens["wijkteam"]
    doc = setup.doc("wijkteam", comments={"regie": 'Zij zei: "ja" # echt\nnieuwe regel 🙂'})
    key = str(uuid.uuid4())
    reply = setup.server.submit(item.token, doc, key=key)
    assert reply.status == 201, reply.body
    receipt = reply.json()
    assert receipt["respondent"] == "wijkteam-noord"
    assert (receipt["municipality"], receipt["round"], receipt["version"]) == (
        MUNICIPALITY,
        ROUND,
        1,
    )
    assert reply.headers["location"] == f"/api/v1/receipts/{receipt['receipt']}"
    # The stored version and the file: the form's text for these answers.
    expected = render_answer_file(
        setup.questionnaire, Response.model_validate(with_dates(Response, doc))
    )
    conn = store.connect(setup.server.db)
    row = conn.execute(
        "SELECT version, answer_file, idempotency_key, document FROM submissions WHERE receipt = ?",
        (receipt["receipt"],),
    ).fetchone()
    conn.close()
    assert (row["version"], row["answer_file"], row["idempotency_key"]) == (1, expected, key)
    assert json.loads(row["document"]) == doc
    path = setup.server.workspace / ANSWERS / "wijkteam-noord.yaml"
    _wait_for(lambda: path.exists() and path.read_text(encoding="utf-8") == expected)
    assert validate_path(setup.server.workspace).errors == []
    # The same key and body again: the same receipt, nothing new stored.
    before = setup.count()
    again = setup.server.submit(item.token, doc, key=key)
    assert (again.status, again.json()) == (201, receipt)
    assert again.headers["idempotent-replayed"] == "true"
    assert setup.count() == before
    # The same key with other answers: refused.
    other = copy.deepcopy(doc)
    other["answers"][_first(setup)] = 1 if doc["answers"][_first(setup)] != 1 else 2
    refused = setup.server.submit(item.token, other, key=key)
    assert refused.status == 422
    assert refused.codes == ["collect.idempotency-key-reused"]
    assert setup.count() == before
    # A new key: version 2 replaces version 1 in the workspace.
    second = setup.server.submit(item.token, other)
    assert second.status == 201
    assert second.json()["version"] == 2
    newer = render_answer_file(
        setup.questionnaire, Response.model_validate(with_dates(Response, other))
    )
    _wait_for(lambda: path.read_text(encoding="utf-8") == newer)
    # The invitation now tells its newest receipt; the first receipt can still be read.
    info = setup.server.request(
        "GET", "/api/v1/invitation", headers={"Authorization": f"Bearer {item.token}"}
    ).json()
    assert info["latest"]["version"] == 2
    assert info["open"] is True
    assert (info["organisation"], info["role"]) == ("Wijkteam Noord", "wijkteam")
    old = setup.server.request(
        "GET",
        f"/api/v1/receipts/{receipt['receipt']}",
        headers={"Authorization": f"Bearer {item.token}"},
    )
    assert (old.status, old.json()) == (200, receipt)
    # Another invitation cannot read it.
    foreign = setup.server.request(
        "GET",
        f"/api/v1/receipts/{receipt['receipt']}",
        headers={"Authorization": f"Bearer {setup.tokens['replays'].token}"},
    )
    assert foreign.status == 404


def test_the_invitation_of_a_closed_round_says_so(setup: Setup) -> None:
    reply = setup.server.request(
        "GET",
        "/api/v1/invitation",
        headers={"Authorization": f"Bearer {setup.tokens['expired'].token}"},
    )
    assert reply.status == 200
    body = reply.json()
    assert body["open"] is False
    assert body["closes"] == "2023-12-01T23:00:00Z"  # midnight after 1 December, CET = UTC+1
    assert body["closed_since"] == "2023-12-01T23:00:00Z"
    revoked = setup.server.request(
        "GET",
        "/api/v1/invitation",
        headers={"Authorization": f"Bearer {setup.tokens['revoked'].token}"},
    )
    assert revoked.status == 401
    assert revoked.codes == ["collect.revoked-token"]


def test_hostile_text_is_stored_as_text_and_shown_literally_on_the_admin_page(
    setup: Setup,
) -> None:
    hostile = '<script>alert("x")</script> \u202eesrever\u202c & <b>vet</b>'
    doc = setup.doc("hostile", open={"goes_well": hostile})
    doc["respondent"]["organisation"] = hostile
    reply = setup.server.submit(setup.tokens["hostile"].token, doc)
    assert reply.status == 201
    path = setup.server.workspace / ANSWERS / "vrije-naam.yaml"
    _wait_for(path.exists)
    from assessment.yamlio import read_yaml

    assert read_yaml(path).data["respondent"]["organisation"] == hostile
    page = _admin(setup.server, f"/beheer/{MUNICIPALITY}/{ROUND}")
    assert page.status == 200
    text = page.body.decode()
    assert "<script>alert" not in text
    assert "<b>vet" not in text
    assert (
        "<bdi>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; \u202eesrever\u202c &amp; "
        "&lt;b&gt;vet&lt;/b&gt;</bdi>"
    ) in text


# ---------------------------------------------------------------- headers, logs, admin


def _admin(server: RunningServer, path: str, token: str = ADMIN_TOKEN) -> Reply:
    import base64

    basic = base64.b64encode(f"beheer:{token}".encode()).decode()
    return server.request("GET", path, headers={"Authorization": f"Basic {basic}"})


def test_every_response_carries_security_headers_and_no_cookie(setup: Setup) -> None:
    token = setup.tokens["wijkteam"].token
    replies = {
        "api": setup.server.request(
            "GET", "/api/v1/invitation", headers={"Authorization": f"Bearer {token}"}
        ),
        "problem": setup.server.request("GET", "/api/v1/invitation"),
        "admin": _admin(setup.server, "/beheer"),
        "admin-401": setup.server.request("GET", "/beheer"),
        "health": setup.server.request("GET", "/api/v1/health"),
    }
    for name, reply in replies.items():
        headers = reply.headers
        assert headers["x-content-type-options"] == "nosniff", name
        # The admin page's forms need their Origin; its addresses hold no secret.
        policy = "same-origin" if name.startswith("admin") else "no-referrer"
        assert headers["referrer-policy"] == policy, name
        assert headers["x-frame-options"] == "DENY", name
        assert "frame-ancestors 'none'" in headers["content-security-policy"], name
        assert headers["cache-control"] == "no-store", name
        assert "set-cookie" not in headers, name
        assert "server" not in headers, name
    assert replies["admin-401"].status == 401
    assert replies["admin-401"].headers["www-authenticate"].startswith("Basic ")
    assert "script-src" not in replies["admin"].headers["content-security-policy"]
    assert replies["health"].json()["status"] == "ok"


def test_the_admin_page_needs_the_token_and_a_form_from_itself(setup: Setup) -> None:
    assert _admin(setup.server, "/beheer", token="fout").status == 401
    page = _admin(setup.server, "/beheer")
    text = page.body.decode()
    assert '<html lang="nl">' in text
    assert text.count("<h1>") == 1
    assert f'href="/beheer/{MUNICIPALITY}/{ROUND}"' in text
    import base64

    basic = base64.b64encode(f"beheer:{ADMIN_TOKEN}".encode()).decode()
    close = f"/beheer/{MUNICIPALITY}/{ROUND}/sluiten"
    headers = {
        "Authorization": f"Basic {basic}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    # Another site's page: refused by its Origin; without the check value: refused too.
    evil = setup.server.request(
        "POST", close, b"check=x", {**headers, "Origin": "https://kwaad.example"}
    )
    assert evil.status == 403
    assert setup.server.request("POST", close, b"check=fout", headers).status == 403
    state = store.connect(setup.server.db)
    row = state.execute(
        "SELECT closed_at FROM rounds WHERE municipality = ? AND round = ?", (MUNICIPALITY, ROUND)
    ).fetchone()
    state.close()
    assert row["closed_at"] is None


def test_logs_hold_no_token_and_no_answer(setup: Setup) -> None:
    secret_text = f"geheim-antwoord-{uuid.uuid4()}"
    item = setup.tokens["replays"]
    reply = setup.server.submit(item.token, setup.doc("replays", open={"goes_well": secret_text}))
    assert reply.status == 201
    bad = setup.server.submit(
        item.token, setup.doc("replays", comments={"regie": secret_text * 200})
    )
    assert bad.status == 422
    logs = setup.server.logs()
    assert "POST /api/v1/responses 201" in logs
    assert "POST /api/v1/responses 422" in logs
    for token in setup.tokens.values():
        assert token.token not in logs
    assert secret_text not in logs
    assert ADMIN_TOKEN not in logs
    assert "127.0.0.1" not in logs.split("Stoppen: Ctrl+C", 1)[1]  # no client addresses


def _wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
