"""Prioriteiten: importance against score per section, and the largest ambition gaps."""

from __future__ import annotations

from assessment import charts
from assessment.pages.context import PageContext


def build_prioriteiten(ctx: PageContext) -> None:
    """The page of importance, performance and ambition."""
    titles = {f.id: f.title for f in ctx.instrument.factors()}
    figures = []
    for section in ctx.instrument.sections:
        points = [
            (r["factor"], titles[r["factor"]], r["mean"], r["importance"], r["quadrant"] or "")
            for r in ctx.rows_of(section)
            if r["mean"] is not None and r["importance"] is not None
        ]
        if points:
            figures.append(
                charts.importance_figure(
                    f"belang-prestatie-{section.id}",
                    f"{section.title}: belang en score",
                    points,
                    ctx.thresholds.score_split,
                    ctx.thresholds.importance_split,
                )
            )
    gaps = sorted(
        (
            r
            for r in ctx.rows_of(ctx.success) + ctx.rows_of(ctx.conditions)
            if r["ambition_gap"] is not None
        ),
        key=lambda r: -r["ambition_gap"],
    )
    ctx.page("prioriteiten.md", "Prioriteiten", "prioriteiten.md.j2", figures=figures, gaps=gaps)
