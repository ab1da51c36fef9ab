"""Exports (`ketenscan score`): CSV, JSON and XLSX with the same records, safe to open."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.interop.tables import COLUMN_HELP, TABLE_COLUMNS, neutralise
from tests.scoring_helpers import (
    layout_of,
    level_ids,
    response_doc,
    shipped,
    statements_of,
    write_answer,
    write_municipality,
)

TABLES = [
    "answers",
    "factor_scores",
    "statement_scores",
    "recommendations",
    "respondents",
    "comments",
    "indicators",
    "indicator_references",
    "comparison",
    "agreed",
    "actions",
]
FORMULA = '=HYPERLINK("http://x")'
ORGANISATION = "@SUM(A1)"
ROUNDS = ("2024-najaar", "2025-najaar")
FORMAT_OPTIONS = ["--format", "csv", "--format", "json", "--format", "xlsx"]


@dataclass(frozen=True)
class Exported:
    """The output folder of one `ketenscan score` run and how it ended."""

    out: Path
    exit_code: int
    stdout: str
    stderr: str


def build_workspace(root: Path) -> None:
    """stad: two rounds; regie declines from 4.0 to 17/6, one partner answers 'weet niet'."""
    q = shipped()
    regie = statements_of(layout_of(q), "regie")[:3]
    levels = list(level_ids(q))
    write_municipality(root, "stad", ["wijkteam", "gemeente", "huisartsenpraktijk"])

    def answer(round_slug: str, respondent: str, role: str, **options: Any) -> None:
        write_answer(
            root,
            response_doc(
                q,
                municipality="stad",
                round_slug=round_slug,
                respondent=respondent,
                role=role,
                levels_offered=levels,
                **options,
            ),
        )

    first, second = ROUNDS
    answer(first, "team-noord", "wijkteam", scores=dict.fromkeys(regie, 4))
    answer(first, "gemeente-a", "gemeente", scores=dict.fromkeys(regie, 4))
    answer(
        second,
        "team-noord",
        "wijkteam",
        scores=dict.fromkeys(regie, 3),
        importance={"regie": 5},
        ambition={"regie": 4},
        comments={"regie": FORMULA},
        goes_well="Korte lijnen met de huisarts.",
    )
    answer(
        second,
        "gemeente-a",
        "gemeente",
        organisation=ORGANISATION,
        scores={regie[0]: 2, regie[1]: 3, regie[2]: 3},
        importance={"regie": 4},
    )
    answer(second, "min-een", "school-po", organisation="-1")  # only 'weet niet'


def run_score(workspace: Path, out: Path) -> Exported:
    result = CliRunner().invoke(
        main,
        ["score", str(workspace), "--out", str(out), *FORMAT_OPTIONS],
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Exported(out, result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    root = tmp_path_factory.mktemp("export")
    build_workspace(root / "ws")
    return run_score(root / "ws", root / "out")


def read_csv(out: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def sheet_values(book: Any, name: str) -> list[list[Any]]:
    """Every row of a worksheet as plain cell values."""
    return [[cell.value for cell in row] for row in book[name].iter_rows()]


def same_value(text: str, value: object) -> bool:
    """Does a CSV cell hold the same value as a JSON or XLSX cell?"""
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == str(value)
    if isinstance(value, int | float):
        return text != "" and math.isclose(float(text), value, rel_tol=0, abs_tol=1e-12)
    return text == value


# ---------------------------------------------------------------- files and columns


def test_score_writes_every_table_in_every_format(exported: Exported) -> None:
    assert exported.exit_code == 0, exported.stderr
    expected = {f"{t}.{ext}" for t in TABLES for ext in ("csv", "json")}
    expected |= {"ketenscan.xlsx", "methode.md"}
    assert {p.name for p in exported.out.iterdir()} == expected


def test_csv_columns(exported: Exported) -> None:
    columns = {table: read_csv(exported.out, table)[0] for table in TABLES}
    assert columns["answers"] == [
        "municipality", "round", "respondent", "role", "section", "factor", "statement", "score",
    ]  # fmt: skip
    assert columns["factor_scores"][:17] == [
        "municipality", "round", "section", "factor", "n", "mean", "median", "min", "max",
        "std", "dont_know_share", "consensus", "level", "ambition", "ambition_gap",
        "importance", "trend",
    ]  # fmt: skip
    assert columns["statement_scores"][:16] == [
        "municipality", "round", "section", "factor", "statement", "n", "mean", "median", "min",
        "max", "std", "dont_know_share", "consensus", "level", "trend", "discussion",
    ]  # fmt: skip
    assert columns["recommendations"][:9] == [
        "municipality", "round", "rank", "rule", "factor", "horizon", "priority", "title",
        "reason",
    ]  # fmt: skip
    assert columns["respondents"][:5] == [
        "municipality", "round", "respondent", "role", "organisation",
    ]  # fmt: skip
    assert columns["comments"] == [
        "municipality",
        "round",
        "respondent",
        "role",
        "question",
        "text",
    ]


def test_answers_csv_has_every_answer_and_empty_for_dont_know(exported: Exported) -> None:
    q = shipped()
    regie = statements_of(layout_of(q), "regie")
    _, rows = read_csv(exported.out, "answers")
    assert len(rows) == 5 * len(q.statement_order)  # 2 + 3 partners, every statement
    scores = {(r["round"], r["respondent"], r["statement"]): r["score"] for r in rows}
    assert scores[("2025-najaar", "gemeente-a", regie[0])] == "2"  # an integer, not 2.0
    assert scores[("2025-najaar", "gemeente-a", regie[3])] == ""  # weet niet
    assert {s for (_, who, _), s in scores.items() if who == "min-een"} == {""}
    assert set(scores.values()) == {"", "2", "3", "4"}


def test_factor_scores_csv_holds_numbers_with_a_decimal_point(exported: Exported) -> None:
    _, rows = read_csv(exported.out, "factor_scores")
    numeric = ["n", "mean", "median", "min", "max", "std", "dont_know_share", "consensus"]
    numeric += ["ambition", "ambition_gap", "importance", "trend"]
    for row in rows:
        for column in numeric:
            assert "," not in row[column]
            if row[column]:
                float(row[column])
    regie = {r["round"]: r for r in rows if r["factor"] == "regie"}
    now = regie["2025-najaar"]
    # team-noord 3.0, gemeente-a (2 + 3 + 3) / 3; min-een has no score
    mean = (3.0 + 8 / 3) / 2  # 17/6
    assert now["n"] == "2"
    assert float(now["mean"]) == pytest.approx(mean, abs=1e-6)
    assert float(now["trend"]) == pytest.approx(mean - 4.0, abs=1e-6)  # -7/6
    assert now["trend"].startswith("-1.16")  # a plain negative number, not neutralised
    assert float(now["ambition_gap"]) == pytest.approx(4.0 - mean, abs=1e-6)
    assert float(now["importance"]) == (5 + 4) / 2
    assert regie["2024-najaar"]["trend"] == ""  # first round: no trend
    # regie has 5 statements; 3 partners: 2 + 2 + 5 empty answers out of 15
    assert float(now["dont_know_share"]) == pytest.approx((2 + 2 + 5) / 15, abs=1e-6)


def test_recommendations_csv_ranks_the_triggered_rules(exported: Exported) -> None:
    _, rows = read_csv(exported.out, "recommendations")
    now = [r for r in rows if r["round"] == "2025-najaar"]
    assert [r["rank"] for r in now] == [str(i) for i in range(1, len(now) + 1)]
    rules = {r["rule"] for r in now}
    assert {"achteruitgang", "partner-ontbreekt-huisartsenpraktijk"} <= rules
    decline = next(r for r in now if r["rule"] == "achteruitgang")
    assert decline["factor"] == "regie"
    # (ambition 4 - 17/6) x importance 4.5 = 5.25
    assert float(decline["priority"]) == pytest.approx((4 - 17 / 6) * 4.5)


# ---------------------------------------------------------------- formulas neutralised


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Team = goed", "Team = goed"),
        (-1, -1),
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_neutralise_changes_only_text_a_spreadsheet_would_run(
    value: object, expected: object
) -> None:
    assert neutralise(value) == expected


def test_csv_neutralises_formula_text_but_not_numbers(exported: Exported) -> None:
    _, comments = read_csv(exported.out, "comments")
    texts = {(r["respondent"], r["question"]): r["text"] for r in comments}
    assert texts == {
        ("team-noord", "regie"): "'" + FORMULA,
        ("team-noord", "goes_well"): "Korte lijnen met de huisarts.",
    }
    _, people = read_csv(exported.out, "respondents")
    organisations = {(r["round"], r["respondent"]): r["organisation"] for r in people}
    assert organisations[("2025-najaar", "gemeente-a")] == "'" + ORGANISATION
    assert organisations[("2025-najaar", "min-een")] == "'-1"
    assert organisations[("2025-najaar", "team-noord")] == "Team Noord"


def test_xlsx_has_the_csv_values_and_no_formulas(exported: Exported) -> None:
    book = openpyxl.load_workbook(exported.out / "ketenscan.xlsx")
    assert set(book.sheetnames) == {*TABLES, "uitleg"}
    for table in TABLES:
        header, rows = read_csv(exported.out, table)
        cells = sheet_values(book, table)
        assert cells[0] == header, table
        assert len(cells) - 1 == len(rows), table
        for values, row in zip(cells[1:], rows, strict=True):
            for column, value in zip(header, values, strict=True):
                assert same_value(row[column], value), (table, column, row[column], value)
        formulas = [
            c.coordinate for row in book[table].iter_rows() for c in row if c.data_type == "f"
        ]
        assert formulas == [], table
    comments = sheet_values(book, "comments")
    assert ["stad", "2025-najaar", "team-noord", "wijkteam", "regie", "'" + FORMULA] in comments
    factors = sheet_values(book, "factor_scores")
    trend = factors[0].index("trend")
    declines = [
        row[trend] for row in factors[1:] if isinstance(row[trend], float) and row[trend] < 0
    ]
    assert declines == [pytest.approx(17 / 6 - 4, abs=1e-6)]  # a number, not text


def test_xlsx_explains_every_column_of_every_table_in_dutch(exported: Exported) -> None:
    rows = sheet_values(openpyxl.load_workbook(exported.out / "ketenscan.xlsx"), "uitleg")
    assert rows[0] == ["tabel", "kolom", "uitleg"]
    explained: dict[tuple[str, str], Any] = {
        (table, column or ""): text for table, column, text in rows[1:]
    }
    for table in TABLES:
        assert explained.get((table, "")), f"no explanation of table {table}"
        for column in read_csv(exported.out, table)[0]:
            text = explained.get((table, column))
            assert isinstance(text, str), (table, column)
            assert text.strip(), (table, column)
            assert text != column
    assert str(explained[("factor_scores", "mean")]).startswith("Gemiddelde score")
    assert "weet niet" in str(explained[("answers", "score")])


def test_every_exported_column_has_a_dutch_explanation() -> None:
    for table, columns in TABLE_COLUMNS.items():
        for column in columns:
            assert COLUMN_HELP.get(column, "").strip(), (table, column)


def test_json_has_the_same_records_as_the_csv(exported: Exported) -> None:
    for table in TABLES:
        header, rows = read_csv(exported.out, table)
        records = json.loads((exported.out / f"{table}.json").read_text(encoding="utf-8"))
        assert len(records) == len(rows), table
        for record, row in zip(records, rows, strict=True):
            assert list(record) == header, table
            for column in header:
                assert same_value(row[column], record[column]), (table, column, record[column])


def test_json_keeps_numbers_as_numbers(exported: Exported) -> None:
    records = json.loads((exported.out / "factor_scores.json").read_text(encoding="utf-8"))
    regie = next(r for r in records if r["factor"] == "regie" and r["round"] == "2025-najaar")
    assert regie["n"] == 2
    assert isinstance(regie["mean"], float)
    answers = json.loads((exported.out / "answers.json").read_text(encoding="utf-8"))
    assert {a["score"] for a in answers if a["respondent"] == "min-een"} == {None}


# ---------------------------------------------------------------- broken municipality


def test_score_writes_the_other_municipalities_when_one_is_broken(tmp_path: Path) -> None:
    build_workspace(tmp_path / "ws")
    q = shipped()
    write_municipality(tmp_path / "ws", "kapot", ["wijkteam"])
    broken = response_doc(
        q, municipality="kapot", round_slug="2025-najaar", respondent="team-zuid", role="wijkteam"
    )
    broken["answers"][q.statement_order[0]] = 7  # outside 1..5
    write_answer(tmp_path / "ws", broken)
    result = run_score(tmp_path / "ws", tmp_path / "out")
    assert result.exit_code == 1
    assert "kapot" in result.stderr
    _, rows = read_csv(tmp_path / "out", "answers")
    assert {r["municipality"] for r in rows} == {"stad"}
    _, rows = read_csv(tmp_path / "out", "factor_scores")
    assert {r["municipality"] for r in rows} == {"stad"}
    assert (tmp_path / "out" / "ketenscan.xlsx").is_file()
    assert (tmp_path / "out" / "methode.md").is_file()
