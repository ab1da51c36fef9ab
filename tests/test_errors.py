"""Problems as data: every problem has a stable code from the catalogue, and the catalogue,
the code and the README agree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assessment.errors import CODES, Problem, ProblemsError, file_problem, summarise

REPO = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z]+\.[a-z]+(-[a-z]+)*$")
AREAS = {
    "file", "yaml", "field", "answers", "workspace", "municipality", "round", "instrument",
    "rules", "build", "json", "invite", "collect", "indicators", "import", "mapping", "workshop",
    "print", "report",
}  # fmt: skip
FILE_TYPES = {"yaml", "yml", "json", "md", "html", "csv", "xlsx", "py", "js", "css", "sqlite"}


def codes_in_source() -> dict[str, list[str]]:
    """Every string literal of the package that has the form of a problem code."""
    found: dict[str, list[str]] = {}
    for path in (REPO / "assessment").rglob("*.py"):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                area, _, kind = value.partition(".")
                if CODE.match(value) and area in AREAS and kind not in FILE_TYPES:
                    found.setdefault(value, []).append(path.name)
    return found


def test_every_code_the_package_uses_is_in_the_catalogue() -> None:
    used = codes_in_source()
    assert len(used) > 40  # the scan found them
    assert sorted(set(used) - set(CODES)) == []


def test_every_code_of_the_catalogue_is_used_and_well_formed() -> None:
    used = codes_in_source()
    assert sorted(set(CODES) - set(used)) == []
    for code, meaning in CODES.items():
        assert CODE.match(code), code
        assert code.split(".")[0] in AREAS, code
        assert meaning.endswith("."), code


def test_the_readme_lists_every_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert missing == []


def test_problem_prints_as_path_line_column_and_carries_its_code() -> None:
    problem = Problem("ws/a.yaml", 3, 7, "answers.unknown-role", "onbekende rol", field="x.y")
    assert problem.format() == "ws/a.yaml:3:7: onbekende rol"
    assert problem.as_dict() == {
        "path": "ws/a.yaml",
        "line": 3,
        "column": 7,
        "code": "answers.unknown-role",
        "field": "x.y",
        "severity": "error",
        "message": "onbekende rol",
    }
    warning = file_problem("ws/b.yaml", "answers.same-organisation", "dubbel", "warning")
    assert warning.format() == "ws/b.yaml:1:1: waarschuwing: dubbel"


def test_problems_are_sorted_by_place_and_summarised() -> None:
    late = Problem("b.yaml", 1, 1, "file.empty", "leeg")
    early = Problem("a.yaml", 9, 2, "yaml.tab", "tab")
    error = ProblemsError([late, early])
    assert error.problems == [early, late]
    warning = file_problem("a.yaml", "answers.same-organisation", "dubbel", "warning")
    assert summarise([late, early, warning]) == "2 problemen in 2 bestanden, 1 waarschuwing"
    assert summarise([late]) == "1 probleem in 1 bestand"
