"""The method page: every formula promised to users, with this workspace's thresholds."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assessment.analysis.scoring import consensus_from_counts
from assessment.cli import main
from assessment.models import Thresholds
from assessment.pages.method import render_method
from assessment.workspace import load_workspace
from tests.scoring_helpers import (
    Person,
    one,
    response_doc,
    score,
    shipped,
    write_answer,
    write_municipality,
    write_settings,
)


@pytest.mark.parametrize(
    "phrase",
    [
        "partnerscore = (som van de beantwoorde scores) ÷ (aantal beantwoorde stellingen)",
        "minder dan de helft",
        "Precies de helft is genoeg",
        "factorscore = (som van de partnerscores) ÷ (aantal partners met een partnerscore)",
        "√( Σ (partnerscore − factorscore)² ÷ (n − 1) )",
        "(aantal lege antwoorden) ÷ (aantal partners × aantal stellingen)",
        "Tastle en Wierman",
        "eensgezindheid = 1 + Σ pᵢ · log₂( 1 − |i − μ| ÷ 4 )",
        "gemiddelde van die van zijn stellingen",
        "**Ambitiekloof** = ambitie − factorscore",
        "prioriteit = (doel − factorscore) × gemiddeld belang",
        "zonder opgegeven belang rekenen we met 3",
        "door\nminstens één partner zijn beantwoord",
        "totaalindex",
        "| 1,8 tot 2,6 | in ontwikkeling |",
        "| 4,2 tot en met 5,0 | voorbeeldig |",
        "snelle acties vóór structurele",
    ],
)
def test_method_writes_out_every_formula(phrase: str) -> None:
    assert phrase in render_method(shipped(), Thresholds())


def test_method_shows_the_default_thresholds_with_a_decimal_comma() -> None:
    text = render_method(shipped(), Thresholds())
    assert "eensgezindheid onder de **0,60**" in text
    assert "minstens **3** antwoorden" in text
    assert "factorscore onder 2,6" in text
    assert "ambitie − score is 1,0 of meer" in text
    assert "0,3 of meer gedaald" in text
    assert "of 4,0 als niemand een\nambitie opgaf" in text
    assert "minstens **5** partners" in text


def test_method_shows_the_workspace_thresholds(tmp_path: Path) -> None:
    write_settings(tmp_path, low_consensus=0.5, low_score=3.0, min_group_size=3)
    write_municipality(tmp_path, "stad")
    write_answer(
        tmp_path,
        response_doc(
            shipped(), municipality="stad", round_slug="r1", respondent="team", role="wijkteam"
        ),
    )
    workspace = load_workspace(tmp_path)
    text = render_method(workspace.questionnaire, workspace.settings.thresholds)
    assert "eensgezindheid onder de **0,50**" in text
    assert "0,60" not in text
    assert "factorscore onder 3,0" in text
    assert "minstens **3** partners" in text
    # The public site never shows groups below 5, whatever the workspace says.
    public = render_method(workspace.questionnaire, workspace.settings.thresholds, "public")
    assert "minstens **5** partners" in public
    assert "minstens **3** partners" not in public


def test_score_writes_the_method_with_the_workspace_thresholds(tmp_path: Path) -> None:
    write_settings(tmp_path / "ws", low_consensus=0.5)
    write_municipality(tmp_path / "ws", "stad")
    result = CliRunner().invoke(
        main, ["score", str(tmp_path / "ws"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "methode.md").read_text(encoding="utf-8")
    assert "eensgezindheid onder de **0,50**" in text
    assert "Tastle" in text


def test_worked_examples_in_the_method_agree_with_the_code() -> None:
    text = render_method(shipped(), Thresholds())
    # "de partner antwoordt 3, 4 en twee keer 'weet niet' ... (3 + 4) ÷ 2 = 3,5"
    assert "(3 + 4) ÷ 2 = 3,5" in text
    people = [Person("p", {"a1": 3, "a2": 4})]
    assert one(score(people).respondent_factors, factor="a")["score"] == (3 + 4) / 2
    # "twee partners geven 2, twee geven 4 ... ≈ 0,58"
    assert "≈ 0,58" in text
    expected = 1 + 0.5 * math.log2(0.75) + 0.5 * math.log2(0.75)
    assert round(expected, 2) == 0.58
    computed = consensus_from_counts(np.array([[0, 2, 0, 2, 0]]))[0]
    assert computed == pytest.approx(expected)
