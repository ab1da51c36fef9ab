"""The admin page (`/beheer`): response per round, invitations, closing and reopening.

Plain server-rendered HTML in Dutch, without scripts, for the facilitator. It asks for the
admin token with HTTP Basic authentication (any user name, the token as password), so the
token never appears in a URL and no cookie is needed. Every form carries a check value
derived from the token and must come from this server's own pages (Origin), so another
site cannot make the facilitator's browser close a round. Organisation names are shown as
text, isolated for right-to-left and bidi-control characters.
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
import hashlib
import hmac
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from assessment.errors import ProblemsError
from assessment.limits import is_slug
from assessment.server import store
from assessment.server.invitations import (
    ZONE,
    closing_moment,
    qr_svg,
    reissue_invitations,
    revoke_invitations,
)

if TYPE_CHECKING:
    from assessment.server.app import Collector

router = APIRouter(prefix="/beheer", include_in_schema=False)
REALM = 'Basic realm="Ketenscan beheer", charset="UTF-8"'

CSS = """\
:root { color-scheme: light; --accent: #1f5c8b; --line: #c8ccd1; --muted: #4a4f55; }
* { box-sizing: border-box; }
body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; color: #1b1d1f; background: #fff; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, .table:focus {
  outline: 3px solid #e8a33d; outline-offset: 2px;
}
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem; }
header { border-bottom: 1px solid var(--line); }
header p { margin: 0; color: var(--muted); }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f1f3f5; }
td.num, th.num { text-align: right; }
.status-open { color: #1d6b2f; font-weight: 600; }
.status-closed { color: #8a1c1c; font-weight: 600; }
.notice { border-left: 4px solid var(--accent); background: #eef4f9; padding: .75rem 1rem; }
.warning { border-left: 4px solid #8a1c1c; background: #fbeeee; padding: .75rem 1rem; }
form.inline { display: inline; margin: 0; }
button { font: inherit; padding: .45rem .9rem; border: 1px solid var(--accent);
  background: #fff; color: var(--accent); border-radius: 4px; cursor: pointer;
  min-height: 44px; }
button.primary { background: var(--accent); color: #fff; }
input[type=date] { font: inherit; padding: .4rem; min-height: 44px; }
label { font-weight: 600; margin-right: .5rem; }
.link { font-family: ui-monospace, monospace; word-break: break-all; background: #f1f3f5;
  padding: .5rem; }
.qr svg { width: 12rem; height: auto; }
.muted { color: var(--muted); }
"""


# ---------------------------------------------------------------- access


def form_check(token: str) -> str:
    """The check value every admin form carries: only someone with the token can make it."""
    return hmac.new(token.encode("utf-8"), b"ketenscan-beheer", hashlib.sha256).hexdigest()


def _collector(request: Request) -> Collector:
    state: Collector = request.app.state.collector
    return state


def require_admin(request: Request) -> Collector:
    """The server state when the request carries the admin token; 401 otherwise."""
    state = _collector(request)
    address = request.client.host if request.client else "?"
    wait = state.auth_failures.peek(address)
    if wait:
        raise HTTPException(
            429, "te veel mislukte pogingen; wacht even", headers={"Retry-After": str(wait)}
        )
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    password = ""
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        password = decoded.partition(":")[2]
    expected = state.config.admin_token
    if not password or not hmac.compare_digest(password.encode(), expected.encode()):
        if password:
            state.auth_failures.take(address)
        raise HTTPException(
            401,
            "log in met het beheerwachtwoord (de beheertoken)",
            headers={"WWW-Authenticate": REALM},
        )
    return state


async def require_form(request: Request) -> tuple[Collector, Mapping[str, str]]:
    """An admin POST from this server's own page, with a valid check value."""
    state = require_admin(request)
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    # 'null' is what a browser sends when it keeps the origin to itself (privacy settings).
    if origin not in (None, "null") and urlsplit(origin).netloc != host:
        raise HTTPException(403, "dit formulier komt niet van deze beheerpagina")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(403, "dit formulier komt niet van deze beheerpagina")
    raw = await request.body()
    if len(raw) > 10_000:
        raise HTTPException(400, "het formulier is te groot")
    fields = dict(parse_qsl(raw.decode("utf-8", errors="replace"), max_num_fields=20))
    if not hmac.compare_digest(fields.get("check", ""), form_check(state.config.admin_token)):
        raise HTTPException(403, "het formulier is verlopen of niet van deze pagina; laad de "
                            "pagina opnieuw")  # fmt: skip
    return state, fields


# ---------------------------------------------------------------- HTML


def e(value: object) -> str:
    """Escape text for HTML (quotes too)."""
    return html.escape(str(value), quote=True)


def name(value: str | None, fallback: str = "—") -> str:
    """An organisation name from a user: escaped and isolated (bidi), or a dash."""
    if not value:
        return fallback
    return f"<bdi>{e(value)}</bdi>"


def when(moment: dt.datetime | None) -> str:
    """A moment in Dutch local time, or a dash."""
    if moment is None:
        return "—"
    return moment.astimezone(ZONE).strftime("%d-%m-%Y %H:%M")


def page(title: str, body: str, status: int = 200, *, crumbs: str = "") -> HTMLResponse:
    """A complete admin page."""
    text = f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{e(title)} — Ketenscan beheer</title>
<link rel="stylesheet" href="/beheer/beheer.css">
</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header><p>Ketenscan · beheer van de verzamelserver</p>{crumbs}</header>
<main id="inhoud">
<h1>{e(title)}</h1>
{body}
</main>
<footer><p class="muted">Deze pagina toont organisaties en rollen, geen personen.</p></footer>
</body>
</html>
"""
    return HTMLResponse(text, status_code=status)


def error_page(status: int, detail: str, headers: Mapping[str, str]) -> Response:
    """An error outside the API: a small Dutch HTML page."""
    titles = {401: "Inloggen nodig", 403: "Niet toegestaan", 404: "Niet gevonden"}
    response = page(titles.get(status, "Fout"), f"<p>{e(detail)}</p>", status)
    for key, value in headers.items():
        response.headers[key] = value
    return response


def _hidden(state: Collector) -> str:
    return f'<input type="hidden" name="check" value="{form_check(state.config.admin_token)}">'


def _button(state: Collector, action: str, label: str, fields: Mapping[str, str] | None = None,
            primary: bool = False, describe: str = "") -> str:  # fmt: skip
    extra = "".join(
        f'<input type="hidden" name="{e(k)}" value="{e(v)}">' for k, v in (fields or {}).items()
    )
    described = f' aria-label="{e(describe)}"' if describe else ""
    kind = ' class="primary"' if primary else ""
    return (
        f'<form class="inline" method="post" action="{e(action)}">{_hidden(state)}{extra}'
        f'<button type="submit"{kind}{described}>{e(label)}</button></form>'
    )


# ---------------------------------------------------------------- figures


@dataclass
class RoundFigures:
    """The numbers of one round on the admin pages."""

    state: store.RoundState
    invitations: list[store.Invitation]
    latest: dict[str, store.Submission]  # respondent -> newest version

    @property
    def expected(self) -> list[str]:
        """Respondents still counted: an open invitation, or answered before a revoke."""
        open_ = {i.respondent for i in self.invitations if i.revoked_at is None}
        return sorted(open_ | set(self.latest))

    @property
    def answered(self) -> int:
        """Respondents with at least one submission."""
        return len(self.latest)

    @property
    def rate(self) -> float | None:
        """Answered ÷ invited."""
        expected = len(self.expected)
        return self.answered / expected if expected else None

    @property
    def last(self) -> dt.datetime | None:
        """When the newest submission came in."""
        return max((s.received_at for s in self.latest.values()), default=None)

    def current(self, respondent: str) -> store.Invitation | None:
        """The newest invitation of a respondent."""
        own = [i for i in self.invitations if i.respondent == respondent]
        return own[-1] if own else None


def figures(state: Collector, round_state: store.RoundState) -> RoundFigures:
    """Invitations and newest submissions of a round."""
    conn = state.read
    invitations = store.round_invitations(conn, round_state.municipality, round_state.round)
    latest: dict[str, store.Submission] = {}
    for respondent in sorted({i.respondent for i in invitations}):
        found = store.latest_submission(
            conn, round_state.municipality, round_state.round, respondent
        )
        if found is not None:
            latest[respondent] = found
    return RoundFigures(round_state, invitations, latest)


def _status(round_state: store.RoundState) -> str:
    now = store.utc_now()
    since = round_state.closed_since(now)
    if since is not None:
        return f'<span class="status-closed">Gesloten</span> sinds {when(since)}'
    if round_state.closes_at is not None:
        return f'<span class="status-open">Open</span> tot {when(round_state.closes_at)}'
    return '<span class="status-open">Open</span> (geen sluitdatum)'


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


# ---------------------------------------------------------------- pages


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
            f"<td>{_status(round_state)}</td>"
            f'<td class="num">{len(numbers.expected)}</td>'
            f'<td class="num">{numbers.answered}</td>'
            f'<td class="num">{_percent(numbers.rate)}</td>'
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
    return page("Overzicht van de rondes", body)


def _round_or_404(state: Collector, municipality: str, round_slug: str) -> store.RoundState:
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
    round_state = _round_or_404(state, municipality, round_slug)
    numbers = figures(state, round_state)
    base = f"/beheer/{municipality}/{round_slug}"
    roles = state.questionnaire.roles
    done = _DONE.get(request.query_params.get("gedaan", ""))
    notice = f'<p class="notice" role="status">{e(done)}</p>' if done else ""
    title = f"{state.municipality_name(municipality)}, ronde {round_slug}"

    closed = round_state.closed_since(store.utc_now()) is not None
    action = (
        _button(state, f"{base}/heropenen", "Ronde heropenen", primary=True)
        if closed
        else _button(state, f"{base}/sluiten", "Ronde nu sluiten")
    )
    closes_value = (
        round_state.closes_at.astimezone(ZONE).date() - dt.timedelta(days=1)
        if round_state.closes_at is not None
        else None
    )
    status = (
        f"<p>Status: {_status(round_state)}.</p>"
        f"<p>{action}</p>"
        f'<form method="post" action="{e(base)}/sluitdatum">{_hidden(state)}'
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
        actions = _button(
            state,
            f"{base}/nieuwe-link",
            "Nieuwe link",
            {"respondent": respondent},
            describe=f"Nieuwe link voor {who}",
        )
        if current.revoked_at is None:
            actions += " " + _button(
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
        f"geantwoord ({_percent(numbers.rate)}). Laatste inzending: {when(numbers.last)}.</p>"
        f'<p><a href="{e(base)}/open.csv" download>Open uitnodigingen als CSV</a> '
        f"({open_count}; voor een herinnering. De links staan er niet in: die zijn alleen "
        "bij het uitnodigen getoond. Koppel op de kolom respondent aan het bestand van "
        "<code>ketenscan invite</code>, of maak een nieuwe link.)</p>"
        f"{roles_table}<h2>Uitnodigingen</h2>"
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
    round_state = _round_or_404(state, municipality, round_slug)
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


def _back(municipality: str, round_slug: str, done: str) -> Response:
    return RedirectResponse(f"/beheer/{municipality}/{round_slug}?gedaan={done}", status_code=303)


@router.post("/{municipality}/{round_slug}/sluiten")
async def close(request: Request, municipality: str, round_slug: str) -> Response:
    """Close the round now."""
    state, _ = await require_form(request)
    _round_or_404(state, municipality, round_slug)
    with store.transaction(state.read):
        store.close_round(state.read, municipality, round_slug)
    return _back(municipality, round_slug, "gesloten")


@router.post("/{municipality}/{round_slug}/heropenen")
async def reopen(request: Request, municipality: str, round_slug: str) -> Response:
    """Open the round again."""
    state, _ = await require_form(request)
    _round_or_404(state, municipality, round_slug)
    with store.transaction(state.read):
        store.reopen_round(state.read, municipality, round_slug)
    return _back(municipality, round_slug, "heropend")


@router.post("/{municipality}/{round_slug}/sluitdatum")
async def closing_date(request: Request, municipality: str, round_slug: str) -> Response:
    """Set or clear the last day to answer."""
    state, fields = await require_form(request)
    _round_or_404(state, municipality, round_slug)
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
    _round_or_404(state, municipality, round_slug)
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
    _round_or_404(state, municipality, round_slug)
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
