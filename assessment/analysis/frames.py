"""The tidy tables every score is computed from, built from a validated workspace.

The key columns (municipality, round, respondent, role, section, factor, statement, level)
are categorical, with the sorted ids as categories, shared by every table: grouping and
joining on them then works on small integer codes instead of hashing strings, which is
what made scoring a national workspace slow. A hand-made `ScoringInput` with plain string
columns is scored the same way (see `scoring`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from assessment.instrument import Questionnaire
    from assessment.workspace import Workspace


KEYS = ["municipality", "round"]


@dataclass(frozen=True)
class ScoringInput:
    """The tidy tables every score is computed from."""

    answers: (
        pd.DataFrame
    )  # municipality, round, respondent, role, section, factor, statement, score
    respondents: pd.DataFrame  # ..., role, organisation, major, levels_answered
    ratings: pd.DataFrame  # municipality, round, respondent, factor, importance, ambition
    offered: pd.DataFrame  # municipality, round, respondent, role, level
    statements: pd.DataFrame  # statement, factor, section, order
    factors: pd.DataFrame  # factor, section, title, order
    levels: pd.DataFrame  # level, title, order
    expected: pd.DataFrame  # municipality, role
    rounds: pd.DataFrame  # municipality, round (every round folder, also without answers)


def questionnaire_frames(questionnaire: Questionnaire) -> tuple[pd.DataFrame, ...]:
    """Statement, factor and level tables of the instrument, in questionnaire order."""
    instrument = questionnaire.instrument
    statements = pd.DataFrame(
        [
            (s.id, f.id, section.id)
            for section in instrument.sections
            for f in section.factors
            for s in f.statements
        ],
        columns=["statement", "factor", "section"],
    )
    statements["order"] = np.arange(len(statements))
    factors = pd.DataFrame(
        [(f.id, section.id, f.title) for section in instrument.sections for f in section.factors],
        columns=["factor", "section", "title"],
    )
    factors["order"] = np.arange(len(factors))
    levels = pd.DataFrame(
        [(level.id, level.title) for level in instrument.intervention_levels],
        columns=["level", "title"],
    )
    levels["order"] = np.arange(len(levels))
    return statements, factors, levels


def key_dtype(values: Iterable[str]) -> pd.CategoricalDtype:
    """A categorical dtype whose categories are the distinct ids, sorted (codes are ranks)."""
    return pd.CategoricalDtype(pd.Index(sorted(set(values)), dtype="str"))


def categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """A categorical column from codes into `dtype`'s categories."""
    return pd.Categorical.from_codes(codes, dtype=dtype)


# ---------------------------------------------------------------- keys as integer codes


def vocabulary(*columns: pd.Series) -> pd.Index:
    """The sorted distinct ids of one key over several columns (codes are then ranks).

    Columns that share one categorical dtype with sorted categories (as made by
    `frames_from_workspace`) give its categories without looking at a single row.
    """
    dtypes = [column.dtype for column in columns]
    first = dtypes[0] if dtypes else None
    if (
        isinstance(first, pd.CategoricalDtype)
        and first.categories.is_monotonic_increasing
        and all(
            isinstance(d, pd.CategoricalDtype) and d.categories.equals(first.categories)
            for d in dtypes
        )
    ):
        return first.categories
    values: set[str] = set()
    for column in columns:
        if isinstance(column.dtype, pd.CategoricalDtype):
            values.update(column.dtype.categories)
        else:
            values.update(v for v in column.unique() if isinstance(v, str))
    return pd.Index(sorted(values), dtype="str")


def encode(column: pd.Series, vocab: pd.Index) -> np.ndarray:
    """The code of each id of a key column in `vocab` (-1 where missing)."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.equals(vocab):
        return column.cat.codes.to_numpy().astype(np.intp)
    return np.asarray(vocab.get_indexer(pd.Index(column)), dtype=np.intp)


def group_rows(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The group of each row by several key codes, and the first row of each group.

    Groups are numbered in the order they first appear, as `groupby(sort=False)` orders
    them, so that a table of groups keeps the order of the rows it came from.
    """
    rows = len(codes[0]) if codes else 0
    if rows == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    key = np.zeros(rows, dtype=np.int64)
    for column in codes:
        width = int(column.max()) + 2  # codes from -1 (missing) up
        if int(key.max()) >= (2**62) // width:
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * width + (column + 1)
    ids = pd.factorize(key)[0].astype(np.intp)
    first = np.empty(rows, dtype=bool)
    first[0] = True
    # Numbered by first appearance: a row starts a group when it exceeds every id before.
    np.greater(ids[1:], np.maximum.accumulate(ids)[:-1], out=first[1:])
    return ids, np.flatnonzero(first)


def row_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts, like `to_dict("records")` (a missing number is NaN).

    Through one object array: `to_dict("records")` boxes every cell on its own, which
    took half of the recommendations' time on the national workspace.
    """
    columns = [str(key) for key in frame.columns]
    return [
        dict(zip(columns, values, strict=True)) for values in frame.to_numpy(dtype=object).tolist()
    ]


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The same table with categorical key columns as plain strings."""
    categorical_columns = [
        name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)
    ]
    if not categorical_columns:
        return frame
    return frame.assign(
        **{
            str(name): frame[name].cat.categories.take(
                frame[name].cat.codes.to_numpy(), fill_value=np.nan
            )
            for name in categorical_columns
        }
    )


def frames_from_workspace(workspace: Workspace) -> ScoringInput:
    """Turn a validated workspace into the tidy tables of ScoringInput."""
    statements, factors, levels = questionnaire_frames(workspace.questionnaire)
    order = statements["statement"].tolist()
    factor_ids = factors["factor"].tolist()
    keys: list[tuple[str, str, str, str, str, int, bool]] = []
    answer_rows: list[tuple[int | None, ...]] = []
    importance_rows: list[list[int | None]] = []
    ambition_rows: list[list[int | None]] = []
    offered_rows: list[tuple[int, str]] = []  # (respondent row, level)
    expected_rows: list[tuple[str, str]] = []
    round_rows: list[tuple[str, str]] = []
    # A validated file has every statement: one C-level lookup of all of them.
    every_statement = itemgetter(*order) if len(order) > 1 else None
    for municipality in workspace.municipalities.values():
        expected_rows += [(municipality.slug, role) for role in municipality.info.expected_roles]
        for round_ in municipality.rounds:
            round_rows.append((municipality.slug, round_.slug))
            for answer in round_.answers:
                r = answer.response
                levels_offered = dict.fromkeys(r.levels_offered or [])
                offered_rows += [(len(keys), level) for level in levels_offered]
                keys.append(
                    (
                        municipality.slug,
                        round_.slug,
                        r.respondent.id,
                        r.respondent.role,
                        r.respondent.organisation,
                        int(r.instrument.partition("@")[2]),
                        r.levels_offered is not None,
                    )
                )
                try:
                    values = every_statement(r.answers) if every_statement else None
                except KeyError:
                    values = None
                answer_rows.append(values or tuple(r.answers.get(s) for s in order))
                importance_rows.append(list(map(r.importance.get, factor_ids)))
                ambition_rows.append(list(map(r.ambition.get, factor_ids)))
    dtypes = {
        "municipality": key_dtype([*workspace.municipalities, *(m for m, _ in round_rows)]),
        "round": key_dtype(r for _, r in round_rows),
        "respondent": key_dtype(k[2] for k in keys),
        "role": key_dtype([*(k[3] for k in keys), *(role for _, role in expected_rows)]),
        "section": key_dtype(statements["section"]),
        "factor": key_dtype(factors["factor"]),
        "statement": key_dtype(statements["statement"]),
        "level": key_dtype([*levels["level"], *(level for _, level in offered_rows)]),
    }

    def codes(name: str, values: Iterable[str]) -> np.ndarray:
        return np.asarray(dtypes[name].categories.get_indexer(pd.Index(list(values), dtype="str")))

    people = len(keys)
    who = {
        name: codes(name, (str(k[i]) for k in keys))
        for i, name in enumerate(["municipality", "round", "respondent", "role"])
    }
    respondents = pd.DataFrame(
        {name: categorical(who[name], dtypes[name]) for name in who}
        | {
            "organisation": pd.array([k[4] for k in keys], dtype="str"),
            "major": np.array([k[5] for k in keys], dtype="int64"),
            "levels_answered": np.array([k[6] for k in keys], dtype="bool"),
        }
    )

    def long(per_item: dict[str, np.ndarray], values: dict[str, np.ndarray]) -> pd.DataFrame:
        """One row per respondent × item: respondent keys repeated, item keys tiled."""
        items = len(next(iter(per_item.values())))
        columns: dict[str, object] = {
            name: categorical(np.repeat(who[name], items), dtypes[name])
            for name in ("municipality", "round", "respondent", "role")
        }
        columns |= {
            name: categorical(np.tile(item_codes, people), dtypes[name])
            for name, item_codes in per_item.items()
        }
        return pd.DataFrame(columns | values)

    def matrix(rows: list[list[int | None]] | list[tuple[int | None, ...]]) -> np.ndarray:
        """Respondent-major values (None becomes NaN), flattened to match `long`."""
        if not rows:
            return np.empty(0, dtype="float64")
        return np.array(rows, dtype="float64").reshape(-1)

    answers = long(
        {
            "section": codes("section", statements["section"]),
            "factor": codes("factor", statements["factor"]),
            "statement": codes("statement", statements["statement"]),
        },
        {"score": matrix(answer_rows)},
    )
    ratings = long(
        {"factor": codes("factor", factor_ids)},
        {
            "importance": matrix(importance_rows),
            "ambition": matrix(ambition_rows),
        },
    ).drop(columns="role")
    offered_at = np.array([row for row, _ in offered_rows], dtype="intp")
    offered = pd.DataFrame(
        {
            name: categorical(who[name][offered_at], dtypes[name])
            for name in ("municipality", "round", "respondent", "role")
        }
        | {"level": categorical(codes("level", (lv for _, lv in offered_rows)), dtypes["level"])}
    )
    return ScoringInput(
        answers=answers,
        respondents=respondents,
        ratings=ratings,
        offered=offered,
        statements=statements,
        factors=factors,
        levels=levels,
        expected=pd.DataFrame(
            {
                "municipality": categorical(
                    codes("municipality", (m for m, _ in expected_rows)), dtypes["municipality"]
                ),
                "role": categorical(codes("role", (r for _, r in expected_rows)), dtypes["role"]),
            }
        ),
        rounds=pd.DataFrame(
            {
                "municipality": categorical(
                    codes("municipality", (m for m, _ in round_rows)), dtypes["municipality"]
                ),
                "round": categorical(codes("round", (r for _, r in round_rows)), dtypes["round"]),
            }
        ),
    )


RESPONDENT_COLUMNS = [
    "municipality", "round", "respondent", "role", "organisation", "submitted", "levels_offered",
]  # fmt: skip
COMMENT_COLUMNS = ["municipality", "round", "respondent", "role", "question", "text"]


def respondent_tables(
    workspace: Workspace, only: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who took part, and every free text they wrote (of one municipality when `only`)."""
    people: list[tuple[Any, ...]] = []
    texts: list[tuple[str, ...]] = []
    for municipality in workspace.municipalities.values():
        if only is not None and municipality.slug != only:
            continue
        for round_ in municipality.rounds:
            for answer in round_.answers:
                r = answer.response
                key = (municipality.slug, round_.slug, r.respondent.id, r.respondent.role)
                people.append(
                    (
                        *key,
                        r.respondent.organisation,
                        r.submitted.isoformat() if r.submitted else None,
                        ",".join(r.levels_offered or []),
                    )
                )
                texts += [(*key, factor, text) for factor, text in r.comments.items() if text]
                texts += [
                    (*key, question, text)
                    for question, text in (
                        ("goes_well", r.open.goes_well),
                        ("change_first", r.open.change_first),
                    )
                    if text
                ]
    return (
        pd.DataFrame(people, columns=RESPONDENT_COLUMNS),
        pd.DataFrame(texts, columns=COMMENT_COLUMNS),
    )
