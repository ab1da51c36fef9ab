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
    # The levels the workshops agreed, per round: the group's decisions over time, beside
    # (never mixed into) the mean of the individual scores above.
    agreed = {
        (str(r["factor"]), str(r["round"])): int(r["score"]) for r in records(ctx.data.agreed)
    }
    agreed_rounds = sorted({round_ for _, round_ in agreed})
    agreed_rows = [
        (f.id, [agreed.get((f.id, round_)) for round_ in agreed_rounds])
        for section in ctx.instrument.sections
        for f in section.factors
        if any((f.id, round_) in agreed for round_ in agreed_rounds)
    ]
    ctx.page(
        "ontwikkeling.md",
        "Ontwikkeling",
        "ontwikkeling.md.j2",
        figures=figures,
        trend_rows=records(one_round(ctx.data.factor_scores, ctx.latest)),
        overall_rows=records(ctx.data.overall),
        agreed_rounds=agreed_rounds,
        agreed_rows=agreed_rows,
    )
