"""The tidy tables and their keys as codes: categorical keys must score as plain strings do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from assessment.analysis.frames import (
    ScoringInput,
    encode,
    frames_from_workspace,
    group_rows,
    plain,
    row_dicts,
    vocabulary,
)
from assessment.analysis.scoring import role_scores, score_input
from assessment.models import Thresholds
from assessment.workspace import load_workspace
from tests.scoring_helpers import (
    Person,
    response_doc,
    scoring_input,
    shipped,
    write_answer,
    write_municipality,
)


def test_groups_are_numbered_in_order_of_first_appearance() -> None:
    # Rows: (b, 1) (a, 0) (b, 1) (a, 1) (a, 0): groups 0 1 0 2 1, first rows 0 1 3.
    ids, first = group_rows(np.array([1, 0, 1, 0, 0]), np.array([1, 0, 1, 1, 0]))
    assert ids.tolist() == [0, 1, 0, 2, 1]
    assert first.tolist() == [0, 1, 3]


def test_codes_are_ranks_of_the_sorted_ids() -> None:
    column = pd.Series(["zee", "dijk", None, "zee"])
    vocab = vocabulary(column, pd.Series(["akker"]))
    assert vocab.tolist() == ["akker", "dijk", "zee"]
    assert encode(column, vocab).tolist() == [2, 1, -1, 2]
    # A categorical column with other categories is looked up by its ids, not its codes.
    shuffled = pd.Series(pd.Categorical(["dijk", "zee"], categories=["zee", "dijk"]))
    assert encode(shuffled, vocab).tolist() == [1, 2]


def test_plain_turns_categorical_keys_into_strings() -> None:
    frame = pd.DataFrame({"round": pd.Categorical(["r2", None], categories=["r1", "r2"])})
    column = plain(frame)["round"]
    assert column.dtype == "str"
    assert column.iloc[0] == "r2"
    assert pd.isna(column.iloc[1])


def as_categorical(data: ScoringInput) -> ScoringInput:
    """The same tables with every key column categorical, categories in reverse order."""

    def convert(frame: pd.DataFrame) -> pd.DataFrame:
        keys = ["municipality", "round", "respondent", "role", "section", "factor", "statement"]
        return frame.assign(
            **{
                key: pd.Categorical(
                    frame[key], categories=sorted(set(frame[key].dropna()), reverse=True)
                )
                for key in keys
                if key in frame.columns
            }
        )

    return ScoringInput(
        **{name: convert(getattr(data, name)) for name in ScoringInput.__dataclass_fields__}
    )


def two_rounds_of_partners() -> list[Person]:
    people = []
    for round_slug, lean in (("r1", 0), ("r2", 1)):
        for i, role in enumerate(["wijkteam", "wijkteam", "school-po", "gemeente", "wijkteam"]):
            people.append(
                Person(
                    f"p{i}",
                    {"a1": 1 + (i + lean) % 5, "a2": 2 + lean, "b1": None, "c1": 5 - i % 3},
                    role=role,
                    round=round_slug,
                    importance={"a": 1 + i % 5},
                    ambition={"a": 4},
                    levels=["universeel"] if i % 2 else None,
                )
            )
    return people


def test_categorical_and_plain_string_keys_give_the_same_scores() -> None:
    data = scoring_input(two_rounds_of_partners(), rounds=[("stad", "r3")])
    thresholds = Thresholds(min_group_size=3)
    plain_scores = score_input(data, thresholds)
    coded_scores = score_input(as_categorical(data), thresholds)
    for name in plain_scores.__dataclass_fields__:
        expected = getattr(plain_scores, name)
        actual = getattr(coded_scores, name)
        pd.testing.assert_frame_equal(actual, expected, check_index_type=False)
    # The trend is there (r2 against r1), so the comparison covered it.
    assert plain_scores.factor_scores["trend"].notna().any()


def test_scored_tables_keep_plain_string_keys() -> None:
    scores = score_input(
        as_categorical(scoring_input(two_rounds_of_partners())), Thresholds(min_group_size=3)
    )
    for name in scores.__dataclass_fields__:
        frame = getattr(scores, name)
        for key in ("municipality", "round", "role", "factor", "statement"):
            if key in frame.columns:
                assert not isinstance(frame[key].dtype, pd.CategoricalDtype), (name, key)


def test_role_scores_of_one_municipality_match_the_national_call() -> None:
    data = scoring_input(two_rounds_of_partners())
    scores = score_input(data, Thresholds(min_group_size=3))
    again = role_scores(scores.respondent_factors, 3)
    pd.testing.assert_frame_equal(again, scores.role_scores)


def test_workspace_tables_share_one_categorical_dtype_per_key(tmp_path: Path) -> None:
    q = shipped()
    write_municipality(tmp_path, "stad", ["wijkteam", "gemeente"])
    for respondent, role in (("noord", "wijkteam"), ("west", "school-po")):
        write_answer(
            tmp_path,
            response_doc(
                q,
                municipality="stad",
                round_slug="2025-najaar",
                respondent=respondent,
                role=role,
                scores={q.statement_order[0]: 3},
                levels_offered=["universeel"],
            ),
        )
    data = frames_from_workspace(load_workspace(tmp_path))
    tables = [data.answers, data.respondents, data.ratings, data.offered, data.rounds]
    role_dtype = data.answers["role"].dtype
    assert isinstance(role_dtype, pd.CategoricalDtype)
    # The expected role nobody answered for is a category too, so joins stay on codes.
    assert set(role_dtype.categories) == {"gemeente", "school-po", "wijkteam"}
    assert data.expected["role"].dtype == role_dtype
    for table in tables:
        assert table["municipality"].dtype == data.answers["municipality"].dtype
    assert data.answers["score"].notna().sum() == 2
    assert len(data.answers) == 2 * len(q.statement_order)
    assert data.offered["level"].astype(str).tolist() == ["universeel", "universeel"]


def test_row_dicts_match_to_dict_records_value_for_value_and_type_for_type() -> None:
    # row_dicts replaces to_dict("records") for speed; the rules compare NaN with itself
    # (a missing number stays NaN, not None) and print ints as ints.
    table = pd.DataFrame(
        {
            "municipality": pd.Categorical(["a", "b", None]),
            "mean": [2.5, float("nan"), 3.0],
            "n": [3, 4, 5],
            "gap": [True, False, True],
            "previous": ["r1", None, "r2"],
        }
    )
    expected = table.to_dict("records")
    got = row_dicts(table)
    assert len(got) == 3
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine) == list(theirs)
        for column, value in theirs.items():
            key = str(column)
            assert type(mine[key]) is type(value), key
            assert mine[key] == value or (value != value and mine[key] != mine[key]), key
    assert got[1]["mean"] != got[1]["mean"]  # NaN
    assert got[2]["n"] == 5
    assert isinstance(got[2]["n"], int)
