"""Where a municipality stands among municipalities of its size (SPEC §10): the section of
its Overzicht, made apart from the page so that a site build can fill it in once every
municipality of the size class has been scored.

The section shows its scores against the median and middle half of its size class, only
when it opted in (`benchmark: true`) and when at least `min_group` municipalities of that
class did; otherwise it says why not.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment import charts
from assessment.analysis.benchmark import INDEX, PeerGroup, Summary, position
from assessment.charts.figure import join_words
from assessment.instrument import Questionnaire
from assessment.pages.markup import user_text

# Where the section goes on the Overzicht while its size class is not complete yet. Text
# from a user's file cannot produce it: its '<' and '!' are entity-escaped.
COMPARISON_MARKER = "<!--ks-vergelijking-->"

SIZE_WORDS = {"klein": "kleine", "middelgroot": "middelgrote", "groot": "grote"}


@dataclass(frozen=True)
class ComparisonInput:
    """What the section needs besides the municipality's own scores."""

    opted_in: bool
    # The municipality's size class; None while it is not known yet (the section is then
    # a marker that the build replaces).
    group: PeerGroup | None


def comparison_rows(
    own: Summary, group: PeerGroup, questionnaire: Questionnaire
) -> list[charts.SpreadRow]:
    """One row per success factor and one for the overall index."""
    factors = [(f.id, f.title, f.short) for f in questionnaire.instrument.sections[0].factors]
    rows = []
    for key, title, short in [*factors, (INDEX, "Totaalindex", "Totaalindex")]:
        spread = group.spreads.get(key)
        score = own.index if key == INDEX else own.factors.get(key)
        # The same numbers for the chart, the table and the place: the group's figures are
        # rounded to 6 decimals (`PeerGroup.rounded`), so the own score is too. A score that
        # is itself a quartile (of five municipalities, the second and fourth score are)
        # then equals it exactly, and lies on the end of the bar that its place names.
        score = None if score is None else round(score, 6)
        rows.append(
            charts.SpreadRow(
                key,
                title,
                short,
                spread.n if spread else None,
                spread.median if spread else None,
                spread.q1 if spread else None,
                spread.q3 if spread else None,
                own=score,
                position=position(score, spread),
            )
        )
    return rows


def render_comparison(
    own: Summary,
    comparison: ComparisonInput,
    questionnaire: Questionnaire,
    *,
    public: bool,
) -> str:
    """The Markdown of the section (without its heading); charts inline."""
    # Imported here: the page context imports this module for ComparisonInput.
    from assessment.pages.context import environment

    name = user_text(own.name)
    size = SIZE_WORDS.get(own.size, own.size)
    figure = None
    rows: list[charts.SpreadRow] = []
    group = comparison.group
    if comparison.opted_in and own.scored and group is not None and group.shown:
        rows = comparison_rows(own, group, questionnaire)
        higher = [r.title for r in rows if r.position == "boven" and r.key != INDEX]
        lower = [r.title for r in rows if r.position == "onder" and r.key != INDEX]
        parts = []
        if higher:
            parts.append(f"boven de middelste helft op {join_words(higher)}")
        if lower:
            parts.append(f"onder de middelste helft op {join_words(lower)}")
        summary = (
            f"{own.name} scoort {' en '.join(parts)}."
            if parts
            else f"{own.name} scoort op elke factor in de middelste helft van de {size} gemeenten."
        )
        figure = charts.spread_figure(
            "vergelijking",
            f"{own.name} tussen de {group.members} {size} gemeenten die meedoen",
            rows,
            summary=summary,
            own_name=own.name,
        )
    index_row = next((r for r in rows if r.key == INDEX), None)
    return (
        environment()
        .get_template("_vergelijking.md.j2")
        .render(
            name=name,
            size=size,
            own=own,
            opted_in=comparison.opted_in,
            group=group,
            figure=figure,
            rows=rows,
            public=public,
            index_row=index_row,
            index_place=charts.place_words(index_row) if index_row else "",
            index_digits=charts.table_digits(index_row) if index_row else 1,
        )
    )
