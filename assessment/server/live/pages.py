"""The HTML of the live workshop: the participant's page (phone first) and the presenter's
screen (a projector), server-rendered; `static/participant.js` and `static/presenter.js`
fill in the state that the Server-Sent Events bring.

Every text from a file or a user is escaped (`e`). The pages load only their own style
sheet and script (the policy allows nothing else), and set no cookie.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import segno
from starlette.responses import HTMLResponse

from assessment.instrument import Questionnaire
from assessment.limits import LIVE_DOTS, SHORT_TEXT_MAX, TEXT_MAX
from assessment.server.admin import e
from assessment.server.live.sessions import Session

STATIC = Path(__file__).parent / "static"
ASSETS = {
    "live.css": "text/css",
    "participant.js": "text/javascript",
    "presenter.js": "text/javascript",
}


def asset(name: str) -> bytes:
    """A file of the pages (style sheet or script)."""
    return (STATIC / name).read_bytes()


def _page(title: str, body: str, *, kind: str, status: int = 200, script: str = "") -> HTMLResponse:
    scripts = f'<script src="/live/{script}" defer></script>' if script else ""
    text = f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="/live/live.css">
{scripts}
</head>
<body class="{kind}">
<a class="skip" href="#inhoud">Naar de inhoud</a>
{body}
</body>
</html>
"""
    return HTMLResponse(text, status_code=status)


def qr_code(link: str, title: str) -> str:
    """An SVG QR code that scales with its box (a viewBox, no fixed size)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(
        out, kind="svg", border=2, title=title, xmldecl=False, svgns=True, omitsize=True
    )
    return out.getvalue().decode("utf-8")


def spaced(code: str) -> str:
    """A join code as shown: two groups of three (`K7M PXA`)."""
    return f"{code[:3]} {code[3:]}"


def _state_block(state: dict[str, Any]) -> str:
    # A JSON data block is not run as a script; '<' is escaped so that no text in it can
    # end the element.
    data = json.dumps(state, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/json" id="begintoestand">{data}</script>'


# ---------------------------------------------------------------- participant


def join_page(message: str = "", status: int = 200, code: str = "") -> HTMLResponse:
    """`/live`: type the code from the screen."""
    notice = f'<p class="warning" role="alert">{e(message)}</p>' if message else ""
    body = f"""<main id="inhoud" class="narrow">
<h1>Meedoen aan de workshop</h1>
{notice}
<form method="get" action="/live">
<label for="code">Code op het scherm</label>
<p class="hint" id="code-uitleg">Zes tekens, bijvoorbeeld K7M PXA.</p>
<input id="code" name="code" value="{e(code)}" autocomplete="off" autocapitalize="characters"
 spellcheck="false" maxlength="12" aria-describedby="code-uitleg" required>
<button type="submit" class="primary">Verder</button>
</form>
<p class="muted">U doet mee zonder naam en zonder account.</p>
</main>"""
    return _page("Meedoen aan de workshop — Ketenscan", body, kind="participant", status=status)


def participant_page(session: Session, questionnaire: Questionnaire, name: str) -> HTMLResponse:
    """`/live/<code>`: choose a role, vote, give dots."""
    roles = "".join(
        f'<li><input type="radio" name="role" id="rol-{e(r.id)}" value="{e(r.id)}" required>'
        f'<label for="rol-{e(r.id)}">{e(r.label)}</label></li>'
        for r in questionnaire.roles.values()
    )
    dont_know = questionnaire.instrument.dont_know_label
    levels = "".join(
        f'<li><input type="radio" name="value" id="niveau-{v}" value="{v}" required>'
        f'<label for="niveau-{v}"><span class="num">{v}</span> '
        f'<span class="descriptor" id="beschrijving-{v}"></span></label></li>'
        for v in range(1, 6)
    )
    levels += (
        '<li><input type="radio" name="value" id="niveau-weet-niet" value="" required>'
        f'<label for="niveau-weet-niet"><span class="num">?</span> {e(dont_know)}</label></li>'
    )
    body = f"""<header class="top">
<p><span class="brand">Ketenscan workshop</span> · {e(name)}, ronde {e(session.round)}</p>
<p>Code <strong>{e(spaced(session.code))}</strong></p>
</header>
<main id="inhoud" class="narrow" data-code="{e(session.code)}">
<h1 id="kop" tabindex="-1">Workshop {e(name)}</h1>
<p id="melding" role="status" aria-live="polite" class="status"></p>
<noscript><p class="warning">Zet JavaScript aan om mee te stemmen.</p></noscript>

<section id="meedoen" hidden aria-labelledby="meedoen-kop">
<h2 id="meedoen-kop">Kies uw rol</h2>
<p>U stemt zonder naam. De begeleider ziet alleen hoeveel partners welk niveau kiezen, en
pas als er minstens drie stemmen zijn.</p>
<form id="meedoen-form">
<fieldset><legend>Voor welk soort organisatie bent u hier?</legend>
<ul class="choices">{roles}</ul></fieldset>
<button type="submit" class="primary">Meedoen</button>
</form>
</section>

<section id="wachten" hidden aria-labelledby="wachten-kop">
<h2 id="wachten-kop">Even wachten</h2>
<p id="wachten-tekst">De begeleider opent zo de stemming.</p>
</section>

<section id="stemmen" hidden aria-labelledby="factor-kop">
<p class="kicker" id="factor-nummer"></p>
<h2 id="factor-kop"></h2>
<p id="factor-uitleg"></p>
<form id="stem-form">
<fieldset><legend>Op welk niveau staat de samenwerking nu?</legend>
<ul class="choices levels">{levels}</ul></fieldset>
<button type="submit" class="primary" id="stem-knop">Stem versturen</button>
<p id="stem-status" class="status" role="status" aria-live="polite"></p>
</form>
</section>

<section id="uitslag" hidden aria-labelledby="uitslag-kop">
<h2 id="uitslag-kop">Uitslag</h2>
<div id="uitslag-inhoud"></div>
</section>

<section id="stippen" hidden aria-labelledby="stippen-kop">
<h2 id="stippen-kop">Welke acties zijn het belangrijkst?</h2>
<form id="stippen-form">
<fieldset><legend>Kies er hoogstens {LIVE_DOTS}</legend>
<ul class="choices" id="acties"></ul></fieldset>
<button type="submit" class="primary">Keuze versturen</button>
<p id="stippen-status" class="status" role="status" aria-live="polite"></p>
</form>
</section>

<section id="afgelopen" hidden aria-labelledby="afgelopen-kop">
<h2 id="afgelopen-kop">De workshop is afgelopen</h2>
<p>Bedankt voor het meedoen. De afspraken komen op de site van de gemeente.</p>
</section>
</main>"""
    return _page(f"Workshop {name} — Ketenscan", body, kind="participant", script="participant.js")


# ---------------------------------------------------------------- presenter


def presenter_page(
    session: Session,
    questionnaire: Questionnaire,
    name: str,
    join_url: str,
    state: dict[str, Any],
    check: str,
) -> HTMLResponse:
    """`/beheer/live/<code>`: the projector's screen, with the facilitator's controls."""
    factors = questionnaire.instrument.factors()
    options = "".join(f'<option value="{e(f.id)}">{e(f.title)}</option>' for f in factors)
    boxes = "".join(
        f'<li><input type="checkbox" name="factors" id="actie-factor-{e(f.id)}" '
        f'value="{e(f.id)}"><label for="actie-factor-{e(f.id)}">{e(f.title)}</label></li>'
        for f in factors
    )
    owners = "".join(
        f'<option value="{e(r.id)}">{e(r.label)}</option>' for r in questionnaire.roles.values()
    )
    base = f"/beheer/live/{session.code}"
    hidden = f'<input type="hidden" name="check" value="{e(check)}">'
    short_url = join_url.split("://", 1)[-1].rsplit("/", 1)[0]
    levels = "".join(
        f'<li class="level" id="niveau-{v}"><span class="num" aria-hidden="true">{v}</span>'
        f'<span class="descriptor"></span><span class="bar" aria-hidden="true"><span>'
        f'</span></span><span class="count"></span></li>'
        for v in range(1, 6)
    )
    body = f"""<header class="stage-top">
<p class="where"><span class="brand">Ketenscan workshop</span> {e(name)}, ronde
{e(session.round)}</p>
<p class="present"><strong id="aantal">0</strong> <span id="aantal-woord">deelnemers</span></p>
</header>
<main id="inhoud" class="stage" data-code="{e(session.code)}" data-base="{e(base)}">
<section class="factor" aria-labelledby="factor-kop">
<p class="kicker" id="factor-nummer"></p>
<h1 id="factor-kop" tabindex="-1"></h1>
<p id="factor-uitleg" class="explanation"></p>
<h2 class="question">Op welk niveau staat de samenwerking nu?
<span id="stemming" class="state" role="status" aria-live="polite"></span></h2>
<ol class="levels" id="niveaus" aria-describedby="verdeling-uitleg">{levels}</ol>
<p id="verdeling-uitleg" class="votes"></p>
</section>
<aside class="side" aria-label="Meedoen en cijfers">
<div class="join">
<p>Doe mee op <strong>{e(short_url)}</strong></p>
<p class="code-label">met code</p>
<p class="code" aria-label="Code {e(" ".join(session.code))}">{e(spaced(session.code))}</p>
<div class="qr" role="img" aria-label="QR-code naar de stempagina">{
        qr_code(join_url, "QR-code naar de stempagina")
    }</div>
</div>
<dl class="figures" id="cijfers">
<div><dt>Eensgezindheid (0 tot 1)</dt><dd id="eensgezindheid">—</dd></div>
<div><dt>Gemiddelde stem</dt><dd id="gemiddelde">—</dd></div>
<div><dt>Vragenlijst, gemiddelde</dt><dd id="vragenlijst">—</dd></div>
<div><dt>Afgesproken niveau</dt><dd id="afgesproken">—</dd>
<dd id="onderbouwing-tekst" class="rationale"></dd></div>
</dl>
</aside>
</main>

<section class="controls" aria-labelledby="bediening-kop">
<h2 id="bediening-kop">Bediening</h2>
<p id="bediening-status" class="status" role="status" aria-live="polite"></p>
<div class="control-row">
<form class="control" method="post" action="{e(base)}/factor">{hidden}
<label for="factor-keuze">Factor</label>
<select id="factor-keuze" name="factor">{options}</select>
<button type="submit">Tonen</button></form>
<form class="control" method="post" action="{e(base)}/factor">{hidden}
<input type="hidden" name="stap" value="-1"><button type="submit">Vorige factor</button></form>
<form class="control" method="post" action="{e(base)}/factor">{hidden}
<input type="hidden" name="stap" value="1"><button type="submit">Volgende factor</button></form>
</div>
<div class="control-row">
<form class="control" method="post" action="{e(base)}/stemming">{hidden}
<input type="hidden" name="open" value="1" id="stemming-waarde">
<button type="submit" class="primary" id="stemming-knop">Stemming openen</button></form>
<form class="control" method="post" action="{e(base)}/onthullen">{hidden}
<input type="hidden" name="toon" value="1" id="onthullen-waarde">
<button type="submit" id="onthullen-knop">Uitslag tonen</button></form>
</div>
<form class="control block" method="post" action="{e(base)}/niveau">{hidden}
<fieldset><legend>Afgesproken niveau voor deze factor</legend>
<label for="niveau-keuze">Niveau</label>
<select id="niveau-keuze" name="score"><option value="">nog geen</option>
{"".join(f'<option value="{v}">{v}</option>' for v in range(1, 6))}</select>
<label for="onderbouwing">Onderbouwing in één zin</label>
<input id="onderbouwing" name="rationale" maxlength="{TEXT_MAX}" class="wide">
<button type="submit" class="primary">Niveau vastleggen</button></fieldset></form>
<form class="control block" method="post" action="{e(base)}/actie">{hidden}
<fieldset><legend>Actie toevoegen</legend>
<label for="actie-titel">Wat gaan we doen?</label>
<input id="actie-titel" name="title" required maxlength="{SHORT_TEXT_MAX}" class="wide">
<fieldset class="inner"><legend>Bij welke factoren?</legend>
<ul class="checks">{boxes}</ul></fieldset>
<label for="actie-eigenaar">Wie trekt het?</label>
<select id="actie-eigenaar" name="owner">{owners}</select>
<label for="actie-datum">Klaar op</label>
<input type="date" id="actie-datum" name="due" required>
<button type="submit" class="primary">Actie toevoegen</button></fieldset></form>
<div id="acties-lijst"></div>
<div class="control-row">
<form class="control" method="post" action="{e(base)}/stippen">{hidden}
<input type="hidden" name="open" value="1" id="stippen-waarde">
<button type="submit" id="stippen-knop">Stippen geven openen</button></form>
<p><a href="{e(base)}/stemmen.csv" download>Stemmen als CSV</a></p>
</div>
<form class="control" method="post" action="{e(base)}/einde">{hidden}
<button type="submit" class="danger">Sessie beëindigen en verslag schrijven</button>
<p class="muted">Schrijft de afgesproken niveaus en de acties naar workshop.yaml van deze
ronde; notities en eerdere afspraken in dat bestand blijven staan.</p></form>
<p><a href="/beheer">Naar de beheerpagina</a></p>
</section>
{_state_block(state)}"""
    return _page(
        f"Presentatie {spaced(session.code)} — Ketenscan workshop",
        body,
        kind="presenter",
        script="presenter.js",
    )


def ended_page(session: Session, name: str, written: str | None) -> HTMLResponse:
    """The presenter's page of an ended session."""
    base = f"/beheer/live/{session.code}"
    where = f"<p>Het verslag staat in <code>{e(written)}</code>.</p>" if written else ""
    body = f"""<main id="inhoud" class="narrow">
<h1>De sessie {e(spaced(session.code))} is afgelopen</h1>
<p>{e(name)}, ronde {e(session.round)}.</p>
{where}
<p>Controleer het met <code>ketenscan validate</code>; de site toont de afspraken na de
volgende build.</p>
<p><a href="{e(base)}/stemmen.csv" download>Stemmen als CSV</a></p>
<p><a href="/beheer">Naar de beheerpagina</a></p>
</main>"""
    return _page("Sessie afgelopen — Ketenscan workshop", body, kind="participant")
