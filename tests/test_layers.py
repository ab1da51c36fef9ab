"""The package's layers, read from its imports: data flows one way (STYLE.md).

`cli` and `server` import the library and nothing imports them; `analysis` knows nothing of
files, pages, charts or HTTP; `models`, `limits` and `errors` import (almost) nothing of
ours. Imports under `if TYPE_CHECKING:` are for type hints only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assessment"

# Parts that may import only these parts of ours (a part: a sub-package or a module).
ONLY: dict[str, set[str]] = {
    "errors": set(),
    "limits": set(),
    "formatting": set(),
    "models": {"limits"},
}
# What the other parts may not import (at run time).
FORBIDDEN: dict[str, set[str]] = {
    "analysis": {
        "pages", "charts", "website", "interop", "report", "server", "cli",
        "workspace", "yamlio", "instrument", "validate", "scaffold", "template", "schema",
    },
    "charts": {"analysis", "pages", "website", "interop", "report", "server", "cli", "workspace"},
    "pages": {"website", "interop", "report", "server", "cli"},
    "website": {"report", "server", "cli"},
    "interop": {"pages", "website", "report", "server", "cli"},
    "report": {"website", "server", "cli"},
    "server": {"cli"},
}  # fmt: skip
# Imported by nobody but themselves (and `cli` may start the server).
TOP = {"cli": {"__main__"}, "server": {"cli"}}
ALLOWED_ALWAYS = {"__init__"}  # `from assessment import __version__`


def part_of(module: str) -> str:
    """`assessment.pages.factor` -> `pages`; `assessment.errors` -> `errors`."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def runtime_imports(source: str, module: str) -> set[str]:
    """The modules of ours that `source` imports when it runs (not for type hints)."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            if name == "assessment":
                found.update(f"assessment.{alias.name}" for alias in node.names)
            elif name.startswith("assessment."):
                found.add(name)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("assessment."))
    return found


def modules() -> dict[str, str]:
    """Every module of the package: dotted name -> source."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        found[".".join(parts)] = path.read_text(encoding="utf-8")
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """Every import that goes against the layers."""
    found = []
    for module, source in sources.items():
        own = part_of(module)
        for imported in sorted(runtime_imports(source, module)):
            target = part_of(imported)
            if target == own or target in ALLOWED_ALWAYS:
                continue
            if own in ONLY and target not in ONLY[own]:
                found.append(f"{module} imports {imported} ({own} imports only {ONLY[own]})")
            elif target in FORBIDDEN.get(own, set()):
                found.append(f"{module} imports {imported} ({own} may not import {target})")
            elif target in TOP and own not in TOP[target]:
                found.append(f"{module} imports {imported} (nothing imports {target})")
    return found


def test_the_package_keeps_its_layers() -> None:
    sources = modules()
    assert len(sources) > 40  # the walk found the package
    assert violations(sources) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("assessment.analysis.scoring", "from assessment.pages import render_pages\n", "pages"),
        ("assessment.analysis.frames", "from assessment import charts\n", "charts"),
        ("assessment.analysis.frames", "import assessment.workspace\n", "workspace"),
        ("assessment.website.build", "from assessment.cli.common import x\n", "cli"),
        ("assessment.pages.factor", "from assessment.cli import main\n", "cli"),
        ("assessment.models", "from assessment.errors import Problem\n", "errors"),
        ("assessment.charts.radar", "from ..analysis.levels import level_name\n", "analysis"),
    ],
)
def test_a_forbidden_import_is_found(module: str, source: str, expected: str) -> None:
    found = violations({module: source})
    assert len(found) == 1, found
    assert f".{expected}" in found[0]


def test_type_only_imports_do_not_count() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from assessment.workspace import Workspace\n"
    )
    assert violations({"assessment.analysis.frames": source}) == []
