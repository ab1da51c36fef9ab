"""The participants' side: the API under `/api/v1/live/<code>` and the pages under `/live`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from assessment.limits import LIVE_DOTS, SCALE
from assessment.server.live import pages, sessions
from assessment.server.live.checks import (
    active_session,
    client_address,
    event_stream,
    factor_title,
    find_session,
    hub,
    joined,
    json_body,
    refused,
    server_state,
    too_many,
    write,
)
from assessment.server.problems import problem_response

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- participant API


@router.get("/api/v1/live/{code}")
async def get_session(request: Request, code: str) -> Response:
    """The session as a participant sees it, with the roles to choose from."""
    found = find_session(request, code)
    if isinstance(found, Response):
        return found
    state = server_state(request)
    snapshot = hub(state).current(found)
    roles = [{"id": r.id, "label": r.label} for r in state.questionnaire.roles.values()]
    return JSONResponse({**snapshot.participant_state, "roles": roles})


@router.post("/api/v1/live/{code}/participants")
async def join(request: Request, code: str) -> Response:
    """Join with a role: 201 with a token for this session only."""
    state = server_state(request)
    wait = state.live_joins.take(client_address(request))
    if wait:
        return too_many(wait, "te veel aanmeldingen vanaf dit adres; probeer het zo opnieuw")
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
        return refused(change, found, state)
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
    both = joined(request, code, active=False)
    if isinstance(both, Response):
        return both
    _, who = both
    state = server_state(request)
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
    both = joined(request, code, active=True)
    if isinstance(both, Response):
        return both
    found, who = both
    state = server_state(request)
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
            f"de stemming over '{factor_title(state, factor)}' is gesloten; uw stem is niet "
            "meegeteld",
        )
    if change.kind != "ok":
        return refused(change, found, state)
    hub(state).changed(found.id)
    return JSONResponse({"factor": factor, "value": value, "revision": change.revision})


@router.put("/api/v1/live/{code}/dots")
async def put_dots(request: Request, code: str) -> Response:
    """Put the participant's dots (at most 3, one per action) on candidate actions."""
    both = joined(request, code, active=True)
    if isinstance(both, Response):
        return both
    found, who = both
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    chosen = body.get("actions")
    if not isinstance(chosen, list) or not all(isinstance(a, str) for a in chosen):
        return problem_response("live.invalid-dots", "stuur 'actions' als lijst van actie-id's")
    if len(chosen) > LIVE_DOTS:
        return problem_response("live.invalid-dots", f"kies hoogstens {LIVE_DOTS} acties")
    state = server_state(request)
    change = await write(state, sessions.dots(found.id, who.id, chosen))
    if isinstance(change, Response):
        return change
    if change.kind == "closed":
        return problem_response(
            "live.dots-closed", "stippen geven is nu niet open; uw keuze is niet meegeteld"
        )
    if change.kind != "ok":
        return refused(change, found, state)
    hub(state).changed(found.id)
    return JSONResponse({"actions": list(dict.fromkeys(chosen)), "revision": change.revision})


@router.get("/api/v1/live/{code}/events")
async def events(request: Request, code: str) -> Response:
    """The session's state as Server-Sent Events, for the participants."""
    found = find_session(request, code)
    if isinstance(found, Response):
        return found
    return event_stream(request, found, "participant")


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
    state = server_state(request)
    return pages.participant_page(
        found, state.questionnaire, state.municipality_name(found.municipality)
    )
