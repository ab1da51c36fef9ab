"""JSON Schemas: they describe exactly the answer files ketenscan accepts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from assessment.instrument import Questionnaire
from assessment.schema import (
    SCHEMA_FILES,
    all_schemas,
    municipality_schema,
    response_schema,
    settings_schema,
    write_schemas,
)
from assessment.validate import validate_path
from assessment.yamlio import dump_yaml
from tests.helpers import ANSWERS_DIR, MUNICIPALITY, ROUND


@pytest.fixture(scope="module")
def schema(questionnaire: Questionnaire) -> dict[str, Any]:
    return response_schema(questionnaire)


def _is_valid(schema: dict[str, Any], document: object) -> bool:
    validator = jsonschema.Draft202012Validator(schema)
    return not list(validator.iter_errors(document))


def _scale_value(rules: dict[str, Any], index: int) -> int:
    low, high = rules["minimum"], rules["maximum"]
    assert "integer" in rules["type"]
    return int(low + index % (high - low + 1))


def _fill_by_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """An answer document built only from what the schema says."""
    props = schema["properties"]
    role = schema["$defs"]["Respondent"]["properties"]["role"]["enum"][0]
    answers = {
        sid: _scale_value(rules, index)
        for index, (sid, rules) in enumerate(props["answers"]["properties"].items())
    }
    factors = props["importance"]["properties"]
    return {
        "instrument": props["instrument"]["const"],
        "municipality": MUNICIPALITY,
        "round": ROUND,
        "respondent": {"id": "buurtzorg-jong", "organisation": "Buurtzorg Jong", "role": role},
        "submitted": "2025-10-14",
        "answers": answers,
        "importance": {f: _scale_value(r, i) for i, (f, r) in enumerate(factors.items())},
        "ambition": {
            f: _scale_value(r, i + 2)
            for i, (f, r) in enumerate(props["ambition"]["properties"].items())
        },
        "levels_offered": props["levels_offered"]["items"]["enum"][:3],
        "comments": {next(iter(props["comments"]["properties"])): "Het loopt goed."},
        "open": {"goes_well": "Korte lijnen.", "change_first": None},
    }


def test_schemas_are_valid_draft_2020_12(questionnaire: Questionnaire) -> None:
    for schema in all_schemas(questionnaire).values():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_statement_is_required(schema: dict[str, Any], questionnaire: Questionnaire) -> None:
    answers = schema["properties"]["answers"]
    assert answers["required"] == questionnaire.statement_order
    assert list(answers["properties"]) == questionnaire.statement_order
    assert answers["additionalProperties"] is False
    assert set(schema["required"]) == {
        "instrument",
        "municipality",
        "round",
        "respondent",
        "answers",
    }


def test_ids_come_from_the_instrument(schema: dict[str, Any], questionnaire: Questionnaire) -> None:
    props = schema["properties"]
    assert props["instrument"]["const"] == "ketenscan-jeugd@1"
    assert schema["$defs"]["Respondent"]["properties"]["role"]["enum"] == list(questionnaire.roles)
    assert set(props["levels_offered"]["items"]["enum"]) == questionnaire.level_ids
    for key in ("importance", "ambition", "comments"):
        assert set(props[key]["properties"]) == questionnaire.factor_ids
    first = questionnaire.instrument.statements()[0]
    assert props["answers"]["properties"][first.id]["description"] == first.text


def test_document_filled_by_the_schema_passes_both_checks(
    schema: dict[str, Any], workspace: Path
) -> None:
    document = _fill_by_schema(schema)
    assert _is_valid(schema, document)
    # The schema's date is a string; in YAML it is written as a plain date.
    text = dump_yaml(document).replace("submitted: '2025-10-14'", "submitted: 2025-10-14")
    (workspace / ANSWERS_DIR / "buurtzorg-jong.yaml").write_text(text, encoding="utf-8")
    assert validate_path(workspace).problems == []


@pytest.mark.parametrize(
    "change",
    [
        "score-6",
        "score-0",
        "score-text",
        "score-true",
        "unknown-statement",
        "missing-statement",
        "unknown-role",
        "unknown-level",
        "unknown-factor",
        "wrong-instrument",
        "unknown-key",
        "bad-slug",
    ],
)
def test_schema_rejects_what_ketenscan_rejects(schema: dict[str, Any], change: str) -> None:
    document = _fill_by_schema(schema)
    assert _is_valid(schema, document)
    broken = copy.deepcopy(document)
    first = next(iter(broken["answers"]))
    if change == "score-6":
        broken["answers"][first] = 6
    elif change == "score-0":
        broken["answers"][first] = 0
    elif change == "score-text":
        broken["answers"][first] = "3"
    elif change == "score-true":
        broken["answers"][first] = True
    elif change == "unknown-statement":
        broken["answers"]["juiste-partners-onbekend"] = 3
    elif change == "missing-statement":
        del broken["answers"][first]
    elif change == "unknown-role":
        broken["respondent"]["role"] = "jeugdzorg"
    elif change == "unknown-level":
        broken["levels_offered"] = ["lichte"]
    elif change == "unknown-factor":
        broken["importance"]["onbekend"] = 3
    elif change == "wrong-instrument":
        broken["instrument"] = "ketenscan-jeugd@2"
    elif change == "unknown-key":
        broken["opmerkingen"] = "x"
    elif change == "bad-slug":
        broken["municipality"] = "Voorbeeldstad"
    assert not _is_valid(schema, broken)


def test_municipality_schema(questionnaire: Questionnaire) -> None:
    schema = municipality_schema(questionnaire)
    assert schema["properties"]["expected_roles"]["items"]["enum"] == list(questionnaire.roles)
    good = {"name": "Voorbeeldstad", "size": "groot", "expected_roles": ["jgz-0-4"]}
    assert _is_valid(schema, good)
    assert not _is_valid(schema, {**good, "expected_roles": ["jeugdzorg"]})
    assert not _is_valid(schema, {**good, "size": "enorm"})
    assert not _is_valid(schema, {**good, "bewoners": 3})


def test_settings_schema() -> None:
    schema = settings_schema()
    assert _is_valid(schema, {})
    assert _is_valid(schema, {"title": "X", "thresholds": {"min_group_size": 3}})
    assert not _is_valid(schema, {"thresholds": {"min_groep_size": 3}})
    assert not _is_valid(schema, {"audience": "iedereen"})
    collect = {
        "site_url": "https://ketenscan.voorbeeld.nl/",
        "api_url": "https://api.voorbeeld.nl/api/v1/",
        "allowed_origins": ["https://sites.voorbeeld.nl", "http://127.0.0.1:8000"],
        "rate_limits": {"per_token": 5, "per_address": 100},
    }
    assert _is_valid(schema, {"collect": collect})
    for wrong in (
        {"site_url": "ftp://x"},
        {"api_url": "https://x/?a=1"},
        {"allowed_origins": ["https://x/pad"]},
        {"rate_limits": {"per_token": 0}},
        {"verzamel": True},
    ):
        assert not _is_valid(schema, {"collect": wrong}), wrong


def test_write_schemas(questionnaire: Questionnaire, tmp_path: Path) -> None:
    written = write_schemas(questionnaire, tmp_path / "schemas")
    assert sorted(p.name for p in written) == sorted(SCHEMA_FILES.values())
    expected = all_schemas(questionnaire)
    for path in written:
        assert json.loads(path.read_text(encoding="utf-8")) == expected[path.name]
