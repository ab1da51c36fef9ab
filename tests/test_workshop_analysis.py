"""The workshop's figures (assessment/analysis/workshop.py), every number worked out by hand
on the small workspace of tests/workshop_helpers.py."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from assessment.analysis import Analysis, analyse
from assessment.analysis.workshop import (
    agenda,
    ambition_gaps,
    clock,
    discussion_points,
    level_counts,
    priorities,
)
from assessment.workspace import load_workspace
from tests.scoring_helpers import one
from tests.workshop_helpers import EARLIER, LATER, TOWN, regie_statements, write_workshop_town


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """The analysed workspace with both workshops."""
    root = write_workshop_town(tmp_path_factory.mktemp("workshop") / "ws")
    workspace = load_workspace(root)
    assert workspace.errors == []
    return analyse(workspace)


def rows(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    """The rows of `frame` whose columns equal `where`."""
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


# ------------------------------------------------------------------------ discussion points


def test_divided_statement_is_a_discussion_point_with_its_camps(analysis: Analysis) -> None:
    # Answers 1, 2, 4, 5: μ = 3, each share ¼. Tastle & Wierman with d = 4:
    # 1 + ¼·(log2(1 − 2/4) + log2(1 − 1/4) + log2(1 − 1/4) + log2(1 − 2/4))
    # = 1 + ¼·(−1 − 0.41504 − 0.41504 − 1) = 1 − 0.70752 = 0.29248 < 0.6, n = 4 ≥ 3.
    statement = regie_statements()[0]
    point = one(analysis.workshop.points, round=LATER, point=statement)
    assert point["kind"] == "statement"
    assert math.isclose(point["consensus"], 0.29248, abs_tol=1e-5)
    assert [point[f"count_{v}"] for v in range(1, 6)] == [1, 1, 0, 1, 1]
    assert point["n"] == 4
    assert point["mean"] == 3.0
    # Low = answers 1 or 2 (2 partners), high = 4 or 5 (2); both ≥ ¼ of 4: two camps.
    assert (point["low"], point["high"], point["camps"]) == (2, 2, True)
    assert (point["lowest"], point["highest"]) == (1, 5)


def test_divided_factor_counts_partners_per_level(analysis: Analysis) -> None:
    # Partner factor scores 1.0, 2.0, 4.0, 5.0 lie at levels 1 (< 1.8), 2 (1.8–2.6),
    # 4 (3.4–4.2) and 5 (≥ 4.2); the factor's consensus is the mean of five equal
    # statements: 0.29248.
    point = one(analysis.workshop.points, round=LATER, point="regie")
    assert point["kind"] == "factor"
    assert [point[f"count_{v}"] for v in range(1, 6)] == [1, 1, 0, 1, 1]
    assert math.isclose(point["consensus"], 0.29248, abs_tol=1e-5)
    assert (point["low"], point["high"], point["lowest"], point["highest"]) == (2, 2, 1, 5)


def test_only_divided_points_of_the_round_are_listed(analysis: Analysis) -> None:
    # Every other statement is 3 for everyone (consensus 1); in 2024 regie is 2 for all.
    points = analysis.workshop.points
    assert rows(points, round=EARLIER).empty
    later = rows(points, round=LATER)
    assert sorted(later["point"]) == sorted([*regie_statements(), "regie"])
    # Sorted from the least agreement up; all equal here, so questionnaire order: the
    # factor (order 300) before its statements (301..).
    assert later["point"].tolist()[0] == "regie"


def test_points_are_sorted_by_consensus_then_questionnaire_order() -> None:
    statements = pd.DataFrame(
        {
            "municipality": ["m"] * 3,
            "round": ["r"] * 3,
            "factor": ["f", "f", "g"],
            "statement": ["s2", "s1", "s3"],
            "n": [3, 3, 3],
            "mean": [3.0, 3.0, 3.0],
            "consensus": [0.5, 0.5, 0.2],
            "dont_know": [0, 1, 0],
            "discussion": [True, True, True],
            # s2: 1, 1, 3 -> low 2, high 0; s1: 1, 5, 5 -> low 1, high 2; s3: 2, 3, 4
            **{f"count_{v}": c for v, c in zip(range(1, 6), zip(*[
                (2, 0, 1, 0, 0), (1, 0, 0, 0, 2), (0, 1, 1, 1, 0)], strict=True), strict=True)},
        }
    )  # fmt: skip
    factors = pd.DataFrame(columns=["municipality", "round", "factor", "n", "mean", "consensus"])
    factors["discussion"] = pd.Series(dtype=bool)
    bands = pd.DataFrame(
        columns=["municipality", "round", "factor"] + [f"level_{v}" for v in range(1, 6)]
    )
    found = discussion_points(statements, factors, bands, {"s1": 1, "s2": 2, "s3": 3})
    assert found["point"].tolist() == ["s3", "s1", "s2"]
    s2 = one(found, point="s2")
    # 2 of 3 answers low (≥ ¾) but none high: no camps; lowest 1, highest 3.
    assert (s2["low"], s2["high"], s2["camps"], s2["lowest"], s2["highest"]) == (2, 0, False, 1, 3)
    s1 = one(found, point="s1")
    # 1 low and 2 high, each ≥ ¼ of 3 answers: camps.
    assert (s1["low"], s1["high"], s1["camps"]) == (1, 2, True)
    s3 = one(found, point="s3")
    assert (s3["lowest"], s3["highest"], s3["camps"]) == (2, 4, True)


def test_level_counts_use_the_level_bands() -> None:
    # 1.79 -> level 1, 1.8 -> 2 (an edge belongs to the higher level), 2.6 -> 3,
    # 3.3999 -> 3, 4.2 -> 5; an empty score is not counted.
    frame = pd.DataFrame(
        {
            "municipality": ["m"] * 6,
            "round": ["r"] * 6,
            "section": ["s"] * 6,
            "factor": ["f"] * 6,
            "score": [1.79, 1.8, 2.6, 3.3999, 4.2, None],
        }
    )
    counts = one(level_counts(frame), factor="f")
    assert [counts[f"level_{v}"] for v in range(1, 6)] == [1, 1, 2, 0, 1]


# ------------------------------------------------------------------------ agreed levels


def test_agreed_level_stands_beside_the_mean_never_in_it(analysis: Analysis) -> None:
    # 2025 regie: mean of 1, 2, 4, 5 = 3.0; the group agreed on 4: difference +1.0.
    regie = one(analysis.workshop.agreed, round=LATER, factor="regie")
    assert (regie["score"], regie["mean"], regie["difference"], regie["n"]) == (4, 3.0, 1.0, 4)
    assert regie["rationale"] == "Elk gezin heeft nu een vaste regisseur."
    # An empty agreed level (evaluatie: null) is no row.
    assert rows(analysis.workshop.agreed, round=LATER, factor="evaluatie").empty
    # The individual scores are untouched by the agreed 4: still (1 + 2 + 4 + 5) / 4.
    assert one(analysis.scores.factor_scores, round=LATER, factor="regie")["mean"] == 3.0
    # 2024: regie 2 for everyone and agreed 2: difference 0.
    assert one(analysis.workshop.agreed, round=EARLIER, factor="regie")["difference"] == 0.0


# ------------------------------------------------------------------------ actions


def test_actions_are_late_when_open_and_due_before_the_latest_date(analysis: Analysis) -> None:
    # The latest date in the data is the 2025 workshop, 2025-11-20 (answers: October).
    actions = rows(analysis.workshop.actions, round=LATER)
    late = dict(zip(actions["action"], actions["overdue"], strict=True))
    # a1 is klaar (never late); a2 loopt, due 2025-06-01: late; a4 due 2026-03-01: not yet.
    assert late == {"a1": False, "a2": True, "a4": False}
    assert set(actions["reference"]) == {"2025-11-20"}
    assert set(actions["first_round"]) == {EARLIER, LATER}
    assert one(actions, action="a4")["first_round"] == LATER


def test_previous_round_actions_show_their_status_now(analysis: Analysis) -> None:
    carried = rows(analysis.workshop.carried, round=LATER)
    now = {
        r["action"]: (r["status_then"], r["status_now"], r["overdue"])
        for _, r in carried.iterrows()
    }
    # a1: gepland in 2024, klaar in 2025; a2: loopt, still loopt and late; a3: not in the
    # 2025 file, so its 2024 status stays; due 2026-01-01 is after 2025-11-20.
    assert now == {
        "a1": ("gepland", "klaar", False),
        "a2": ("loopt", "loopt", True),
        "a3": ("gepland", "gepland", False),
    }
    assert set(carried["previous"]) == {EARLIER}
    assert rows(analysis.workshop.carried, round=EARLIER).empty  # no round before 2024


def test_review_counts_done_actions_and_the_change_per_factor(analysis: Analysis) -> None:
    review = rows(analysis.workshop.review, round=LATER)
    # regie: a1 (klaar) and a2 (loopt): 1 of 2; the score went from 2.0 to 3.0: +1,0.
    regie = one(review, factor="regie")
    assert (regie["actions"], regie["done"], regie["trend"]) == (2, 1, 1.0)
    assert regie["summary"] == "1 van 2 acties klaar; Regie op alle niveaus +1,0"
    # evaluatie: a2 and a3, neither klaar; 3 in both rounds: 0,0.
    evaluatie = one(review, factor="evaluatie")
    assert evaluatie["summary"] == (
        "0 van 2 acties klaar; Systematische evaluatie en kwaliteitsverbetering 0,0"
    )
    # Questionnaire order: regie (4th success factor) before evaluatie (7th).
    assert review["factor"].tolist() == ["regie", "evaluatie"]


# ------------------------------------------------------------------------ agenda, lists


def test_agenda_fills_two_and_a_half_hours() -> None:
    items = agenda(points=6, factors=16, recommendations=12, open_actions=3)
    assert [(clock(i.start), clock(i.end)) for i in items] == [
        ("0:00", "0:20"),
        ("0:20", "1:05"),
        ("1:05", "1:15"),
        ("1:15", "1:55"),
        ("1:55", "2:20"),
        ("2:20", "2:30"),
    ]
    # 45 minutes over 6 points: 7.5 -> "8" (whole minutes); 40 over 16 factors: 2,5.
    assert "6 gesprekspunten, ongeveer 8 minuten per punt" in items[1].detail
    assert "ongeveer 2,5 minuut per stuk" in items[3].detail
    assert "12 aanbevelingen als kandidaat-acties en 3 open acties" in items[4].detail
    assert "Geen gesprekspunten" in agenda(0, 16, 0, 0)[1].detail


def test_priorities_and_ambition_gaps_of_the_workshop_page(analysis: Analysis) -> None:
    factors = rows(analysis.scores.factor_scores, round=LATER)
    ranked = priorities(factors, target=4.0)
    # regie: (ambition 4 − 3) × importance 5 = 5; every other factor: (target 4 − 3) × 3
    # (no importance given) = 3; five shown, ties in questionnaire order.
    assert ranked["factor"].tolist() == [
        "regie", "juiste-partners", "samenwerkingsafspraken", "samenwerkingscultuur",
        "continuiteit",
    ]  # fmt: skip
    assert ranked["priority"].tolist() == [5.0, 3.0, 3.0, 3.0, 3.0]
    # Only regie has an ambition: gap 4 − 3 = 1.
    gaps = ambition_gaps(factors)
    assert gaps[["factor", "ambition_gap"]].to_dict("records") == [
        {"factor": "regie", "ambition_gap": 1.0}
    ]


def test_workspace_without_workshops_has_empty_workshop_tables(tmp_path: Path) -> None:
    root = write_workshop_town(tmp_path / "ws", with_workshops=False)
    result = analyse(load_workspace(root))
    assert result.workshop.agreed.empty
    assert result.workshop.actions.empty
    assert result.workshop.review.empty
    assert result.workshop.sessions.empty
    # The discussion points come from the answers alone.
    assert len(rows(result.workshop.points, municipality=TOWN, round=LATER)) == 6
