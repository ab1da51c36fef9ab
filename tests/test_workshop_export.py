"""`ketenscan score` exports what the workshops agreed: the agreed levels beside the mean
and the action plan, worked out by hand on tests/workshop_helpers.py's workspace."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import main
from tests.workshop_helpers import EARLIER, LATER, RATIONALE_2025, write_workshop_town


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSV tables of the workshop town."""
    base = tmp_path_factory.mktemp("export")
    root = write_workshop_town(base / "ws")
    result = CliRunner().invoke(main, ["score", str(root), "--out", str(base / "scores")])
    assert result.exit_code == 0, result.output
    return base / "scores"


def table(out: Path, name: str) -> list[dict[str, str]]:
    """The rows of one exported CSV table."""
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_agreed_levels_stand_beside_the_mean(out: Path) -> None:
    rows = {(r["round"], r["factor"]): r for r in table(out, "agreed")}
    # evaluatie was left open in 2025 (score: null): no row.
    assert set(rows) == {(EARLIER, "regie"), (LATER, "regie"), (LATER, "juiste-partners")}
    # 2024: every partner scored regie 2, so the mean is 2.0 and the agreed 2 differs by 0.
    early = rows[EARLIER, "regie"]
    assert (early["agreed"], float(early["mean"]), float(early["difference"])) == ("2", 2.0, 0.0)
    # 2025: partner means 1, 2, 4, 5 → mean 12 / 4 = 3.0; agreed 4 → difference +1.
    late = rows[LATER, "regie"]
    assert (late["agreed"], late["n"], float(late["mean"])) == ("4", "4", 3.0)
    assert float(late["difference"]) == 1.0
    assert late["rationale"] == RATIONALE_2025
    assert rows[LATER, "juiste-partners"]["rationale"] == ""


def test_the_action_plan_is_one_row_per_action_and_round(out: Path) -> None:
    rows = [(r["round"], r["action"], r["status"], r["overdue"]) for r in table(out, "actions")]
    # The reference date is the latest the data know: the 2025 workshop, 2025-11-20.
    # Open (gepland/loopt) and due before it: overdue. a3 (due 2026-01-01) and a4
    # (2026-03-01) are not yet; a1 is klaar in 2025.
    assert rows == [
        (EARLIER, "a1", "gepland", "True"),
        (EARLIER, "a2", "loopt", "True"),
        (EARLIER, "a3", "gepland", "False"),
        (LATER, "a1", "klaar", "False"),
        (LATER, "a2", "loopt", "True"),
        (LATER, "a4", "gepland", "False"),
    ]
    a2 = next(r for r in table(out, "actions") if r["action"] == "a2")
    assert (a2["factors"], a2["owner"], a2["due"]) == ("regie, evaluatie", "jgz-0-4", "2025-06-01")
    a1 = next(r for r in table(out, "actions") if r["action"] == "a1")
    assert a1["recommendation"] == "regie-laag"
