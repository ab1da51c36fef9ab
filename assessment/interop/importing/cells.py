"""The value of one cell: a score, a date, intervention levels or a text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessment.instrument import Questionnaire
from assessment.interop.importing.report import normalise, number_text
from assessment.interop.sheets import Cell
from assessment.interop.xlsform import DONT_KNOW
from assessment.messages import suggest
from assessment.models import ImportMapping

_DONT_KNOW_WORDS = ("weet niet", DONT_KNOW, "n.v.t.", "nvt", "niet van toepassing")


YES_WORDS = ("1", "ja", "j", "yes", "y", "x", "waar", "true", "✓", "✔")


NO_WORDS = ("0", "nee", "n", "no", "onwaar", "false")


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


_DECIMAL_POINT = re.compile(r"^[+-]?\d+\.\d+$")


_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


_OTHER_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:$|[T ])")


# --------------------------------------------------------------------------- vocabulary


def _scale_words(questionnaire: Questionnaire, labels: Iterable[str]) -> dict[str, int | None]:
    words: dict[str, int | None] = {}
    for value, label in enumerate(labels, start=1):
        words[str(value)] = value
        words[normalise(label)] = value
        words[normalise(f"{value} - {label}")] = value
        words[normalise(f"{value}. {label}")] = value
        words[normalise(f"{value} {label}")] = value
    for word in (*_DONT_KNOW_WORDS, questionnaire.instrument.dont_know_label):
        words[normalise(word)] = None
    return words


def _answer_key(value: Any) -> str:
    return normalise(str(value)) if not isinstance(value, int) else str(value)


@dataclass
class Vocabulary:
    """The answer texts every kind of column accepts, the mapping's included."""

    statement: dict[str, int | None]
    importance: dict[str, int | None]
    ambition: dict[str, int | None]
    roles: dict[str, str]
    levels: dict[str, str]

    @classmethod
    def of(cls, questionnaire: Questionnaire, mapping: ImportMapping | None) -> Vocabulary:
        instrument = questionnaire.instrument
        levels_names = [step.label for step in instrument.scale]
        own = {_answer_key(k): v for k, v in mapping.values.items()} if mapping else {}
        roles = {}
        for role in questionnaire.roles.values():
            roles[normalise(role.id)] = role.id
            roles[normalise(role.label)] = role.id
        levels = {}
        for level in instrument.intervention_levels:
            levels[normalise(level.id)] = level.id
            levels[normalise(level.title)] = level.id
        if mapping is not None:
            roles |= {_answer_key(k): v for k, v in mapping.roles.items()}
            levels |= {_answer_key(k): v for k, v in mapping.levels.items()}
        return cls(
            statement=_scale_words(questionnaire, levels_names) | own,
            importance=_scale_words(questionnaire, instrument.questions.importance_scale) | own,
            ambition=_scale_words(questionnaire, levels_names) | own,
            roles=roles,
            levels=levels,
        )


# --------------------------------------------------------------------------------- cells


def scale_value(
    cell: Cell, words: Mapping[str, int | None], hint: str
) -> tuple[int | None, str | None, str | None]:
    """(value, problem code, problem message) of a cell in a 1..5 column."""
    if cell.empty:
        return None, None, None
    if cell.kind in ("formula", "error"):
        return None, "import.formula", FORMULA_MESSAGE
    if cell.kind == "bool":
        return None, "import.invalid-score", hint
    if cell.kind == "date":
        return (
            None,
            "import.invalid-score",
            (
                "een datum is geen score; heeft het spreadsheetprogramma een antwoord als datum "
                f"gelezen? {hint}"
            ),
        )
    value = cell.value
    if cell.kind == "number" and isinstance(value, (int, float)):
        if not float(value).is_integer():
            return None, "import.invalid-score", f"geen geheel getal; {hint}"
        key = str(int(value))
    else:
        key = normalise(str(value))
    if key in words:
        return words[key], None, None
    text = str(value).strip()
    if _DECIMAL_COMMA.match(text):
        return (
            None,
            "import.invalid-score",
            (f"een getal met een decimale komma, als tekst; {hint}"),
        )
    if _WHOLE_NUMBER.match(text):
        return None, "import.invalid-score", f"buiten de schaal; {hint}"
    if _DECIMAL_POINT.match(text):
        return None, "import.invalid-score", f"geen geheel getal; {hint}"
    if text.startswith("="):
        return None, "import.formula", FORMULA_MESSAGE
    return (
        None,
        "import.invalid-score",
        (
            f"onbekend antwoord; {hint}. Staat deze tekst in de export voor een score? Zet hem "
            "dan onder 'values:' in het mappingbestand"
            + suggest(normalise(text), [w for w in words if not w.isdigit()])
        ),
    )


FORMULA_MESSAGE = (
    "Ketenscan rekent geen formules uit en neemt hun uitkomst niet over. Zet de waarde zelf "
    "in de cel (kopiëren en 'plakken als waarden')"
)


def cell_text(cell: Cell) -> str:
    """A cell's value as text: numbers without '.0', dates in ISO 8601, nothing as ''."""
    value = cell.value
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return "" if value is None else str(value)


def date_value(cell: Cell) -> tuple[dt.date | None, str | None]:
    """(date, problem message) of a cell in the column of the submission date."""
    value = cell.value
    if cell.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        return None, "een tijd zonder datum; verwacht een datum"
    if cell.kind in ("formula", "error"):
        return None, FORMULA_MESSAGE
    if cell.kind != "text":
        return None, "geen datum; schrijf de datum als 2025-10-14 of maak er een datumcel van"
    text = str(value).strip()
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])), None
        except ValueError:
            return None, "deze datum bestaat niet; schrijf jaar-maand-dag, zoals 2025-10-14"
    if _OTHER_DATE.match(text):
        return None, (
            "een datum als tekst in een andere volgorde dan jaar-maand-dag; bij 03-04-2025 is "
            "niet zeker of het 3 april of 4 maart is. Schrijf 2025-04-03 of maak er een "
            "datumcel van"
        )
    return None, "geen datum; schrijf de datum als 2025-10-14 of maak er een datumcel van"


def named_levels(text: str, words: Mapping[str, str]) -> tuple[list[str], str | None]:
    """Level ids named in one cell: ids or titles, separated by spaces, commas or ';'.

    A title holds spaces ('Intensief en specialistisch'), so the longest known name at
    each place wins.
    """
    rest = normalise(text)
    names = sorted(words, key=len, reverse=True)
    found: list[str] = []
    while rest:
        rest = rest.lstrip(" ,;|\n")
        if not rest:
            break
        for name in names:
            if rest.startswith(name) and (len(rest) == len(name) or rest[len(name)] in " ,;|\n"):
                found.append(words[name])
                rest = rest[len(name) :]
                break
        else:
            unknown = re.split(r"[ ,;|\n]", rest, maxsplit=1)[0]
            return found, unknown
    return found, None
