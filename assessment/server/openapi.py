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
            "LiveState": {
                "type": "object",
                "description": "De toestand van een sessie: ook de inhoud van elk SSE-bericht.",
                "required": ["code", "municipality", "round", "status", "revision", "voting"],
                "properties": {
                    "code": {"type": "string"},
                    "municipality": slug,
                    "round": slug,
                    "status": {"enum": ["active", "ended", "expired"]},
                    "revision": {"type": "integer", "minimum": 0},
                    "voting": {"type": "boolean"},
                },
            },
            "LiveParticipant": {
                "type": "object",
                "required": ["participant", "token", "role", "role_label"],
                "properties": {
                    "participant": {"type": "string"},
                    "token": {"type": "string"},
                    "role": slug,
                    "role_label": {"type": "string"},
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
            },
            "participant": {
                "type": "http",
                "scheme": "bearer",
                "description": "Het token dat meedoen aan een live sessie opleverde.",
            },
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
            **live_paths(limited),
        },
        "components": components,
    }


def live_paths(limited: dict[str, Any]) -> dict[str, Any]:
    """The participant's side of the live workshop (`/api/v1/live/...`).

    The session's Server-Sent Events (`GET /api/v1/live/{code}/events`, `text/event-stream`,
    one `state` event per change with the revision as its id) are left out: a stream has
    no end for a generated test to wait for.
    """
    json_ok = "application/json"
    code = {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "De code op het scherm: zes tekens.",
        "schema": {"type": "string", "maxLength": 64},
    }
    state = {"content": {json_ok: {"schema": {"$ref": f"{_REF}LiveState"}}}}
    unknown = _problem("Geen sessie met deze code (live.unknown-code).")
    gone = _problem("De sessie is afgelopen of verlopen (live.session-ended, -expired).")
    participant = _problem("Geen deelnemer van deze sessie (live.unknown-participant).")
    participant["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    body_problems = {
        "400": _problem("Geen geldige JSON."),
        "415": _problem("Niet als application/json verstuurd."),
    }
    return {
        "/api/v1/live/{code}": {
            "get": {
                "operationId": "getLiveSession",
                "summary": "De sessie zoals een deelnemer haar ziet, met de rollen",
                "parameters": [code],
                "responses": {
                    "200": {"description": "De sessie.", **state},
                    "404": unknown,
                    **limited,
                },
            }
        },
        "/api/v1/live/{code}/participants": {
            "post": {
                "operationId": "joinLiveSession",
                "summary": "Meedoen met een rol (zonder naam)",
                "parameters": [code],
                "requestBody": {
                    "required": True,
                    "content": {
                        json_ok: {
                            "schema": {
                                "type": "object",
                                "required": ["role"],
                                "properties": {"role": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Aangemeld: een token voor deze sessie alleen.",
                        "content": {json_ok: {"schema": {"$ref": f"{_REF}LiveParticipant"}}},
                    },
                    **body_problems,
                    "404": unknown,
                    "409": _problem("De sessie zit vol (live.session-full)."),
                    "410": gone,
                    "422": _problem("Een rol die niet bestaat (live.unknown-role)."),
                    **limited,
                    "503": _retry("Opslaan lukt nu niet; er is niets bewaard."),
                },
            }
        },
        "/api/v1/live/{code}/me": {
            "get": {
                "operationId": "getLiveParticipant",
                "summary": "De eigen rol, stemmen en stippen",
                "security": [{"participant": []}],
                "parameters": [code],
                "responses": {
                    "200": {"description": "De eigen keuzes.", "content": {json_ok: {}}},
                    "401": participant,
                    "404": unknown,
                    **limited,
                },
            }
        },
        "/api/v1/live/{code}/votes/{factor}": {
            "put": {
                "operationId": "putLiveVote",
                "summary": "Stemmen op de open factor (opnieuw: de stem veranderen)",
                "security": [{"participant": []}],
                "parameters": [
                    code,
                    {
                        "name": "factor",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 64},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        json_ok: {
                            "schema": {
                                "type": "object",
                                "required": ["value"],
                                "properties": {
                                    "value": {
                                        "oneOf": [
                                            {"type": "integer", "minimum": 1, "maximum": 5},
                                            {"type": "null"},
                                        ]
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "Opgeslagen.", "content": {json_ok: {}}},
                    **body_problems,
                    "401": participant,
                    "404": _problem("Geen sessie of factor (live.unknown-code, -factor)."),
                    "409": _problem("De stemming is gesloten (live.voting-closed)."),
                    "410": gone,
                    "422": _problem("Geen stem van 1 tot en met 5 of null (live.invalid-vote)."),
                    **limited,
                    "503": _retry("Opslaan lukt nu niet; er is niets bewaard."),
                },
            }
        },
        "/api/v1/live/{code}/dots": {
            "put": {
                "operationId": "putLiveDots",
                "summary": "Stippen op de kandidaat-acties (hooguit drie)",
                "security": [{"participant": []}],
                "parameters": [code],
                "requestBody": {
                    "required": True,
                    "content": {
                        json_ok: {
                            "schema": {
                                "type": "object",
                                "required": ["actions"],
                                "properties": {
                                    "actions": {
                                        "type": "array",
                                        "maxItems": 3,
                                        "items": {"type": "string"},
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "Opgeslagen.", "content": {json_ok: {}}},
                    **body_problems,
                    "401": participant,
                    "404": unknown,
                    "409": _problem("Stippen geven is niet open (live.dots-closed)."),
                    "410": gone,
                    "422": _problem("Geen lijst van bestaande acties (live.invalid-dots)."),
                    **limited,
                    "503": _retry("Opslaan lukt nu niet; er is niets bewaard."),
                },
            }
        },
    }
