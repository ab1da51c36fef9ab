"""The API under `/api/v1/`: the invitation behind a token, and submitting answers.

`POST /api/v1/responses` follows the IETF Idempotency-Key draft: the key (a UUID the form
makes once per submission) with the same body again gives the same receipt and stores
nothing; with another body it is refused (422); while the first request with a key is
still being handled, a second gets 409. A new key is a new version of the respondent's
answers, which replaces the previous one in the workspace, until the round closes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from assessment.errors import ProblemsError
from assessment.limits import BODY_MAX_BYTES, FILE_MAX_TEXT, IDEMPOTENCY_KEY_PATTERN, TOKEN_PATTERN
from assessment.server import store
from assessment.server.invitations import ZONE, hash_token
from assessment.server.problems import catalogue, problem_response
from assessment.server.responses import Checked, check_submission
from assessment.server.writer import Job

if TYPE_CHECKING:
    from assessment.server.app import Collector

router = APIRouter(prefix="/api/v1")

_TOKEN = re.compile(TOKEN_PATTERN)
_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
_BEARER = {"WWW-Authenticate": 'Bearer realm="ketenscan"'}


def collector(request: Request) -> Collector:
    """The server's state."""
    state: Collector = request.app.state.collector
    return state


def moment(value: Any) -> str:
    """An instant as RFC 3339 in UTC, to the second."""
    return str(value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def receipt_body(submission: store.Submission) -> dict[str, Any]:
    """The receipt of a stored submission."""
    return {
        "receipt": submission.receipt,
        "municipality": submission.municipality,
        "round": submission.round,
        "respondent": submission.respondent,
        "organisation": submission.organisation,
        "role": submission.role,
        "version": submission.version,
        "received": moment(submission.received_at),
    }


def _receipt_response(submission: store.Submission, *, replayed: bool) -> Response:
    headers = {"Location": f"/api/v1/receipts/{submission.receipt}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(receipt_body(submission), status_code=201, headers=headers)


def _too_many(seconds: int, detail: str) -> Response:
    return problem_response("collect.rate-limited", detail, headers={"Retry-After": str(seconds)})


def _closed(state: store.RoundState | None, invitation: store.Invitation) -> Response:
    since = state.closed_since(store.utc_now()) if state else None
    when = f" sinds {since.astimezone(ZONE).strftime('%d-%m-%Y %H:%M')}" if since else ""
    return problem_response(
        "collect.round-closed",
        f"ronde {invitation.round} van {invitation.municipality} is gesloten{when}; er kunnen "
        "geen antwoorden meer worden verstuurd. Neem contact op met de gemeente of de "
        "begeleider als u toch nog iets wilt doorgeven",
    )


async def authenticate(request: Request, key: str | None = None) -> store.RequestState | Response:
    """The invitation of the request's bearer token (with its round, and what was stored
    with Idempotency-Key `key`), or the problem response saying why not."""
    state = collector(request)
    address = request.client.host if request.client else "?"
    wait = state.per_address.take(address)
    if wait:
        return _too_many(wait, "te veel verzoeken vanaf dit adres; probeer het zo opnieuw")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return problem_response(
            "collect.no-token",
            "stuur de code uit de uitnodiging mee als 'Authorization: Bearer <code>'",
            headers=_BEARER,
        )
    wait = state.auth_failures.peek(address)
    if wait:
        return _too_many(wait, "te veel onbekende codes vanaf dit adres; wacht even")
    found = (
        store.request_state(state.read, hash_token(token), key)
        if _TOKEN.match(token)
        else store.RequestState(None, None, None)
    )
    invitation = found.invitation
    if invitation is None:
        state.auth_failures.take(address)
        return problem_response(
            "collect.unknown-token",
            "deze code hoort bij geen enkele uitnodiging; controleer of u de hele link uit de "
            "uitnodiging hebt gebruikt",
            headers={"WWW-Authenticate": 'Bearer realm="ketenscan", error="invalid_token"'},
        )
    wait = state.per_token.take(str(invitation.id))
    if wait:
        return _too_many(wait, "te veel verzoeken met deze uitnodiging; probeer het zo opnieuw")
    return found


def _revoked(invitation: store.Invitation) -> Response:
    return problem_response(
        "collect.revoked-token",
        "deze uitnodiging is ingetrokken; misschien hebt u een nieuwe link gekregen. Vraag de "
        "gemeente of de begeleider anders om een nieuwe link",
        headers={"WWW-Authenticate": 'Bearer realm="ketenscan", error="invalid_token"'},
    )


@router.get("/invitation")
async def get_invitation(request: Request) -> Response:
    """What a token is for: municipality, round, respondent, organisation, role, state."""
    found = await authenticate(request)
    if isinstance(found, Response):
        return found
    invitation = found.invitation
    assert invitation is not None
    if invitation.revoked_at is not None:
        return _revoked(invitation)
    state = collector(request)
    round_state = found.round
    now = store.utc_now()
    latest = store.latest_submission(
        state.read, invitation.municipality, invitation.round, invitation.respondent
    )
    role = state.questionnaire.roles.get(invitation.role)
    closes = round_state.closes_at if round_state else None
    since = round_state.closed_since(now) if round_state else now
    return JSONResponse(
        {
            "municipality": invitation.municipality,
            "municipality_name": state.municipality_name(invitation.municipality),
            "round": invitation.round,
            "respondent": invitation.respondent,
            "organisation": invitation.organisation,
            "role": invitation.role,
            "role_label": role.label if role else invitation.role,
            "instrument": state.questionnaire.instrument.ref,
            "open": since is None,
            "closes": moment(closes) if closes else None,
            "closed_since": moment(since) if since else None,
            "latest": receipt_body(latest) if latest else None,
        }
    )


@router.get("/receipts/{receipt}")
async def get_receipt(request: Request, receipt: str) -> Response:
    """A receipt of the token's own respondent (any version)."""
    found = await authenticate(request)
    if isinstance(found, Response):
        return found
    invitation = found.invitation
    assert invitation is not None
    submission = store.submission_by_receipt(collector(request).read, receipt.upper())
    if submission is None or (submission.municipality, submission.round, submission.respondent) != (
        invitation.municipality,
        invitation.round,
        invitation.respondent,
    ):
        return problem_response("collect.not-found", "geen ontvangstbewijs met deze code")
    return JSONResponse(receipt_body(submission))


async def _read_body(request: Request) -> bytes | Response:
    too_large = problem_response(
        "json.too-large", f"het antwoord is groter dan {FILE_MAX_TEXT}; dat kan niet kloppen"
    )
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > BODY_MAX_BYTES):
        return too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_MAX_BYTES:
            return too_large
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/responses")
async def post_response(request: Request) -> Response:
    """Take one answer document; 201 with a receipt once it is safely stored."""
    raw_key = request.headers.get("idempotency-key")
    key = raw_key.strip().strip('"').lower() if raw_key else ""  # an sf-string may be quoted
    found = await authenticate(request, key if _KEY.match(key) else None)
    if isinstance(found, Response):
        return found
    invitation = found.invitation
    assert invitation is not None
    state = collector(request)
    if raw_key is None:
        return problem_response(
            "collect.missing-idempotency-key",
            "stuur een Idempotency-Key mee (een UUID, eenmalig gemaakt per inzending)",
        )
    if not _KEY.match(key):
        return problem_response(
            "collect.invalid-idempotency-key", "de Idempotency-Key moet een UUID zijn"
        )
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return problem_response(
            "collect.unsupported-media-type", "stuur de antwoorden als application/json"
        )
    body = await _read_body(request)
    if isinstance(body, Response):
        return body
    digest = hashlib.sha256(body).hexdigest()
    earlier = found.earlier
    if earlier is not None:
        if earlier.body_sha256 == digest:
            return _receipt_response(earlier, replayed=True)
        return _key_reused()
    if invitation.revoked_at is not None:
        return _revoked(invitation)
    round_state = found.round
    if round_state is None or not round_state.is_open(store.utc_now()):
        return _closed(round_state, invitation)
    flight = (invitation.id, key)
    if flight in state.in_flight:
        return problem_response(
            "collect.request-in-progress",
            "een verzoek met deze Idempotency-Key wordt nog verwerkt; probeer het zo opnieuw",
            headers={"Retry-After": "1"},
        )
    state.in_flight.add(flight)
    try:
        try:
            checked = check_submission(body, invitation, state.questionnaire)
        except ProblemsError as error:
            return problem_response(
                error.problems[0].code,
                "het antwoord is geen geldige JSON: " + error.problems[0].message,
                error.problems,
            )
        if not isinstance(checked, Checked):
            count = len(checked)
            return problem_response(
                "collect.invalid-response",
                f"{count} {'probleem' if count == 1 else 'problemen'} in de antwoorden; "
                "er is niets opgeslagen",
                checked,
            )
        job = Job(
            invitation.id,
            invitation.municipality,
            invitation.round,
            invitation.respondent,
            checked.response.respondent.organisation,
            checked.response.respondent.role,
            key,
            digest,
            body.decode("utf-8"),
            checked.answer_file,
        )
        try:
            outcome = await asyncio.wrap_future(state.writer.submit(job))
        except Exception:
            return problem_response(
                "collect.unavailable",
                "de antwoorden konden nu niet worden opgeslagen; er is niets bewaard. Probeer "
                "het later opnieuw",
                headers={"Retry-After": "30"},
            )
    finally:
        state.in_flight.discard(flight)
    if outcome.kind in ("accepted", "replayed") and outcome.submission is not None:
        return _receipt_response(outcome.submission, replayed=outcome.kind == "replayed")
    if outcome.kind == "key-reused":
        return _key_reused()
    if outcome.kind == "revoked":
        return _revoked(invitation)
    return _closed(outcome.round, invitation)


def _key_reused() -> Response:
    return problem_response(
        "collect.idempotency-key-reused",
        "deze Idempotency-Key is al gebruikt voor andere antwoorden; maak voor elke nieuwe "
        "inzending een nieuwe sleutel",
    )


@router.get("/health")
async def health(request: Request) -> Response:
    """Whether the server runs, and how many answer files still wait to be written."""
    state = collector(request)
    return JSONResponse({"status": "ok", "files_pending": state.files.pending()})


@router.get("/problems")
async def problems() -> Response:
    """Every problem code the API (or `ketenscan validate`) can give, with its meaning."""
    return JSONResponse({"problems": catalogue()})


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request) -> Response:
    """The OpenAPI description of this API."""
    return Response(
        json.dumps(collector(request).openapi, ensure_ascii=False),
        media_type="application/json",
    )
