"""De keten: who took part, which expected partners are missing, and which partners offer
which Positief Opgroeien level."""

from __future__ import annotations

from assessment import charts
from assessment.pages.context import PageContext, one_round, records


def build_keten(ctx: PageContext) -> None:
    """The page about the partners in the chain and the coverage of the levels."""
    levels = [(level.id, level.title) for level in ctx.instrument.intervention_levels]
    providers = {
        (str(r["role"]), str(r["level"])): int(r["providers"])
        for r in records(one_round(ctx.data.coverage_roles, ctx.latest))
    }
    present = [rid for rid in ctx.roles if any(key[0] == rid for key in providers)]
    ctx.page(
        "de-keten.md",
        "De keten",
        "keten.md.j2",
        participation=ctx.participation,
        missing=ctx.missing,
        coverage=records(one_round(ctx.data.coverage, ctx.latest)),
        level_titles=dict(levels),
        coverage_figure=charts.coverage_figure(
            "dekking",
            "Welke partners bieden welk interventieniveau?",
            levels,
            [(rid, ctx.roles[rid].label) for rid in present],
            providers,
        )
        if ctx.latest
        else None,
        heatmap=ctx.role_heatmap(ctx.instrument.factors(), "rollen"),
        organisations=ctx.organisations,
    )
