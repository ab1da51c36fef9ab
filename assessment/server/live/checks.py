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


def server_state(request: Request) -> Collector:
    """The server's state, from the request."""
    state: Collector = request.app.state.collector
    return state


def hub(state: Collector) -> Hub:
    """The server's SSE hub."""
    found: Hub = state.hub
    return found


def client_address(request: Request) -> str:
    """The address the request came from, for the rate limits."""
    return request.client.host if request.client else "?"


def join_url(state: Collector, code: str) -> str:
    """The address a phone opens to join (the QR code's link)."""
    api_url = state.config.settings.collect.api_url
    if api_url:
        parts = urlsplit(api_url)
        return f"{parts.scheme}://{parts.netloc}/live/{code}"
    return f"{state.config.site_url.rstrip('/')}/live/{code}"


def too_many(seconds: int, detail: str) -> Response:
    """429 with the seconds to wait."""
    return problem_response("collect.rate-limited", detail, headers={"Retry-After": str(seconds)})


def find_session(request: Request, code: str) -> sessions.Session | Response:
    """The session of a join code, or the problem saying why not (an unknown code counts
    as a failed attempt of the address: codes cannot be guessed by trying)."""
    state = server_state(request)
    address = client_address(request)
    wait = state.live_misses.peek(address)
    if wait:
        return too_many(wait, "te veel onbekende codes vanaf dit adres; wacht even")
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
    status = found.status(now_utc())
    return found if status == "active" else _gone(found, status)


def now_utc() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def not_joined() -> Response:
    """401: the request carries no token of a participant of this session."""
    return problem_response(
        "live.unknown-participant",
        "u doet nog niet mee aan deze workshop; kies eerst uw rol",
        headers=_BEARER,
    )


def bearer_token(request: Request) -> str | None:
    """The request's bearer token, when it carries one of a plausible length."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and 0 < len(token) <= 64 else None


def participant(request: Request, session: sessions.Session) -> sessions.Participant | Response:
    """The participant of the request's bearer token, or the problem."""
    state = server_state(request)
    token = bearer_token(request)
    found = sessions.participant_by_token(state.read, session.id, token) if token else None
    if found is None:
        return not_joined()
    wait = state.per_token.take(f"live:{found.id}")
    if wait:
        return too_many(wait, "te veel verzoeken; probeer het zo opnieuw")
    return found


def joined(
    request: Request, code: str, *, active: bool
) -> tuple[sessions.Session, sessions.Participant] | Response:
    """The session (active only, when asked) and the participant of the bearer token.

    Without a token the answer is 401 before the session is looked up.
    """
    if bearer_token(request) is None:
        return not_joined()
    found = active_session(request, code) if active else find_session(request, code)
    if isinstance(found, Response):
        return found
    who = participant(request, found)
    return who if isinstance(who, Response) else (found, who)


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


def refused(change: sessions.Change, session: sessions.Session, state: Collector) -> Response:
    """The problem of a change the writer did not make."""
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


def factor_title(state: Collector, factor: str) -> str:
    """A factor's title (its id when the questionnaire does not know it)."""
    for f in state.questionnaire.instrument.factors():
        if f.id == factor:
            return f.title
    return factor


def event_stream(request: Request, session: sessions.Session, view: Any) -> Response:
    """The session's state as Server-Sent Events, for the participants or the presenter."""
    state = server_state(request)
    return StreamingResponse(
        hub(state).stream(session, view, request.headers.get("last-event-id")),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
