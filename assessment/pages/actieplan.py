"""Actieplan: the actions the workshop agreed on, grouped by factor, with owner, due date
and status; overdue actions stand out; and the previous round's actions with their status
now and how far each factor moved since ("3 van 4 acties klaar; Regie +0,4")."""

from __future__ import annotations

from collections import Counter
from typing import Any

from assessment.models import ACTION_STATUSES
from assessment.pages.context import PageContext, Record, one_round, records


def by_factor(ctx: PageContext, actions: list[Record]) -> list[dict[str, Any]]:
    """Actions grouped under every factor they name, in questionnaire order."""
    groups = []
    for factor in ctx.instrument.factors():
        rows = [a for a in actions if factor.id in a["factors"]]
        if rows:
            groups.append({"factor": factor, "actions": rows})
    return groups


def status_counts(actions: list[Record], key: str = "status") -> dict[str, int]:
    """How many actions have each status (every status present, in a fixed order)."""
    counted = Counter(str(a[key]) for a in actions)
    return {status: counted.get(status, 0) for status in ACTION_STATUSES}


def build_actieplan(ctx: PageContext) -> None:
    """The Actieplan page (both audiences: the actions are the group's decisions)."""
    plan_round = ctx.plan_round
    plan = records(one_round(ctx.data.actions, plan_round)) if plan_round == ctx.latest else []
    carried = records(one_round(ctx.data.carried, ctx.latest))
    review = records(one_round(ctx.data.review, ctx.latest))
    reference = records(ctx.data.actions.head(1))
    ctx.page(
        "actieplan.md",
        "Actieplan",
        "actieplan.md.j2",
        plan_round=plan_round,
        session=ctx.session_now,
        plan=plan,
        plan_groups=by_factor(ctx, plan),
        plan_counts=status_counts(plan),
        plan_overdue=sum(1 for a in plan if a["overdue"]),
        carried=carried,
        carried_groups=by_factor(ctx, carried),
        carried_counts=status_counts(carried, "status_now"),
        carried_overdue=sum(1 for a in carried if a["overdue"]),
        previous_round=carried[0]["previous"] if carried else None,
        review=review,
        reference=reference[0]["reference"] if reference else None,
        statuses=ACTION_STATUSES,
    )
