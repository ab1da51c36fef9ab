"""The HTML of the admin pages: style sheet, escaping, the page frame and form buttons."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from starlette.responses import HTMLResponse, Response

from assessment.server.admin.access import form_check
from assessment.server.invitations import ZONE

if TYPE_CHECKING:
    from assessment.server.app import Collector

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


def hidden_check(state: Collector) -> str:
    return f'<input type="hidden" name="check" value="{form_check(state.config.admin_token)}">'


def form_button(state: Collector, action: str, label: str, fields: Mapping[str, str] | None = None,
            primary: bool = False, describe: str = "") -> str:  # fmt: skip
    """A one-button form that posts to `action`, with the check value and hidden fields."""
    """The hidden field with the check value every admin form carries."""
    extra = "".join(
        f'<input type="hidden" name="{e(k)}" value="{e(v)}">' for k, v in (fields or {}).items()
    )
    described = f' aria-label="{e(describe)}"' if describe else ""
    kind = ' class="primary"' if primary else ""
    return (
        f'<form class="inline" method="post" action="{e(action)}">{hidden_check(state)}{extra}'
        f'<button type="submit"{kind}{described}>{e(label)}</button></form>'
    )
