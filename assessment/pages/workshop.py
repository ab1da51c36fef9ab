"""Workshop (internal audience only): the material a facilitator runs a 2½-hour session
from — the agenda, the discussion points, the agreement sheets and candidate actions.

The facilitator pack (`ketenscan workshop pack`) prints the same material, so it is
assembled once here by `workshop_material`.
"""

from __future__ import annotations

from typing import Any

from assessment.analysis.workshop import agenda, ambition_gaps, clock, priorities
from assessment.formatting import number
from assessment.limits import LEVEL_NAMES, SCALE
from assessment.models import OPEN_STATUSES, Factor
from assessment.pages.context import PageContext, Record, one_round, records


def build_workshop(ctx: PageContext) -> None:
    """The Workshop page; the public site has none (it would show the partners' notes)."""
    if ctx.public:
        return
    ctx.page("workshop.md", "Workshop", "workshop.md.j2", **workshop_material(ctx))


def _question(point: Record, title: str) -> str:
    """A question that opens the conversation about one discussion point."""
    low, high = int(point["low"]), int(point["high"])
    lowest, highest = int(point["lowest"]), int(point["highest"])
    if point["kind"] == "factor":
        return (
            f"Bij ‘{title}’ liggen de scores van de partners tussen niveau {lowest} en "
            f"{highest}. Welk niveau past het best bij wat u samen in de praktijk ziet, "
            "en wat is daarvoor nodig?"
        )
    if point["camps"]:
        return (
            f"{low} partners geven 1 of 2, {high} geven 4 of 5. Wat maakt dat u dit zo "
            "verschillend ziet? Denk aan een gezin van de laatste tijd: wat ging er goed, "
            "en wat niet?"
        )
    return (
        f"De antwoorden lopen van {lowest} tot {highest}. Wat ziet wie {highest} gaf, "
        f"dat wie {lowest} gaf niet ziet? Geldt dat voor elke partner?"
    )


def discussion_cards(ctx: PageContext) -> list[dict[str, Any]]:
    """Every discussion point of the latest round, least agreement first, ready to show."""
    factors = {f.id: f for f in ctx.instrument.factors()}
    texts = {s.id: s.text for f in ctx.instrument.factors() for s in f.statements}
    notes = {
        str(row["point"]): row["text"] for row in records(one_round(ctx.data.notes, ctx.latest))
    }
    cards = []
    for number_, point in enumerate(records(one_round(ctx.data.points, ctx.latest)), start=1):
        factor: Factor = factors[str(point["factor"])]
        title = factor.title if point["kind"] == "factor" else texts[str(point["point"])]
        descriptors = factor.level_descriptors
        cards.append(
            {
                **point,
                "number": number_,
                "title": title,
                "factor_title": factor.title,
                "counts": [int(point[f"count_{value}"]) for value in SCALE],
                "low_view": descriptors[int(point["lowest"]) - 1],
                "high_view": descriptors[int(point["highest"]) - 1],
                "question": _question(point, title),
                "note": notes.get(str(point["point"])),
                "success": factor.id in {f.id for f in ctx.success.factors},
            }
        )
    return cards


def other_notes(ctx: PageContext, cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Notes of the workshop on points that are no discussion point of the round."""
    shown = {str(card["point"]) for card in cards}
    names = {f.id: f.title for f in ctx.instrument.factors()} | {
        s.id: s.text for s in ctx.instrument.statements()
    }
    return [
        {"point": str(row["point"]), "label": names.get(str(row["point"]), row["point"]),
         "text": row["text"]}
        for row in records(one_round(ctx.data.notes, ctx.latest))
        if str(row["point"]) not in shown
    ]  # fmt: skip


def agreement_sheets(ctx: PageContext) -> list[dict[str, Any]]:
    """One sheet per factor and condition: the five level descriptors side by side, the
    partners per level, the mean of their scores with its spread, and the agreed level."""
    bands = {str(r["factor"]): r for r in records(one_round(ctx.data.bands, ctx.latest))}
    points = {str(p["factor"]) for p in records(one_round(ctx.data.points, ctx.latest))}
    sheets = []
    for section in ctx.instrument.sections:
        for factor in section.factors:
            row = None
            if factor.id in ctx.factors_now.index:
                row = {str(k): v for k, v in records(ctx.factors_now.loc[[factor.id]])[0].items()}
            band = bands.get(factor.id)
            sheets.append(
                {
                    "factor": factor,
                    "section": section.title,
                    "row": row,
                    "levels": [
                        {
                            "value": value,
                            "name": LEVEL_NAMES[value - 1],
                            "descriptor": factor.level_descriptors[value - 1],
                            "partners": int(band[f"level_{value}"]) if band else 0,
                        }
                        for value in SCALE
                    ],
                    "agreed": ctx.agreed_now.get(factor.id),
                    "discussion": factor.id in points,
                }
            )
    return sheets


def workshop_material(ctx: PageContext) -> dict[str, Any]:
    """Everything the Workshop page and the facilitator pack show."""
    cards = discussion_cards(ctx)
    now = ctx.factors_now.reset_index()
    carried = records(one_round(ctx.data.actions, ctx.plan_round))
    open_actions = (
        [a for a in carried if a["status"] in OPEN_STATUSES]
        if ctx.plan_round is not None and ctx.plan_round != ctx.latest
        else []
    )
    plan = agenda(
        len(cards), len(ctx.instrument.factors()), len(ctx.recommendations), len(open_actions)
    )
    return {
        "session": ctx.session_now,
        "agenda": [
            {
                "time": f"{clock(item.start)}–{clock(item.end)}",
                "minutes": item.minutes,
                "title": item.title,
                "detail": item.detail,
            }
            for item in plan
        ],
        "total_minutes": plan[-1].end if plan else 0,
        "cards": cards,
        "other_notes": other_notes(ctx, cards),
        "gaps": records(ambition_gaps(now)) if not now.empty else [],
        "priorities": records(priorities(now, ctx.thresholds.target)) if not now.empty else [],
        "missing": ctx.missing,
        "uncovered": [
            r
            for r in records(one_round(ctx.data.coverage, ctx.latest))
            if r["gap"] and ctx.latest is not None
        ],
        "level_titles": {lvl.id: lvl.title for lvl in ctx.instrument.intervention_levels},
        "sheets": agreement_sheets(ctx),
        "candidates": ctx.recommendations,
        "adopted": ctx.adopted,
        "open_actions": open_actions,
        "plan_round": ctx.plan_round,
        "scale_names": LEVEL_NAMES,
        "number": number,
    }
