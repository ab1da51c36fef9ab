"""Aanbevelingen: the ranked recommendations, quick wins apart from structural ones."""

from __future__ import annotations

from assessment.pages.context import PageContext


def build_aanbevelingen(ctx: PageContext) -> None:
    """The page of recommendations."""
    recs = ctx.recommendations
    ctx.page(
        "aanbevelingen.md",
        "Aanbevelingen",
        "aanbevelingen.md.j2",
        quick=[r for r in recs if r["horizon"] == "snel"],
        structural=[r for r in recs if r["horizon"] == "structureel"],
        adopted=ctx.adopted,
    )
