"""Wat werkt: the radar and table of the eight Zaltbommel conditions."""

from __future__ import annotations

from assessment.pages.context import PageContext


def build_wat_werkt(ctx: PageContext) -> None:
    """The page of the conditions ('wat werkt')."""
    conditions = ctx.conditions
    ids = [f.id for f in conditions.factors]
    ctx.page(
        "wat-werkt.md",
        "Wat werkt",
        "wat-werkt.md.j2",
        radar=ctx.radar(
            conditions,
            "radar-wat-werkt",
            f"{conditions.title}: score per voorwaarde",
            "voorwaarde",
        ),
        section_info=conditions,
        rows=ctx.rows_of(conditions),
        comments=ctx.comments_on(*ids),
        recommendations=[r for r in ctx.recommendations if r["factor"] in ids],
        agreed=ctx.agreed_now if ctx.session_now is not None else None,
    )
