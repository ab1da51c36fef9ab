"""The text of an answer file exactly as the online form's download writes it.

`answer_file_text` mirrors `toYaml` in `site/assets/vragenlijst.js` line for line, so that
an imported answer file is the file the partner would have downloaded from the
Vragenlijst page. `tests/test_answer_text.py` runs the script's own function in Node and
compares. A shared writer for the collection server is being written elsewhere; when it
lands, this module is replaced by it and the test keeps both honest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assessment.instrument import Questionnaire
from assessment.yamlio import quote_yaml_string

# JavaScript's \s also matches U+FEFF; Python's does not.
_COMMENT_SPACE = re.compile(r"[\s\u0085\u0000-\u001f\u007f-\u009f\ufeff]+")


def comment_line(text: str) -> str:
    """Text on one comment line: runs of white space and control characters become one space."""
    return _COMMENT_SPACE.sub(" ", text).strip()


def answer_file_text(document: Mapping[str, Any], questionnaire: Questionnaire) -> str:
    """The YAML text of an answer document, as the online form downloads it.

    `document` has the form's shape: every statement in `answers` (int or None); the
    optional parts (`importance`, `ambition`, `levels_offered`, `comments`, `open`) only
    when they hold something, in questionnaire order.
    """
    instrument = questionnaire.instrument
    respondent = document["respondent"]
    lines = [
        f"# {comment_line(instrument.title)} — antwoordbestand (vragenlijst versie "
        f"{instrument.version})",
        "# Ingevuld met de online vragenlijst. Controleer het met: ketenscan validate <bestand>",
        f"instrument: {document['instrument']}",
        f"municipality: {document['municipality']}",
        f"round: {document['round']}",
        "respondent:",
        f"  id: {respondent['id']}",
        f"  organisation: {quote_yaml_string(respondent['organisation'])}",
        f"  role: {respondent['role']}",
        f"submitted: {document['submitted']}",
        "answers:",
    ]
    answers = document["answers"]
    for factor in instrument.factors():
        lines.append(f"  # {comment_line(factor.title)}")
        for statement in factor.statements:
            value = answers[statement.id]
            lines.append(f"  {statement.id}: {'null' if value is None else value}")
    for part in ("importance", "ambition"):
        values = document.get(part)
        if not values:
            continue
        lines.append(f"{part}:")
        lines += [f"  {key}: {value}" for key, value in values.items()]
    levels = document.get("levels_offered")
    if levels:
        lines.append("levels_offered:")
        lines += [f"  - {level}" for level in levels]
    for part in ("comments", "open"):
        texts = document.get(part)
        if not texts:
            continue
        lines.append(f"{part}:")
        lines += [f"  {key}: {quote_yaml_string(text)}" for key, text in texts.items()]
    return "\n".join(lines) + "\n"
