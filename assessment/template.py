"""The commented answer template (SPEC §3) that a partner fills in with a text editor."""

from __future__ import annotations

import textwrap

from assessment.instrument import Questionnaire
from assessment.yamlio import quote_yaml_string

_WIDTH = 88


def _comment(text: str, indent: str = "", first: str = "") -> list[str]:
    lines = textwrap.wrap(
        " ".join(text.split()),
        width=_WIDTH - len(indent) - 2 - len(first),
        break_long_words=False,
        break_on_hyphens=False,
    )
    out = []
    for index, line in enumerate(lines):
        lead = first if index == 0 else " " * len(first)
        out.append(f"{indent}# {lead}{line}".rstrip())
    return out


def render_template(
    questionnaire: Questionnaire,
    *,
    municipality: str,
    round_slug: str,
    respondent: str,
    role: str | None = None,
    organisation: str = "",
    schema: str | None = None,
) -> str:
    """An answer file with every statement id (value null) and Dutch guidance as comments."""
    instrument = questionnaire.instrument
    scale = ", ".join(f"{step.value} = {step.label}" for step in instrument.scale)
    out: list[str] = []
    if schema:
        out.append(f"# yaml-language-server: $schema={schema}")
    out += [
        f"# {instrument.title} — antwoordbestand (vragenlijst versie {instrument.version})",
        "#",
        "# Zo vult u dit bestand in:",
        f"# - Geef bij elke stelling een score: {scale}.",
        f"# - Weet u het niet, of past de stelling niet bij uw organisatie? Laat dan 'null' staan"
        f" ({instrument.dont_know_label}).",
        "# - Verander alleen wat achter de dubbele punt staat. Laat de namen vóór de dubbele",
        "#   punt en de inspringing (spaties, geen tabs) zoals ze zijn.",
        "# - Tekst met een dubbele punt of een # erin zet u tussen dubbele aanhalingstekens.",
        "# - Vul geen namen of e-mailadressen van personen in.",
        "# - Controleer het bestand met: ketenscan validate <map of bestand>",
        "",
        f"instrument: {instrument.ref}",
        f"municipality: {municipality}",
        f"round: {round_slug}",
        "respondent:",
        f"  id: {respondent}",
        f"  organisation: {quote_yaml_string(organisation)}  # naam van uw organisatie",
    ]
    out.append("  # Uw rol in de keten. Kies één van:")
    for item in questionnaire.roles.values():
        out += _comment(f"{item.id} = {item.label}", "  ", "  ")
    out.append(f"  role: {role or ''}".rstrip())
    out += ["submitted: null  # datum van invullen, bijvoorbeeld 2025-10-14", "", "answers:"]
    for section in instrument.sections:
        for number, factor in enumerate(section.factors, start=1):
            out += ["", "  # " + "=" * (_WIDTH - 4)]
            out += _comment(
                f"{factor.title} ({section.title} {number} van {len(section.factors)})", "  "
            )
            out += _comment(factor.explanation, "  ")
            out.append("  # Wat de niveaus betekenen:")
            for step, descriptor in zip(instrument.scale, factor.level_descriptors, strict=True):
                out += _comment(descriptor, "  ", f"{step.value} {step.label}: ")
            out.append("  # " + "-" * (_WIDTH - 4))
            for statement in factor.statements:
                out += _comment(statement.text, "  ")
                out.append(f"  {statement.id}: null")
    questions = instrument.questions
    factors = instrument.factors()
    for key, question, hint in (
        (
            "importance",
            questions.importance,
            ", ".join(
                f"{i} = {label}" for i, label in enumerate(questions.importance_scale, start=1)
            ),
        ),
        ("ambition", questions.ambition, scale),
    ):
        out += ["", *(_comment(f"{question} ({hint}). Mag leeg blijven (null).")), f"{key}:"]
        out += [f"  {f.id}: null  # {f.title}" for f in factors]
    out += ["", *_comment(questions.levels_offered)]
    for level in instrument.intervention_levels:
        out += _comment(f"{level.id}: {level.title} — {level.description}", "", "  ")
    out += _comment(
        "Schrijf de niveaus tussen de haken, gescheiden door komma's, bijvoorbeeld "
        "[universeel, selectief]."
    )
    out.append("levels_offered: []")
    out += [
        "",
        *_comment(f"{questions.comments} Zet tekst tussen dubbele aanhalingstekens."),
        "comments:",
    ]
    out += [f"  {f.id}: null  # {f.title}" for f in factors]
    out += ["", "open:"]
    out += _comment(questions.open.goes_well, "  ")
    out.append("  goes_well: null")
    out += _comment(questions.open.change_first, "  ")
    out.append("  change_first: null")
    return "\n".join(out) + "\n"


def render_indicator_template(
    questionnaire: Questionnaire,
    *,
    municipality: str,
    round_slug: str,
    schema: str | None = None,
) -> str:
    """A round's `indicatoren.yaml` with every key figure (null) and its counts explained."""
    out: list[str] = []
    if schema:
        out.append(f"# yaml-language-server: $schema={schema}")
    out += [
        f"# {questionnaire.instrument.title} — kengetallen van één ronde",
        "#",
        "# Zo vult u dit bestand in:",
        "# - Geef per kengetal de teller (numerator) en de noemer (denominator): de aantallen",
        "#   uit uw registratie. Ketenscan rekent de waarde zelf uit.",
        "# - Weet u alleen de waarde (bijvoorbeeld uit een rapport)? Schrijf dan alleen",
        "#   value: <getal> in plaats van teller en noemer.",
        "# - Is een cijfer er (nog) niet? Laat dan 'null' staan.",
        "# - Controleer het bestand met: ketenscan validate <map van de werkruimte>",
        "",
        f"municipality: {municipality}",
        f"round: {round_slug}",
        'period: null  # de periode van de cijfers, bijvoorbeeld "2025" (tussen aanhalingstekens)',
        'source: null  # waar de cijfers vandaan komen, bijvoorbeeld "registratie wijkteam"',
        "values:",
    ]
    for definition in questionnaire.indicators.values():
        unit = {"procent": "procent", "per-1000": "per 1.000"}.get(
            definition.unit, f"gemiddelde in {definition.unit_label}"
        )
        out += ["", *_comment(f"{definition.name} ({unit}). {definition.definition}", "  ")]
        out += _comment(definition.numerator, "  ", "teller:  ")
        out += _comment(definition.denominator, "  ", "noemer:  ")
        out += [f"  {definition.id}:", "    numerator: null", "    denominator: null"]
    return "\n".join(out) + "\n"
