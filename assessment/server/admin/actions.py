"""The admin page's forms: close, reopen, set the closing date, revoke, a new link."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from assessment.errors import ProblemsError
from assessment.limits import is_slug
from assessment.server import store
from assessment.server.admin.access import require_form
from assessment.server.admin.markup import e, name, page
from assessment.server.admin.pages import round_or_404
from assessment.server.invitations import (
    closing_moment,
    qr_svg,
    reissue_invitations,
    revoke_invitations,
)

router = APIRouter(prefix="/beheer", include_in_schema=False)


def _back(municipality: str, round_slug: str, done: str) -> Response:
    return RedirectResponse(f"/beheer/{municipality}/{round_slug}?gedaan={done}", status_code=303)


@router.post("/{municipality}/{round_slug}/sluiten")
async def close(request: Request, municipality: str, round_slug: str) -> Response:
    """Close the round now."""
    state, _ = await require_form(request)
    round_or_404(state, municipality, round_slug)
    with store.transaction(state.read):
        store.close_round(state.read, municipality, round_slug)
    return _back(municipality, round_slug, "gesloten")


@router.post("/{municipality}/{round_slug}/heropenen")
async def reopen(request: Request, municipality: str, round_slug: str) -> Response:
    """Open the round again."""
    state, _ = await require_form(request)
    round_or_404(state, municipality, round_slug)
    with store.transaction(state.read):
        store.reopen_round(state.read, municipality, round_slug)
    return _back(municipality, round_slug, "heropend")


@router.post("/{municipality}/{round_slug}/sluitdatum")
async def closing_date(request: Request, municipality: str, round_slug: str) -> Response:
    """Set or clear the last day to answer."""
    state, fields = await require_form(request)
    round_or_404(state, municipality, round_slug)
    text = fields.get("datum", "").strip()
    try:
        moment = closing_moment(dt.date.fromisoformat(text)) if text else None
    except ValueError:
        raise HTTPException(400, "schrijf de datum als JJJJ-MM-DD") from None
    with store.transaction(state.read):
        store.set_closing(state.read, municipality, round_slug, moment)
    return _back(municipality, round_slug, "sluitdatum")


@router.post("/{municipality}/{round_slug}/intrekken")
async def revoke(request: Request, municipality: str, round_slug: str) -> Response:
    """Revoke one invitation."""
    state, fields = await require_form(request)
    round_or_404(state, municipality, round_slug)
    respondent = fields.get("respondent", "")
    if not is_slug(respondent):
        raise HTTPException(400, "geen geldige respondent")
    try:
        revoke_invitations(state.read, municipality, round_slug, [respondent])
    except ProblemsError as error:
        raise HTTPException(404, error.problems[0].message) from None
    return _back(municipality, round_slug, "ingetrokken")


@router.post("/{municipality}/{round_slug}/nieuwe-link")
async def new_link(request: Request, municipality: str, round_slug: str) -> Response:
    """A new link for one respondent, shown once on this page."""
    state, fields = await require_form(request)
    round_or_404(state, municipality, round_slug)
    respondent = fields.get("respondent", "")
    if not is_slug(respondent):
        raise HTTPException(400, "geen geldige respondent")
    try:
        issued, _ = reissue_invitations(
            state.read, municipality, round_slug, [respondent], state.config.site_url
        )
    except ProblemsError as error:
        raise HTTPException(404, error.problems[0].message) from None
    [item] = issued
    roles = state.questionnaire.roles
    who = item.organisation or (roles[item.role].label if item.role in roles else item.role)
    body = (
        '<p class="warning" role="status">Deze link ziet u maar één keer. Kopieer hem nu en '
        "stuur hem naar de organisatie. De vorige link werkt niet meer.</p>"
        f"<p>Voor: {name(who)} (<code>{e(item.respondent)}</code>)</p>"
        f'<p class="link">{e(item.link)}</p>'
        f'<div class="qr" role="img" aria-label="QR-code van de link">'
        f"{qr_svg(item.link, 'QR-code van de nieuwe link')}</div>"
        f'<p><a href="/beheer/{e(municipality)}/{e(round_slug)}">Terug naar de ronde</a></p>'
    )
    return page("Nieuwe link", body)
