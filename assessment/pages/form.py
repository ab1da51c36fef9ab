"""The online questionnaire (the Vragenlijst page): an HTML form generated from the instrument.

The form is plain HTML that works from the static site alone; `site/assets/vragenlijst.js`
adds progress, autosave, validation, download and loading of an answer file. Input names
follow the answer format (SPEC §3): a statement's radio group is named after the statement
id (values 1..5, and '' for 'weet niet'); the other fields are named by their path in the
file (`respondent.organisation`, `importance.<factor>`, `comments.<factor>`, ...).

Every text from the instrument passes through `html.escape`; the form is one raw HTML block
without blank lines, so that Markdown leaves it exactly as written.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from assessment.instrument import Questionnaire
from assessment.limits import SLUG_MAX, TEXT_MAX, form_limits
from assessment.models import Factor

if TYPE_CHECKING:
    from assessment.pages.context import PageContext

FORM_DATA_ID = "ks-form-data"
# The collection server that serves the site: its API, seen from <site>/<municipality>/.
DEFAULT_API = "../api/v1/"


def _text(value: str) -> str:
    """Instrument text for HTML: escaped, on one line (no blank line may end the block)."""
    return html.escape(" ".join(value.split()), quote=True)


def _url_attribute(url: str) -> str:
    # The slashes become entities: the browser reads the same URL, while the build's
    # scrub of links to other hosts (site.sanitize_site) leaves the configured one alone.
    return html.escape(url, quote=True).replace("/", "&#47;")


def form_data(
    questionnaire: Questionnaire, municipality_slug: str, round_slug: str
) -> dict[str, Any]:
    """What the script needs besides the form itself: ids in questionnaire order."""
    instrument = questionnaire.instrument
    return {
        "instrument": instrument.ref,
        "version": instrument.version,
        "title": instrument.title,
        "municipality": municipality_slug,
        "round": round_slug,
        "statements": questionnaire.statement_order,
        "factors": [
            {"id": f.id, "title": f.title, "statements": [s.id for s in f.statements]}
            for f in instrument.factors()
        ],
        "levels": [level.id for level in instrument.intervention_levels],
        "roles": list(questionnaire.roles),
        "limits": form_limits(),
    }


def json_island(data: dict[str, Any]) -> str:
    """JSON inside a script element: no '<', '>' or '&' that could end or open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    for char in ("\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _statement(questionnaire: Questionnaire, number: int, total: int, statement: Any) -> list[str]:
    instrument = questionnaire.instrument
    sid = statement.id
    group = f"ks-st-{sid}"
    out = [
        f'<fieldset class="ks-stmt" id="{group}" role="radiogroup" aria-required="true" '
        f'aria-labelledby="{group}-legend" data-statement="{sid}">',
        f'<legend id="{group}-legend"><span class="ks-stmt__num">Stelling {number} van '
        f'{total}</span> <span class="ks-stmt__text">{_text(statement.text)}</span></legend>',
        f'<p class="ks-error" id="{group}-error" hidden></p>',
        '<div class="ks-scale">',
    ]
    for step in instrument.scale:
        out.append(
            f'<label class="ks-choice"><input type="radio" name="{sid}" value="{step.value}" '
            f'id="{group}-{step.value}"><span class="ks-choice__value">{step.value}</span> '
            f'<span class="ks-choice__label">{_text(step.label)}</span></label>'
        )
    out += [
        f'<label class="ks-choice ks-choice--dk"><input type="radio" name="{sid}" value="" '
        f'id="{group}-dk"><span class="ks-choice__label">{_text(instrument.dont_know_label)}'
        "</span></label>",
        "</div>",
        "</fieldset>",
    ]
    return out


def _select(name: str, field_id: str, label: str, context: str, options: list[str]) -> list[str]:
    out = [
        '<div class="ks-field">',
        f'<label for="{field_id}">{_text(label)} <span class="ks-sr-only">({_text(context)})'
        "</span></label>",
        f'<select id="{field_id}" name="{name}">',
        '<option value="">Geen antwoord</option>',
    ]
    out += [
        f'<option value="{value}">{value} – {_text(text)}</option>'
        for value, text in enumerate(options, start=1)
    ]
    out += ["</select>", "</div>"]
    return out


def _textarea(name: str, field_id: str, label: str, hint: str, rows: int = 3) -> list[str]:
    return [
        f'<div class="ks-field" id="{field_id}-field">',
        f'<label for="{field_id}">{label}</label>',
        f'<p class="ks-hint" id="{field_id}-hint">{hint}</p>',
        f'<p class="ks-error" id="{field_id}-error" hidden></p>',
        f'<textarea id="{field_id}" name="{name}" rows="{rows}" '
        f'aria-describedby="{field_id}-hint"></textarea>',
        "</div>",
    ]


def _factor(
    questionnaire: Questionnaire,
    factor: Factor,
    next_factor: Factor | None,
    numbers: dict[str, int],
) -> list[str]:
    instrument = questionnaire.instrument
    questions = instrument.questions
    fid = factor.id
    count = len(factor.statements)
    out = [
        f'<details class="ks-factor" id="ks-f-{fid}" data-factor="{fid}">',
        f'<summary class="ks-factor__summary"><span class="ks-factor__title">{_text(factor.title)}'
        f'</span> <span class="ks-factor__count" id="ks-f-{fid}-count">0 van {count} beantwoord'
        "</span></summary>",
        '<div class="ks-factor__body">',
        '<details class="ks-explain">',
        f'<summary>Uitleg en niveaus bij <span class="ks-explain__title">{_text(factor.title)}'
        "</span></summary>",
        f"<p>{_text(factor.explanation)}</p>",
        '<ol class="ks-levels">',
    ]
    out += [
        f"<li><strong>{step.value} {_text(step.label)}</strong>: {_text(text)}</li>"
        for step, text in zip(instrument.scale, factor.level_descriptors, strict=True)
    ]
    out += ["</ol>", "</details>"]
    total = len(questionnaire.statement_order)
    for statement in factor.statements:
        out += _statement(questionnaire, numbers[statement.id], total, statement)
    out += _select(
        f"importance.{fid}",
        f"ks-importance-{fid}",
        questions.importance,
        factor.title,
        questions.importance_scale,
    )
    out += _select(
        f"ambition.{fid}",
        f"ks-ambition-{fid}",
        questions.ambition,
        factor.title,
        [step.label for step in instrument.scale],
    )
    out += _textarea(
        f"comments.{fid}",
        f"ks-comments-{fid}",
        f'{_text(questions.comments)} <span class="ks-sr-only">({_text(factor.title)})</span>',
        f"Niet verplicht. Hooguit {TEXT_MAX} tekens. Noem geen namen van personen of gezinnen.",
    )
    if next_factor is not None:
        out.append(
            f'<button type="button" class="ks-next md-button" data-next="{next_factor.id}">'
            f"Volgend onderwerp: {_text(next_factor.title)}</button>"
        )
    else:
        out.append(
            '<button type="button" class="ks-next md-button" data-next="">'
            "Naar de laatste vragen</button>"
        )
    out += ["</div>", "</details>"]
    return out


def render_form(
    questionnaire: Questionnaire,
    municipality_slug: str,
    round_slug: str,
    api_url: str | None = None,
) -> str:
    """The questionnaire form of one municipality's current round, as one raw HTML block.

    With an invitation link (`#t=<token>`) the script shows whom the invitation is for and
    a Versturen button that sends the answers to the collection server at `api_url`
    (default: `../api/v1/`, the server that serves the site).
    """
    instrument = questionnaire.instrument
    questions = instrument.questions
    total = len(questionnaire.statement_order)
    numbers = {sid: index for index, sid in enumerate(questionnaire.statement_order, start=1)}
    factors = instrument.factors()
    following = dict(zip([f.id for f in factors], [*factors[1:], None], strict=True))
    api = _url_attribute(api_url) if api_url else DEFAULT_API
    out = [
        '<div class="ks-vl" id="ks-vragenlijst">',
        '<link rel="stylesheet" href="assets/vragenlijst.css">',
        '<noscript><p class="ks-vl__noscript"><strong>Deze vragenlijst heeft JavaScript '
        "nodig.</strong> Zet JavaScript aan, of vraag de gemeente om het antwoordbestand "
        "om in te vullen met een teksteditor.</p></noscript>",
        '<section class="ks-invitation" id="ks-invitation" hidden '
        'aria-labelledby="ks-invitation-title">',
        '<h2 id="ks-invitation-title">Uw uitnodiging</h2>',
        '<p id="ks-invitation-text"></p>',
        '<p class="ks-invitation__state" id="ks-invitation-state"></p>',
        "</section>",
        '<div class="ks-tools">',
        '<div class="ks-field ks-field--file">',
        '<label for="ks-load">Verder met een opgeslagen antwoordbestand</label>',
        '<p class="ks-hint" id="ks-load-hint">Hebt u eerder antwoorden gedownload? Kies dat '
        "bestand (.yaml). De antwoorden komen dan in het formulier.</p>",
        '<input type="file" id="ks-load" accept=".yaml,.yml,text/yaml,text/plain" '
        'aria-describedby="ks-load-hint">',
        "</div>",
        '<p class="ks-load-error" id="ks-load-error" role="alert"></p>',
        "</div>",
        f'<form class="ks-form" id="ks-form" novalidate '
        f'data-municipality="{html.escape(municipality_slug)}" '
        f'data-round="{html.escape(round_slug)}" data-instrument="{html.escape(instrument.ref)}" '
        f'data-api="{api}">',
        '<div class="ks-status">',
        f'<p class="ks-progress"><span class="ks-progress__label">Voortgang:</span> '
        f'<span id="ks-progress" aria-live="polite">0 van {total} beantwoord</span></p>',
        f'<progress id="ks-progress-bar" max="{total}" value="0" aria-hidden="true"></progress>',
        '<p class="ks-notice" id="ks-notice" role="status"></p>',
        "</div>",
        '<div class="ks-errors-live" aria-live="polite">',
        '<div class="ks-errors" id="ks-errors" role="region" tabindex="-1" hidden '
        'aria-labelledby="ks-errors-title">',
        '<h2 id="ks-errors-title">Er ontbreekt nog iets</h2>',
        "<p>Los deze punten op en probeer het dan opnieuw.</p>",
        '<ul id="ks-errors-list"></ul>',
        "</div>",
        "</div>",
        '<section class="ks-part" aria-labelledby="ks-part-organisatie">',
        '<h2 id="ks-part-organisatie">Over uw organisatie</h2>',
        "<p>Vul de vragenlijst in namens uw organisatie. Vul geen namen of e-mailadressen van "
        "personen in.</p>",
        '<div class="ks-field" id="ks-organisation-field">',
        '<label for="ks-organisation">Naam van uw organisatie</label>',
        '<p class="ks-hint" id="ks-organisation-hint">Bijvoorbeeld: Buurtzorg Jong Noord.</p>',
        '<p class="ks-error" id="ks-organisation-error" hidden></p>',
        '<input type="text" id="ks-organisation" name="respondent.organisation" '
        'autocomplete="organization" aria-required="true" aria-describedby="ks-organisation-hint">',
        "</div>",
        '<div class="ks-field" id="ks-role-field">',
        '<label for="ks-role">Rol van uw organisatie in de keten</label>',
        '<p class="ks-error" id="ks-role-error" hidden></p>',
        '<select id="ks-role" name="respondent.role" aria-required="true">',
        '<option value="">Kies een rol</option>',
    ]
    out += [
        f'<option value="{role.id}">{_text(role.label)}</option>'
        for role in questionnaire.roles.values()
    ]
    out += [
        "</select>",
        "</div>",
        '<div class="ks-field" id="ks-respondent-id-field">',
        '<label for="ks-respondent-id">Korte naam voor het bestand</label>',
        '<p class="ks-hint" id="ks-respondent-id-hint">Dit wordt de naam van uw '
        "antwoordbestand. Hij wordt gemaakt uit de naam van uw organisatie; u mag hem "
        f"aanpassen. Alleen kleine letters, cijfers en streepjes, hooguit {SLUG_MAX} tekens.</p>",
        '<p class="ks-error" id="ks-respondent-id-error" hidden></p>',
        '<input type="text" id="ks-respondent-id" name="respondent.id" autocomplete="off" '
        'autocapitalize="none" spellcheck="false" aria-required="true" '
        'aria-describedby="ks-respondent-id-hint">',
        '<p class="ks-filename">Bestandsnaam: <span id="ks-filename">–</span></p>',
        "</div>",
        '<fieldset class="ks-levels-offered" id="ks-levels-offered">',
        f"<legend>{_text(questions.levels_offered)}</legend>",
    ]
    for level in instrument.intervention_levels:
        out.append(
            f'<label class="ks-check"><input type="checkbox" name="levels_offered" '
            f'value="{level.id}" id="ks-level-{level.id}"><span><strong>{_text(level.title)}'
            f'</strong> <span class="ks-check__text">{_text(level.description)}</span></span>'
            "</label>"
        )
    out += ["</fieldset>", "</section>"]
    for section in instrument.sections:
        out += [
            f'<section class="ks-part" aria-labelledby="ks-part-{section.id}">',
            f'<h2 id="ks-part-{section.id}">{_text(section.title)}</h2>',
            f"<p>{_text(section.intro)}</p>",
            '<p class="ks-part__tip">Klik op een onderwerp om de stellingen te zien. '
            "Bij elk onderwerp staan de uitleg en wat de niveaus betekenen.</p>",
        ]
        for factor in section.factors:
            out += _factor(questionnaire, factor, following[factor.id], numbers)
        out.append("</section>")
    out += [
        '<section class="ks-part" id="ks-part-open" aria-labelledby="ks-part-open-title">',
        '<h2 id="ks-part-open-title">Tot slot</h2>',
        *_textarea(
            "open.goes_well",
            "ks-open-goes_well",
            _text(questions.open.goes_well),
            f"Niet verplicht. Hooguit {TEXT_MAX} tekens.",
            4,
        ),
        *_textarea(
            "open.change_first",
            "ks-open-change_first",
            _text(questions.open.change_first),
            f"Niet verplicht. Hooguit {TEXT_MAX} tekens.",
            4,
        ),
        "</section>",
        '<section class="ks-part ks-finish" aria-labelledby="ks-part-klaar">',
        '<h2 id="ks-part-klaar">Klaar</h2>',
        '<p id="ks-finish-text">Download uw antwoorden als bestand en stuur dat naar de '
        "gemeente of de begeleider van de ketenscan. Uw antwoorden worden ook in deze browser "
        "bewaard, zodat u later verder kunt. Werkt u op een gedeelde computer? Wis dan na "
        "afloop alles.</p>",
        '<p id="ks-finish-text-invited" hidden>Klik op Versturen: uw antwoorden gaan dan '
        "direct naar de gemeente en u krijgt een ontvangstbewijs. Tot de ronde sluit, kunt u "
        "ze nog aanpassen en opnieuw versturen; de nieuwe versie vervangt de vorige. Wilt u "
        "een kopie voor uzelf? Kies dan Download antwoorden. Werkt u op een gedeelde computer? "
        "Wis dan na afloop alles.</p>",
        '<div class="ks-buttons">',
        '<button type="button" class="md-button md-button--primary" id="ks-send" hidden>'
        "Versturen</button>",
        '<button type="button" class="md-button md-button--primary" id="ks-download">'
        "Download antwoorden</button>",
        '<button type="button" class="md-button ks-reset" id="ks-reset">Alles wissen</button>',
        "</div>",
        '<p class="ks-notice" id="ks-finish-notice" role="status"></p>',
        '<div class="ks-receipt" id="ks-receipt" role="region" tabindex="-1" hidden '
        'aria-labelledby="ks-receipt-title">',
        '<h3 id="ks-receipt-title">Ontvangstbewijs</h3>',
        '<dl id="ks-receipt-details"></dl>',
        "</div>",
        "</section>",
        "</form>",
        '<dialog class="ks-dialog" id="ks-reset-dialog" aria-labelledby="ks-reset-title" '
        'aria-describedby="ks-reset-text">',
        '<h2 id="ks-reset-title">Alle antwoorden wissen?</h2>',
        '<p id="ks-reset-text">Alles wat u hebt ingevuld, wordt gewist, ook de kopie in deze '
        "browser. Een bestand dat u al hebt gedownload, blijft bestaan.</p>",
        '<p id="ks-reset-queued" hidden><strong>Let op: er wachten nog antwoorden om verstuurd '
        "te worden. Als u alles wist, worden ze niet verstuurd.</strong></p>",
        '<div class="ks-buttons">',
        '<button type="button" class="md-button" id="ks-reset-cancel" autofocus>Nee, '
        "terug</button>",
        '<button type="button" class="md-button md-button--primary" id="ks-reset-confirm">Ja, '
        "alles wissen</button>",
        "</div>",
        "</dialog>",
        f'<script type="application/json" id="{FORM_DATA_ID}">'
        f"{json_island(form_data(questionnaire, municipality_slug, round_slug))}</script>",
        '<script src="assets/vragenlijst.js"></script>',
        "</div>",
    ]
    return "\n".join(out)


def build_vragenlijst(ctx: PageContext) -> None:
    """The Vragenlijst page: the online form for the newest round."""
    data = ctx.data
    form_round = data.rounds[-1] if data.rounds else None
    api_url = data.settings.collect.api_url
    ctx.page(
        "vragenlijst.md",
        "Vragenlijst",
        "vragenlijst.md.j2",
        form_round=form_round,
        form=render_form(ctx.questionnaire, data.slug, form_round, api_url) if form_round else "",
    )
