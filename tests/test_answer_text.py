"""An imported answer file is the file the online form downloads: the Python writer and
the id made from an organisation's name are compared with the form's own JavaScript,
run in Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assessment.checks import check_response
from assessment.instrument import Questionnaire
from assessment.interop.answer_text import answer_file_text
from assessment.interop.importing import slugify
from assessment.messages import validate_document
from assessment.models import Response
from assessment.pages.form import form_data
from assessment.yamlio import parse_yaml
from tests.helpers import MUNICIPALITY, REPO_DIR, ROUND

SCRIPT = REPO_DIR / "site" / "assets" / "vragenlijst.js"
NAMES = [
    "Wijkteam Noord",
    "Huisartsen Één & Twee",
    "  JGZ 0-4 (Rivierstede)  ",
    "Ærø Zorg — Straße",
    "İstanbul Çocuk",
    "x" * 80 + " y",
    "!!!",
    "ﬁnance ＆ Co",
]


def js_function(source: str, name: str) -> str:
    """The text of `function name(...) {...}` in the script (its braces balanced)."""
    start = source.index(f"function {name}(")
    depth = 0
    for index in range(source.index("{", start), len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return source[start : index + 1]
    raise AssertionError(f"{name} has no end")


def run_form_script(meta: dict[str, Any], documents: list[dict[str, Any]]) -> dict[str, Any]:
    """toYaml of every document and slugify of every name, by the form's own functions."""
    source = SCRIPT.read_text(encoding="utf-8")
    functions = "\n".join(
        js_function(source, name) for name in ("slugify", "quote", "commentLine", "toYaml")
    )
    program = (
        f"var meta = {json.dumps(meta)};\n{functions}\n"
        f"var documents = {json.dumps(documents)};\nvar names = {json.dumps(NAMES)};\n"
        "process.stdout.write(JSON.stringify({yaml: documents.map(toYaml), "
        "slugs: names.map(slugify)}));\n"
    )
    done = subprocess.run(
        ["node", "-e", program], capture_output=True, text=True, check=True, timeout=60
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def documents(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """A bare document and one with every optional part and awkward texts."""
    instrument = questionnaire.instrument
    statements = questionnaire.statement_order
    factors = [f.id for f in instrument.factors()]
    bare = {
        "instrument": instrument.ref,
        "municipality": MUNICIPALITY,
        "round": ROUND,
        "respondent": {
            "id": "wijkteam-noord",
            "organisation": "Wijkteam Noord",
            "role": "wijkteam",
        },
        "submitted": "2026-03-02",
        "answers": {sid: (None if i % 7 == 3 else i % 5 + 1) for i, sid in enumerate(statements)},
    }
    full = json.loads(json.dumps(bare))
    full["respondent"]["organisation"] = 'Zorg "&" co\\ <b>\u202e# niet:\t\n\x85\u2028 🧸'
    full["importance"] = {factors[0]: 5, factors[3]: 1}
    full["ambition"] = {factors[1]: 4}
    full["levels_offered"] = ["universeel", "intensief-specialistisch"]
    full["comments"] = {
        factors[2]: "  regel 1\r\nregel 2: 'ja' # geen commentaar  ",
        factors[5]: "=1+1",
    }
    full["open"] = {"goes_well": "Korte lijnen.", "change_first": "\u00a0\ufeffminder papier"}
    return [bare, full]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")
def test_the_text_equals_the_online_forms_download(questionnaire: Questionnaire) -> None:
    meta = form_data(questionnaire, MUNICIPALITY, ROUND)
    docs = documents(questionnaire)
    from_script = run_form_script(meta, docs)
    for document, expected in zip(docs, from_script["yaml"], strict=True):
        assert answer_file_text(document, questionnaire) == expected
    assert [slugify(name) for name in NAMES] == from_script["slugs"]
    assert from_script["slugs"][:2] == ["wijkteam-noord", "huisartsen-een-twee"]


def test_the_text_is_a_valid_answer_file(questionnaire: Questionnaire) -> None:
    for document in documents(questionnaire):
        text = answer_file_text(document, questionnaire)
        doc = parse_yaml(text.encode("utf-8"), "a.yaml", Path("a.yaml"))
        response, problems = validate_document(Response, doc)
        problems += check_response(
            doc.data,
            doc,
            questionnaire,
            municipality=MUNICIPALITY,
            round_slug=ROUND,
            respondent="wijkteam-noord",
        )
        assert problems == []
        assert isinstance(response, Response)
        # Every text reads back exactly as it went in.
        assert response.respondent.organisation == document["respondent"]["organisation"]
        assert dict(response.comments) == document.get("comments", {})
        assert response.answers == document["answers"]


def test_the_header_names_the_questionnaire_version(questionnaire: Questionnaire) -> None:
    text = answer_file_text(documents(questionnaire)[0], questionnaire)
    assert text.splitlines()[0] == "# Ketenscan jeugd — antwoordbestand (vragenlijst versie 1.0.0)"
    assert re.search(r"^answers:\n  # De juiste partners\n", text, re.MULTILINE)
    assert "importance:" not in text  # empty parts are left out, as the form does
