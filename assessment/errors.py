"""Problems found in a user's files, as data: a position, a message and a severity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        """Render as `path:line:col: message` (warnings say so)."""
        prefix = "waarschuwing: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"


class ProblemsError(Exception):
    """Raised by library code with every problem it found; the CLI prints them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as users should see it: relative to the working directory when inside it.

    `base` is accepted for callers that know their workspace, but the working directory
    wins so that a path can be pasted straight into an editor or shell.
    """
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def summarise(problems: list[Problem]) -> str:
    """The closing line of a report: `N problemen in M bestanden`."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    files = len({p.path for p in errors})
    noun = "probleem" if len(errors) == 1 else "problemen"
    file_noun = "bestand" if files == 1 else "bestanden"
    text = f"{len(errors)} {noun} in {files} {file_noun}"
    if warnings:
        text += f", {len(warnings)} " + ("waarschuwing" if len(warnings) == 1 else "waarschuwingen")
    return text
