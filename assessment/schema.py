"""JSON Schemas of the answer, municipality and workspace files, for editor autocompletion."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from assessment.instrument import Questionnaire
from assessment.limits import SCALE_MAX, SCALE_MIN, SLUG_MAX, SLUG_PATTERN, TEXT_MAX
from assessment.models import (
    ACTION_STATUSES,
    IndicatorValues,
    Municipality,
    Response,
    Settings,
    Workshop,
)

SCHEMA_DIR = "schemas"
SCHEMA_FILES = {
    "antwoord": "antwoord.schema.json",
    "gemeente": "gemeente.schema.json",
    "ketenscan": "ketenscan.schema.json",
    "indicatoren": "indicatoren.schema.json",
    "workshop": "workshop.schema.json",
}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _scale(description: str) -> dict[str, Any]:
    return {
        "type": ["integer", "null"],
        "minimum": SCALE_MIN,
        "maximum": SCALE_MAX,
        "description": description,
    }


def response_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    """The answer-file schema: the model's, with the instrument's ids spelled out."""
    schema = copy.deepcopy(Response.model_json_schema())
    instrument = questionnaire.instrument
    props = schema["properties"]
    props["instrument"] = {"const": instrument.ref, "description": "vragenlijst en hoofdversie"}
    scale = ", ".join(f"{step.value} = {step.label}" for step in instrument.scale)
    props["answers"] = {
        "type": "object",
        "description": f"Score per stelling: {scale}; null = {instrument.dont_know_label}",
        "properties": {s.id: _scale(s.text) for s in instrument.statements()},
        "required": [s.id for s in instrument.statements()],
        "additionalProperties": False,
    }
    factors = instrument.factors()
    for key, question in (
        ("importance", instrument.questions.importance),
        ("ambition", instrument.questions.ambition),
    ):
        props[key] = {
            "type": "object",
            "description": question,
            "properties": {f.id: _scale(f.title) for f in factors},
            "additionalProperties": False,
        }
    props["comments"] = {
        "type": "object",
        "description": instrument.questions.comments,
        "properties": {
            f.id: {"type": ["string", "null"], "maxLength": TEXT_MAX, "description": f.title}
            for f in factors
        },
        "additionalProperties": False,
    }
    props["levels_offered"] = {
        "type": ["array", "null"],
        "description": instrument.questions.levels_offered,
        "items": {"enum": [level.id for level in instrument.intervention_levels]},
        "uniqueItems": True,
    }
    respondent = schema["$defs"]["Respondent"]
    respondent["properties"]["role"] = {
        "enum": list(questionnaire.roles),
        "description": "; ".join(f"{r.id}: {r.label}" for r in questionnaire.roles.values()),
    }
    schema["$schema"] = _DIALECT
    return schema


def municipality_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    """The `gemeente.yaml` schema with the known role ids."""
    schema = copy.deepcopy(Municipality.model_json_schema())
    schema["properties"]["expected_roles"]["items"] = {"enum": list(questionnaire.roles)}
    schema["$schema"] = _DIALECT
    return schema


def indicators_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    """The schema of a round's `indicatoren.yaml`, with every key figure spelled out."""
    schema = copy.deepcopy(IndicatorValues.model_json_schema())
    figure = {"anyOf": [{"$ref": "#/$defs/IndicatorValue"}, {"type": "null"}]}
    schema["properties"]["values"] = {
        "type": "object",
        "description": "Per kengetal: teller en noemer (numerator, denominator) of alleen de "
        "waarde (value)",
        "properties": {
            d.id: {
                **figure,
                "description": f"{d.name}. Teller: {d.numerator} Noemer: {d.denominator}",
            }
            for d in questionnaire.indicators.values()
        },
        "additionalProperties": False,
    }
    schema["$schema"] = _DIALECT
    return schema


def settings_schema() -> dict[str, Any]:
    """The `ketenscan.yaml` schema."""
    schema = copy.deepcopy(Settings.model_json_schema())
    schema["$schema"] = _DIALECT
    return schema


def workshop_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    """The `workshop.yaml` schema with the instrument's factors, statements, roles and rules."""
    schema = copy.deepcopy(Workshop.model_json_schema())
    instrument = questionnaire.instrument
    props = schema["properties"]
    props["instrument"] = {"const": instrument.ref, "description": "vragenlijst en hoofdversie"}
    roles = {
        "enum": list(questionnaire.roles),
        "description": "; ".join(f"{r.id}: {r.label}" for r in questionnaire.roles.values()),
    }
    props["participants"] = {
        "type": "array",
        "description": "De rollen van de partners die aan de workshop meededen",
        "items": roles,
        "uniqueItems": True,
    }
    factors = instrument.factors()
    levels = ", ".join(f"{step.value} = {step.label}" for step in instrument.scale)
    props["consensus"] = {
        "type": "object",
        "description": f"Het niveau dat de groep per factor samen vaststelde: {levels}",
        "properties": {
            f.id: {"$ref": "#/$defs/Agreement", "description": f.title} for f in factors
        },
        "additionalProperties": False,
    }
    notes = {"type": ["string", "null"], "maxLength": TEXT_MAX}
    props["notes"] = {
        "type": "object",
        "description": "Notities per gesprekspunt (id van een stelling of factor)",
        "properties": {
            **{f.id: {**notes, "description": f.title} for f in factors},
            **{s.id: {**notes, "description": s.text} for s in instrument.statements()},
        },
        "additionalProperties": False,
    }
    action = schema["$defs"]["Action"]["properties"]
    action["factors"]["items"] = {"enum": [f.id for f in factors]}
    action["owner"] = {**roles, "description": "De rol die de actie trekt"}
    action["recommendation"] = {
        "anyOf": [{"enum": [rule.id for rule in questionnaire.rules]}, {"type": "null"}],
        "default": None,
        "description": "De id van de aanbeveling die deze actie overneemt",
    }
    action["status"] = {"enum": list(ACTION_STATUSES)}
    action["id"] = {
        "type": "string",
        "pattern": SLUG_PATTERN,
        "maxLength": SLUG_MAX,
        "description": "Blijft gelijk in alle volgende rondes",
    }
    schema["$schema"] = _DIALECT
    return schema


def all_schemas(questionnaire: Questionnaire) -> dict[str, dict[str, Any]]:
    """File name -> schema, for every file kind a user writes."""
    return {
        SCHEMA_FILES["antwoord"]: response_schema(questionnaire),
        SCHEMA_FILES["gemeente"]: municipality_schema(questionnaire),
        SCHEMA_FILES["ketenscan"]: settings_schema(),
        SCHEMA_FILES["indicatoren"]: indicators_schema(questionnaire),
        SCHEMA_FILES["workshop"]: workshop_schema(questionnaire),
    }


def write_schemas(questionnaire: Questionnaire, folder: Path) -> list[Path]:
    """Write every schema into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas(questionnaire).items():
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
