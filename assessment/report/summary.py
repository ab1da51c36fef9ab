"""The report's summary in plain Dutch (B1): short sentences, everyday words, the numbers
that matter and what they mean. Built only from figures and from the questionnaire's own
texts, never from what partners wrote, so it is the same for both audiences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessment.charts.figure import join_words
from assessment.formatting import number, percentage, signed
from assessment.pages.context import one_round, records
from assessment.report.content import ReportContext

# A factor where at least this share of the answers is "weet niet" is named in the summary:
# then a good part of the partners cannot see how it goes, and that is news in itself.
DONT_KNOW_NOTABLE = 0.25
# Strongest and weakest factors named, and the first recommendations listed.
NAMED = 2
FIRST_RECOMMENDATIONS = 3

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_date(value: object) -> str:
    """'2025-11-26' as '26 november 2025' (other values unchanged)."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _named(rows: list[dict[str, Any]], titles: dict[str, str]) -> str:
    return join_words([f"{titles[r['factor']]} ({number(r['mean'])})" for r in rows])


def summary(ctx: ReportContext) -> dict[str, Any]:
    """The summary's key points (plain sentences) and its first recommendations."""
    titles = {f.id: f.title for f in ctx.instrument.factors()}
    overview = ctx.captured_page("index.md")
    overall = ctx.common["overall"]
    if overall is None:
        return {"points": [], "recommendations": []}
    points: list[str] = []
    history = {str(r["round"]): r for r in records(ctx.data.overall)}
    level = f"Gemiddeld geven de partners de samenwerking een {number(overall['index'])} op 5. "
    level += f"Dat noemen we '{overall['level']}'."
    if ctx.previous in history:
        before = history[str(ctx.previous)]
        change = float(overall["index"]) - float(before["index"])
        if round(change, 1) == 0:  # a change that rounds away is no change to a reader
            level += f" In {ctx.previous} was dat ook {number(before['index'])}."
        else:
            level += f" In {ctx.previous} was dat {number(before['index'])} ({signed(change)})."
    points.append(level)
    strengths = overview["strengths"][:NAMED]
    weaknesses = overview["weaknesses"][:NAMED]
    if strengths:
        points.append(f"Het best gaat het bij {_named(strengths, titles)}.")
    if weaknesses:
        points.append(f"De meeste aandacht nodig hebben {_named(weaknesses, titles)}.")

    scored = [r for s in ctx.instrument.sections for r in ctx.rows_of(s) if r["mean"] is not None]
    decline = ctx.thresholds.decline
    up = [r for r in scored if r["trend"] is not None and r["trend"] >= decline]
    down = [r for r in scored if r["trend"] is not None and r["trend"] <= -decline]
    if up:
        points.append(
            f"Vooruitgegaan sinds {ctx.previous}: "
            + join_words([f"{titles[r['factor']]} ({signed(r['trend'])})" for r in up])
            + "."
        )
    if down:
        points.append(
            f"Achteruitgegaan sinds {ctx.previous}: "
            + join_words([f"{titles[r['factor']]} ({signed(r['trend'])})" for r in down])
            + "."
        )
    split = [r for r in scored if r["discussion"]]
    if split:
        points.append(
            "Over "
            + join_words([titles[r["factor"]] for r in split])
            + " denken de partners heel verschillend. Daarover is een gesprek nodig."
        )
    unknown = [r for r in scored if (r["dont_know_share"] or 0) >= DONT_KNOW_NOTABLE]
    if unknown:
        points.append(
            "Bij "
            + join_words(
                [f"{titles[r['factor']]} ({percentage(r['dont_know_share'])})" for r in unknown]
            )
            + " kozen veel partners 'weet niet'. Daar ontbreekt kennis of informatie."
        )
    if ctx.missing:
        points.append(
            "Niet meegedaan, wel verwacht: "
            + join_words([ctx.roles[str(r["role"])].label.lower() for r in ctx.missing])
            + "."
        )
    level_titles = {lvl.id: lvl.title for lvl in ctx.instrument.intervention_levels}
    gaps = [r for r in records(one_round(ctx.data.coverage, ctx.latest)) if r["gap"]]
    if gaps:
        points.append(
            "Geen enkele partner biedt hulp op "
            + ("het niveau " if len(gaps) == 1 else "de niveaus ")
            + join_words([f"'{level_titles[str(r['level'])].lower()}'" for r in gaps])
            + ". Dat is een gat in de keten."
        )
    points += _workshop_points(ctx)
    return {
        "points": points,
        "recommendations": ctx.recommendations[:FIRST_RECOMMENDATIONS],
    }


def _workshop_points(ctx: ReportContext) -> list[str]:
    """What the workshops agreed and how far the actions got."""
    found: list[str] = []
    session = ctx.session_now
    plan = ctx.captured_page("actieplan.md")
    if session is not None:
        agreed = sum(1 for v in ctx.agreed_levels.values() if v is not None)
        actions = len(plan["plan"])
        when = f" van {dutch_date(session['date'])}" if session.get("date") else ""
        found.append(
            f"In de workshop{when} kozen de partners samen een niveau voor {agreed} "
            f"onderwerpen. Zij spraken {actions} {'actie' if actions == 1 else 'acties'} af."
        )
    carried = plan["carried"]
    if carried:
        done = sum(1 for a in carried if a["status_now"] == "klaar")
        late = sum(1 for a in carried if a["overdue"])
        text = (
            f"Van de {len(carried)} acties uit {plan['previous_round']} "
            f"{'is' if done == 1 else 'zijn'} er {done} klaar"
        )
        text += f"; {late} {'is' if late == 1 else 'zijn'} te laat." if late else "."
        found.append(text)
    return found
