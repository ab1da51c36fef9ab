"""Key figures in the report (issue 14): the Kengetallen page's own data, gathered by its
builder like every other chapter (`content.BUILDERS`). Without key figures — a workspace
without values, or a version without the Kengetallen page — the chapter is left out."""

from __future__ import annotations

from typing import Any

from assessment.report.content import ReportContext

PAGE = "kengetallen.md"


def key_figures(ctx: ReportContext) -> dict[str, Any] | None:
    """The Kengetallen page's data when it has values to show, else None."""
    page = ctx.captured.get(PAGE)
    if page is None or not page.get("any_values"):
        return None
    return page
