"""The text of an answer file as the online form writes it (SPEC §3).

The Vragenlijst page's download (`toYaml` in `site/assets/vragenlijst.js`) and the
collection server write the same answers as the same bytes: this module is the Python side
of that pair, and a browser test holds the two together. Keys come in a fixed order
(statements grouped under their factor's title as a comment, optional parts in
questionnaire order), every free text is a double-quoted scalar (`quote_yaml_string`), and
ids are written plain because a valid id needs no quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from assessment.instrument import Questionnaire
from assessment.models import Response
from assessment.yamlio import quote_yaml_string

# What the form's `commentLine` folds into one space: JavaScript's `\s` (white space and
# line terminators, U+FEFF included), NEL and every C0/C1 control character.
_COMMENT_BREAKS = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
    "\u0085\x00-\x1f\x7f-\x9f]+"
)

V = TypeVar("V")


def comment_line(text: str) -> str:
    """Text for a `# ...` comment: on one line, runs of spaces and controls made one space."""
    return _COMMENT_BREAKS.sub(" ", text).strip(" ")


def _in_order(mapping: Mapping[str, V], order: Iterable[str]) -> list[tuple[str, V]]:
    """Items in questionnaire order, then any others in their own order (none, once valid)."""
    known = [(key, mapping[key]) for key in order if key in mapping]
    seen = {key for key, _ in known}
    return known + [(key, value) for key, value in mapping.items() if key not in seen]


def _scale(value: int | None) -> str:
    return "null" if value is None else str(value)


def render_answer_file(questionnaire: Questionnaire, response: Response) -> str:
    """The answer file of `response`, byte for byte as the online form downloads it."""
    instrument = questionnaire.instrument
    respondent = response.respondent
    lines = [
        f"# {comment_line(instrument.title)} — antwoordbestand "
        f"(vragenlijst versie {instrument.version})",
        "# Ingevuld met de online vragenlijst. Controleer het met: ketenscan validate <bestand>",
        f"instrument: {response.instrument}",
        f"municipality: {response.municipality}",
        f"round: {response.round}",
        "respondent:",
        f"  id: {respondent.id}",
        f"  organisation: {quote_yaml_string(respondent.organisation)}",
        f"  role: {respondent.role}",
    ]
    if response.submitted is not None:
        lines.append(f"submitted: {response.submitted.isoformat()}")
    lines.append("answers:")
    written: set[str] = set()
    for factor in instrument.factors():
        lines.append(f"  # {comment_line(factor.title)}")
        for statement in factor.statements:
            if statement.id in response.answers:
                lines.append(f"  {statement.id}: {_scale(response.answers[statement.id])}")
                written.add(statement.id)
    # A validated response names every statement and no other; this keeps anything else.
    lines += [f"  {key}: {_scale(v)}" for key, v in response.answers.items() if key not in written]
    factor_order = [factor.id for factor in instrument.factors()]
    for part, mapping in (("importance", response.importance), ("ambition", response.ambition)):
        items = [(k, v) for k, v in _in_order(mapping, factor_order) if v is not None]
        if items:
            lines.append(f"{part}:")
            lines += [f"  {key}: {value}" for key, value in items]
    if response.levels_offered is not None:
        if response.levels_offered:
            lines.append("levels_offered:")
            lines += [f"  - {level}" for level in response.levels_offered]
        else:
            # The form never writes this (it leaves the key out when nothing is ticked), but
            # an empty list says "none of these", which is not the same as no answer.
            lines.append("levels_offered: []")
    comments = [(k, v) for k, v in _in_order(response.comments, factor_order) if v is not None]
    if comments:
        lines.append("comments:")
        lines += [f"  {key}: {quote_yaml_string(text)}" for key, text in comments]
    opened = [
        (key, text)
        for key, text in (
            ("goes_well", response.open.goes_well),
            ("change_first", response.open.change_first),
        )
        if text is not None
    ]
    if opened:
        lines.append("open:")
        lines += [f"  {key}: {quote_yaml_string(text)}" for key, text in opened]
    return "\n".join(lines) + "\n"
