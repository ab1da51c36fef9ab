"""The text of an imported answer file: the file the online form's download writes.

The import builds an answer document in the form's shape; the shared writer
(`assessment.answerfile`, which the collection server uses too) turns it into the bytes
the Vragenlijst page would have downloaded. `tests/test_answer_text.py` runs the page's
own `toYaml` in Node and compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessment.answerfile import render_answer_file
from assessment.instrument import Questionnaire
from assessment.jsonio import with_dates
from assessment.models import Response


def answer_file_text(document: Mapping[str, Any], questionnaire: Questionnaire) -> str:
    """The YAML text of an answer document, as the online form downloads it.

    Raises pydantic's ValidationError when the document is no valid answer document; the
    import only asks for the text of rows whose cells all passed its own checks.
    """
    return render_answer_file(
        questionnaire, Response.model_validate(with_dates(Response, dict(document)))
    )
