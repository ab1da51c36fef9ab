"""Recommendations (SPEC §5): the rule library applied to the scores, explained and ranked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from assessment.analysis.frames import KEYS, row_dicts
from assessment.analysis.indicators import format_change, format_fraction, format_value
from assessment.analysis.scoring import Scores
from assessment.formatting import number
from assessment.models import IndicatorDefinition, Rule, Thresholds

if TYPE_CHECKING:
    from assessment.instrument import Questionnaire

# Rules without a factor of their own (a missing partner, an uncovered level) are about
# who takes part in the chain; their priority is computed from this factor.
CHAIN_FACTOR = "juiste-partners"
DEFAULT_IMPORTANCE = 3.0


@dataclass(frozen=True)
class Recommendation:
    """One triggered rule for one municipality and round, with the numbers behind it."""

    municipality: str
    round: str
    rule: str
    factor: str | None
    target: str | None  # the role or level the rule is about, when not a factor
    horizon: str
    priority: float
    title: str
    reason: str
    why: str
    actions: tuple[str, ...]
    source: str
    kind: str


Row = dict[Any, Any]


def _fired(
    rules: list[Rule], kind: str, target_key: str, candidates: pd.DataFrame
) -> Iterable[tuple[Rule, Row]]:
    """(rule, row) for every candidate row a rule of `kind` applies to.

    A specific rule (naming its factor, role or level) wins; a generic rule of the same
    kind covers only the targets no specific rule names.
    """
    of_kind = [r for r in rules if r.condition.kind == kind]
    specific = {getattr(r.condition, target_key): r for r in of_kind}
    generic = [r for r in of_kind if getattr(r.condition, target_key) is None]
    for row in row_dicts(candidates):
        rule = specific.get(row[target_key])
        if rule is not None:
            yield rule, row
        else:
            for rule in generic:
                yield rule, row


# The columns the factor rules read (the rows of a table that is much wider).
FACTOR_COLUMNS = [
    *KEYS,
    "factor",
    "mean",
    "n",
    "ambition",
    "consensus",
    "min",
    "max",
    "ambition_gap",
    "trend",
    "previous",
    "previous_mean",
    "current_mean",
]
# Rows are compared with their limits rounded to 6 decimals; a wider margin here keeps
# every row that rounding could still bring to the firing side.
MARGIN = 1e-5


def _limit(rule: Rule, default: float) -> float:
    """The threshold a factor rule compares with: its own, else the workspace's."""
    return rule.condition.threshold if rule.condition.threshold is not None else default


def _near_limits(
    rules: list[Rule], kind: str, column: str, default: float, candidates: pd.DataFrame
) -> pd.DataFrame:
    """The candidate rows that any rule of `kind` might fire on, with the columns the
    rules read: a cheap pass over the whole table before each row is looked at."""
    limits = [_limit(r, default) for r in rules if r.condition.kind == kind]
    if not limits:
        return candidates.iloc[0:0][FACTOR_COLUMNS]
    values = candidates[column]
    if kind in ("low_score", "low_consensus"):
        keep = values < max(limits) + MARGIN
    elif kind == "ambition_gap":
        keep = values >= min(limits) - MARGIN
    else:  # decline: a fall of at least the limit
        keep = values <= -min(limits) + MARGIN
    return candidates.loc[keep, FACTOR_COLUMNS]


def recommend(
    scores: Scores,
    questionnaire: Questionnaire,
    thresholds: Thresholds,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every triggered recommendation of every municipality and round, ranked per round.

    `indicators` is the table of key figures (`analysis.indicators.indicator_table`); the
    rules of kind `indicator` look at it.
    """
    rules = questionnaire.rules
    titles = {f.id: f.title for f in questionnaire.instrument.factors()}
    level_titles = {lvl.id: lvl.title for lvl in questionnaire.instrument.intervention_levels}
    factors = scores.factor_scores
    lookup: dict[tuple[str, str, str], Row] = {
        (row["municipality"], row["round"], row["factor"]): row
        for row in row_dicts(factors[[*KEYS, "factor", "mean", "ambition", "importance"]])
    }
    nan = float("nan")
    found: list[Recommendation] = []

    def make(
        rule: Rule,
        row: Row,
        factor: str,
        target: str | None,
        reason: str,
        *,
        show_factor: bool = False,
    ) -> None:
        scored = lookup.get((row["municipality"], row["round"], factor), {})
        score = float(scored.get("mean", nan))
        ambition = float(scored.get("ambition", nan))
        importance = float(scored.get("importance", nan))
        goal = ambition if ambition == ambition else thresholds.target
        weight = importance if importance == importance else DEFAULT_IMPORTANCE
        priority = (goal - score) * weight if score == score else 0.0
        found.append(
            Recommendation(
                municipality=str(row["municipality"]),
                round=str(row["round"]),
                rule=rule.id,
                factor=factor if target is None or show_factor else None,
                target=target,
                horizon=rule.horizon,
                priority=round(priority, 2),
                title=rule.title,
                reason=reason,
                why=rule.why,
                actions=tuple(rule.actions),
                source=rule.source,
                kind=rule.condition.kind,
            )
        )

    def describe(row: Row) -> str:
        text = f"{titles[row['factor']]}: {number(row['mean'])} (n = {int(row['n'])})"
        if row["ambition"] == row["ambition"]:
            text += f", ambitie {number(row['ambition'])}"
        return text

    scored = factors[factors["mean"].notna()]
    for kind, column, default in (
        ("low_score", "mean", thresholds.low_score),
        ("low_consensus", "consensus", thresholds.low_consensus),
        ("ambition_gap", "ambition_gap", thresholds.ambition_gap),
        ("decline", "trend", thresholds.decline),
    ):
        candidates = scored[scored[column].notna()]
        if kind == "low_consensus":
            candidates = candidates[candidates["n"] >= thresholds.min_consensus_n]
        candidates = _near_limits(rules, kind, column, default, candidates)
        for rule, row in _fired(rules, kind, "factor", candidates):
            limit = _limit(rule, default)
            # Compare at 6 decimals, as level_name does: a mean that is exactly the
            # threshold in exact arithmetic (13/5, or 3.7 - 4.0) must not land on either
            # side of it by floating-point noise.
            value = round(float(row[column]), 6)
            if kind == "low_score" and value < limit:
                reason = f"{describe(row)}; onder de drempel van {number(limit)}"
            elif kind == "low_consensus" and value < limit:
                reason = (
                    f"{titles[row['factor']]}: eensgezindheid {number(value, 2)} "
                    f"(drempel {number(limit, 2)}), scores van {number(row['min'])} tot "
                    f"{number(row['max'])} (n = {int(row['n'])})"
                )
            elif kind == "ambition_gap" and value >= limit:
                reason = (
                    f"{describe(row)}; de ambitie ligt {number(value)} niveau hoger "
                    f"(drempel {number(limit)})"
                )
            elif kind == "decline" and value <= -limit:
                reason = (
                    f"{titles[row['factor']]}: van {number(row['previous_mean'])} in "
                    f"{row['previous']} naar {number(row['current_mean'])} "
                    f"({number(value)}; drempel −{number(limit)})"
                )
            else:
                continue
            make(rule, row, str(row["factor"]), None, reason)
    role_labels = {role.id: role.label for role in questionnaire.roles.values()}
    for rule, row in _fired(rules, "missing_partner", "role", scores.missing_partners):
        reason = (
            f"Verwachte partner '{role_labels.get(row['role'], row['role'])}' heeft in "
            f"{row['round']} niet meegedaan"
        )
        make(rule, row, CHAIN_FACTOR, str(row["role"]), reason)
    gaps = scores.coverage[scores.coverage["gap"]]
    for rule, row in _fired(rules, "uncovered_level", "level", gaps):
        reason = (
            f"Geen van de {int(row['respondents'])} partners biedt hulp op het niveau "
            f"'{level_titles.get(row['level'], row['level'])}'"
        )
        make(rule, row, CHAIN_FACTOR, str(row["level"]), reason)
    if indicators is not None and not indicators.empty:
        for rule, row, reason in indicator_rules(rules, questionnaire, indicators):
            definition = questionnaire.indicators[str(row["indicator"])]
            make(rule, row, definition.factor, str(row["indicator"]), reason, show_factor=True)
    return rank(found)


def indicator_limit(rule: Rule, definition: IndicatorDefinition) -> tuple[float, str]:
    """The value a below/above rule compares with, and how the reason names it.

    The rule's threshold when it has one, else its reference, else the first reference of
    the key figure (`load_questionnaire` made sure there is one).
    """
    condition = rule.condition
    if condition.threshold is not None:
        shown = format_value(condition.threshold, definition)
        return condition.threshold, f"de drempel van deze regel ({shown})"
    wanted = condition.reference
    reference = next(
        (r for r in definition.references if wanted is None or r.id == wanted),
        definition.references[0],
    )
    shown = format_value(reference.value, definition)
    return reference.value, f"de referentiewaarde ({reference.label}: {shown})"


def indicator_rules(
    rules: list[Rule], questionnaire: Questionnaire, indicators: pd.DataFrame
) -> Iterable[tuple[Rule, Row, str]]:
    """(rule, row, reason) for every key figure an `indicator` rule fires on."""
    by_indicator: dict[str, list[Row]] = {}
    for row in row_dicts(indicators):
        by_indicator.setdefault(str(row["indicator"]), []).append(row)
    for rule in rules:
        condition = rule.condition
        if condition.kind != "indicator" or condition.indicator is None:
            continue
        definition = questionnaire.indicators[condition.indicator]
        for row in by_indicator.get(condition.indicator, []):
            value = float(row["value"])
            fraction = format_fraction(definition, row["numerator"], row["denominator"])
            shown = format_value(value, definition) + (f" ({fraction})" if fraction else "")
            if condition.compare in ("below", "above"):
                limit, named = indicator_limit(rule, definition)
                # Six decimals, as everywhere: a value that equals the limit in exact
                # arithmetic is neither below nor above it.
                difference = round(value - limit, 6)
                if (condition.compare == "below" and difference < 0) or (
                    condition.compare == "above" and difference > 0
                ):
                    side = "lager" if condition.compare == "below" else "hoger"
                    yield (
                        rule,
                        row,
                        f"{definition.name}: {shown} in {row['round']}, {side} dan {named}",
                    )
            elif condition.compare in ("rise", "fall") and row["change"] == row["change"]:
                change = round(float(row["change"]), 6)
                step = condition.threshold or 0.0
                if (condition.compare == "rise" and change > step) or (
                    condition.compare == "fall" and change < -step
                ):
                    before = format_value(row["previous_value"], definition)
                    limit_text = (
                        f"; drempel {'+' if condition.compare == 'rise' else '−'}"
                        f"{format_value(step, definition)}"
                        if step
                        else ""
                    )
                    yield (
                        rule,
                        row,
                        f"{definition.name}: van {before} in {row['previous_round']} naar "
                        f"{shown} in {row['round']} "
                        f"({format_change(row['change'], definition)}{limit_text})",
                    )


COLUMNS = [
    "municipality",
    "round",
    "rank",
    "rule",
    "factor",
    "target",
    "kind",
    "horizon",
    "priority",
    "title",
    "reason",
    "why",
    "actions",
    "source",
]


def rank(found: list[Recommendation]) -> pd.DataFrame:
    """Rank per municipality and round: highest priority first, then quick wins, then id."""
    frame = pd.DataFrame([r.__dict__ for r in found], columns=[c for c in COLUMNS if c != "rank"])
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame["_quick"] = frame["horizon"] != "snel"
    frame = frame.sort_values(
        [*KEYS, "priority", "_quick", "rule", "target"],
        ascending=[True, True, False, True, True, True],
        na_position="last",
    )
    frame["rank"] = frame.groupby(KEYS, sort=False).cumcount() + 1
    return frame[COLUMNS].reset_index(drop=True)
