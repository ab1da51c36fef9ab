"""Ontwikkeling: every factor's score over the rounds."""

from __future__ import annotations

from assessment import charts
from assessment.pages.context import PageContext, one_round, records


def build_ontwikkeling(ctx: PageContext) -> None:
    """The page of trends over the rounds."""
    answered = ctx.data.overall["round"].tolist()
    scores = {
        (str(r["factor"]), str(r["round"])): r["mean"] for r in records(ctx.data.factor_scores)
    }
    figures = (
        [
            charts.trend_figure(
                f"trend-{section.id}",
                f"{section.title} per ronde",
                [(f.id, f.title) for f in section.factors],
                answered,
                scores,
            )
            for section in ctx.instrument.sections
        ]
        if len(answered) > 1
        else []
    )
    ctx.page(
        "ontwikkeling.md",
        "Ontwikkeling",
        "ontwikkeling.md.j2",
        figures=figures,
        trend_rows=records(one_round(ctx.data.factor_scores, ctx.latest)),
        overall_rows=records(ctx.data.overall),
    )
