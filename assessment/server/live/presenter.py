"""The facilitator's side of the live workshop (`/beheer/live/...`, behind the admin token):
starting a session, the presenter's screen, its buttons and the end."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from assessment.errors import ProblemsError
from assessment.limits import SCALE, SHORT_TEXT_MAX, TEXT_MAX, is_slug
from assessment.server.admin import form_check, require_admin, require_form_pairs
from assessment.server.invitations import slugify
from assessment.server.live import pages, sessions
from assessment.server.live.checks import event_stream, hub, join_url, now_utc, refused, write
from assessment.server.problems import problem_response

if TYPE_CHECKING:
    from assessment.server.app import Collector

log = logging.getLogger("ketenscan.collect")
router = APIRouter(include_in_schema=False)


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
    return event_stream(request, _presenter_session(state, code), "presenter")


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
        return refused(change, session, state)
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
        return refused(stopped, session, state)
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
    now = now_utc()
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
