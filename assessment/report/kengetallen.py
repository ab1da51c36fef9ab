"""Key figures in the report (issue 14): filled in once the indicators are on main."""

from __future__ import annotations

from typing import Any

from assessment.report.content import ReportContext


def key_figures(ctx: ReportContext) -> list[Any]:
    """The key figure groups the report shows (none yet)."""
    return []
