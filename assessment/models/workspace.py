"""The workspace's own files: `gemeente.yaml` and `ketenscan.yaml`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from assessment.limits import (
    MIN_GROUP_DEFAULT,
    MIN_GROUP_INTERNAL_FLOOR,
    ORIGIN_PATTERN,
    RATE_PER_ADDRESS,
    RATE_PER_TOKEN,
    SCALE_MAX,
    SCALE_MIN,
    URL_PATTERN,
)
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
    # Taking part in the comparison with other municipalities of the same size (SPEC §10):
    # only then do its scores appear on the portal and in any group figure.
    benchmark: bool = False


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


Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2000)]
Origin = Annotated[str, StringConstraints(pattern=ORIGIN_PATTERN, max_length=300)]


class RateLimits(Strict):
    """How many requests per minute the collection server takes before it answers 429."""

    per_token: Annotated[int, Field(ge=1, le=100_000)] = RATE_PER_TOKEN
    per_address: Annotated[int, Field(ge=1, le=1_000_000)] = RATE_PER_ADDRESS


class Collect(Strict):
    """Settings of the collection server (`ketenscan collect`, `ketenscan invite`)."""

    site_url: Url | None = None
    api_url: Url | None = None
    allowed_origins: list[Origin] = []
    rate_limits: RateLimits = RateLimits()


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
    collect: Collect = Collect()
