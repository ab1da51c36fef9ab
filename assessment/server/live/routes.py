"""The routes of the live workshop.

Participants (no account, no name): `/live` and `/live/<code>` (pages), and the API under
`/api/v1/live/<code>`: the session, joining with a role (a token for this session only,
kept by the browser), their own votes, voting, dots, and the SSE stream. The facilitator:
`/beheer/live/...` behind the admin token, with the same checks as the admin page's forms.
Every change goes through the server's single writer and is answered after its commit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from assessment.errors import ProblemsError
from assessment.limits import LIVE_DOTS, SCALE, SHORT_TEXT_MAX, TEXT_MAX, is_slug
from assessment.server.admin import form_check, require_admin, require_form_pairs
from assessment.server.invitations import slugify
from assessment.server.live import pages, sessions
from assessment.server.live.hub import Hub
from assessment.server.problems import problem_response

if TYPE_CHECKING:
    from assessment.server.app import Collector

log = logging.getLogger("ketenscan.collect")
router = APIRouter(include_in_schema=False)
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


# ---------------------------------------------------------------- shared checks


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


# ---------------------------------------------------------------- participant API


@router.get("/api/v1/live/{code}")
async def get_session(request: Request, code: str) -> Response:
    """The session as a participant sees it, with the roles to choose from."""
    found = find_session(request, code)
    if isinstance(found, Response):
        return found
    state = _collector(request)
    snapshot = hub(state).current(found)
    roles = [{"id": r.id, "label": r.label} for r in state.questionnaire.roles.values()]
    return JSONResponse({**snapshot.participant_state, "roles": roles})


@router.post("/api/v1/live/{code}/participants")
async def join(request: Request, code: str) -> Response:
    """Join with a role: 201 with a token for this session only."""
    state = _collector(request)
    wait = state.live_joins.take(_address(request))
    if wait:
        return _too_many(wait, "te veel aanmeldingen vanaf dit adres; probeer het zo opnieuw")
    found = active_session(request, code)
    if isinstance(found, Response):
        return found
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    role = body.get("role")
    if not isinstance(role, str) or role not in state.questionnaire.roles:
        shown = role[:40] if isinstance(role, str) else str(role)[:40]
        return problem_response(
            "live.unknown-role",
            f"de rol '{shown}' bestaat niet; kies een van de rollen op de pagina",
        )
    change = await write(state, sessions.join(found.id, role))
    if isinstance(change, Response):
        return change
    if change.kind != "ok":
        return _refused(change, found, state)
    hub(state).changed(found.id)
    public_id, token = change.value
    return JSONResponse(
        {"participant": public_id, "token": token, "role": role,
         "role_label": state.questionnaire.roles[role].label},
        status_code=201,
    )  # fmt: skip


@router.get("/api/v1/live/{code}/me")
async def me(request: Request, code: str) -> Response:
    """The participant's own role, votes and dots (to restore the page)."""
    if _bearer(request) is None:
        return _not_joined()
    found = find_session(request, code)
    if isinstance(found, Response):
        return found
    who = participant(request, found)
    if isinstance(who, Response):
        return who
    state = _collector(request)
    votes, dots = sessions.own_choices(state.read, who.id)
    return JSONResponse(
        {
            "participant": who.public_id,
            "role": who.role,
            "role_label": state.questionnaire.roles[who.role].label
            if who.role in state.questionnaire.roles
            else who.role,
            "votes": votes,
            "dots": dots,
        }
    )


@router.put("/api/v1/live/{code}/votes/{factor}")
async def put_vote(request: Request, code: str, factor: str) -> Response:
    """Vote 1..5 (or null: weet niet) on the open factor; again to change the vote."""
    if _bearer(request) is None:
        return _not_joined()
    found = active_session(request, code)
    if isinstance(found, Response):
        return found
    who = participant(request, found)
    if isinstance(who, Response):
        return who
    state = _collector(request)
    if factor not in {f.id for f in state.questionnaire.instrument.factors()}:
        return problem_response("live.unknown-factor", "deze factor bestaat niet")
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    value = body.get("value", "missing")
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value not in SCALE
    ):
        return problem_response(
            "live.invalid-vote",
            f"een stem is een getal van {SCALE[0]} tot en met {SCALE[-1]}, of null voor "
            "'weet niet'",
        )
    change = await write(state, sessions.vote(found.id, who.id, factor, value))
    if isinstance(change, Response):
        return change
    if change.kind == "closed":
        return problem_response(
            "live.voting-closed",
            f"de stemming over '{_title(state, factor)}' is gesloten; uw stem is niet meegeteld",
        )
    if change.kind != "ok":
        return _refused(change, found, state)
    hub(state).changed(found.id)
    return JSONResponse({"factor": factor, "value": value, "revision": change.revision})


@router.put("/api/v1/live/{code}/dots")
async def put_dots(request: Request, code: str) -> Response:
    """Put the participant's dots (at most 3, one per action) on candidate actions."""
    if _bearer(request) is None:
        return _not_joined()
    found = active_session(request, code)
    if isinstance(found, Response):
        return found
    who = participant(request, found)
    if isinstance(who, Response):
        return who
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    chosen = body.get("actions")
    if not isinstance(chosen, list) or not all(isinstance(a, str) for a in chosen):
        return problem_response("live.invalid-dots", "stuur 'actions' als lijst van actie-id's")
    if len(chosen) > LIVE_DOTS:
        return problem_response("live.invalid-dots", f"kies hoogstens {LIVE_DOTS} acties")
    state = _collector(request)
    change = await write(state, sessions.dots(found.id, who.id, chosen))
    if isinstance(change, Response):
        return change
    if change.kind == "closed":
        return problem_response(
            "live.dots-closed", "stippen geven is nu niet open; uw keuze is niet meegeteld"
        )
    if change.kind != "ok":
        return _refused(change, found, state)
    hub(state).changed(found.id)
    return JSONResponse({"actions": list(dict.fromkeys(chosen)), "revision": change.revision})


def _event_stream(request: Request, session: sessions.Session, view: Any) -> Response:
    state = _collector(request)
    return StreamingResponse(
        hub(state).stream(session, view, request.headers.get("last-event-id")),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/api/v1/live/{code}/events")
async def events(request: Request, code: str) -> Response:
    """The session's state as Server-Sent Events, for the participants."""
    found = find_session(request, code)
    if isinstance(found, Response):
        return found
    return _event_stream(request, found, "participant")


# ---------------------------------------------------------------- participant pages


@router.get("/live/{name}.{kind}")
async def live_asset(name: str, kind: str) -> Response:
    """The pages' style sheet and scripts."""
    file = f"{name}.{kind}"
    if file not in pages.ASSETS:
        raise HTTPException(404, "op dit adres is niets te vinden")
    return Response(
        pages.asset(file), media_type=pages.ASSETS[file], headers={"Cache-Control": "no-cache"}
    )


@router.get("/live")
async def join_form(request: Request, code: str | None = None) -> Response:
    """Type a join code (or come from the form with `?code=`)."""
    if code is None:
        return pages.join_page()
    wanted = sessions.normalise_code(code)
    if sessions.CODE.match(wanted):
        return RedirectResponse(f"/live/{wanted}", status_code=303)
    return pages.join_page(
        "Deze code klopt niet: hij heeft zes tekens, letters en cijfers.", 400, code[:12]
    )


@router.get("/live/{code}")
async def participant_page(request: Request, code: str) -> Response:
    """The participant's page of a session."""
    wanted = sessions.normalise_code(code)
    if wanted != code and sessions.CODE.match(wanted):
        return RedirectResponse(f"/live/{wanted}", status_code=303)
    found = find_session(request, code)
    if isinstance(found, Response):
        if found.status_code == 429:
            return pages.join_page("Te veel onbekende codes; wacht even.", 429)
        return pages.join_page(
            "Er is geen workshop met deze code. Kijk nog eens naar de code op het scherm.",
            404,
            code[:12],
        )
    state = _collector(request)
    return pages.participant_page(
        found, state.questionnaire, state.municipality_name(found.municipality)
    )


# ---------------------------------------------------------------- presenter


def _presenter_session(state: Collector, code: str) -> sessions.Session:
    found = sessions.session_by_code(state.read, code)
    if found is None:
        raise HTTPException(404, "er is geen sessie met deze code")
    return found


@router.post("/beheer/live")
async def start(request: Request) -> Response:
    """Start a session for a municipality's round (from the admin page)."""
    state, pairs = await require_form_pairs(request)
    fields = dict(pairs)
    municipality, _, round_slug = fields.get("ronde", "").partition("/")
    if not (is_slug(municipality) and is_slug(round_slug)):
        raise HTTPException(400, "kies een gemeente en een ronde")
    from assessment.server.live.record import prepare

    try:
        first, reference = await asyncio.to_thread(
            prepare, state.config.workspace, state.config.settings, municipality, round_slug
        )
    except ProblemsError as error:
        raise HTTPException(400, error.problems[0].message) from None
    session = await asyncio.wrap_future(
        state.writer.run(
            lambda conn: sessions.create_session(conn, municipality, round_slug, first, reference)
        )
    )
    log.info("live: sessie %s gestart voor %s/%s", session.code, municipality, round_slug)
    return RedirectResponse(f"/beheer/live/{session.code}", status_code=303)


@router.get("/beheer/live/{code}")
async def presenter(request: Request, code: str) -> Response:
    """The presenter's screen of a session."""
    state = require_admin(request)
    session = _presenter_session(state, code)
    name = state.municipality_name(session.municipality)
    if session.ended_at is not None:
        return pages.ended_page(session, name, session.written)
    snapshot = hub(state).current(session)
    return pages.presenter_page(
        session,
        state.questionnaire,
        name,
        join_url(state, session.code),
        snapshot.presenter_state,
        form_check(state.config.admin_token),
    )


@router.get("/beheer/live/{code}/events")
async def presenter_events(request: Request, code: str) -> Response:
    """The session's state as Server-Sent Events, for the presenter (live distribution)."""
    state = require_admin(request)
    return _event_stream(request, _presenter_session(state, code), "presenter")


@router.get("/beheer/live/{code}/stemmen.csv")
async def votes_csv(request: Request, code: str) -> Response:
    """Every vote of the session as CSV (participant id and role, no names)."""
    state = require_admin(request)
    session = _presenter_session(state, code)
    from assessment.server.live.record import votes_csv as make_csv

    return Response(
        make_csv(state.read, session),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="stemmen-{session.municipality}-'
            f'{session.round}-{session.code}.csv"'
        },
    )


def _answer(request: Request, session: sessions.Session, change: sessions.Change | Response,
            state: Collector) -> Response:  # fmt: skip
    """204 for the page's script, a redirect for a plain form; the refusal otherwise."""
    if isinstance(change, Response):
        return change
    if change.kind != "ok":
        return _refused(change, session, state)
    hub(state).changed(session.id)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"revision": change.revision})
    return RedirectResponse(f"/beheer/live/{session.code}", status_code=303)


def _bad(detail: str) -> Response:
    return problem_response("collect.bad-request", detail)


@router.post("/beheer/live/{code}/{action}")
async def control(request: Request, code: str, action: str) -> Response:
    """One of the facilitator's buttons."""
    state, pairs = await require_form_pairs(request, max_fields=80)
    session = _presenter_session(state, code)
    fields = dict(pairs)
    order = [f.id for f in state.questionnaire.instrument.factors()]
    factor = session.factor or order[0]
    change: Any
    if action == "factor":
        step = fields.get("stap")
        if step in ("-1", "1"):
            index = max(0, min(len(order) - 1, order.index(factor) + int(step)))
            wanted = order[index]
        else:
            wanted = fields.get("factor", "")
        if wanted not in order:
            return _bad("deze factor bestaat niet")
        change = sessions.show_factor(wanted)
    elif action == "stemming":
        change = sessions.set_voting(fields.get("open") == "1")
    elif action == "onthullen":
        change = sessions.reveal(factor, fields.get("toon", "1") == "1")
    elif action == "niveau":
        text = fields.get("score", "")
        if text not in ("", *(str(v) for v in SCALE)):
            return _bad("kies een niveau van 1 tot en met 5")
        rationale = " ".join(fields.get("rationale", "").split())[:TEXT_MAX] or None
        change = sessions.agree(factor, int(text) if text else None, rationale)
    elif action == "actie":
        title = " ".join(fields.get("title", "").split())
        chosen = [v for k, v in pairs if k == "factors" and v in order] or [factor]
        owner = fields.get("owner", "")
        try:
            due = dt.date.fromisoformat(fields.get("due", ""))
        except ValueError:
            return _bad("schrijf de datum als JJJJ-MM-DD")
        if not title or len(title) > SHORT_TEXT_MAX:
            return _bad(f"geef de actie een titel van hoogstens {SHORT_TEXT_MAX} tekens")
        if owner not in state.questionnaire.roles:
            return _bad("kies wie de actie trekt")
        slug = slugify(title)[:50].rstrip("-") or "actie"
        change = sessions.add_action(slug, title, list(dict.fromkeys(chosen)), owner, due)
    elif action == "actie-weg":
        change = sessions.remove_action(fields.get("actie", ""))
    elif action == "stippen":
        change = sessions.set_dots(fields.get("open") == "1")
    elif action == "einde":
        return await _end(request, state, session)
    else:
        raise HTTPException(404, "op dit adres is niets te vinden")
    result = await write(state, sessions.control(session.id, change))
    return _answer(request, session, result, state)


async def _end(request: Request, state: Collector, session: sessions.Session) -> Response:
    """Stop the votes, merge the session into workshop.yaml, then end it."""
    from assessment.server.live.record import write_workshop

    def stop(conn: Any, current: sessions.Session) -> str | None:
        sessions.set_dots(False)(conn, current)
        return sessions.set_voting(False)(conn, current)

    stopped = await write(state, sessions.control(session.id, stop))
    if isinstance(stopped, Response):
        return stopped
    if stopped.kind not in ("ok", "expired"):
        return _refused(stopped, session, state)
    try:
        path = await asyncio.to_thread(write_workshop, state.config.workspace,
                                       state.config.db_path, session)  # fmt: skip
    except ProblemsError as error:
        hub(state).changed(session.id)
        return problem_response(
            "live.workshop-invalid",
            "het verslag is niet geschreven: " + error.problems[0].message,
            error.problems,
        )
    shown = path.relative_to(state.config.workspace).as_posix()
    ended = await write(state, sessions.end(session.id, shown))
    answer = _answer(request, session, ended, state)
    log.info("live: sessie %s beëindigd; verslag in %s", session.code, shown)
    return answer


def start_link(state: Collector) -> str:
    """The admin page's section: start a session, and the sessions so far."""
    from assessment.paths import MUNICIPALITIES_DIR
    from assessment.server.admin import e, when

    root = state.config.workspace / MUNICIPALITIES_DIR
    choices = []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and is_slug(p.name)):
            name = state.municipality_name(folder.name)
            for round_dir in sorted(
                (p for p in folder.iterdir() if p.is_dir() and is_slug(p.name)), reverse=True
            ):
                value = f"{folder.name}/{round_dir.name}"
                choices.append(
                    f'<option value="{e(value)}">{e(name)}, ronde {e(round_dir.name)}</option>'
                )
    rows = []
    now = _now()
    for session in sessions.list_sessions(state.read)[:20]:
        status = {"active": "loopt", "ended": "afgelopen", "expired": "verlopen"}[
            session.status(now)
        ]
        rows.append(
            f'<tr><th scope="row"><a href="/beheer/live/{e(session.code)}">'
            f"{e(pages.spaced(session.code))}</a></th>"
            f"<td>{e(state.municipality_name(session.municipality))}</td>"
            f"<td>{e(session.round)}</td><td>{e(status)}</td><td>{when(session.created_at)}</td>"
            f'<td><a href="/beheer/live/{e(session.code)}/stemmen.csv" download '
            f'aria-label="Stemmen van sessie {e(session.code)} als CSV">CSV</a></td></tr>'
        )
    table = (
        '<div class="table" tabindex="0" role="region" aria-label="Workshopsessies">'
        "<table><caption>Workshopsessies</caption><thead><tr>"
        '<th scope="col">Code</th><th scope="col">Gemeente</th><th scope="col">Ronde</th>'
        '<th scope="col">Status</th><th scope="col">Gestart</th><th scope="col">Stemmen</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        if rows
        else ""
    )
    form = (
        f'<form method="post" action="/beheer/live"><input type="hidden" name="check" '
        f'value="{form_check(state.config.admin_token)}">'
        '<label for="live-ronde">Gemeente en ronde</label>'
        f'<select id="live-ronde" name="ronde">{"".join(choices)}</select> '
        '<button type="submit" class="primary">Workshopsessie starten</button></form>'
        if choices
        else "<p>Er zijn nog geen rondes in de werkruimte.</p>"
    )
    return (
        '<h2 id="live">Live workshop</h2><p>Partners stemmen met hun telefoon per factor op '
        "een niveau; het scherm toont meteen hoe eensgezind de groep is. Aan het eind komen de "
        "afgesproken niveaus en acties in workshop.yaml van de ronde.</p>" + form + table
    )
