"""The OpenAPI 3.1 description of the API (`/api/v1/openapi.json`), written out by hand.

The request body is the answer file's JSON Schema (`schema.response_schema`, the one
editors use), so the description says exactly what `POST /api/v1/responses` accepts; every
refusal is a problem response (RFC 9457). A property-based test (schemathesis) holds the
server to this description.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from assessment import __version__
from assessment.instrument import Questionnaire
from assessment.limits import BODY_MAX_BYTES, TOKEN_PATTERN
from assessment.schema import response_schema

_REF = "#/components/schemas/"


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": f"{_REF}Problem"}}},
    }


def _retry(description: str) -> dict[str, Any]:
    response = _problem(description)
    response["headers"] = {
        "Retry-After": {
            "description": "Seconden om te wachten.",
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    }
    return response


def _unauthorised() -> dict[str, Any]:
    response = _problem(
        "Geen, een onbekende of een ingetrokken code (collect.no-token, "
        "collect.unknown-token, collect.revoked-token)."
    )
    response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return response


def _answer_schemas(questionnaire: Questionnaire) -> dict[str, Any]:
    """The answer document's schema with its `$defs` moved into the components."""
    schema = copy.deepcopy(response_schema(questionnaire))
    schema.pop("$schema", None)
    defs = schema.pop("$defs", {})
    text = json.dumps({"AnswerDocument": schema, **defs})
    return dict(json.loads(text.replace('"#/$defs/', f'"{_REF}')))


def openapi_document(questionnaire: Questionnaire) -> dict[str, Any]:
    """The OpenAPI description of the collection server's API."""
    instant = {"type": "string", "format": "date-time"}
    slug = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
    receipt = {
        "type": "object",
        "required": [
            "receipt", "municipality", "round", "respondent", "organisation", "role",
            "version", "received",
        ],
        "properties": {
            "receipt": {"type": "string", "pattern": "^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"},
            "municipality": slug,
            "round": slug,
            "respondent": slug,
            "organisation": {"type": "string"},
            "role": slug,
            "version": {"type": "integer", "minimum": 1},
            "received": instant,
        },
    }  # fmt: skip
    components: dict[str, Any] = {
        "schemas": {
            **_answer_schemas(questionnaire),
            "Receipt": receipt,
            "Invitation": {
                "type": "object",
                "required": [
                    "municipality",
                    "municipality_name",
                    "round",
                    "respondent",
                    "organisation",
                    "role",
                    "role_label",
                    "instrument",
                    "open",
                    "closes",
                    "closed_since",
                    "latest",
                ],
                "properties": {
                    "municipality": slug,
                    "municipality_name": {"type": "string"},
                    "round": slug,
                    "respondent": slug,
                    "organisation": {"type": ["string", "null"]},
                    "role": slug,
                    "role_label": {"type": "string"},
                    "instrument": {"type": "string"},
                    "open": {"type": "boolean"},
                    "closes": {"oneOf": [instant, {"type": "null"}]},
                    "closed_since": {"oneOf": [instant, {"type": "null"}]},
                    "latest": {"oneOf": [{"$ref": f"{_REF}Receipt"}, {"type": "null"}]},
                },
            },
            "Problem": {
                "type": "object",
                "description": "RFC 9457 problem details, with every problem found.",
                "required": ["type", "title", "status", "detail", "code", "problems"],
                "properties": {
                    "type": {"type": "string", "format": "uri-reference"},
                    "title": {"type": "string"},
                    "status": {"type": "integer", "minimum": 400, "maximum": 599},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                    "problems": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["code", "field", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "field": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            },
            "Health": {
                "type": "object",
                "required": ["status", "files_pending"],
                "properties": {
                    "status": {"const": "ok"},
                    "files_pending": {"type": "integer", "minimum": 0},
                },
            },
            "Catalogue": {
                "type": "object",
                "required": ["problems"],
                "properties": {
                    "problems": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "meaning"],
                            "properties": {
                                "code": {"type": "string"},
                                "meaning": {"type": "string"},
                            },
                        },
                    }
                },
            },
        },
        "securitySchemes": {
            "invitation": {
                "type": "http",
                "scheme": "bearer",
                "description": "De code uit de uitnodigingslink (het deel na '#t='). "
                f"Vorm: {TOKEN_PATTERN}.",
            }
        },
    }
    limited = {"429": _retry("Te veel verzoeken (collect.rate-limited).")}
    json_ok = "application/json"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ketenscan verzamelserver",
            "version": __version__,
            "description": "Antwoorden op de vragenlijst van Ketenscan versturen met een "
            "uitnodiging. Elke weigering is een problem+json (RFC 9457) met de codes van "
            "'ketenscan validate --json'.",
        },
        "paths": {
            "/api/v1/invitation": {
                "get": {
                    "operationId": "getInvitation",
                    "summary": "Waar een uitnodiging voor is",
                    "security": [{"invitation": []}],
                    "responses": {
                        "200": {
                            "description": "De uitnodiging.",
                            "content": {json_ok: {"schema": {"$ref": f"{_REF}Invitation"}}},
                        },
                        "401": _unauthorised(),
                        **limited,
                    },
                }
            },
            "/api/v1/responses": {
                "post": {
                    "operationId": "submitResponse",
                    "summary": "Antwoorden versturen",
                    "security": [{"invitation": []}],
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": True,
                            "description": "Een UUID, eenmalig gemaakt per inzending; "
                            "opnieuw versturen met dezelfde sleutel slaat niets dubbel op.",
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "description": f"Het antwoorddocument (hooguit {BODY_MAX_BYTES} bytes).",
                        "content": {json_ok: {"schema": {"$ref": f"{_REF}AnswerDocument"}}},
                    },
                    "responses": {
                        "201": {
                            "description": "Opgeslagen: het ontvangstbewijs (ook bij herhaling "
                            "met dezelfde sleutel en dezelfde inhoud).",
                            "headers": {
                                "Location": {"schema": {"type": "string"}},
                                "Idempotent-Replayed": {"schema": {"const": "true"}},
                            },
                            "content": {json_ok: {"schema": {"$ref": f"{_REF}Receipt"}}},
                        },
                        "400": _problem("Geen geldige JSON of geen geldige Idempotency-Key."),
                        "401": _unauthorised(),
                        "409": _retry("Ronde gesloten, of hetzelfde verzoek loopt nog."),
                        "413": _problem("Het antwoord is te groot (json.too-large)."),
                        "415": _problem("Niet als application/json verstuurd."),
                        "422": _problem(
                            "De antwoorden kloppen niet (collect.invalid-response), of de "
                            "sleutel is al gebruikt met andere inhoud."
                        ),
                        **limited,
                        "503": _retry("Opslaan lukt nu niet; er is niets bewaard."),
                    },
                }
            },
            "/api/v1/receipts/{receipt}": {
                "get": {
                    "operationId": "getReceipt",
                    "summary": "Een ontvangstbewijs van deze uitnodiging",
                    "security": [{"invitation": []}],
                    "parameters": [
                        {
                            "name": "receipt",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "maxLength": 64},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Het ontvangstbewijs.",
                            "content": {json_ok: {"schema": {"$ref": f"{_REF}Receipt"}}},
                        },
                        "401": _unauthorised(),
                        "404": _problem("Geen ontvangstbewijs van deze uitnodiging."),
                        **limited,
                    },
                }
            },
            "/api/v1/health": {
                "get": {
                    "operationId": "getHealth",
                    "summary": "Draait de server?",
                    "responses": {
                        "200": {
                            "description": "De server draait.",
                            "content": {json_ok: {"schema": {"$ref": f"{_REF}Health"}}},
                        }
                    },
                }
            },
            "/api/v1/problems": {
                "get": {
                    "operationId": "getProblems",
                    "summary": "Alle probleemcodes en wat ze betekenen",
                    "responses": {
                        "200": {
                            "description": "De codes.",
                            "content": {json_ok: {"schema": {"$ref": f"{_REF}Catalogue"}}},
                        }
                    },
                }
            },
        },
        "components": components,
    }
