"""Scoring (SPEC §4): every measure against numbers worked out by hand in the test."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.analysis.frames import frames_from_workspace
from assessment.analysis.levels import level_name
from assessment.analysis.scoring import consensus_from_counts, score_workspace
from assessment.models import Thresholds
from assessment.workspace import load_workspace
from tests.scoring_helpers import (
    Person,
    is_missing,
    layout_of,
    one,
    response_doc,
    score,
    shipped,
    statements_of,
    write_answer,
    write_municipality,
)

# ---------------------------------------------------------------- respondent factor score


def test_respondent_score_counts_when_exactly_half_is_answered() -> None:
    # Factor a has 4 statements, 2 answered: exactly half, so the score is (3 + 4) / 2.
    # Factor b has 2 statements, 1 answered: exactly half again.
    scores = score([Person("p", {"a1": 3, "a2": 4, "a3": None, "b1": 2})])
    a = one(scores.respondent_factors, respondent="p", factor="a")
    b = one(scores.respondent_factors, respondent="p", factor="b")
    assert (a["total"], a["answered"]) == (4, 2)
    assert a["score"] == (3 + 4) / 2
    assert b["score"] == 2 / 1


def test_respondent_score_is_missing_when_fewer_than_half_is_answered() -> None:
    # 1 of 4 statements answered: below half, so no score and p does not count in n.
    scores = score([Person("p", {"a1": 5}), Person("q", {"a1": 2, "a2": 2, "a3": 3, "a4": 1})])
    assert is_missing(one(scores.respondent_factors, respondent="p", factor="a")["score"])
    a = one(scores.factor_scores, factor="a")
    assert a["n"] == 1
    assert a["mean"] == (2 + 2 + 3 + 1) / 4


# ---------------------------------------------------------------- factor score


def test_factor_score_weighs_every_partner_equally_with_its_spread() -> None:
    people = [
        Person("p1", {"a1": 1, "a2": 2, "a3": 3, "a4": 4}),  # (1 + 2 + 3 + 4) / 4 = 2.5
        Person("p2", {"a1": 4, "a2": 4}),  # (4 + 4) / 2 = 4.0, 2 weet niet
        Person("p3", {"a1": 3, "a2": 3, "a3": 3, "a4": 3}),  # 3.0
        Person("p4", {"a1": 5}),  # 1 of 4 answered: no score, 3 weet niet
        Person("p5", {"a1": 2, "a2": 2, "a3": 2}),  # 2.0, 1 weet niet
    ]
    a = one(score(people).factor_scores, factor="a")
    partner_scores = [2.5, 4.0, 3.0, 2.0]
    mean = (2.5 + 4.0 + 3.0 + 2.0) / 4  # 2.875; the mean of all answers would be 41/14
    assert a["n"] == 4
    assert a["mean"] == pytest.approx(mean)
    assert a["median"] == pytest.approx((2.5 + 3.0) / 2)  # middle two of 2.0 2.5 3.0 4.0
    assert (a["min"], a["max"]) == (2.0, 4.0)
    sample_std = math.sqrt(sum((s - mean) ** 2 for s in partner_scores) / (4 - 1))
    assert a["std"] == pytest.approx(sample_std)
    # 6 empty answers (0 + 2 + 0 + 3 + 1) out of 5 partners x 4 statements.
    assert a["dont_know_share"] == pytest.approx(6 / 20)
    assert a["level"] == "functionerend"  # 2.6 <= 2.875 < 3.4


def test_statement_score_is_the_mean_of_its_answers() -> None:
    people = [Person("p1", {"a1": 1}), Person("p2", {"a1": 4}), Person("p3", {"a2": 2})]
    a1 = one(score(people).statement_scores, statement="a1")
    assert (a1["n"], a1["dont_know"]) == (2, 1)
    assert a1["mean"] == (1 + 4) / 2
    assert a1["std"] == pytest.approx(math.sqrt(((1 - 2.5) ** 2 + (4 - 2.5) ** 2) / (2 - 1)))
    assert a1["dont_know_share"] == pytest.approx(1 / 3)
    assert [a1[f"count_{i}"] for i in range(1, 6)] == [1, 0, 0, 1, 0]


def test_single_respondent_has_no_spread_and_full_consensus() -> None:
    scores = score([Person("solo", {"b1": 2, "b2": 5})])
    b = one(scores.factor_scores, factor="b")
    assert b["n"] == 1
    assert b["mean"] == b["median"] == b["min"] == b["max"] == (2 + 5) / 2
    assert is_missing(b["std"])  # n - 1 = 0: no sample standard deviation
    assert b["consensus"] == 1.0  # one answer per statement: everyone agrees
    assert not b["discussion"]


def test_factor_of_only_dont_know_has_no_score_but_shows_the_gap() -> None:
    people = [Person("p1", {"a1": 3, "a2": 3}), Person("p2", {"a1": 4, "a2": 4})]
    scores = score(people)
    b = one(scores.factor_scores, factor="b")
    assert b["n"] == 0
    assert is_missing(b["mean"])
    assert is_missing(b["consensus"])
    assert b["level"] is None
    assert b["dont_know_share"] == 1.0
    assert not b["discussion"]
    b1 = one(scores.statement_scores, statement="b1")
    assert (b1["n"], b1["dont_know"], b1["dont_know_share"]) == (0, 2, 1.0)
    assert is_missing(b1["consensus"])


# ---------------------------------------------------------------- maturity level


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (1.0, "startend"),
        (1.79, "startend"),
        (1.8, "in ontwikkeling"),
        (2.59, "in ontwikkeling"),
        (2.6, "functionerend"),
        (3.39, "functionerend"),
        (3.4, "geborgd"),
        (4.19, "geborgd"),
        (4.2, "voorbeeldig"),
        (5.0, "voorbeeldig"),
    ],
)
def test_level_name_puts_a_band_edge_in_the_higher_level(value: float, level: str) -> None:
    assert level_name(pd.Series([value])).tolist() == [level]


def test_level_name_of_a_missing_score_is_none() -> None:
    assert level_name(pd.Series([np.nan, 3.0])).tolist() == [None, "functionerend"]


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ([2, 2, 2, 2, 1], "in ontwikkeling"),  # 9 / 5 = 1.8
        ([2, 2, 2, 1, 1], "startend"),  # 8 / 5 = 1.6
        ([3, 3, 3, 2, 2], "functionerend"),  # 13 / 5 = 2.6
        ([5, 5, 4, 4, 3], "voorbeeldig"),  # 21 / 5 = 4.2
        ([5, 4, 4, 4, 3], "geborgd"),  # 20 / 5 = 4.0
    ],
)
def test_factor_level_from_answers_at_the_edges(answers: list[int], level: str) -> None:
    people = [Person(f"p{i}", {"c1": s}) for i, s in enumerate(answers)]
    assert one(score(people).factor_scores, factor="c")["level"] == level


def test_level_of_a_mean_that_is_an_edge_in_exact_arithmetic() -> None:
    # Partner scores 1, 1, 11/3, 11/3, 11/3: the factor score is exactly 13/5 = 2.6, which
    # floating point computes as 2.5999999999999996. It is still 'functionerend'.
    people = [
        Person("p1", {"a1": 1, "a2": 1}),
        Person("p2", {"a1": 1, "a2": 1}),
        *(Person(f"q{i}", {"a1": 4, "a2": 4, "a3": 3}) for i in range(3)),
    ]
    exact = (1 + 1 + 3 * Fraction(11, 3)) / 5
    assert exact == Fraction(13, 5)
    a = one(score(people).factor_scores, factor="a")
    assert a["mean"] == pytest.approx(float(exact))
    assert a["level"] == "functionerend"


def test_overall_index_is_the_mean_of_the_eight_success_factors() -> None:
    q = shipped()
    layout = layout_of(q)
    success = [f for section, f, _ in layout if section == "succesfactoren"]
    assert len(success) == 8
    values = [1, 2, 3, 4, 5, 1, 2, 3]
    answers: dict[str, int | None] = {}
    for factor, value in zip(success, values, strict=True):
        answers.update(dict.fromkeys(statements_of(layout, factor), value))
    # A 'wat werkt' condition scored 5 must not count in the index.
    answers.update(dict.fromkeys(statements_of(layout, "preventie"), 5))
    overall = score([Person("p", answers)], layout).overall
    row = one(overall, municipality="stad", round="r1")
    assert row["index"] == pytest.approx((1 + 2 + 3 + 4 + 5 + 1 + 2 + 3) / 8)  # 2.625
    assert row["factors"] == 8
    assert row["respondents"] == 1
    assert row["level"] == "functionerend"


# ---------------------------------------------------------------- consensus


def counts(*answers: int) -> list[int]:
    """Answer counts for scale values 1..5."""
    return [answers.count(value) for value in range(1, 6)]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((3, 3, 3, 3), 1.0),  # everyone the same
        ((1, 5), 0.0),  # 1 + 0.5 * log2(1 - 2/4) * 2 = 1 - 1 = 0
        ((1, 1, 5, 5), 0.0),
        # mu = 3; |2 - 3| / 4 = |4 - 3| / 4 = 0.25 for both halves
        ((2, 2, 4, 4), 1 + 2 * 0.5 * math.log2(1 - 1 / 4)),
        # mu = 2; answers 1 and 3 are 1 away, answer 2 is 0 away
        ((1, 2, 3), 1 + (1 / 3) * math.log2(1 - 1 / 4) + (1 / 3) * math.log2(1 - 1 / 4)),
        # mu = (3 * 1 + 5) / 4 = 2; the 1s are 1 away, the 5 is 3 away
        ((1, 1, 1, 5), 1 + 0.75 * math.log2(1 - 1 / 4) + 0.25 * math.log2(1 - 3 / 4)),
        # mu = 3; 1 and 5 are 2 away: 1 - 0.2 - 0.2
        ((1, 3, 3, 3, 5), 1 + 0.2 * math.log2(1 - 2 / 4) + 0.2 * math.log2(1 - 2 / 4)),
    ],
)
def test_tastle_wierman_consensus(answers: tuple[int, ...], expected: float) -> None:
    result = consensus_from_counts(np.array([counts(*answers)]))
    assert result.tolist() == pytest.approx([expected])


def test_consensus_without_answers_is_missing() -> None:
    result = consensus_from_counts(np.array([[0, 0, 0, 0, 0], [0, 1, 0, 0, 0]]))
    assert math.isnan(result[0])
    assert result[1] == 1.0


def test_factor_consensus_is_the_mean_of_its_statements() -> None:
    people = [
        Person("p1", {"b1": 2, "b2": 3}),
        Person("p2", {"b1": 2, "b2": 3}),
        Person("p3", {"b1": 4, "b2": 3}),
        Person("p4", {"b1": 4, "b2": 3}),
        Person("p5", {"b2": 3}),  # weet niet on b1: not part of its consensus
    ]
    scores = score(people)
    b1 = 1 + 2 * 0.5 * math.log2(0.75)  # answers 2, 2, 4, 4
    assert one(scores.statement_scores, statement="b1")["consensus"] == pytest.approx(b1)
    assert one(scores.statement_scores, statement="b2")["consensus"] == 1.0
    assert one(scores.factor_scores, factor="b")["consensus"] == pytest.approx((b1 + 1.0) / 2)


def test_discussion_points_need_low_consensus_and_three_answers() -> None:
    def group(municipality: str, answers: list[int]) -> list[Person]:
        return [
            Person(f"p{i}", {"c1": s}, municipality=municipality) for i, s in enumerate(answers)
        ]

    people = [
        *group("verdeeld", [1, 5, 1, 5]),  # consensus 0, n = 4
        *group("grens", [1, 3, 3, 3, 5]),  # consensus exactly 0.6: not below
        *group("twee", [1, 5]),  # consensus 0, but n = 2
        *group("bijna", [2, 2, 4, 4]),  # 1 + log2(0.75) = 0.585 < 0.6
    ]
    scores = score(people)
    for table in (scores.statement_scores, scores.factor_scores):
        flags = {
            m: one(table, municipality=m, factor="c")["discussion"]
            for m in ("verdeeld", "grens", "twee", "bijna")
        }
        assert flags == {"verdeeld": True, "grens": False, "twee": False, "bijna": True}
    twee = one(scores.factor_scores, municipality="twee", factor="c")
    assert (twee["n"], twee["consensus"]) == (2, 0.0)


def test_factor_consensus_exactly_at_the_threshold_is_not_a_discussion_point() -> None:
    # b1: 1, eight 3s, 5 -> mu = 3: 1 + 0.1 * log2(0.5) + 0.1 * log2(0.5) = 0.8
    # b2: three 1s, four 3s, three 5s -> mu = 3: 1 + 0.3 * log2(0.5) * 2 = 0.4
    # factor b: (0.8 + 0.4) / 2 = 0.6, which floating point makes 0.5999999999999999.
    b1 = [1, 3, 3, 3, 3, 3, 3, 3, 3, 5]
    b2 = [1, 1, 1, 3, 3, 3, 3, 5, 5, 5]
    people = [
        Person(f"p{i}", {"b1": x, "b2": y}) for i, (x, y) in enumerate(zip(b1, b2, strict=True))
    ]
    b = one(score(people).factor_scores, factor="b")
    assert b["consensus"] == pytest.approx((0.8 + 0.4) / 2)
    assert not b["discussion"]


def test_discussion_point_threshold_comes_from_the_settings() -> None:
    people = [Person(f"p{i}", {"c1": s}) for i, s in enumerate([2, 2, 4, 4])]  # 0.585
    lower = Thresholds(low_consensus=0.5, min_consensus_n=3)
    assert not one(score(people, thresholds=lower).factor_scores, factor="c")["discussion"]
    fewer = Thresholds(min_consensus_n=5)
    assert not one(score(people, thresholds=fewer).factor_scores, factor="c")["discussion"]


# ---------------------------------------------------------------- role comparison


def role_groups(sizes: dict[str, int]) -> list[Person]:
    """Respondents on factor c, `sizes[role]` per role; scores cycle through 1..5."""
    people: list[Person] = []
    for role, size in sizes.items():
        people += [
            Person(f"{role}-{i}", {"c1": 1 + (len(people) + i) % 5}, role=role) for i in range(size)
        ]
    return people


def shown_roles(sizes: dict[str, int], min_group_size: int = 5) -> dict[str, int]:
    groups = score(
        role_groups(sizes), thresholds=Thresholds(min_group_size=min_group_size)
    ).role_scores
    groups = groups[groups["factor"] == "c"]
    return {str(r["role"]): int(r["n"]) for r in groups.to_dict("records") if r["shown"]}


def test_role_comparison_shows_only_groups_of_at_least_the_minimum() -> None:
    # Twelve respondents 5 + 4 + 2 + 1: only the 5-group is large enough; the hidden
    # remainder 4 + 2 + 1 = 7 >= 5 cannot be traced back to one partner.
    people = role_groups({"wijkteam": 5, "school-po": 4, "gemeente": 2, "jgz-0-4": 1})
    groups = score(people, thresholds=Thresholds(min_group_size=5)).role_scores
    shown = groups[groups["shown"]]
    assert shown["role"].tolist() == ["wijkteam"]
    wijkteam_scores = [p.scores["c1"] for p in people if p.role == "wijkteam"]
    assert wijkteam_scores == [1, 2, 3, 4, 5]
    assert shown["mean"].tolist() == [(1 + 2 + 3 + 4 + 5) / 5]
    hidden = groups[~groups["shown"]]
    assert hidden["mean"].isna().all()
    assert sorted(hidden["n"].tolist()) == [1, 2, 4]


def test_role_comparison_hides_a_large_group_when_the_rest_is_too_small() -> None:
    # 5 + 5 + 2: showing both 5-groups and the total gives away the mean of the 2-group,
    # so one 5-group is hidden too; the hidden remainder becomes 5 + 2 = 7.
    people = role_groups({"wijkteam": 5, "school-po": 5, "gemeente": 2})
    scores = score(people, thresholds=Thresholds(min_group_size=5))
    groups = scores.role_scores
    shown = groups[groups["shown"]]
    assert shown["n"].tolist() == [5]
    assert groups["mean"].notna().sum() == 1
    # What the total and the shown group give away is the sum of 12 - 5 = 7 partners.
    total = one(scores.factor_scores, factor="c")
    assert total["n"] == 12
    hidden_sum = total["mean"] * 12 - shown["mean"].iloc[0] * 5
    hidden = [p.scores["c1"] for p in people if p.role != shown["role"].iloc[0]]
    assert len(hidden) == 7
    assert hidden_sum == pytest.approx(sum(s for s in hidden if s is not None))


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ({"a": 5, "b": 4, "c": 2, "d": 1}, {"a"}),  # remainder 7
        ({"a": 5, "b": 5, "c": 2}, {"b"}),  # remainder 2 -> hide a (ties: first id)
        ({"a": 5, "b": 5, "c": 5, "d": 1}, {"b", "c"}),  # remainder 1 -> hide one 5-group
        ({"a": 6, "b": 5, "c": 3}, {"a"}),  # remainder 3 -> hide the 5, remainder 8
        ({"a": 10, "b": 1}, set()),  # showing a would give away b
        ({"a": 5, "b": 5}, {"a", "b"}),  # nothing hidden
        ({"a": 4, "b": 4}, set()),
        ({"a": 7, "b": 6, "c": 3}, {"a"}),  # remainder 3 -> hide the 6, remainder 9
        ({"a": 7, "b": 6, "c": 4, "d": 1}, {"a", "b"}),  # remainder 4 + 1 = 5 is enough
    ],
)
def test_role_comparison_never_lets_a_small_group_be_derived(
    sizes: dict[str, int], expected: set[str]
) -> None:
    minimum = 5
    # Role ids in alphabetical order, so that a tie hides "a" first.
    roles = {"a": "gemeente", "b": "jgz-0-4", "c": "school-po", "d": "wijkteam"}
    named = {roles[key]: size for key, size in sizes.items()}
    shown = shown_roles(named, minimum)
    assert set(shown) == {roles[key] for key in expected}
    # Subtracting every shown group from the total leaves nobody or at least `minimum`.
    remainder = sum(sizes.values()) - sum(shown.values())
    assert remainder == 0 or remainder >= minimum
    assert all(n >= minimum for n in shown.values())


def test_role_comparison_ignores_respondents_without_a_factor_score() -> None:
    people = role_groups({"wijkteam": 3})
    people += [Person("leeg", {}, role="wijkteam")]  # weet niet on c1: no score
    groups = score(people, thresholds=Thresholds(min_group_size=3)).role_scores
    row = one(groups, factor="c", role="wijkteam")
    assert row["n"] == 3
    assert row["shown"]
    assert row["mean"] == (1 + 2 + 3) / 3


# ---------------------------------------------------------------- ambition and importance


def test_ambition_gap_is_mean_ambition_minus_score() -> None:
    people = [
        Person("p1", {"c1": 2}, ambition={"c": 4}, importance={"c": 4}),
        Person("p2", {"c1": 3}, ambition={"c": 5}, importance={"c": 3}),
        Person("p3", {"c1": 4}, importance={"c": 5}),  # no ambition given
    ]
    c = one(score(people).factor_scores, factor="c")
    assert c["ambition"] == (4 + 5) / 2
    assert c["importance"] == (4 + 3 + 5) / 3
    assert c["ambition_gap"] == pytest.approx((4 + 5) / 2 - (2 + 3 + 4) / 3)  # 4.5 - 3.0


@pytest.mark.parametrize(
    ("score_value", "importances", "quadrant"),
    [
        (3, (3, 4), "vasthouden"),  # score 3.0 >= 3.0, importance 3.5 >= 3.5
        (2, (3, 4), "prioriteit"),  # score below 3.0, importance 3.5
        (2, (3, 3), "later"),
        (3, (3, 3), "minder aandacht nodig"),
        (5, (1, 2), "minder aandacht nodig"),
    ],
)
def test_importance_performance_quadrant(
    score_value: int, importances: tuple[int, int], quadrant: str
) -> None:
    people = [
        Person(f"p{i}", {"c1": score_value}, importance={"c": value})
        for i, value in enumerate(importances)
    ]
    assert one(score(people).factor_scores, factor="c")["quadrant"] == quadrant


def test_quadrant_is_missing_without_importance() -> None:
    c = one(score([Person("p", {"c1": 4})]).factor_scores, factor="c")
    assert is_missing(c["importance"])
    assert c["quadrant"] is None


# ---------------------------------------------------------------- coverage and partners


def test_coverage_counts_providers_and_marks_levels_nobody_offers() -> None:
    people = [
        Person("p1", levels=["universeel", "selectief", "universeel"]),
        Person("p2", levels=["universeel"], role="school-po"),
        Person("p3", levels=None),  # did not answer the question: not counted at all
    ]
    scores = score(people, rounds=[("stad", "leeg")])
    per_level = {
        (r["round"], r["level"]): (r["providers"], r["respondents"], r["gap"])
        for r in scores.coverage.to_dict("records")
    }
    # Two of the three partners answered the levels question (p3 left the key out).
    assert per_level == {
        ("r1", "universeel"): (2, 2, False),
        ("r1", "selectief"): (1, 2, False),
        ("r1", "licht"): (0, 2, True),
        # a round without answers has no gaps: nobody was asked yet
        ("leeg", "universeel"): (0, 0, False),
        ("leeg", "selectief"): (0, 0, False),
        ("leeg", "licht"): (0, 0, False),
    }
    per_role = {
        (r["role"], r["level"]): r["providers"] for r in scores.coverage_roles.to_dict("records")
    }
    assert per_role == {
        ("wijkteam", "universeel"): 1,
        ("wijkteam", "selectief"): 1,
        ("school-po", "universeel"): 1,
    }


def test_missing_partners_are_expected_roles_without_respondent() -> None:
    people = [
        Person("p1", role="wijkteam"),
        Person("p2", role="wijkteam"),
        Person("p3", role="gemeente", round="r2"),
    ]
    expected = {"stad": ["wijkteam", "gemeente", "school-po"]}
    missing = score(people, expected=expected).missing_partners
    pairs = sorted(zip(missing["round"], missing["role"], strict=True))
    assert pairs == [
        ("r1", "gemeente"),
        ("r1", "school-po"),
        ("r2", "school-po"),
        ("r2", "wijkteam"),
    ]


def test_no_level_is_a_gap_when_nobody_answered_the_levels_question() -> None:
    people = [Person("p1", levels=None), Person("p2", levels=None)]
    coverage = score(people).coverage
    assert not coverage["gap"].any()
    assert set(coverage["respondents"]) == {0}


def test_an_empty_list_of_levels_counts_as_answered() -> None:
    people = [Person("p1", levels=[]), Person("p2", levels=["licht"])]
    coverage = score(people).coverage
    gaps = set(coverage.loc[coverage["gap"], "level"])
    assert gaps == {"universeel", "selectief"}


def test_a_round_without_answers_has_no_missing_partners() -> None:
    people = [Person("p1", role="wijkteam")]
    expected = {"stad": ["wijkteam", "gemeente"]}
    missing = score(people, expected=expected, rounds=[("stad", "r2")]).missing_partners
    assert sorted(zip(missing["round"], missing["role"], strict=True)) == [("r1", "gemeente")]


# ---------------------------------------------------------------- trend


def two_rounds() -> list[Person]:
    # a3 is answered only in r1 and a4 only in r2: the trend uses a1 and a2 alone.
    return [
        Person("p1", {"a1": 2, "a2": 2, "a3": 5}, round="r1"),
        Person("p2", {"a1": 3, "a2": 2, "a3": 5}, round="r1"),
        Person("p1", {"a1": 3, "a2": 3, "a4": 1}, round="r2"),
        Person("p2", {"a1": 4, "a2": 3, "a4": 1}, round="r2"),
    ]


def test_trend_uses_only_statements_answered_in_both_rounds() -> None:
    factors = score(two_rounds()).factor_scores
    r2 = one(factors, round="r2", factor="a")
    previous = ((2 + 2) / 2 + (3 + 2) / 2) / 2  # p1 2.0, p2 2.5 on a1 and a2
    current = ((3 + 3) / 2 + (4 + 3) / 2) / 2  # p1 3.0, p2 3.5 on a1 and a2
    assert r2["previous"] == "r1"
    assert r2["previous_mean"] == pytest.approx(previous)
    assert r2["trend"] == pytest.approx(current - previous)  # 3.25 - 2.25 = +1.0
    # The factor score itself uses every answered statement: (7/3 + 8/3) / 2 = 2.5,
    # and r1 was (3 + 10/3) / 2 = 19/6; a naive difference would be a decline.
    assert r2["mean"] == pytest.approx(((3 + 3 + 1) / 3 + (4 + 3 + 1) / 3) / 2)
    assert one(factors, round="r1", factor="a")["mean"] == pytest.approx(19 / 6)


def test_trend_per_statement_is_the_change_of_its_mean() -> None:
    statements = score(two_rounds()).statement_scores
    assert one(statements, round="r2", statement="a1")["trend"] == pytest.approx(
        (3 + 4) / 2 - (2 + 3) / 2
    )
    assert is_missing(one(statements, round="r2", statement="a4")["trend"])


def test_first_round_has_no_trend() -> None:
    factors = score(two_rounds()).factor_scores
    r1 = one(factors, round="r1", factor="a")
    assert is_missing(r1["trend"])
    assert is_missing(r1["previous"])
    only_one = score([Person("p", {"c1": 3})]).factor_scores
    assert only_one["trend"].isna().all()


def test_no_trend_across_instrument_major_versions() -> None:
    people = two_rounds()
    for p in people:
        if p.round == "r2":
            p.major = 2
    assert score(people).factor_scores["trend"].isna().all()


def test_trend_applies_the_half_answered_rule_to_the_shared_statements() -> None:
    people = [
        Person("p1", {"a1": 2, "a2": 4}, round="r1"),
        Person("p2", {"a1": 3, "a2": 3}, round="r1"),
        Person("p1", {"a1": 4, "a2": 4}, round="r2"),
        Person("p2", {"a1": 5}, round="r2"),  # 1 of the 2 shared statements: exactly half
    ]
    r2 = one(score(people).factor_scores, round="r2", factor="a")
    previous = ((2 + 4) / 2 + (3 + 3) / 2) / 2  # 3.0
    current = ((4 + 4) / 2 + 5 / 1) / 2  # 4.5
    assert r2["trend"] == pytest.approx(current - previous)


# ---------------------------------------------------------------- end to end


def test_scores_from_a_workspace_on_disk(tmp_path: Path) -> None:
    q = shipped()
    layout = layout_of(q)
    regie = statements_of(layout, "regie")
    write_municipality(tmp_path, "stad", ["wijkteam", "gemeente"])
    write_answer(
        tmp_path,
        response_doc(
            q,
            municipality="stad",
            round_slug="2025-najaar",
            respondent="team-noord",
            role="wijkteam",
            scores={regie[0]: 2, regie[1]: 3, regie[2]: 4},
            ambition={"regie": 4},
            importance={"regie": 5},
            levels_offered=["universeel", "licht"],
        ),
    )
    write_answer(
        tmp_path,
        response_doc(
            q,
            municipality="stad",
            round_slug="2025-najaar",
            respondent="school-west",
            role="school-po",
            scores={regie[0]: 5, regie[1]: 5, regie[2]: 5},
            ambition={"regie": 5},
        ),
    )
    workspace = load_workspace(tmp_path)
    assert workspace.errors == []
    data = frames_from_workspace(workspace)
    assert len(data.answers) == 2 * len(q.statement_order)
    scores = score_workspace(workspace)
    row = one(scores.factor_scores, factor="regie")
    team, school = (2 + 3 + 4) / 3, (5 + 5 + 5) / 3
    assert row["n"] == 2
    assert row["mean"] == pytest.approx((team + school) / 2)  # 4.0
    assert row["level"] == "geborgd"
    assert row["ambition"] == (4 + 5) / 2
    assert row["importance"] == 5
    assert row["ambition_gap"] == pytest.approx(4.5 - 4.0)
    # regie has 5 statements: 2 + 2 of the 2 x 5 answers are empty
    assert len(regie) == 5
    assert row["dont_know_share"] == pytest.approx((2 + 2) / 10)
    assert scores.missing_partners["role"].tolist() == ["gemeente"]
    gaps = scores.coverage[scores.coverage["gap"]]["level"].tolist()
    assert "universeel" not in gaps
    assert "licht" not in gaps
    assert "selectief" in gaps
