"""Problem responses (RFC 9457 `application/problem+json`) with the codes of `validate`.

Every refusal of the API is one of these: a `type` that points into the server's own
catalogue (`/api/v1/problems#<code>`), a Dutch `title` and `detail`, the HTTP `status`, the
main `code`, and `problems`: every problem found, each with its `code`, the `field` it is
about (dotted keys, as in `ketenscan validate --json`) and the Dutch `message`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import Response

from assessment.errors import CODES, Problem

MEDIA_TYPE = "application/problem+json"
PROBLEMS_PATH = "/api/v1/problems"

# The HTTP status of each code the API can answer with; other codes (the problems of an
# answer document) come inside `collect.invalid-response` (422) or as `json.*` (400).
STATUS: dict[str, int] = {
    "collect.no-token": 401,
    "collect.unknown-token": 401,
    "collect.revoked-token": 401,
    "collect.round-closed": 409,
    "collect.missing-idempotency-key": 400,
    "collect.invalid-idempotency-key": 400,
    "collect.idempotency-key-reused": 422,
    "collect.request-in-progress": 409,
    "collect.unsupported-media-type": 415,
    "collect.rate-limited": 429,
    "collect.not-found": 404,
    "collect.method-not-allowed": 405,
    "collect.bad-request": 400,
    "collect.not-authorised": 401,
    "collect.forbidden": 403,
    "collect.invalid-response": 422,
    "collect.server-error": 500,
    "collect.unavailable": 503,
    "json.too-large": 413,
}

TITLES: dict[str, str] = {
    "collect.no-token": "Inloggegevens ontbreken",
    "collect.unknown-token": "Onbekende uitnodiging",
    "collect.revoked-token": "Uitnodiging ingetrokken",
    "collect.round-closed": "Ronde gesloten",
    "collect.missing-idempotency-key": "Idempotency-Key ontbreekt",
    "collect.invalid-idempotency-key": "Ongeldige Idempotency-Key",
    "collect.idempotency-key-reused": "Idempotency-Key al gebruikt",
    "collect.request-in-progress": "Verzoek al in behandeling",
    "collect.unsupported-media-type": "Verkeerd formaat",
    "collect.rate-limited": "Te veel verzoeken",
    "collect.not-found": "Niet gevonden",
    "collect.method-not-allowed": "Methode niet toegestaan",
    "collect.bad-request": "Ongeldig verzoek",
    "collect.not-authorised": "Inloggen nodig",
    "collect.forbidden": "Niet toegestaan",
    "collect.invalid-response": "De antwoorden kloppen nog niet",
    "collect.server-error": "Fout in de server",
    "collect.unavailable": "Opslaan lukt nu niet",
}


def status_of(code: str) -> int:
    """The HTTP status for a problem code."""
    if code in STATUS:
        return STATUS[code]
    if code.startswith("json."):
        return 400
    return 422


def item(problem: Problem) -> dict[str, str]:
    """One entry of `problems`: code, field and message."""
    return {"code": problem.code, "field": problem.field, "message": problem.message}


def problem_body(
    code: str,
    detail: str,
    problems: Sequence[Problem] = (),
    *,
    status: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON object of a problem response."""
    listed = [item(p) for p in problems] or [{"code": code, "field": "", "message": detail}]
    return {
        "type": f"{PROBLEMS_PATH}#{code}",
        "title": TITLES.get(code, "Het verzoek klopt niet"),
        "status": status or status_of(code),
        "detail": detail,
        "code": code,
        "problems": listed,
        **(extra or {}),
    }


def problem_response(
    code: str,
    detail: str,
    problems: Sequence[Problem] = (),
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """An `application/problem+json` response."""
    body = problem_body(code, detail, problems, status=status, extra=extra)
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=body["status"],
        media_type=MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def catalogue() -> list[dict[str, str]]:
    """Every problem code with its meaning, for `/api/v1/problems`."""
    return [{"code": code, "meaning": meaning} for code, meaning in CODES.items()]
