"""Municipalities side by side (SPEC §10): only those that opted in, per size class, median
and middle half as a spreadsheet's KWARTIEL.INC computes them, only in large enough groups."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.analysis import analyse
from assessment.analysis.benchmark import (
    INDEX,
    Spread,
    Summary,
    comparison_table,
    peer_groups,
    position,
    spread,
)
from assessment.cli import main
from assessment.instrument import Questionnaire
from assessment.template import render_template
from assessment.workspace import load_workspace
from tests.helpers import MUNICIPALITY, ROUND, fill_template, write_municipality

FACTORS = ["f1", "f2"]


def town(
    slug: str, size: str, f1: float | None, f2: float | None, *, opted: bool = True
) -> Summary:
    """A municipality whose index is the mean of its two factor scores."""
    known = [v for v in (f1, f2) if v is not None]
    return Summary(
        slug,
        slug.title(),
        size,
        opted,
        "2025-najaar",
        sum(known) / len(known) if known else None,
        {"f1": f1, "f2": f2},
    )


KLEIN = [
    town("a", "klein", 3.0, 3.0),
    town("b", "klein", 2.0, 2.0),
    town("c", "klein", 4.0, 4.0),
    town("d", "klein", 2.5, None),  # no score on f2
    town("e", "klein", 3.5, 3.5),
]


def test_spread_is_kwartiel_inc() -> None:
    # Five scores: positions (5 - 1) × 0.25 = 1, × 0.5 = 2, × 0.75 = 3 count from 0:
    # the 2nd, 3rd and 4th score exactly.
    assert spread([4.0, 2.0, 3.0, 2.5, 3.5]) == Spread(5, 3.0, 2.5, 3.5)
    # Six scores 1..6: Q1 at position 1.25 -> 2 + 0.25 × (3 - 2) = 2.25; the median halfway
    # between 3 and 4; Q3 at position 3.75 -> 4 + 0.75 × (5 - 4) = 4.75.
    assert spread([1, 2, 3, 4, 5, 6]) == Spread(6, 3.5, 2.25, 4.75)


def test_only_opted_in_municipalities_with_scores_count() -> None:
    others = [
        town("x", "klein", 5.0, 5.0, opted=False),  # never in any figure
        Summary("y", "Y", "klein", True),  # opted in, but no answers yet
        town("g1", "groot", 1.0, 1.0),
        town("g2", "groot", 5.0, 5.0),
    ]
    groups = peer_groups([*KLEIN, *others], FACTORS, min_group=5)
    klein = groups["klein"]
    assert klein.members == 5
    assert klein.shown
    # f1 over 2.0 2.5 3.0 3.5 4.0 (town x's 5.0 is left out): as in the spreadsheet above.
    assert klein.spreads["f1"] == Spread(5, 3.0, 2.5, 3.5)
    # f2: d has no score, four remain: below the group of 5, so no figure for f2.
    assert "f2" not in klein.spreads
    # Index (3.0, 2.0, 4.0, 2.5, 3.5): the same spread as f1.
    assert klein.spreads[INDEX] == Spread(5, 3.0, 2.5, 3.5)
    assert groups["groot"].members == 2
    assert not groups["groot"].shown
    assert groups["groot"].spreads == {}
    assert groups["middelgroot"].members == 0


def test_an_internal_site_may_lower_the_group_to_three() -> None:
    groot = [town(f"g{i}", "groot", v, v) for i, v in enumerate((2.0, 3.0, 4.0))]
    groups = peer_groups(groot, FACTORS, min_group=3)
    # Three scores 2, 3, 4: Q1 at position 0.5 -> 2.5, median 3, Q3 at position 1.5 -> 3.5.
    assert groups["groot"].spreads["f1"] == Spread(3, 3.0, 2.5, 3.5)
    assert not peer_groups(groot, FACTORS, min_group=5)["groot"].shown


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.51, "boven"), (3.5, "midden"), (2.5, "midden"), (2.49, "onder"), (None, None)],
)
def test_position_against_the_middle_half(value: float | None, expected: str | None) -> None:
    assert position(value, Spread(5, 3.0, 2.5, 3.5)) == expected


def test_digest_follows_what_pages_show() -> None:
    group = peer_groups(KLEIN, FACTORS, 5)["klein"]
    same = peer_groups(list(reversed(KLEIN)), FACTORS, 5)["klein"]
    assert group.rounded().digest() == same.rounded().digest()
    # c: 4.0 -> 4.5 changes no quartile (c is the highest of five scores): the same page.
    raised = [*KLEIN[:2], town("c", "klein", 4.5, 4.0), *KLEIN[3:]]
    assert peer_groups(raised, FACTORS, 5)["klein"].rounded().digest() == group.rounded().digest()
    # e: 3.5 -> 3.501 moves Q3 of f1 (the 4th of five scores): a different page.
    nudged = [*KLEIN[:4], town("e", "klein", 3.501, 3.5)]
    assert peer_groups(nudged, FACTORS, 5)["klein"].spreads["f1"].q3 == 3.501
    assert peer_groups(nudged, FACTORS, 5)["klein"].rounded().digest() != group.rounded().digest()
    # Floating-point noise is no change.
    noisy = [town("a", "klein", 0.1 + 0.2 + 2.7, 3.0), *KLEIN[1:]]
    assert peer_groups(noisy, FACTORS, 5)["klein"].rounded().digest() == group.rounded().digest()


def test_a_summary_travels_as_a_plain_record() -> None:
    summary = KLEIN[3]
    record = summary.record()
    assert record == {
        "slug": "d",
        "name": "D",
        "size": "klein",
        "benchmark": True,
        "round": "2025-najaar",
        "index": 2.5,
        "factors": {"f1": 2.5, "f2": None},
    }
    assert Summary.from_record(record) == summary
    assert Summary.from_record({"slug": "z"}) == Summary("z", "", "", False)


def test_comparison_table_has_a_row_per_class_and_factor() -> None:
    table = comparison_table(peer_groups(KLEIN, FACTORS, 5), FACTORS)
    assert len(table) == 3 * 3  # three classes × (two factors + the index)
    klein = table[table["size"] == "klein"].set_index("factor")
    row = klein.loc["f1"]
    assert [row[c] for c in ("members", "scored", "median", "q1", "q3")] == [5, 5, 3.0, 2.5, 3.5]
    assert not klein.loc["f2", "shown"]
    assert klein["shown"].tolist() == [True, False, True]


def test_summaries_come_from_the_latest_round(workspace: Path) -> None:
    (workspace / "gemeenten" / MUNICIPALITY / "gemeente.yaml").write_text(
        "name: Voorbeeldstad\nsize: klein\nbenchmark: true\n", encoding="utf-8"
    )
    analysis = analyse(load_workspace(workspace))
    [summary] = analysis.summaries
    overall = analysis.scores.overall.iloc[0]
    assert (summary.slug, summary.size, summary.benchmark, summary.round) == (
        MUNICIPALITY,
        "klein",
        True,
        ROUND,
    )
    assert summary.index == pytest.approx(overall["index"])
    success = analysis.scores.factor_scores
    success = success[success["section"] == "succesfactoren"]
    assert summary.factors == dict(zip(success["factor"], success["mean"], strict=True))
    # One municipality: below every group, so the exported comparison shows nothing.
    comparison = analysis.comparison
    assert not comparison["shown"].to_numpy().any()
    assert comparison.loc[comparison["size"] == "klein", "members"].tolist()[0] == 1


def _all(score: int) -> Callable[[int], int]:
    """Every statement answered with the same score: each factor mean and the index are it."""
    return lambda _index: score


def test_ketenscan_score_writes_the_comparison(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "ketenscan.yaml").write_text(
        "title: Vergelijking\naudience: internal\nthresholds:\n  min_group_size: 3\n",
        encoding="utf-8",
    )
    # Five small municipalities that opted in (one partner each, every answer the same
    # score), one small one that did not (score 5: it would move every figure), three large
    # ones that opted in and one medium-sized one alone.
    towns = [
        ("k1", "klein", 2, True), ("k2", "klein", 3, True), ("k3", "klein", 4, True),
        ("k4", "klein", 5, True), ("k5", "klein", 1, True), ("kx", "klein", 5, False),
        ("g1", "groot", 2, True), ("g2", "groot", 2, True), ("g3", "groot", 5, True),
        ("m1", "middelgroot", 4, True),
    ]  # fmt: skip
    for slug, size, score, opted in towns:
        flag = "benchmark: true\n" if opted else ""
        write_municipality(ws, slug, f"name: {slug.upper()}\nsize: {size}\n{flag}")
        path = ws / "gemeenten" / slug / ROUND / "antwoorden" / "jgz.yaml"
        text = render_template(
            questionnaire, municipality=slug, round_slug=ROUND, respondent="jgz", role="jgz-0-4"
        )
        path.write_text(
            fill_template(text, questionnaire, organisation=f"JGZ {slug}", score=_all(score)),
            encoding="utf-8",
        )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["score", str(ws), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "comparison.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {
        (r["size"], r["factor"]): (r["members"], r["scored"], r["median"], r["q1"], r["q3"],
                                   r["shown"])
        for r in rows
    }  # fmt: skip
    first = questionnaire.instrument.sections[0].factors[0].id
    # klein: 1 2 3 4 5 (kx's 5 left out): median the 3rd, Q1 at position 1 -> 2, Q3 -> 4.
    assert got[("klein", first)] == ("5", "5", "3.0", "2.0", "4.0", "True")
    assert got[("klein", "index")] == ("5", "5", "3.0", "2.0", "4.0", "True")
    # groot: 2 2 5: median 2; Q1 at position 0.5 -> 2 + 0.5 × 0 = 2; Q3 at position 1.5 ->
    # 2 + 0.5 × (5 - 2) = 3.5. Three is enough here: the internal site's group is 3.
    assert got[("groot", first)] == ("3", "3", "2.0", "2.0", "3.5", "True")
    # middelgroot: one municipality, below every group: counted, never shown.
    assert got[("middelgroot", first)] == ("1", "", "", "", "", "False")
    # A row per size class and per success factor plus the index.
    assert len(rows) == 3 * (len(questionnaire.instrument.sections[0].factors) + 1)
