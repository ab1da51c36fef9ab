"""The building blocks of every model: strict models, ids, texts and the answer scale."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from assessment.limits import SCALE_MAX, SCALE_MIN, SHORT_TEXT_MAX, SLUG_MAX, SLUG_PATTERN, TEXT_MAX

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=SLUG_MAX)]


Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=SHORT_TEXT_MAX)]


def _check_scale_value(value: Any) -> int | None:
    # One custom check instead of `int | None` keeps to a single, plain error per value.
    if value is None:
        return None
    if type(value) is int and SCALE_MIN <= value <= SCALE_MAX:
        return value
    raise PydanticCustomError("score", "score outside 1..5 or not an integer")


ScaleValue = Annotated[
    int | None,
    PlainValidator(_check_scale_value),
    WithJsonSchema({"type": ["integer", "null"], "minimum": SCALE_MIN, "maximum": SCALE_MAX}),
]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
