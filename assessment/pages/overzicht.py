"""Overzicht: the overall level, the radar of the success factors, who took part, the
strongest and weakest factors and the first recommendations."""

from __future__ import annotations

from assessment.pages.context import PageContext, one_round, records


def build_overzicht(ctx: PageContext) -> None:
    """The start page of a municipality's site."""
    success = ctx.success
    ranked = sorted(
        (row for row in ctx.rows_of(success) if row["mean"] is not None), key=lambda r: -r["mean"]
    )
    ctx.page(
        "index.md",
        "Overzicht",
        "overzicht.md.j2",
        radar=ctx.radar(
            success, "radar-succesfactoren", f"{success.title}: score per factor", "factor"
        ),
        strengths=ranked[:3],
        weaknesses=list(reversed(ranked[-3:])) if ranked else [],
        participation=ctx.participation,
        missing=ctx.missing,
        recommendations=ctx.recommendations[:5],
        organisations=ctx.organisations,
        goes_well=ctx.comments_on("goes_well"),
        change_first=ctx.comments_on("change_first"),
        session=ctx.session_now,
        agreed_count=sum(1 for v in ctx.agreed_levels.values() if v is not None),
        plan_round=ctx.plan_round,
        plan_actions=records(one_round(ctx.data.actions, ctx.plan_round)),
        review=records(one_round(ctx.data.review, ctx.latest)),
    )
