"""The workspace's own files: `gemeente.yaml` and `ketenscan.yaml`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from assessment.limits import MIN_GROUP_DEFAULT, MIN_GROUP_INTERNAL_FLOOR, SCALE_MAX, SCALE_MIN
from assessment.models.base import ShortText, Slug, Strict


class Municipality(Strict):
    """The file `gemeente.yaml`."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan gemeente.yaml"},
    )

    name: ShortText
    size: Literal["klein", "middelgroot", "groot"]
    region: ShortText | None = None
    expected_roles: list[Slug] = []
    inhabitants: Annotated[int, Field(ge=0)] | None = None


class Thresholds(Strict):
    """Thresholds of the scoring and the rules (SPEC §4 defaults)."""

    low_score: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 2.6
    low_consensus: Annotated[float, Field(ge=0, le=1)] = 0.6
    min_consensus_n: Annotated[int, Field(ge=2)] = 3
    min_group_size: Annotated[int, Field(ge=MIN_GROUP_INTERNAL_FLOOR)] = MIN_GROUP_DEFAULT
    ambition_gap: Annotated[float, Field(ge=0, le=4)] = 1.0
    decline: Annotated[float, Field(ge=0, le=4)] = 0.3
    score_split: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 3.0
    importance_split: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 3.5
    target: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 4.0


class Settings(Strict):
    """The file `ketenscan.yaml` (every key optional)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan ketenscan.yaml"},
    )

    title: ShortText = "Ketenscan jeugd"
    audience: Literal["internal", "public"] = "internal"
    instrument: ShortText | None = None
    thresholds: Thresholds = Thresholds()
    collection_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
