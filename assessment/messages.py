"""Pydantic validation errors turned into plain Dutch problems with positions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from assessment.errors import Problem, ProblemsError, Severity, display_path
from assessment.yamlio import LoadedYaml, read_yaml


class Document(Protocol):
    """Loaded data that can place a problem: a YAML file (`LoadedYaml`) or a JSON request
    body (`jsonio.JsonDocument`) or the CSV rows of one round's key figures. Read-only: a
    plain attribute satisfies it, and so does a property."""

    @property
    def display(self) -> str:
        """The file as users should see it."""
        ...

    @property
    def data(self) -> Any:
        """The content, as plain data."""
        ...

    def problem(
        self,
        loc: Sequence[str | int],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> Problem:
        """A problem at `loc` in the document."""
        ...


SCORE_HINT = "score moet een geheel getal van 1 tot en met 5 zijn, of leeg voor 'weet niet'"
_SCALE_HINTS = {
    "answers": SCORE_HINT,
    "importance": "belang moet een geheel getal van 1 tot en met 5 zijn, of leeg",
    "ambition": "ambitie moet een geheel getal van 1 tot en met 5 zijn (het niveau over twee "
    "jaar), of leeg",
    "consensus": "het gezamenlijke niveau moet een geheel getal van 1 tot en met 5 zijn, of leeg "
    "zolang de groep het niet heeft vastgesteld",
}
_SCALE_CODES = {
    "answers": "answers.score-out-of-range",
    "importance": "answers.importance-out-of-range",
    "ambition": "answers.ambition-out-of-range",
    "consensus": "workshop.score-out-of-range",
}
SLUG_HINT = "gebruik alleen kleine letters, cijfers en streepjes, zoals 'buurtzorg-jong'"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "leeg"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def suggest(word: str, options: Iterable[str]) -> str:
    """' Bedoelt u 'x'?' when a close option exists, else ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" Bedoelt u '{close[0]}'?" if close else ""


def _field_names(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    current: Any = model
    for step in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(step))
        if info is None:
            return []
        current = info.annotation
        # Unwrap `X | None` to X where X is a model.
        for arg in getattr(current, "__args__", ()) or ():
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                current = arg
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _message(error: Any, model: type[BaseModel]) -> tuple[str, str, bool]:
    """Code and Dutch message of one pydantic error, and whether it points at a key."""
    kind = error["type"]
    loc = [step for step in error["loc"] if step != "[key]"]
    name = str(loc[-1]) if loc else ""
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if "[key]" in error["loc"]:
        return ("field.invalid-id", f"'{_shown(value)}' is geen geldige id; {SLUG_HINT}", True)
    if value is None and kind in (
        "string_type",
        "dict_type",
        "model_type",
        "list_type",
        "date_type",
        "int_type",
        "float_type",
        "bool_type",
    ):
        # An empty value has no position of its own (ruamel puts it on the next line).
        return ("field.empty", "dit veld is nog leeg; vul het in", True)
    if kind == "missing":
        return ("field.missing", f"het verplichte veld '{name}' ontbreekt", False)
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        return (
            "field.unknown",
            f"onbekend veld '{name}'.{suggest(name, allowed)} Toegestaan: {', '.join(allowed)}",
            True,
        )
    if kind == "score":
        top = str(loc[0]) if loc else "answers"
        return (
            _SCALE_CODES.get(top, "field.out-of-range"),
            f"{_SCALE_HINTS.get(top, SCORE_HINT)} (gevonden: {_shown(value)})",
            False,
        )
    if kind == "string_pattern_mismatch":
        if name == "instrument":
            return (
                "field.invalid-value",
                f"'{_shown(value)}' is geen geldige vragenlijst; schrijf bijvoorbeeld "
                "'ketenscan-jeugd@1'",
                False,
            )
        if name == "version":
            return (
                "field.invalid-value",
                f"versie '{_shown(value)}' moet de vorm 1.0.0 hebben",
                False,
            )
        if name in ("site_url", "api_url"):
            return (
                "field.invalid-value",
                f"'{_shown(value)}' is geen webadres; schrijf bijvoorbeeld "
                "'https://ketenscan.voorbeeld.nl/'",
                False,
            )
        if len(loc) >= 2 and loc[-2] == "allowed_origins":
            return (
                "field.invalid-value",
                f"'{_shown(value)}' is geen herkomst; schrijf alleen schema en host, zoals "
                "'https://sites.voorbeeld.nl' (zonder pad of '/' aan het eind)",
                False,
            )
        return ("field.invalid-id", f"'{_shown(value)}' is geen geldige id; {SLUG_HINT}", False)
    if kind == "string_type":
        return (
            "field.not-text",
            f"hier hoort tekst (gevonden: {_shown(value)}); zet de tekst eventueel tussen "
            "aanhalingstekens",
            False,
        )
    if kind == "string_too_short":
        return ("field.too-short", f"'{name}' mag niet leeg zijn; vul het in", False)
    if kind == "string_too_long":
        return (
            "field.too-long",
            f"de tekst is te lang: hooguit {ctx.get('max_length')} tekens",
            False,
        )
    if kind == "literal_error":
        # pydantic joins the choices with an English "or".
        choices = " of ".join(str(ctx.get("expected", "")).rsplit(" or ", 1))
        return (
            "field.choice",
            f"{_shown(value)} is geen geldige waarde; kies uit {choices}",
            False,
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            "field.not-mapping",
            f"hier horen regels 'sleutel: waarde' (gevonden: {_shown(value)})",
            False,
        )
    if kind == "list_type":
        return (
            "field.not-list",
            f"hier hoort een lijst, zoals [a, b] (gevonden: {_shown(value)})",
            False,
        )
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return (
            "field.not-date",
            "schrijf een datum als JJJJ-MM-DD, bijvoorbeeld 2025-10-14 "
            f"(gevonden: {_shown(value)})",
            False,
        )
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return (
            "field.not-integer",
            f"hier hoort een geheel getal (gevonden: {_shown(value)})",
            False,
        )
    if kind == "finite_number":
        return (
            "field.not-number",
            f"hier hoort een gewoon getal, niet oneindig of NaN (gevonden: {_shown(value)})",
            False,
        )
    if kind in ("float_type", "float_parsing"):
        return ("field.not-number", f"hier hoort een getal (gevonden: {_shown(value)})", False)
    if kind == "bool_type":
        return ("field.not-boolean", f"hier hoort true of false (gevonden: {_shown(value)})", False)
    if kind in ("greater_than_equal", "greater_than"):
        return (
            "field.out-of-range",
            f"het getal moet minstens {ctx.get('ge', ctx.get('gt'))} zijn "
            f"(gevonden: {_shown(value)})",
            False,
        )
    if kind in ("less_than_equal", "less_than"):
        return (
            "field.out-of-range",
            f"het getal mag hooguit {ctx.get('le', ctx.get('lt'))} zijn "
            f"(gevonden: {_shown(value)})",
            False,
        )
    if kind == "too_short":
        return (
            "field.too-short",
            f"de lijst is te kort: minstens {ctx.get('min_length')} onderdelen",
            False,
        )
    if kind == "too_long":
        return (
            "field.too-long",
            f"de lijst is te lang: hooguit {ctx.get('max_length')} onderdelen",
            False,
        )
    if kind == "duplicate_id":
        return (
            "field.duplicate-id",
            f"de id '{ctx.get('id')}' komt twee keer voor; elke id moet uniek zijn",
            False,
        )
    return ("field.invalid-value", str(error.get("msg", kind)), False)


def validate_document(model: type[BaseModel], doc: Document) -> tuple[Any, list[Problem]]:
    """Validate a loaded document against `model`: the instance, or every problem located."""
    if not isinstance(doc.data, dict):
        return None, [
            Problem(
                doc.display,
                1,
                1,
                "file.not-a-mapping",
                "het bestand moet bestaan uit regels 'sleutel: waarde', zoals in het sjabloon "
                f"(gevonden: {type(doc.data).__name__})",
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            code, message, at_key = _message(error, model)
            loc = [step for step in error["loc"] if step != "[key]"]
            if error["type"] == "missing":
                loc = loc[:-1]
            problems.append(doc.problem(loc, code, message, key=at_key or "[key]" in error["loc"]))
        return None, problems


M = TypeVar("M", bound=BaseModel)


def load_model(
    model: type[M], path: Path, problems: list[Problem]
) -> tuple[M | None, LoadedYaml | None]:
    """Read and validate one file; its problems are added to `problems`."""
    shown = display_path(path)
    try:
        doc = read_yaml(path, shown)
    except ProblemsError as error:
        problems.extend(error.problems)
        return None, None
    instance, found = validate_document(model, doc)
    problems.extend(found)
    return instance, doc
