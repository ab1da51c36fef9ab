"""JSON documents (request bodies) read as safely as YAML files, and checked by the same
models and cross-checks with the same problem codes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from assessment.checks import check_response
from assessment.errors import ProblemsError
from assessment.instrument import Questionnaire
from assessment.jsonio import JsonDocument, parse_json, with_dates
from assessment.messages import validate_document
from assessment.models import Response
from assessment.yamlio import dump_yaml, parse_yaml
from tests.helpers import MUNICIPALITY, ROUND, cycle_score


def _codes(data: bytes) -> list[tuple[str, int, int]]:
    with pytest.raises(ProblemsError) as caught:
        parse_json(data, "verzoek")
    return [(p.code, p.line, p.column) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{\n  "a": 1,\n  "b": }', [("json.syntax", 3, 8)]),
        (b'{"a": 1,}', [("json.syntax", 1, 9)]),
        (b'{"a": 1} {"b": 2}', [("json.syntax", 1, 10)]),
        (b'{"a": NaN}', [("json.syntax", 1, 1)]),
        (b'{"a": -Infinity}', [("json.syntax", 1, 1)]),
        (b'{"a": ' + b"1" * 5000 + b"}", [("json.syntax", 1, 1)]),
        (b'{"a": 1, "a": 2}', [("json.duplicate-key", 1, 1)]),
        (b'{"a": "\xff"}', [("json.encoding", 1, 1)]),
        (b"  \n ", [("json.empty", 1, 1)]),
        (b"[" * 13 + b"]" * 13, [("json.too-deep", 1, 1)]),
        (b"[" * 200_000 + b"]" * 200_000, [("json.too-deep", 1, 1)]),
        (b'"' + b"x" * (1024 * 1024) + b'"', [("json.too-large", 1, 1)]),
    ],
)
def test_unreadable_json_gives_one_problem_with_a_code(
    data: bytes, expected: list[tuple[str, int, int]]
) -> None:
    assert _codes(data) == expected


def test_syntax_messages_are_dutch() -> None:
    with pytest.raises(ProblemsError) as caught:
        parse_json(b'{"a": 1,}', "verzoek")
    assert "sleutel hoort tussen dubbele aanhalingstekens" in caught.value.problems[0].message


def test_twelve_levels_and_a_bom_are_fine() -> None:
    doc = parse_json(b"\xef\xbb\xbf" + b"[" * 12 + b"]" * 12, "verzoek")
    assert doc.display == "verzoek"


def test_dates_are_dates_where_the_model_has_one() -> None:
    data = {"submitted": "2025-10-14", "round": "2025-10-14", "respondent": {"id": "2025-01-01"}}
    assert with_dates(Response, data) == {
        "submitted": dt.date(2025, 10, 14),
        "round": "2025-10-14",
        "respondent": {"id": "2025-01-01"},
    }
    for kept in ("2025-02-30", "14-10-2025", "2025-10-14T10:00:00"):
        assert with_dates(Response, {"submitted": kept}) == {"submitted": kept}
    assert with_dates(Response, [1]) == [1]


def test_problems_are_placed_by_field() -> None:
    doc = JsonDocument("verzoek", {})
    problem = doc.problem(["actions", 1, "title"], "field.missing", "ontbreekt")
    assert (problem.path, problem.line, problem.column) == ("verzoek", 1, 1)
    assert problem.field == "actions.2.title"  # list positions count from 1


def _document(questionnaire: Questionnaire) -> dict[str, Any]:
    answers = {sid: cycle_score(i) for i, sid in enumerate(questionnaire.statement_order)}
    first, second = questionnaire.statement_order[:2]
    answers[first] = 6
    answers["regie-onbekend"] = 3
    del answers[second]
    return {
        "instrument": "ketenscan-jeugd@1",
        "municipality": MUNICIPALITY,
        "round": "2024-najaar",
        "respondent": {"id": "x", "organisation": "", "role": "jeugdzorg"},
        "submitted": "2025-13-01",
        "answers": answers,
        "importance": {"regie": "hoog"},
        "levels_offered": ["licht", "zwaar"],
        "extra": 1,
    }


def test_json_and_yaml_give_the_same_codes_and_fields(questionnaire: Questionnaire) -> None:
    data = _document(questionnaire)
    json_doc = JsonDocument("verzoek", with_dates(Response, json.loads(json.dumps(data))))
    yaml_text = dump_yaml(data).replace("submitted: '2025-13-01'", "submitted: '2025-13-01'")
    yaml_doc = parse_yaml(yaml_text.encode(), "x.yaml")
    found = {}
    for name, doc in (("json", json_doc), ("yaml", yaml_doc)):
        _, problems = validate_document(Response, doc)
        problems += check_response(
            doc.data, doc, questionnaire, municipality=MUNICIPALITY, round_slug=ROUND,
            respondent="x",
        )  # fmt: skip
        found[name] = sorted((p.code, p.field) for p in problems)
    assert found["json"] == found["yaml"]
    first = questionnaire.statement_order[0]
    assert set(found["json"]) == {
        ("answers.score-out-of-range", f"answers.{first}"),
        ("answers.unknown-statement", "answers.regie-onbekend"),
        ("answers.missing-statement", "answers"),
        ("answers.wrong-round", "round"),
        ("answers.unknown-role", "respondent.role"),
        ("answers.unknown-level", "levels_offered.2"),
        ("answers.importance-out-of-range", "importance.regie"),
        ("field.too-short", "respondent.organisation"),
        ("field.not-date", "submitted"),
        ("field.unknown", "extra"),
    }
