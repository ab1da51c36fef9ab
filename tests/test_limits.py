"""One source for every limit: the models, the JSON Schemas, the online form, its script,
the method page and the exports all give the same numbers as `assessment.limits`.

The expected values are SPEC's: ids of at most 64 characters matching the slug pattern,
names of 200 and texts of 4000 characters, files up to 1 MiB, answers 1..5, level bands
at 1.8, 2.6, 3.4 and 4.2, groups of at least 3 (internal) or 5 (public).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from assessment import limits
from assessment.analysis.levels import level_index, level_name
from assessment.instrument import Questionnaire
from assessment.interop.tables import COLUMN_HELP
from assessment.models import Settings, Thresholds
from assessment.pages.method import render_method
from assessment.schema import response_schema

REPO = Path(__file__).resolve().parents[1]


def test_the_limits_are_those_of_the_spec() -> None:
    assert (limits.SLUG_MAX, limits.SHORT_TEXT_MAX, limits.TEXT_MAX) == (64, 200, 4000)
    assert limits.FILE_MAX_BYTES == 1024 * 1024
    assert limits.FILE_MAX_TEXT == "1 MiB"
    assert limits.SCALE == (1, 2, 3, 4, 5)
    assert limits.LEVEL_EDGES == (1.8, 2.6, 3.4, 4.2)
    assert limits.level_bands() == [
        (1.0, 1.8, "startend"),
        (1.8, 2.6, "in ontwikkeling"),
        (2.6, 3.4, "functionerend"),
        (3.4, 4.2, "geborgd"),
        (4.2, 5.0, "voorbeeldig"),
    ]


@pytest.mark.parametrize(
    ("configured", "audience", "expected"),
    [(3, "internal", 3), (3, "public", 5), (5, "internal", 5), (7, "public", 7)],
)
def test_min_group_size_has_one_rule(configured: int, audience: str, expected: int) -> None:
    assert limits.min_group_size(configured, audience) == expected


def test_level_bands_agree_with_the_level_of_a_score() -> None:
    for index, (low, high, name) in enumerate(limits.level_bands()):
        # The lower edge belongs to the band, the upper edge to the next one (or is 5).
        inside = [low, (low + high) / 2, high - 1e-4] if index < 4 else [low, high]
        assert level_name(pd.Series(inside)).tolist() == [name] * len(inside)
        assert {level_index(score) for score in inside} == {index}


def _walk(schema: Any) -> list[dict[str, Any]]:
    found = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_the_answer_schema_takes_its_limits_from_limits(questionnaire: Questionnaire) -> None:
    nodes = _walk(response_schema(questionnaire))
    patterns = {n["pattern"] for n in nodes if "pattern" in n}
    assert patterns == {limits.SLUG_PATTERN}  # the instrument is a constant here
    lengths = {n["maxLength"] for n in nodes if "maxLength" in n}
    assert lengths == {limits.SLUG_MAX, limits.SHORT_TEXT_MAX, limits.TEXT_MAX}
    scales = {(n["minimum"], n["maximum"]) for n in nodes if "maximum" in n}
    assert scales == {(1, 5)}


def test_the_form_script_spells_no_limit_of_its_own() -> None:
    script = (REPO / "site" / "assets" / "vragenlijst.js").read_text(encoding="utf-8")
    assert "meta.limits.slugPattern" in script
    assert "meta.limits.fileBytes" in script
    for spelled in ("[a-z0-9]", "1024", "[1-5]", ">= 1 &&", "<= 5", "4000", " 200", " 64"):
        assert spelled not in script, spelled


def test_the_method_page_shows_the_bands_and_the_group_size(
    questionnaire: Questionnaire,
) -> None:
    thresholds = Thresholds(min_group_size=3)
    internal = render_method(questionnaire, thresholds, "internal")
    public = render_method(questionnaire, thresholds, "public")
    for low, high, name in limits.level_bands():
        low_text, high_text = f"{low:.1f}".replace(".", ","), f"{high:.1f}".replace(".", ",")
        assert re.search(rf"\| {low_text} tot( en met)? {high_text} \| {name} \|", internal)
    assert "minstens **3**" in internal
    assert "minstens **5**" in public
    assert "log₂( 1 − |i − μ| ÷ 4 )" in internal


def test_the_exports_explain_the_scale_and_the_levels() -> None:
    assert COLUMN_HELP["score"].startswith("Antwoord 1 tot en met 5;")
    for _, _, name in limits.level_bands():
        assert name in COLUMN_HELP["level"]
    assert [c for c in COLUMN_HELP if c.startswith("count_")] == [f"count_{v}" for v in range(1, 6)]


def test_settings_refuse_a_group_below_the_internal_floor() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 3"):
        Settings.model_validate({"thresholds": {"min_group_size": 2}})
