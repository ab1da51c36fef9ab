"""Small hand-made inputs for the scoring, recommendation and export tests.

Two ways in: `scoring_input` builds the tidy tables of `ScoringInput` straight from a few
`Person` records (fast, any instrument layout), and `write_workspace` writes a real
workspace to disk for the end-to-end tests through `load_workspace` and the CLI.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.analysis.frames import ScoringInput
from assessment.analysis.scoring import Scores, score_input
from assessment.instrument import Questionnaire, load_questionnaire
from assessment.models import Thresholds
from assessment.yamlio import dump_yaml

# (section, factor, statements) in questionnaire order.
Layout = Sequence[tuple[str, str, Sequence[str]]]

# A tiny instrument: factor a has four statements, b two, c one; the first section is
# the success factors (the overall index uses only those).
TINY: Layout = (
    ("succesfactoren", "a", ("a1", "a2", "a3", "a4")),
    ("succesfactoren", "b", ("b1", "b2")),
    ("wat-werkt", "c", ("c1",)),
)
TINY_LEVELS = ("universeel", "selectief", "licht")


@dataclass
class Person:
    """One respondent in one round; statements not in `scores` are 'weet niet'."""

    id: str
    scores: Mapping[str, int | None] = field(default_factory=dict)
    role: str = "wijkteam"
    importance: Mapping[str, int] = field(default_factory=dict)
    ambition: Mapping[str, int] = field(default_factory=dict)
    levels: Sequence[str] | None = None
    municipality: str = "stad"
    round: str = "r1"
    organisation: str | None = None
    major: int = 1


@cache
def shipped() -> Questionnaire:
    """The questionnaire shipped with Ketenscan (loaded once per test run)."""
    return load_questionnaire()


def layout_of(q: Questionnaire) -> Layout:
    """The layout of a real instrument."""
    return tuple(
        (section.id, f.id, tuple(s.id for s in f.statements))
        for section in q.instrument.sections
        for f in section.factors
    )


def level_ids(q: Questionnaire) -> tuple[str, ...]:
    """Every intervention level of a real instrument."""
    return tuple(level.id for level in q.instrument.intervention_levels)


def statements_of(layout: Layout, factor: str) -> tuple[str, ...]:
    """The statements of one factor of a layout."""
    return next(tuple(s) for _, f, s in layout if f == factor)


def scoring_input(
    people: Iterable[Person],
    layout: Layout = TINY,
    *,
    levels: Sequence[str] = TINY_LEVELS,
    expected: Mapping[str, Sequence[str]] | None = None,
    rounds: Iterable[tuple[str, str]] = (),
) -> ScoringInput:
    """The tidy tables of ScoringInput, shaped as frames_from_workspace shapes them.

    Every respondent gets a row for every statement (empty = 'weet niet') and for every
    factor in the ratings, as in a validated answer file. `rounds` adds round folders
    without answers.
    """
    people = list(people)
    keys = ["municipality", "round", "respondent", "role"]
    answers = pd.DataFrame(
        [
            (p.municipality, p.round, p.id, p.role, section, factor, s, p.scores.get(s))
            for p in people
            for section, factor, statements in layout
            for s in statements
        ],
        columns=[*keys, "section", "factor", "statement", "score"],
    ).astype({"score": "float64"})
    respondents = pd.DataFrame(
        [
            (
                p.municipality,
                p.round,
                p.id,
                p.role,
                p.organisation or p.id,
                p.major,
                p.levels is not None,
            )
            for p in people
        ],
        columns=[*keys, "organisation", "major", "levels_answered"],
    )
    ratings = pd.DataFrame(
        [
            (
                p.municipality,
                p.round,
                p.id,
                factor,
                p.importance.get(factor),
                p.ambition.get(factor),
            )
            for p in people
            for _, factor, _ in layout
        ],
        columns=["municipality", "round", "respondent", "factor", "importance", "ambition"],
    ).astype({"importance": "float64", "ambition": "float64"})
    offered = pd.DataFrame(
        [
            (p.municipality, p.round, p.id, p.role, level)
            for p in people
            for level in dict.fromkeys(p.levels or [])
        ],
        columns=[*keys, "level"],
    )
    statements = pd.DataFrame(
        [(s, factor, section) for section, factor, ss in layout for s in ss],
        columns=["statement", "factor", "section"],
    )
    statements["order"] = range(len(statements))
    factors = pd.DataFrame(
        [(factor, section, factor.title()) for section, factor, _ in layout],
        columns=["factor", "section", "title"],
    )
    factors["order"] = range(len(factors))
    level_frame = pd.DataFrame([(lv, lv.title()) for lv in levels], columns=["level", "title"])
    level_frame["order"] = range(len(level_frame))
    round_keys = dict.fromkeys([*((p.municipality, p.round) for p in people), *rounds])
    return ScoringInput(
        answers=answers,
        respondents=respondents,
        ratings=ratings,
        offered=offered,
        statements=statements,
        factors=factors,
        levels=level_frame,
        expected=pd.DataFrame(
            [(m, role) for m, roles in (expected or {}).items() for role in roles],
            columns=["municipality", "role"],
        ),
        rounds=pd.DataFrame(list(round_keys), columns=["municipality", "round"]),
    )


def score(
    people: Iterable[Person],
    layout: Layout = TINY,
    thresholds: Thresholds | None = None,
    **options: Any,
) -> Scores:
    """Every score of a few hand-made respondents."""
    return score_input(scoring_input(people, layout, **options), thresholds or Thresholds())


def one(frame: pd.DataFrame, **where: object) -> dict[str, Any]:
    """The single row of `frame` whose columns equal `where`, as a dict."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask].to_dict("records")
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return {str(key): value for key, value in rows[0].items()}


def is_missing(value: object) -> bool:
    """True for None and NaN (how pandas shows a missing number)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


# ---------------------------------------------------------------- workspaces on disk


def response_doc(
    q: Questionnaire,
    *,
    municipality: str,
    round_slug: str,
    respondent: str,
    role: str,
    scores: Mapping[str, int | None] | None = None,
    organisation: str | None = None,
    importance: Mapping[str, int] | None = None,
    ambition: Mapping[str, int] | None = None,
    levels_offered: Sequence[str] | None = None,
    comments: Mapping[str, str] | None = None,
    goes_well: str | None = None,
) -> dict[str, Any]:
    """A complete answer file: every statement present, 'weet niet' (null) unless scored."""
    given = scores or {}
    doc: dict[str, Any] = {
        "instrument": q.instrument.ref,
        "municipality": municipality,
        "round": round_slug,
        "respondent": {
            "id": respondent,
            "organisation": organisation or respondent.replace("-", " ").title(),
            "role": role,
        },
        "answers": {s: given.get(s) for s in q.statement_order},
        "importance": dict(importance or {}),
        "ambition": dict(ambition or {}),
        "comments": dict(comments or {}),
    }
    if levels_offered is not None:
        doc["levels_offered"] = list(levels_offered)
    if goes_well is not None:
        doc["open"] = {"goes_well": goes_well}
    return doc


def write_municipality(root: Path, slug: str, expected_roles: Sequence[str] = ()) -> Path:
    """A municipality folder with its gemeente.yaml."""
    folder = root / "gemeenten" / slug
    folder.mkdir(parents=True, exist_ok=True)
    info = {"name": slug.title(), "size": "klein", "expected_roles": list(expected_roles)}
    (folder / "gemeente.yaml").write_text(dump_yaml(info), encoding="utf-8")
    return folder


def write_answer(root: Path, doc: Mapping[str, Any]) -> Path:
    """Write one answer file where the workspace expects it."""
    folder = root / "gemeenten" / str(doc["municipality"]) / str(doc["round"]) / "antwoorden"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc['respondent']['id']}.yaml"
    path.write_text(dump_yaml(dict(doc)), encoding="utf-8")
    return path


def write_settings(root: Path, **thresholds: float) -> Path:
    """ketenscan.yaml with the given thresholds."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "ketenscan.yaml"
    path.write_text(dump_yaml({"thresholds": dict(thresholds)}), encoding="utf-8")
    return path
