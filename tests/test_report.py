"""The report's command line and its pieces that need no browser: problems said in Dutch
with exit 1 (nothing written, no traceback), the chapters and their numbers, Dutch dates.
The printed report itself is checked in tests/browser/test_report.py."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.printing import CHROMIUM_ENV
from assessment.report.content import chapters
from assessment.report.summary import dutch_date
from tests.sites import EXAMPLES


def report(*args: str) -> Any:
    """Run `ketenscan report` with these arguments."""
    return CliRunner().invoke(main, ["report", *args])


def test_an_unknown_municipality_is_a_problem(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    result = report(str(EXAMPLES), "nergensveen", "--out", str(out))
    assert result.exit_code == 1
    assert "gemeente 'nergensveen' niet gevonden" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_round_without_answers_is_a_problem(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    result = report(str(EXAMPLES), "lindeloo", "--round", "2030-voorjaar", "--out", str(out))
    assert result.exit_code == 1
    assert (
        "ronde '2030-voorjaar' heeft geen antwoorden bij lindeloo; kies uit 2024-najaar, "
        "2025-najaar" in result.output
    )
    assert not out.exists()


def test_missing_chromium_is_said_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "geen-chromium"))
    out = tmp_path / "r.pdf"
    result = report(str(EXAMPLES), "lindeloo", "--out", str(out))
    assert result.exit_code == 1
    assert "Chromium is niet gevonden" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_ids_and_audience_are_checked_as_usage(tmp_path: Path) -> None:
    out = str(tmp_path / "r.pdf")
    result = report(str(EXAMPLES), "../lindeloo", "--out", out)
    assert result.exit_code == 2
    assert "gemeente '../lindeloo' is geen geldige id" in result.output
    assert report(str(EXAMPLES), "lindeloo", "--audience", "raad", "--out", out).exit_code == 2


def test_chapters_are_numbered_with_the_optional_ones_only_when_present() -> None:
    factors = [SimpleNamespace(id=f"f{n}", title=f"Factor {n}") for n in range(1, 4)]
    ctx: Any = SimpleNamespace(success=SimpleNamespace(factors=factors))
    plain = [c.heading for c in chapters(ctx, workshop=False, key_figures=False)]
    assert plain == [
        "1 Samenvatting", "2 In één beeld", "3 De succesfactoren", "3.1 Factor 1",
        "3.2 Factor 2", "3.3 Factor 3", "4 Wat werkt", "5 De keten", "6 Prioriteiten",
        "7 Ontwikkeling", "8 Aanbevelingen", "Bijlage: zo rekenen we",
    ]  # fmt: skip
    full = [c.heading for c in chapters(ctx, workshop=True, key_figures=True)]
    assert full[-3:] == ["9 Workshop en actieplan", "10 Kengetallen", "Bijlage: zo rekenen we"]


def test_dates_are_written_the_dutch_way() -> None:
    assert dutch_date("2025-11-26") == "26 november 2025"
    assert dutch_date("2026-03-01") == "1 maart 2026"
    assert dutch_date("geen datum") == "geen datum"
