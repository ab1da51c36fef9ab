"""What the live routes check: the session of a code, the participant of a token, the body;
and the writer every change goes through."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.responses import Response, StreamingResponse

from assessment.limits import LIVE_DOTS
from assessment.server.live import sessions
from assessment.server.live.hub import Hub
from assessment.server.problems import problem_response

if TYPE_CHECKING:
    from assessment.server.app import Collector

log = logging.getLogger("ketenscan.collect")


BODY_MAX = 4096


_BEARER = {"WWW-Authenticate": 'Bearer realm="ketenscan-live"'}


def _collector(request: Request) -> Collector:
    state: Collector = request.app.state.collector
    return state


def hub(state: Collector) -> Hub:
    """The server's SSE hub."""
    found: Hub = state.hub
    return found


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def join_url(state: Collector, code: str) -> str:
    """The address a phone opens to join (the QR code's link)."""
    api_url = state.config.settings.collect.api_url
    if api_url:
        parts = urlsplit(api_url)
        return f"{parts.scheme}://{parts.netloc}/live/{code}"
    return f"{state.config.site_url.rstrip('/')}/live/{code}"


def _too_many(seconds: int, detail: str) -> Response:
    return problem_response("collect.rate-limited", detail, headers={"Retry-After": str(seconds)})


def find_session(request: Request, code: str) -> sessions.Session | Response:
    """The session of a join code, or the problem saying why not (an unknown code counts
    as a failed attempt of the address: codes cannot be guessed by trying)."""
    state = _collector(request)
    address = _address(request)
    wait = state.live_misses.peek(address)
    if wait:
        return _too_many(wait, "te veel onbekende codes vanaf dit adres; wacht even")
    wanted = sessions.normalise_code(code)
    found = sessions.session_by_code(state.read, wanted)
    if found is None:
        state.live_misses.take(address)
        return problem_response(
            "live.unknown-code",
            f"er is geen workshop met code {code[:12]}; kijk nog eens naar de code op het scherm",
        )
    return found


def _gone(session: sessions.Session, status: str) -> Response:
    if status == "ended":
        return problem_response(
            "live.session-ended", "deze workshop is afgelopen; stemmen kan niet meer"
        )
    return problem_response(
        "live.session-expired",
        "deze workshopsessie is verlopen; vraag de begeleider om een nieuwe code",
    )


def active_session(request: Request, code: str) -> sessions.Session | Response:
    """A session that still takes part, or the problem."""
    found = find_session(request, code)
    if isinstance(found, Response):
        return found
    status = found.status(_now())
    return found if status == "active" else _gone(found, status)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _not_joined() -> Response:
    return problem_response(
        "live.unknown-participant",
        "u doet nog niet mee aan deze workshop; kies eerst uw rol",
        headers=_BEARER,
    )


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and 0 < len(token) <= 64 else None


def participant(request: Request, session: sessions.Session) -> sessions.Participant | Response:
    """The participant of the request's bearer token, or the problem."""
    state = _collector(request)
    token = _bearer(request)
    found = sessions.participant_by_token(state.read, session.id, token) if token else None
    if found is None:
        return _not_joined()
    wait = state.per_token.take(f"live:{found.id}")
    if wait:
        return _too_many(wait, "te veel verzoeken; probeer het zo opnieuw")
    return found


async def json_body(request: Request) -> dict[str, Any] | Response:
    """A small JSON object from the request, or the problem."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return problem_response(
            "collect.unsupported-media-type", "stuur de gegevens als application/json"
        )
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > BODY_MAX:
            return problem_response("collect.bad-request", "het verzoek is te groot")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return problem_response("collect.bad-request", "het verzoek is geen geldige JSON")
    if not isinstance(data, dict):
        return problem_response("collect.bad-request", "stuur een JSON-object")
    return data


async def write(state: Collector, task: sessions.Task) -> sessions.Change | Response:
    """Run a change through the writer; answer after its commit."""
    try:
        change: sessions.Change = await asyncio.wrap_future(state.writer.run(task))
    except Exception:
        log.exception("live: wijziging niet opgeslagen")
        return problem_response(
            "collect.unavailable",
            "dit kon nu niet worden opgeslagen; er is niets bewaard. Probeer het zo opnieuw",
            headers={"Retry-After": "5"},
        )
    return change


def _refused(change: sessions.Change, session: sessions.Session, state: Collector) -> Response:
    if change.kind in ("ended", "expired"):
        return _gone(session, change.kind)
    if change.kind == "full":
        return problem_response("live.session-full", "deze workshop zit vol")
    if change.kind == "too-many":
        return problem_response(
            "live.invalid-dots", f"kies hoogstens {LIVE_DOTS} acties", status=422
        )
    if change.kind == "unknown-action":
        return problem_response("live.unknown-action", "deze actie staat niet (meer) op de lijst")
    return problem_response("collect.bad-request", "dit kan nu niet")


def _title(state: Collector, factor: str) -> str:
    for f in state.questionnaire.instrument.factors():
        if f.id == factor:
            return f.title
    return factor


def _event_stream(request: Request, session: sessions.Session, view: Any) -> Response:
    state = _collector(request)
    return StreamingResponse(
        hub(state).stream(session, view, request.headers.get("last-event-id")),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
