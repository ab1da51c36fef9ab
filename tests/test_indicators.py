"""Key figures (SPEC §10): the definitions with the seeds' reference values, the values of a
round checked and located like every other file, and the figures worked out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from assessment.analysis.indicators import (
    format_change,
    format_fraction,
    format_value,
    indicator_rows,
    indicator_table,
    meets,
    reference_table,
    rounded,
)
from assessment.errors import Problem, ProblemsError
from assessment.instrument import Questionnaire, load_questionnaire
from assessment.scaffold import write_indicator_template
from assessment.validate import validate_path
from assessment.workspace import load_workspace
from tests.helpers import MUNICIPALITY, ROUND, ROUND_DIR

VALUES = f"{ROUND_DIR}/indicatoren.yaml"


def write_values(workspace: Path, text: str, round_dir: str = ROUND_DIR) -> Path:
    path = workspace / round_dir / "indicatoren.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(workspace: Path) -> list[Problem]:
    return load_workspace(workspace).problems


def located(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in problems]


# ---------------------------------------------------------------- definitions


def test_every_key_figure_of_the_issue_is_defined_with_its_seed_reference(
    questionnaire: Questionnaire,
) -> None:
    defined = questionnaire.indicators
    references = {(d.id, r.id): (r.value, r.kind) for d in defined.values() for r in d.references}
    # Zaltbommel: almost 40% without referral in 2019, against 15% nationally.
    assert references[("hulp-zonder-verwijzing", "zaltbommel-2019")] == (40, "praktijk")
    assert references[("hulp-zonder-verwijzing", "landelijk-2019")] == (15, "landelijk")
    # Buurtzorg Jong: a home visit within three working days for 80% of the families.
    assert references[("huisbezoek-binnen-drie-dagen", "streefwaarde-buurtzorg-jong")] == (
        80,
        "streefwaarde",
    )
    # Drop-out at most 5%; Putten 2013: 5 of 78 = 6.41...%, shown as 6.4.
    assert references[("voortijdig-beeindigd", "streefwaarde-buurtzorg-jong")] == (
        5,
        "streefwaarde",
    )
    assert references[("voortijdig-beeindigd", "putten-2013")] == (6.4, "praktijk")
    assert round(5 / 78 * 100, 1) == 6.4
    # Buurtgezinnen: one in five placements avoided.
    assert references[("uithuisplaatsing-voorkomen", "buurtgezinnen")] == (20, "praktijk")
    # Without a number in the seeds: the trend and what practice shows.
    for plain in (
        "uithuisplaatsingen-per-1000",
        "jeugdigen-in-zorg-per-1000",
        "verwijzingen-via-huisarts",
        "gemiddelde-duur-in-zorg",
    ):
        assert defined[plain].references == []
        assert defined[plain].note
    assert "West-Brabant West" in (defined["jeugdigen-in-zorg-per-1000"].note or "")
    assert defined["gemiddelde-duur-in-zorg"].unit_label == "maanden"
    # Every reference names where it comes from.
    for definition in defined.values():
        for reference in definition.references:
            assert len(reference.source) > 40
        assert definition.factor in questionnaire.factor_ids


def copy_questionnaire(tmp_path: Path) -> Path:
    folder = tmp_path / "vragenlijst"
    shutil.copytree(load_questionnaire().folder, folder)
    return folder


BAD_DEFINITION = """\
indicators:
  - id: a
    name: A
    definition: d
    numerator: n
    denominator: d
    unit: procent
    better: hoger
    factor: regiee
    references:
      - {id: r, label: R, value: 120, kind: landelijk, source: s}
      - {id: r, label: R, value: 10, kind: landelijk, source: s}
"""


def test_bad_definitions_are_checked_in_two_phases(tmp_path: Path) -> None:
    folder = copy_questionnaire(tmp_path)
    path = folder / "indicatoren.yaml"
    # Shape first: an average needs a unit label (the problem is at the whole entry).
    path.write_text(BAD_DEFINITION.replace("unit: procent", "unit: gemiddelde"), encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_questionnaire(folder)
    assert located(caught.value.problems) == [(2, 5, "field.invalid-value")]
    assert "unit_label" in caught.value.problems[0].message
    # Then every cross-check at once.
    path.write_text(BAD_DEFINITION, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_questionnaire(folder)
    found = {(p.line, p.column, p.code): p.message for p in caught.value.problems}
    codes = sorted(found)
    assert codes[:3] == [
        (9, 13, "indicators.unknown-factor"),  # factor: regiee
        # `      - {id: r, label: R, value: 120, ...}`: 120 starts in column 34
        (11, 34, "indicators.reference-out-of-range"),  # 120% can never be reached
        (12, 14, "indicators.duplicate-reference"),
    ]
    assert "Bedoelt u 'regie'?" in found[(9, 13, "indicators.unknown-factor")]
    # The shipped rules name key figures this file no longer has.
    assert {code for _, _, code in codes[3:]} == {"rules.unknown-indicator"}


def test_duplicate_key_figure_id(tmp_path: Path) -> None:
    folder = copy_questionnaire(tmp_path)
    path = folder / "indicatoren.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("- id: verwijzingen-via-huisarts", "- id: hulp-zonder-verwijzing"),
        encoding="utf-8",
    )
    with pytest.raises(ProblemsError) as caught:
        load_questionnaire(folder)
    [duplicate] = [p for p in caught.value.problems if p.code == "indicators.duplicate-indicator"]
    assert duplicate.field == "indicators.2.id"


def test_a_questionnaire_without_key_figures_and_rules_that_need_them(tmp_path: Path) -> None:
    folder = copy_questionnaire(tmp_path)
    (folder / "indicatoren.yaml").unlink()
    with pytest.raises(ProblemsError) as caught:
        load_questionnaire(folder)
    codes = {p.code for p in caught.value.problems}
    assert codes == {"rules.unknown-indicator"}
    assert all("geen indicatoren.yaml" in p.message for p in caught.value.problems)


def test_indicator_rules_are_checked(tmp_path: Path) -> None:
    folder = copy_questionnaire(tmp_path)
    path = folder / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("reference: zaltbommel-2019", "reference: zaltbomel-2019", 1)
    text = text.replace(
        "      indicator: verwijzingen-via-huisarts\n      compare: rise\n",
        "      indicator: verwijzingen-via-huisarts\n      compare: above\n      factor: regie\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_questionnaire(folder)
    found = {p.code: p.message for p in caught.value.problems}
    assert set(found) == {"rules.unknown-reference", "rules.missing-key", "rules.misplaced-key"}
    assert "Bedoelt u 'zaltbommel-2019'?" in found["rules.unknown-reference"]
    # GP referrals have no reference value: 'above' needs a threshold of its own.
    assert "geef de regel een 'threshold'" in found["rules.missing-key"]


# ---------------------------------------------------------------- values: loading


GOOD = f"""\
municipality: {MUNICIPALITY}
round: {ROUND}
period: "2025"
source: registratie wijkteam
values:
  huisbezoek-binnen-drie-dagen:
    numerator: 51
    denominator: 80
  voortijdig-beeindigd:
    value: 7.5
    note: uit het jaarverslag
  gemiddelde-duur-in-zorg:
    numerator: 1420.5
    denominator: 100
  uithuisplaatsingen-per-1000: null
  hulp-zonder-verwijzing:
    numerator: null
    denominator: null
"""


def test_good_values_load(workspace: Path) -> None:
    write_values(workspace, GOOD)
    loaded = load_workspace(workspace)
    assert loaded.problems == []
    [round_] = loaded.municipalities[MUNICIPALITY].rounds
    assert round_.indicators is not None
    assert round_.indicators.period == "2025"
    assert round_.indicators.values["voortijdig-beeindigd"] is not None
    assert loaded.files_checked == 3  # gemeente.yaml, one answer file, indicatoren.yaml


BAD = """\
municipality: andere-stad
round: 2024-najaar
values:
  huisbezoek-binnen-drie-dagen:
    numerator: 90
    denominator: 80
  voortijdig-beeindigd:
    value: 120
  gemiddelde-duur-in-zorg:
    numerator: 30000
    denominator: 100
  hulp-zonder-verwijzing:
    numerator: 12.5
    denominator: 100
  jeugdigen-in-zorg-per-1000:
    numerator: 10
  uithuisplaatsingen-per-1000:
    numerator: 3
    denominator: 1000
    value: 3
  uithuisplaatsing-voorkomen:
    numerator: .nan
    denominator: 10
  verwijzingen-via-huisarts:
    numerator: -1
    denominator: "tien"
  huisbezoek-binnen-3-dagen:
    numerator: 1
    denominator: 2
"""


def test_every_problem_of_a_values_file_is_located_at_once(workspace: Path) -> None:
    write_values(workspace, BAD)
    problems = problems_of(workspace)
    assert {p.path for p in problems} == {f"ws/{VALUES}"}
    assert located(problems) == [
        (1, 15, "indicators.wrong-municipality"),
        (2, 8, "indicators.wrong-round"),
        (5, 16, "indicators.numerator-above-denominator"),  # 90 of 80
        (8, 12, "indicators.out-of-range"),  # 120%
        (10, 16, "indicators.out-of-range"),  # 30000 ÷ 100 = 300 months > 276
        (13, 16, "indicators.not-a-count"),  # 12.5 youths
        (15, 3, "indicators.incomplete"),  # a numerator without denominator
        (17, 3, "indicators.incomplete"),  # counts and a value
        (22, 16, "field.not-number"),  # .nan
        (25, 16, "field.out-of-range"),  # -1
        (26, 18, "field.not-number"),  # "tien"
        (27, 3, "indicators.unknown-indicator"),
    ]
    messages = {(p.line, p.code): p.message for p in problems}
    assert messages[(5, "indicators.numerator-above-denominator")] == (
        "Huisbezoek binnen drie werkdagen: de teller (90) is groter dan de noemer (80); de "
        "teller telt een deel van de noemer"
    )
    assert messages[(10, "indicators.out-of-range")] == (
        "Gemiddelde duur van de jeugdhulp: 30000 ÷ 100 = 300 maanden, meer dan kan (276 maanden)"
    )
    assert (
        "Bedoelt u 'huisbezoek-binnen-drie-dagen'?"
        in messages[(27, "indicators.unknown-indicator")]
    )
    # The municipality with an error is not scored; its problems do not stop the others.
    assert MUNICIPALITY in load_workspace(workspace).failed


def test_a_zero_denominator_has_no_value(workspace: Path) -> None:
    write_values(
        workspace,
        f"municipality: {MUNICIPALITY}\nround: {ROUND}\nvalues:\n"
        "  gemiddelde-duur-in-zorg: {numerator: 0, denominator: 0}\n",
    )
    [problem] = problems_of(workspace)
    # Line 4, `  gemiddelde-duur-in-zorg: {numerator: 0, denominator: 0}`: the second 0.
    assert (problem.line, problem.column, problem.code) == (4, 56, "indicators.out-of-range")
    assert "de noemer is 0" in problem.message


def test_a_single_values_file_is_validated_in_its_folder(workspace: Path) -> None:
    path = write_values(workspace, BAD)
    report = validate_path(path)
    assert report.files_checked == 1
    assert located(report.problems)[:2] == [
        (1, 15, "indicators.wrong-municipality"),
        (2, 8, "indicators.wrong-round"),
    ]
    assert validate_path(write_values(workspace, GOOD)).problems == []


def test_the_template_lists_every_key_figure_and_validates_empty(workspace: Path) -> None:
    path = write_indicator_template(workspace, MUNICIPALITY, "2026-voorjaar")
    text = path.read_text(encoding="utf-8")
    questionnaire = load_questionnaire()
    for definition in questionnaire.indicators.values():
        assert f"  {definition.id}:\n    numerator: null\n    denominator: null\n" in text
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/indicatoren")
    assert problems_of(workspace) == []
    # Filled in like a user would: one figure.
    path.write_text(
        text.replace(
            "  voortijdig-beeindigd:\n    numerator: null\n    denominator: null",
            "  voortijdig-beeindigd:\n    numerator: 5\n    denominator: 78",
        ),
        encoding="utf-8",
    )
    analysis = indicator_table(load_workspace(workspace))
    assert analysis["value"].tolist() == [pytest.approx(5 * 100 / 78)]
    with pytest.raises(ProblemsError) as caught:
        write_indicator_template(workspace, MUNICIPALITY, "2026-voorjaar")
    assert caught.value.problems[0].code == "indicators.file-exists"


# ---------------------------------------------------------------- values: figures


def figures(
    questionnaire: Questionnaire, *rows: tuple[str, str, str, dict[str, float]]
) -> pd.DataFrame:
    return indicator_rows(list(rows), questionnaire.indicators)


def test_values_are_worked_out_from_numerator_and_denominator(
    questionnaire: Questionnaire,
) -> None:
    table = figures(
        questionnaire,
        ("m", "r1", "huisbezoek-binnen-drie-dagen", {"numerator": 51, "denominator": 80}),
        ("m", "r1", "jeugdigen-in-zorg-per-1000", {"numerator": 1045, "denominator": 10_000}),
        ("m", "r1", "gemiddelde-duur-in-zorg", {"numerator": 1420, "denominator": 100}),
        ("m", "r1", "voortijdig-beeindigd", {"value": 7.5}),
    )
    values = dict(zip(table["indicator"], table["value"], strict=True))
    assert values == {
        "huisbezoek-binnen-drie-dagen": 63.75,  # 51 × 100 ÷ 80
        "jeugdigen-in-zorg-per-1000": 104.5,  # 1045 × 1000 ÷ 10000
        "gemiddelde-duur-in-zorg": 14.2,  # 1420 ÷ 100 months
        "voortijdig-beeindigd": 7.5,  # as given
    }
    # In the order of the definitions, then by round.
    assert table["indicator"].tolist() == [
        "huisbezoek-binnen-drie-dagen",
        "voortijdig-beeindigd",
        "jeugdigen-in-zorg-per-1000",
        "gemiddelde-duur-in-zorg",
    ]


def test_change_is_against_the_latest_earlier_round_with_a_value(
    questionnaire: Questionnaire,
) -> None:
    key = "huisbezoek-binnen-drie-dagen"
    table = figures(
        questionnaire,
        ("m", "2023-najaar", key, {"numerator": 40, "denominator": 80}),  # 50.0
        ("m", "2025-najaar", key, {"numerator": 60, "denominator": 80}),  # 75.0
        ("m", "2024-najaar", "voortijdig-beeindigd", {"numerator": 1, "denominator": 10}),
        ("n", "2024-najaar", key, {"numerator": 1, "denominator": 2}),  # another municipality
    )
    row = table[(table["municipality"] == "m") & (table["round"] == "2025-najaar")].iloc[0]
    assert row["previous_round"] == "2023-najaar"
    assert row["previous_value"] == 50.0
    assert row["change"] == 25.0  # 75.0 - 50.0 percentage points
    other = table[table["municipality"] == "n"].iloc[0]
    assert pd.isna(other["previous_round"])
    assert pd.isna(other["change"])


def test_reference_table_follows_which_side_is_better(questionnaire: Questionnaire) -> None:
    table = figures(
        questionnaire,
        ("m", "r", "voortijdig-beeindigd", {"numerator": 5, "denominator": 100}),  # 5.0%
        ("m", "r", "hulp-zonder-verwijzing", {"numerator": 30, "denominator": 100}),  # 30.0%
    )
    references = reference_table(table, questionnaire)
    got = {
        (r["indicator"], r["reference"]): (r["difference"], r["meets"])
        for r in references.to_dict("records")
    }
    assert got == {
        # lower is better: exactly the aim of at most 5% is reached; below 6.4 too
        ("voortijdig-beeindigd", "streefwaarde-buurtzorg-jong"): (0.0, True),
        ("voortijdig-beeindigd", "putten-2013"): (pytest.approx(5 - 6.4), True),
        # higher is better: 30% is below Zaltbommel's 40, above the national 15
        ("hulp-zonder-verwijzing", "zaltbommel-2019"): (-10.0, False),
        ("hulp-zonder-verwijzing", "landelijk-2019"): (15.0, True),
    }


def test_exactly_the_reference_in_exact_arithmetic_meets_it(questionnaire: Questionnaire) -> None:
    definition = questionnaire.indicators["voortijdig-beeindigd"]
    # 0.1 + 0.2 is 0.30000000000000004 in floating point; 0.3 is the reference here.
    assert meets(definition, 0.1 + 0.2, 0.3)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(63.75, "63,8"), (63.65, "63,7"), (2.25, "2,3"), (-2.05, "−2,1"), (-0.04, "0,0"), (0, "0,0")],
)
def test_values_round_half_up_like_a_spreadsheet(value: float, shown: str) -> None:
    # 63.65 is 63.649999... in binary and stays below the half; 63.75 is exact.
    assert rounded(value) == shown


def test_values_are_written_with_their_unit(questionnaire: Questionnaire) -> None:
    d = questionnaire.indicators
    assert format_value(63.75, d["huisbezoek-binnen-drie-dagen"]) == "63,8%"
    assert format_value(104.5, d["jeugdigen-in-zorg-per-1000"]) == "104,5 per 1.000 jeugdigen"
    assert format_value(14.2, d["gemiddelde-duur-in-zorg"]) == "14,2 maanden"
    assert format_value(None, d["gemiddelde-duur-in-zorg"]) == "–"
    assert format_change(6.05, d["huisbezoek-binnen-drie-dagen"]) == "+6,1 procentpunt"
    assert format_change(-1.0, d["gemiddelde-duur-in-zorg"]) == "−1,0 maanden"
    assert format_change(0.01, d["gemiddelde-duur-in-zorg"]) == "0,0 maanden"
    assert format_fraction(d["huisbezoek-binnen-drie-dagen"], 51, 80) == "51 van 80"
    assert format_fraction(d["gemiddelde-duur-in-zorg"], 14200, 1000) == "14.200 ÷ 1.000"
    assert format_fraction(d["gemiddelde-duur-in-zorg"], None, None) == ""


# Every key figure once, with numbers from the seeds where they give them; each value worked
# out by hand, as it shows on the site, and whether it reaches its first reference value.
EVERY_FIGURE = [
    # Zaltbommel 2019: almost 40% without referral; 394 of 1,000 = 39.4%, below the 40.
    ("hulp-zonder-verwijzing", 394, 1000, "39,4%", False),
    # GP referrals: 46 of 120 = 38.333...% -> 38,3% (no reference value).
    ("verwijzingen-via-huisarts", 46, 120, "38,3%", None),
    # Home visit within three working days: 52 of 64 = 81.25% -> 81,3%, at least the 80% aim.
    ("huisbezoek-binnen-drie-dagen", 52, 64, "81,3%", True),
    # Buurtgezinnen: one in five placements avoided; 5 of 21 = 23.809...% -> 23,8%, above 20.
    ("uithuisplaatsing-voorkomen", 5, 21, "23,8%", True),
    # Placements per 1,000 youths: 8 × 1,000 ÷ 2,880 = 2.777... -> 2,8 (no reference).
    ("uithuisplaatsingen-per-1000", 8, 2880, "2,8 per 1.000 jeugdigen", None),
    # Putten 2013: 5 of 78 = 6.410...% -> 6,4%, above the aim of at most 5%: not reached.
    ("voortijdig-beeindigd", 5, 78, "6,4%", False),
    # Youths in care: 3,650 × 1,000 ÷ 32,500 = 112.307... -> 112,3 (no reference).
    ("jeugdigen-in-zorg-per-1000", 3650, 32500, "112,3 per 1.000 jeugdigen", None),
    # Average time in care: 13,680 months ÷ 800 trajectories = 17.1 months.
    ("gemiddelde-duur-in-zorg", 13680, 800, "17,1 maanden", None),
]


@pytest.mark.parametrize(
    ("indicator", "numerator", "denominator", "shown", "reached"), EVERY_FIGURE
)
def test_every_key_figure_worked_out_by_hand(
    questionnaire: Questionnaire,
    indicator: str,
    numerator: int,
    denominator: int,
    shown: str,
    reached: bool | None,
) -> None:
    table = figures(
        questionnaire,
        ("m", "r", indicator, {"numerator": numerator, "denominator": denominator}),
    )
    definition = questionnaire.indicators[indicator]
    assert format_value(float(table["value"].iloc[0]), definition) == shown
    references = reference_table(table, questionnaire)
    if not definition.references:
        assert reached is None
        return
    first = references[references["reference"] == definition.references[0].id]
    assert bool(first["meets"].iloc[0]) is reached


def test_every_key_figure_has_a_hand_worked_case(questionnaire: Questionnaire) -> None:
    assert sorted(case[0] for case in EVERY_FIGURE) == sorted(questionnaire.indicators)
