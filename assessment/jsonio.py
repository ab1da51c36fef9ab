"""Hardened JSON reading for documents that arrive as JSON (the collection server's request
bodies), so that they are checked by the same models and cross-checks as a YAML file.

`parse_json` is the JSON twin of `yamlio.parse_yaml`: UTF-8 only, a size and a depth limit,
no duplicate keys, no NaN or Infinity, and every problem as a `Problem` with a stable code
(`json.*`). A `JsonDocument` places later problems by field (`answers.regie-overleg`);
JSON bodies are short-lived, so positions inside them are not tracked (line 1, column 1).
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import json
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from assessment.errors import Problem, ProblemsError, Severity
from assessment.limits import FILE_MAX_BYTES, FILE_MAX_TEXT, JSON_MAX_DEPTH
from assessment.yamlio import field_name, nesting_depth

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class JsonDocument:
    """A parsed JSON document that can place a problem by field, like `LoadedYaml`."""

    display: str
    data: Any

    def problem(
        self,
        loc: Sequence[str | int],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> Problem:
        """A problem at `loc` in this document (no line numbers: the field says where)."""
        return Problem(self.display, 1, 1, code, message, severity, field_name(loc))


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)


_TRANSLATIONS = (
    ("Expecting value", "hier ontbreekt een waarde, of er staat een teken te veel"),
    ("Expecting ',' delimiter", "hier ontbreekt een komma, of een sluithaak ] of }"),
    ("Expecting ':' delimiter", "na een sleutel hoort een dubbele punt"),
    (
        "Expecting property name enclosed in double quotes",
        "een sleutel hoort tussen dubbele aanhalingstekens (en na de laatste waarde geen komma)",
    ),
    ("Unterminated string", "tekst tussen aanhalingstekens wordt niet afgesloten"),
    ("Invalid control character", "een stuurteken (zoals een regeleinde) midden in tekst"),
    ("Invalid \\escape", "onbekende escape-code met '\\' in tekst"),
    ("Invalid \\uXXXX escape", "onjuiste '\\u'-code in tekst"),
    ("Extra data", "na het einde van het document staat nog iets"),
)


def _syntax_message(error: json.JSONDecodeError) -> str:
    for needle, dutch in _TRANSLATIONS:
        if error.msg.startswith(needle):
            return dutch
    return f"geen geldige JSON: {error.msg}"


def parse_json(data: bytes, display: str) -> JsonDocument:
    """Parse JSON bytes into a document, or raise ProblemsError saying where and why."""

    def fail(code: str, message: str, line: int = 1, column: int = 1) -> ProblemsError:
        return ProblemsError([Problem(display, line, column, code, message)])

    if len(data) > FILE_MAX_BYTES:
        raise fail("json.too-large", f"het document is groter dan {FILE_MAX_TEXT}")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise fail(
            "json.encoding",
            f"ongeldig UTF-8-teken (byte 0x{data[error.start]:02x} op positie {error.start}); "
            "stuur JSON als UTF-8",
        ) from None
    if not text.strip():
        raise fail("json.empty", "het document is leeg")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except _DuplicateKey as error:
        raise fail(
            "json.duplicate-key", f"de sleutel '{error.key}' komt twee keer voor; laat er één staan"
        ) from None
    except json.JSONDecodeError as error:
        raise fail("json.syntax", _syntax_message(error), error.lineno, error.colno) from None
    except RecursionError:
        raise fail(
            "json.too-deep", f"de gegevens zijn dieper genest dan {JSON_MAX_DEPTH} niveaus"
        ) from None
    except ValueError as error:  # NaN, Infinity, or an integer with thousands of digits
        raise fail("json.syntax", f"geen geldige JSON-waarde: {str(error)[:60]}") from None
    if _SURROGATE_ESCAPE.search(text):
        value = _without_surrogates(value)
    if nesting_depth(value, JSON_MAX_DEPTH) > JSON_MAX_DEPTH:
        raise fail(
            "json.too-deep",
            f"de gegevens zijn dieper genest dan {JSON_MAX_DEPTH} niveaus; "
            "een antwoord heeft er hooguit drie",
        )
    return JsonDocument(display, value)


def _without_surrogates(value: Any) -> Any:
    """Lone surrogates (`"\\ud800"` is valid JSON, but no character) made U+FFFD.

    UTF-8 cannot hold them: the online form's file has U+FFFD in their place, and so the
    answer file the server writes must too.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    return value


def _date_field(annotation: Any) -> bool:
    if annotation is dt.date:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return any(arg is dt.date for arg in typing.get_args(annotation))
    return False


def _model_field(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *typing.get_args(annotation)]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def with_dates(model: type[BaseModel], data: Any) -> Any:
    """`data` with ISO date strings made dates where `model` has a date field.

    JSON has no date type; a YAML file writes `submitted: 2025-10-14` as a date. Anything
    that is not exactly `YYYY-MM-DD` is left as it is, for the model to report.
    """
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for name, info in model.model_fields.items():
        value = result.get(name)
        if _date_field(info.annotation) and isinstance(value, str) and _ISO_DATE.match(value):
            # 2025-02-30 stays text: the model says it is no date.
            with contextlib.suppress(ValueError):
                result[name] = dt.date.fromisoformat(value)
        nested = _model_field(info.annotation)
        if nested is not None and isinstance(value, dict):
            result[name] = with_dates(nested, value)
    return result
