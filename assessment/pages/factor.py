"""One page per success factor: its score and level, the answers per statement, the
agreement, the role comparison where allowed, the comments and its recommendations."""

from __future__ import annotations

from typing import Any

from assessment import charts
from assessment.analysis.levels import level_index
from assessment.formatting import plain
from assessment.limits import SCALE
from assessment.models import Factor
from assessment.pages.context import PageContext, one_round, records


def build_factor_pages(ctx: PageContext) -> None:
    """A page for each success factor, in questionnaire order."""
    statements = one_round(ctx.data.statement_scores, ctx.latest)
    for factor in ctx.success.factors:
        ctx.page(
            f"factoren/{factor.id}.md",
            factor.title,
            "factor.md.j2",
            section=ctx.success.title,
            **_factor(ctx, factor, statements[statements["factor"] == factor.id]),
        )


def _factor(ctx: PageContext, factor: Factor, statements: Any) -> dict[str, Any]:
    counts = {
        str(r["statement"]): (*(int(r[f"count_{value}"]) for value in SCALE), int(r["dont_know"]))
        for r in records(statements)
    }
    figure = (
        charts.distribution_figure(
            f"verdeling-{factor.id}",
            "Antwoorden per stelling",
            [(s.id, s.text) for s in factor.statements],
            counts,  # type: ignore[arg-type]
        )
        if counts
        else None
    )
    row = None
    if factor.id in ctx.factors_now.index:
        row = {str(k): plain(v) for k, v in ctx.factors_now.loc[factor.id].items()}
    level = None
    if row is not None and row["level"] is not None and row["mean"] is not None:
        level = level_index(float(row["mean"]))
    return {
        "factor": factor,
        "row": row,
        "level_index": level,
        "statements": records(statements),
        "statement_texts": {s.id: s.text for s in factor.statements},
        "figure": figure,
        "heatmap": ctx.role_heatmap([factor], f"rollen-{factor.id}"),
        "comments": ctx.comments_on(factor.id),
        "recommendations": [r for r in ctx.recommendations if r["factor"] == factor.id],
        "agreed": ctx.agreed_now.get(factor.id),
        "actions": [
            a
            for a in records(one_round(ctx.data.actions, ctx.plan_round))
            if factor.id in a["factors"]
        ],
    }
