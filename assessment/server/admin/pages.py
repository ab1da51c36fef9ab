"""The admin pages: the overview of the rounds, one round, and its open invitations as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from assessment.limits import is_slug
from assessment.server import store
from assessment.server.admin.access import require_admin
from assessment.server.admin.figures import figures, percent, round_status
from assessment.server.admin.markup import CSS, e, form_button, hidden_check, name, page, when
from assessment.server.invitations import ZONE

if TYPE_CHECKING:
    from assessment.server.app import Collector

router = APIRouter(prefix="/beheer", include_in_schema=False)


@router.get("/beheer.css")
async def stylesheet() -> Response:
    """The admin page's style sheet (served from here: the policy allows no inline style)."""
    return Response(CSS, media_type="text/css", headers={"Cache-Control": "no-cache"})


@router.get("")
async def overview(request: Request) -> Response:
    """Every round with invitations: status, invited, answered, response rate, last answer."""
    state = require_admin(request)
    rows = []
    for round_state in store.list_rounds(state.read):
        numbers = figures(state, round_state)
        link = f"/beheer/{round_state.municipality}/{round_state.round}"
        rows.append(
            "<tr>"
            f'<th scope="row"><a href="{e(link)}">'
            f"{e(state.municipality_name(round_state.municipality))}</a></th>"
            f"<td>{e(round_state.round)}</td>"
            f"<td>{round_status(round_state)}</td>"
            f'<td class="num">{len(numbers.expected)}</td>'
            f'<td class="num">{numbers.answered}</td>'
            f'<td class="num">{percent(numbers.rate)}</td>'
            f"<td>{when(numbers.last)}</td>"
            "</tr>"
        )
    if rows:
        table = (
            '<div class="table" tabindex="0" role="region" aria-label="Rondes met uitnodigingen">'
            "<table><caption>Rondes met uitnodigingen</caption><thead><tr>"
            '<th scope="col">Gemeente</th><th scope="col">Ronde</th><th scope="col">Status</th>'
            '<th scope="col" class="num">Uitgenodigd</th>'
            '<th scope="col" class="num">Beantwoord</th>'
            '<th scope="col" class="num">Respons</th><th scope="col">Laatste inzending</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        )
    else:
        table = (
            '<p class="notice">Er zijn nog geen uitnodigingen. Maak ze met '
            "<code>ketenscan invite WERKRUIMTE GEMEENTE RONDE --out uitnodigingen.csv</code>.</p>"
        )
    body = (
        "<p>Per ronde: hoeveel partnerorganisaties een uitnodiging hebben, hoeveel er hebben "
        "geantwoord en wanneer het laatste antwoord binnenkwam. Kies een gemeente voor de "
        "uitnodigingen, de verwachte rollen en het sluiten van de ronde.</p>" + table
    )
    from assessment.server.live.presenter import start_link

    return page("Overzicht van de rondes", body + start_link(state))


def round_or_404(state: Collector, municipality: str, round_slug: str) -> store.RoundState:
    """The state of a round with invitations on this server; 404 otherwise."""
    found = (
        store.get_round(state.read, municipality, round_slug)
        if is_slug(municipality) and is_slug(round_slug)
        else None
    )
    if found is None:
        raise HTTPException(404, "deze ronde heeft geen uitnodigingen op deze server")
    return found


_DONE = {
    "gesloten": "De ronde is gesloten: er kunnen geen antwoorden meer worden verstuurd.",
    "heropend": "De ronde is weer open.",
    "sluitdatum": "De sluitdatum is opgeslagen.",
    "ingetrokken": "De uitnodiging is ingetrokken: de link werkt niet meer.",
}


@router.get("/{municipality}/{round_slug}")
async def round_page(request: Request, municipality: str, round_slug: str) -> Response:
    """One round: its status, expected roles, invitations and actions."""
    state = require_admin(request)
    round_state = round_or_404(state, municipality, round_slug)
    numbers = figures(state, round_state)
    base = f"/beheer/{municipality}/{round_slug}"
    roles = state.questionnaire.roles
    done = _DONE.get(request.query_params.get("gedaan", ""))
    notice = f'<p class="notice" role="status">{e(done)}</p>' if done else ""
    title = f"{state.municipality_name(municipality)}, ronde {round_slug}"

    closed = round_state.closed_since(store.utc_now()) is not None
    action = (
        form_button(state, f"{base}/heropenen", "Ronde heropenen", primary=True)
        if closed
        else form_button(state, f"{base}/sluiten", "Ronde nu sluiten")
    )
    closes_value = (
        round_state.closes_at.astimezone(ZONE).date() - dt.timedelta(days=1)
        if round_state.closes_at is not None
        else None
    )
    status = (
        f"<p>Status: {round_status(round_state)}.</p>"
        f"<p>{action}</p>"
        f'<form method="post" action="{e(base)}/sluitdatum">{hidden_check(state)}'
        '<label for="sluitdatum">Laatste dag om te antwoorden</label>'
        f'<input type="date" id="sluitdatum" name="datum" '
        f'value="{closes_value.isoformat() if closes_value else ""}" '
        'aria-describedby="sluitdatum-uitleg"> '
        '<button type="submit">Sluitdatum opslaan</button>'
        '<p id="sluitdatum-uitleg" class="muted">Na deze dag (om middernacht) sluit de ronde '
        "vanzelf en werken de links niet meer. Laat leeg voor geen sluitdatum.</p></form>"
    )

    info = state.municipality(municipality)
    expected_roles = list(info.expected_roles) if info else []
    role_rows = []
    for role in expected_roles:
        invited = [
            i for i in numbers.invitations if i.role == role and i.respondent in numbers.expected
        ]
        answered = [i for i in invited if i.respondent in numbers.latest]
        mark = "" if answered else ' <span class="muted">(nog geen antwoord)</span>'
        label = roles[role].label if role in roles else role
        role_rows.append(
            f'<tr><th scope="row">{e(label)}{mark}</th>'
            f'<td class="num">{len({i.respondent for i in invited})}</td>'
            f'<td class="num">{len({i.respondent for i in answered})}</td></tr>'
        )
    roles_table = (
        (
            '<div class="table" tabindex="0" role="region" aria-label="Verwachte rollen">'
            "<table><caption>Verwachte rollen (uit gemeente.yaml)</caption>"
            '<thead><tr><th scope="col">Rol</th><th scope="col" class="num">Uitgenodigd</th>'
            '<th scope="col" class="num">Beantwoord</th></tr></thead><tbody>'
            + "".join(role_rows)
            + "</tbody></table></div>"
        )
        if role_rows
        else "<p>In gemeente.yaml staan geen verwachte rollen.</p>"
    )

    rows = []
    for respondent in sorted({i.respondent for i in numbers.invitations}):
        current = numbers.current(respondent)
        assert current is not None
        latest = numbers.latest.get(respondent)
        organisation = latest.organisation if latest else current.organisation
        label = roles[current.role].label if current.role in roles else current.role
        if current.revoked_at is not None:
            status_text = f"Ingetrokken op {when(current.revoked_at)}"
        elif latest is not None:
            status_text = f"Beantwoord: versie {latest.version}, {when(latest.received_at)}"
        else:
            status_text = "Nog niet beantwoord"
        who = organisation or label
        actions = form_button(
            state,
            f"{base}/nieuwe-link",
            "Nieuwe link",
            {"respondent": respondent},
            describe=f"Nieuwe link voor {who}",
        )
        if current.revoked_at is None:
            actions += " " + form_button(
                state,
                f"{base}/intrekken",
                "Intrekken",
                {"respondent": respondent},
                describe=f"Uitnodiging van {who} intrekken",
            )
        nobody = '<span class="muted">(vult de partner in)</span>'
        rows.append(
            f'<tr><th scope="row">{name(organisation, nobody)}</th><td>{e(label)}</td>'
            f"<td><code>{e(respondent)}</code></td><td>{e(status_text)}</td><td>{actions}</td></tr>"
        )
    invitations = (
        '<div class="table" tabindex="0" role="region" aria-label="Uitnodigingen">'
        "<table><caption>Uitnodigingen</caption><thead><tr>"
        '<th scope="col">Organisatie</th><th scope="col">Rol</th>'
        '<th scope="col">Id (bestandsnaam)</th><th scope="col">Status</th>'
        '<th scope="col">Acties</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>"
    )
    open_count = sum(
        1
        for r in numbers.expected
        if r not in numbers.latest and (c := numbers.current(r)) and c.revoked_at is None
    )
    body = (
        f"{notice}<h2>Ronde</h2>{status}"
        "<h2>Respons</h2>"
        f"<p>{numbers.answered} van {len(numbers.expected)} uitgenodigde organisaties hebben "
        f"geantwoord ({percent(numbers.rate)}). Laatste inzending: {when(numbers.last)}.</p>"
        f'<p><a href="{e(base)}/open.csv" download>Open uitnodigingen als CSV</a> '
        f"({open_count}; voor een herinnering. De links staan er niet in: die zijn alleen "
        "bij het uitnodigen getoond. Koppel op de kolom respondent aan het bestand van "
        "<code>ketenscan invite</code>, of maak een nieuwe link.)</p>"
        f"{roles_table}<h2>Live workshop</h2>"
        "<p>Laat de partners in de workshop per factor stemmen met hun telefoon.</p>"
        + form_button(
            state,
            "/beheer/live",
            "Live workshop starten",
            {"ronde": f"{municipality}/{round_slug}"},
            primary=True,
        )
        + "<h2>Uitnodigingen</h2>"
        "<p>Een ingetrokken link werkt niet meer; de antwoorden die ermee zijn verstuurd, "
        "blijven. Een nieuwe link vervangt de oude.</p>"
        f"{invitations}"
        '<p><a href="/beheer">Terug naar het overzicht</a></p>'
    )
    return page(title, body)


@router.get("/{municipality}/{round_slug}/open.csv")
async def open_csv(request: Request, municipality: str, round_slug: str) -> Response:
    """The invitations without an answer yet, as CSV for a reminder."""
    state = require_admin(request)
    round_state = round_or_404(state, municipality, round_slug)
    numbers = figures(state, round_state)
    from assessment.interop.tables import neutralise

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["municipality", "round", "respondent", "organisation", "role", "invited"])
    for respondent in numbers.expected:
        current = numbers.current(respondent)
        if respondent in numbers.latest or current is None or current.revoked_at is not None:
            continue
        writer.writerow(
            [
                municipality,
                round_slug,
                respondent,
                neutralise(current.organisation or ""),
                current.role,
                current.created_at.astimezone(ZONE).date().isoformat(),
            ]
        )
    filename = f"open-uitnodigingen-{municipality}-{round_slug}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
