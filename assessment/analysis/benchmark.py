"""Municipalities side by side (SPEC §10): per size class, the median and the spread of
the factor scores of the municipalities that opted in (`benchmark: true`).

Only municipalities that opted in count, each with the scores of its latest round with
answers. A size class is shown only when at least `min_group` of them have scores, and a
factor only when that many have a score on it (the rule of `limits.min_group_size`). The
quartiles are those of Excel's KWARTIEL.INC (QUARTILE.INC): linear interpolation between
the sorted scores, so that a reader can recompute them in a spreadsheet.

Everything here works on plain `Summary` records, so that a site build can compare
municipalities from the small records it keeps per site, without loading them again.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from assessment.analysis.frames import row_dicts
from assessment.formatting import is_missing
from assessment.limits import SIZE_CLASSES

if TYPE_CHECKING:
    from assessment.analysis.scoring import Scores
    from assessment.workspace import Workspace

INDEX = "index"  # the overall index, compared like a factor
COMPARISON_COLUMNS = ["size", "factor", "members", "scored", "median", "q1", "q3", "shown"]


@dataclass(frozen=True)
class Summary:
    """One municipality's latest figures, as far as a comparison needs them."""

    slug: str
    name: str
    size: str
    benchmark: bool
    round: str | None = None
    index: float | None = None
    factors: dict[str, float | None] = field(default_factory=dict)  # success factors

    def record(self) -> dict[str, Any]:
        """As plain JSON data (a site's stamp record)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "size": self.size,
            "benchmark": self.benchmark,
            "round": self.round,
            "index": self.index,
            "factors": dict(self.factors),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Summary:
        """Back from `record()` (missing keys: not opted in, no figures)."""
        factors = record.get("factors")
        return cls(
            slug=str(record.get("slug", "")),
            name=str(record.get("name", "")),
            size=str(record.get("size", "")),
            benchmark=bool(record.get("benchmark", False)),
            round=record.get("round"),
            index=_number(record.get("index")),
            factors={str(k): _number(v) for k, v in factors.items()}
            if isinstance(factors, dict)
            else {},
        )

    @property
    def scored(self) -> bool:
        """True when the municipality has scores to compare."""
        return self.round is not None and self.index is not None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or is_missing(value):
        return None
    return float(value)


@dataclass(frozen=True)
class Spread:
    """Median and quartiles of `n` scores."""

    n: int
    median: float
    q1: float
    q3: float


@dataclass(frozen=True)
class PeerGroup:
    """The municipalities of one size class that opted in and have scores."""

    size: str
    members: int
    min_group: int
    spreads: dict[str, Spread]  # factor id or INDEX -> spread; only groups large enough

    @property
    def shown(self) -> bool:
        """True when the class is large enough to be compared at all."""
        return self.members >= self.min_group

    def rounded(self, digits: int = 6) -> PeerGroup:
        """The same group with every figure rounded to `digits` decimals: by default only
        floating-point noise goes, so that equal groups give equal digests and pages, and
        a page rounds each figure once, as a spreadsheet would."""
        return replace(
            self,
            spreads={
                key: Spread(s.n, round(s.median, digits), round(s.q1, digits), round(s.q3, digits))
                for key, s in self.spreads.items()
            },
        )

    def digest(self) -> str:
        """A hash of everything the group shows: equal digests, equal pages."""
        data = {
            "size": self.size,
            "members": self.members,
            "min_group": self.min_group,
            "spreads": {k: [s.n, s.median, s.q1, s.q3] for k, s in sorted(self.spreads.items())},
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def spread(values: Sequence[float]) -> Spread:
    """Median and quartiles (KWARTIEL.INC) of at least two values."""
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), median, q1, q3)


def peer_groups(
    summaries: Iterable[Summary], factors: Sequence[str], min_group: int
) -> dict[str, PeerGroup]:
    """Every size class with the spread of its opted-in municipalities' scores."""
    members: dict[str, list[Summary]] = {size: [] for size in SIZE_CLASSES}
    for summary in summaries:
        if summary.benchmark and summary.scored and summary.size in members:
            members[summary.size].append(summary)
    floor = max(min_group, 2)  # a spread needs two scores, and a group min_group
    groups: dict[str, PeerGroup] = {}
    for size, group in members.items():
        spreads: dict[str, Spread] = {}
        if len(group) >= min_group:
            for key in (*factors, INDEX):
                values = [
                    value
                    for s in group
                    if (value := s.index if key == INDEX else s.factors.get(key)) is not None
                ]
                if len(values) >= floor:
                    spreads[key] = spread(values)
        groups[size] = PeerGroup(size, len(group), min_group, spreads)
    return groups


def position(value: float | None, where: Spread | None) -> str | None:
    """'boven' (above the middle half), 'midden' (within it) or 'onder' (below it)."""
    if value is None or where is None:
        return None
    if round(value, 6) > round(where.q3, 6):
        return "boven"
    if round(value, 6) < round(where.q1, 6):
        return "onder"
    return "midden"


def comparison_table(groups: dict[str, PeerGroup], factors: Sequence[str]) -> pd.DataFrame:
    """Per size class and factor (and the index): members, how many have a score there,
    median, quartiles, and whether the class is large enough to be shown."""
    rows = []
    for size, group in groups.items():
        for key in (*factors, INDEX):
            found = group.spreads.get(key)
            rows.append(
                {
                    "size": size,
                    "factor": key,
                    "members": group.members,
                    "scored": found.n if found else None,
                    "median": found.median if found else None,
                    "q1": found.q1 if found else None,
                    "q3": found.q3 if found else None,
                    "shown": found is not None,
                }
            )
    frame = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    frame["scored"] = frame["scored"].astype("Int64")
    return frame


def summaries_from(workspace: Workspace, scores: Scores) -> list[Summary]:
    """Every loaded municipality's latest scores (the newest round with answers)."""
    first = workspace.questionnaire.instrument.sections[0].id
    success = scores.factor_scores[scores.factor_scores["section"] == first]
    latest = scores.overall.sort_values("round").groupby("municipality").tail(1)
    rounds = dict(zip(latest["municipality"], latest["round"], strict=True))
    indices = dict(zip(latest["municipality"], latest["index"], strict=True))
    means: dict[str, dict[str, float | None]] = {}
    for row in row_dicts(success[["municipality", "round", "factor", "mean"]]):
        if rounds.get(row["municipality"]) == row["round"]:
            means.setdefault(row["municipality"], {})[row["factor"]] = _number(row["mean"])
    return [
        Summary(
            slug=slug,
            name=data.info.name,
            size=data.info.size,
            benchmark=data.info.benchmark,
            round=rounds.get(slug),
            index=_number(indices.get(slug)),
            factors=means.get(slug, {}),
        )
        for slug, data in workspace.municipalities.items()
    ]
