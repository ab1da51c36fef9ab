"""Recommendations (SPEC §5): every rule fires when its condition holds, and only then."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import pandas as pd
import pytest

from assessment.analysis.indicators import indicator_rows
from assessment.analysis.recommend import recommend
from assessment.analysis.scoring import score_input
from assessment.models import Rule, Thresholds
from tests.scoring_helpers import (
    Person,
    is_missing,
    layout_of,
    level_ids,
    scoring_input,
    shipped,
    statements_of,
)

Q = shipped()
RULES = Q.rules
LAYOUT = layout_of(Q)
LEVELS = level_ids(Q)
FACTORS = [factor for _, factor, _ in LAYOUT]
TITLES = {f.id: f.title for f in Q.instrument.factors()}

# A key figure: (municipality, round, indicator, {numerator, denominator or value}).
Figure = tuple[str, str, str, dict[str, Any]]


def half(factor: str) -> tuple[str, ...]:
    """The first half (rounded up) of a factor's statements: just enough for a score."""
    statements = statements_of(LAYOUT, factor)
    return statements[: math.ceil(len(statements) / 2)]


def rated(
    factor: str,
    values: Sequence[int],
    *,
    ambition: Sequence[int] = (),
    importance: Sequence[int] = (),
    round_slug: str = "r1",
    role: str = "wijkteam",
) -> list[Person]:
    """One partner per value, answering half of `factor`'s statements with that value.

    Every partner offers every intervention level, so no level is a gap.
    """
    people = []
    for i, value in enumerate(values):
        people.append(
            Person(
                f"p{i}",
                dict.fromkeys(half(factor), value),
                role=role,
                ambition={factor: ambition[i]} if i < len(ambition) else {},
                importance={factor: importance[i]} if i < len(importance) else {},
                levels=LEVELS,
                round=round_slug,
            )
        )
    return people


def merge(*groups: list[Person]) -> list[Person]:
    """Partners answering several factors: the answers of p0 in every group go together."""
    merged: dict[tuple[str, str], Person] = {}
    for group in groups:
        for p in group:
            key = (p.round, p.id)
            if key not in merged:
                merged[key] = p
                continue
            known = merged[key]
            known.scores = {**known.scores, **p.scores}
            known.ambition = {**known.ambition, **p.ambition}
            known.importance = {**known.importance, **p.importance}
    return list(merged.values())


def run(
    people: list[Person],
    thresholds: Thresholds | None = None,
    expected: Sequence[str] = (),
    figures: Sequence[Figure] = (),
) -> pd.DataFrame:
    """Score the partners with the shipped instrument and apply the shipped rules."""
    limits = thresholds or Thresholds()
    data = scoring_input(people, LAYOUT, levels=LEVELS, expected={"stad": list(expected)})
    indicators = indicator_rows(list(figures), Q.indicators)
    return recommend(score_input(data, limits), Q, limits, indicators)


def fired(frame: pd.DataFrame) -> set[str]:
    return set(frame["rule"])


def subject(row: dict[Any, Any] | pd.Series[Any]) -> str:
    """The factor a recommendation is about, or else its role or level."""
    return str(row["target"] if is_missing(row["factor"]) else row["factor"])


# ---------------------------------------------------------------- every rule


def target_of(rule: Rule) -> str:
    """The factor, role, level or key figure a rule is tried on; for a generic rule, one no
    specific rule of its kind names."""
    c = rule.condition
    named = c.factor or c.role or c.level or c.indicator
    if named is not None:
        return named
    same_kind = [r.condition for r in RULES if r.condition.kind == c.kind]
    taken = {x.factor or x.role or x.level for x in same_kind}
    pool = {"missing_partner": list(Q.roles), "uncovered_level": list(LEVELS)}.get(c.kind, FACTORS)
    return next(item for item in pool if item not in taken)


def other_role(role: str) -> str:
    return "welzijn" if role != "welzijn" else "wijkteam"


def indicator_trigger(rule: Rule, holds: bool) -> list[Figure]:
    """Key figures for which an indicator rule holds, or just fails to hold."""
    c = rule.condition
    assert c.indicator is not None
    definition = Q.indicators[c.indicator]
    if c.compare in ("below", "above"):
        assert c.threshold is None
        reference = next(r for r in definition.references if r.id == c.reference)
        # A numerator of reference × 10 out of 1,000 is the reference exactly (for a
        # percentage: 400 / 1000 × 100 = 40.0), which is neither below nor above it; one
        # more or one less is 0.1 above or below it.
        assert definition.unit == "procent"
        exact = round(reference.value * 10)
        step = (-1 if c.compare == "below" else 1) if holds else 0
        return [("m", "r1", c.indicator, {"numerator": exact + step, "denominator": 1000})]
    # rise or fall (threshold 0): 100 / 1000, then 101 / 1000 (a change of one step) or
    # 100 / 1000 again (no change, which does not fire).
    assert c.threshold is None
    step = (1 if c.compare == "rise" else -1) if holds else 0
    return [
        ("m", "r1", c.indicator, {"numerator": 100, "denominator": 1000}),
        ("m", "r2", c.indicator, {"numerator": 100 + step, "denominator": 1000}),
    ]


def trigger(rule: Rule, holds: bool) -> tuple[list[Person], list[str]]:
    """Partners for which the rule's condition holds, or just fails to hold; and the
    expected roles of the municipality."""
    kind = rule.condition.kind
    target = target_of(rule)
    if kind == "low_score":
        assert rule.condition.threshold is None  # the default 2.6 applies
        # (3 + 3 + 2 + 2 + 2) / 5 = 2.4 fires; (3 + 3 + 3 + 2 + 2) / 5 = 2.6 is not below 2.6
        return rated(target, [3, 3, 2, 2, 2] if holds else [3, 3, 3, 2, 2]), []
    if kind == "low_consensus":
        assert rule.condition.threshold is None  # the default 0.6 applies
        # 2, 2, 4, 4: 1 + log2(0.75) = 0.585 fires; 1, 3, 3, 3, 5: 1 - 0.2 - 0.2 = 0.6 does
        # not; both have score 3.0, so no low score.
        return rated(target, [2, 2, 4, 4] if holds else [1, 3, 3, 3, 5]), []
    if kind == "ambition_gap":
        assert rule.condition.threshold in (None, 1.0)  # the default is 1.0 too
        # score 3.0; ambition 4.0 gives a gap of exactly 1.0; (4 * 4 + 3) / 5 = 3.8 gives 0.8
        ambition = [4, 4, 4, 4, 4] if holds else [4, 4, 4, 4, 3]
        return rated(target, [3] * 5, ambition=ambition), []
    if kind == "decline":
        assert rule.condition.threshold is None  # the default 0.3 applies
        before = rated(target, [3] * 10, round_slug="r1")
        # 3.0 -> (7 * 3 + 3 * 2) / 10 = 2.7 is a decline of 0.3; 2.8 is a decline of 0.2
        after = [3] * 7 + [2] * 3 if holds else [3] * 8 + [2] * 2
        return before + rated(target, after, round_slug="r2"), []
    if kind == "missing_partner":
        present = other_role(target) if holds else target
        return rated(FACTORS[0], [4], role=present), [target]
    if kind == "uncovered_level":
        partner = Person("p0", levels=[lv for lv in LEVELS if lv != target or not holds])
        return [partner], []
    if kind == "indicator":
        return [], []  # the key figures of `indicator_trigger` trigger it
    raise AssertionError(f"no trigger for rules of kind {kind}")


@cache
def every_rule(holds: bool) -> pd.DataFrame:
    """The triggers of all rules at once, one municipality per rule (one scoring pass)."""
    people: list[Person] = []
    expected: dict[str, list[str]] = {}
    figures: list[Figure] = []
    for rule in RULES:
        group, roles = trigger(rule, holds)
        for p in group:
            p.municipality = rule.id
        people += group
        expected[rule.id] = roles
        if rule.condition.kind == "indicator":
            figures += [(rule.id, r, i, f) for _, r, i, f in indicator_trigger(rule, holds)]
    limits = Thresholds()
    data = scoring_input(people, LAYOUT, levels=LEVELS, expected=expected)
    indicators = indicator_rows(figures, Q.indicators)
    return recommend(score_input(data, limits), Q, limits, indicators)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_fires_when_its_condition_holds(rule: Rule) -> None:
    found = every_rule(holds=True)
    found = found[found["municipality"] == rule.id]
    assert fired(found) == {rule.id}
    assert len(found) == 1
    row = found.iloc[0]
    target = target_of(rule)
    if rule.condition.kind == "indicator":
        # About a key figure, shown with the factor the key figure belongs to.
        assert row["target"] == target
        assert row["factor"] == Q.indicators[target].factor
    elif rule.condition.kind in ("missing_partner", "uncovered_level"):
        assert subject(row) == target
        assert is_missing(row["factor"])
    else:
        assert subject(row) == target
        assert is_missing(row["target"])
    assert row["rank"] == 1
    assert row["title"] == rule.title
    assert row["horizon"] == rule.horizon


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_stays_silent_just_on_the_safe_side(rule: Rule) -> None:
    found = every_rule(holds=False)
    assert fired(found[found["municipality"] == rule.id]) == set()


def test_one_rule_at_a_time_gives_the_same_result() -> None:
    # The batch above scores all rules together; spot-check that one on its own agrees.
    rule = next(r for r in RULES if r.id == "ambitie-kloof-regie")
    people, expected = trigger(rule, holds=True)
    assert fired(run(people, expected=expected)) == {rule.id}


def test_every_kind_of_condition_is_in_the_library() -> None:
    kinds = {r.condition.kind for r in RULES}
    assert kinds == {
        "low_score",
        "low_consensus",
        "ambition_gap",
        "missing_partner",
        "uncovered_level",
        "decline",
        "indicator",
    }


def test_at_least_six_rules_look_at_key_figures_each_citing_a_practice() -> None:
    rules = [r for r in RULES if r.condition.kind == "indicator"]
    assert len(rules) >= 6
    assert len({r.condition.indicator for r in rules}) >= 6
    seeds = ("Buurtzorg Jong", "Buurtgezinnen", "West-Brabant West", "Zaltbommel", "Putten")
    for rule in rules:
        assert any(seed in rule.source for seed in seeds), rule.id


def test_a_healthy_chain_gets_no_recommendations() -> None:
    everyone = [
        Person(
            f"p{i}",
            dict.fromkeys(Q.statement_order, 4),
            role=role,
            ambition=dict.fromkeys(FACTORS, 4),
            importance=dict.fromkeys(FACTORS, 4),
            levels=LEVELS,
        )
        for i, role in enumerate(["wijkteam", "gemeente", "huisartsenpraktijk"])
    ]
    expected = ["wijkteam", "gemeente", "huisartsenpraktijk"]
    assert run(everyone, expected=expected).empty


# ---------------------------------------------------------------- specific and generic


def test_specific_rule_wins_over_the_generic_rule_of_its_kind() -> None:
    # An ambition gap of 1.0 on regie (which has a rule of its own) and on juiste-partners
    # (which has not); a missing huisartsenpraktijk (own rule) and kinderopvang (not).
    people = merge(
        rated("regie", [3] * 3, ambition=[4] * 3),
        rated("juiste-partners", [3] * 3, ambition=[4] * 3),
    )
    found = run(people, expected=["huisartsenpraktijk", "kinderopvang", "wijkteam"])
    pairs = {(r["rule"], subject(r)) for r in found.to_dict("records")}
    assert pairs == {
        ("ambitie-kloof-regie", "regie"),
        ("ambitie-kloof", "juiste-partners"),
        ("partner-ontbreekt-huisartsenpraktijk", "huisartsenpraktijk"),
        ("partner-ontbreekt", "kinderopvang"),
    }


def test_rule_threshold_overrides_the_workspace_default() -> None:
    # Gap (4 * 4 + 3) / 5 - 3.0 = 0.8 with a workspace default of 0.5: the generic rule
    # fires for juiste-partners; regie's own rule (threshold 1.0) does not, and the
    # generic rule does not stand in for it.
    people = merge(
        rated("regie", [3] * 5, ambition=[4, 4, 4, 4, 3]),
        rated("juiste-partners", [3] * 5, ambition=[4, 4, 4, 4, 3]),
    )
    found = run(people, Thresholds(ambition_gap=0.5))
    assert list(zip(found["rule"], found["factor"], strict=True)) == [
        ("ambitie-kloof", "juiste-partners")
    ]


def test_workspace_thresholds_move_the_rules() -> None:
    people = rated("dialoog", [3, 3, 3, 3, 2])  # 14 / 5 = 2.8
    assert fired(run(people)) == set()
    assert fired(run(people, Thresholds(low_score=3.0))) == {"dialoog-laag"}


def test_low_consensus_needs_three_partners() -> None:
    split = rated("vertrouwen", [1, 5])  # consensus 0.0, but n = 2
    assert fired(run(split)) == set()
    assert fired(run(rated("vertrouwen", [1, 5, 1, 5]))) == {"vertrouwen-verdeeld"}


# ---------------------------------------------------------------- edges in floating point


def test_decline_of_exactly_the_threshold_fires() -> None:
    # 4.0 -> (7 * 4 + 3 * 3) / 10 = 3.7: a decline of exactly 0.3, which floating point
    # computes as 0.2999999999999998.
    people = rated("dialoog", [4] * 10, round_slug="r1") + rated(
        "dialoog", [4] * 7 + [3] * 3, round_slug="r2"
    )
    found = run(people)
    assert list(zip(found["round"], found["rule"], strict=True)) == [("r2", "achteruitgang")]


def test_score_of_exactly_the_threshold_does_not_fire() -> None:
    # Partner scores 1, 1, 11/3, 11/3, 11/3: the factor score is exactly 13/5 = 2.6, the
    # threshold, which floating point computes as 2.5999999999999996.
    juiste = statements_of(LAYOUT, "juiste-partners")
    people = [Person(f"p{i}", {juiste[0]: 1, juiste[1]: 1}, levels=LEVELS) for i in range(2)]
    people += [
        Person(f"q{i}", {juiste[0]: 4, juiste[1]: 4, juiste[2]: 3}, levels=LEVELS) for i in range(3)
    ]
    # (The answers 1, 1, 4, 4, 4 do make the factor a discussion point.)
    assert fired(run(people)) == {"juiste-partners-verdeeld"}
    assert "juiste-partners-laag" in fired(run(people, Thresholds(low_score=2.7)))


def test_consensus_of_exactly_the_threshold_does_not_fire() -> None:
    # dialoog has two statements: consensus 0.8 (1, eight 3s, 5) and 0.4 (three 1s, four
    # 3s, three 5s); the factor's (0.8 + 0.4) / 2 = 0.6 is not below 0.6, although
    # floating point computes 0.5999999999999999.
    first, second = statements_of(LAYOUT, "dialoog")
    b1 = [1, 3, 3, 3, 3, 3, 3, 3, 3, 5]
    b2 = [1, 1, 1, 3, 3, 3, 3, 5, 5, 5]
    people = [
        Person(f"p{i}", {first: x, second: y}, levels=LEVELS)
        for i, (x, y) in enumerate(zip(b1, b2, strict=True))
    ]
    assert fired(run(people)) == set()


# ---------------------------------------------------------------- ranking


def test_ranking_by_priority_then_quick_wins_then_rule() -> None:
    people = merge(
        # juiste-partners 2.0, ambition (4 + 5) / 2 = 4.5, importance (4 + 5) / 2 = 4.5:
        # the gap of 2.5 also fires the generic ambition rule, with the same priority.
        rated("juiste-partners", [2, 2], ambition=[4, 5], importance=[4, 5]),
        # continuiteit (3 + 2) / 2 = 2.5, importance 5, no ambition: target 4
        rated("continuiteit", [3, 2], importance=[5, 5]),
        # regie and samenwerkingscultuur 2.0, no importance: weight 3
        rated("regie", [2, 2]),
        rated("samenwerkingscultuur", [2, 2]),
    )
    found = run(people)
    assert found["rule"].tolist() == [
        "ambitie-kloof",  # (4.5 - 2.0) * 4.5 = 11.25, snel, 'a' before 'j'
        "juiste-partners-laag",  # 11.25, snel
        "continuiteit-laag",  # (4 - 2.5) * 5 = 7.5
        "samenwerkingscultuur-laag",  # (4 - 2.0) * 3 = 6.0, snel before structureel
        "regie-laag",  # (4 - 2.0) * 3 = 6.0, structureel
    ]
    assert found["priority"].tolist() == pytest.approx(
        [(4.5 - 2.0) * 4.5, (4.5 - 2.0) * 4.5, (4 - 2.5) * 5, (4 - 2.0) * 3, (4 - 2.0) * 3]
    )
    assert found["rank"].tolist() == [1, 2, 3, 4, 5]
    assert found["horizon"].tolist()[3:] == ["snel", "structureel"]


def test_ranking_restarts_per_municipality_and_round() -> None:
    people = rated("regie", [1, 1]) + rated("regie", [2, 2], round_slug="r2")
    found = run(people)
    ranks = sorted(zip(found["round"], found["rank"], found["priority"], strict=True))
    # r1: (4 - 1) * 3 = 9; r2: (4 - 2) * 3 = 6; both first in their own round
    assert ranks == [("r1", 1, 9.0), ("r2", 1, 6.0)]


def test_missing_partner_priority_uses_the_chain_factor() -> None:
    # juiste-partners 2.0 with ambition 5 and importance 4: (5 - 2) * 4 = 12
    people = rated("juiste-partners", [2, 2], ambition=[5, 5], importance=[4, 4])
    found = run(people, expected=["gemeente"])
    row = found[found["rule"] == "partner-ontbreekt-gemeente"].iloc[0]
    assert row["priority"] == (5 - 2) * 4
    # Without a juiste-partners score there is nothing to weigh: priority 0.
    found = run(rated("regie", [4, 4]), expected=["gemeente"])
    assert found["priority"].tolist() == [0.0]


# ---------------------------------------------------------------- reasons


def test_reason_shows_the_numbers_with_a_decimal_comma() -> None:
    # scores 2, 2, 3 -> 7/3 = 2.33; ambitions 4, 4, 3 -> 11/3 = 3.67; gap 4/3 = 1.33
    found = run(rated("juiste-partners", [2, 2, 3], ambition=[4, 4, 3]))
    reasons = dict(zip(found["rule"], found["reason"], strict=True))
    title = TITLES["juiste-partners"]
    assert reasons == {
        "juiste-partners-laag": f"{title}: 2,3 (n = 3), ambitie 3,7; onder de drempel van 2,6",
        "ambitie-kloof": (
            f"{title}: 2,3 (n = 3), ambitie 3,7; de ambitie ligt 1,3 niveau hoger (drempel 1,0)"
        ),
    }


def test_consensus_reason_shows_the_spread() -> None:
    found = run(rated("dialoog", [1, 5, 1, 5]))
    assert found["reason"].tolist() == [
        f"{TITLES['dialoog']}: eensgezindheid 0,00 (drempel 0,60), scores van 1,0 tot 5,0 (n = 4)"
    ]


def test_decline_reason_adds_up_on_the_shared_statements() -> None:
    first, second, third = statements_of(LAYOUT, "samenwerkingscultuur")[:3]
    # The third statement is answered only in r2 and is left out of the trend:
    # r1 (4 + 4) / 2 = 4.0 on the shared statements, r2 (3 + 3) / 2 = 3.0: a decline of
    # 1.0. The r2 score with the third statement is (3 + 3 + 5) / 3 = 3.7, which would not
    # add up to the decline shown.
    before = [Person(f"p{i}", {first: 4, second: 4}, levels=LEVELS) for i in range(2)]
    after = [
        Person(f"p{i}", {first: 3, second: 3, third: 5}, levels=LEVELS, round="r2")
        for i in range(2)
    ]
    found = run(before + after)
    assert found["reason"].tolist() == [
        f"{TITLES['samenwerkingscultuur']}: van 4,0 in r1 naar 3,0 (−1,0; drempel −0,3)"
    ]


def test_uncovered_level_and_missing_partner_reasons() -> None:
    people = [Person(f"p{i}", levels=[lv for lv in LEVELS if lv != "licht"]) for i in range(3)]
    found = run(people, expected=["veilig-thuis"])
    reasons = dict(zip(found["rule"], found["reason"], strict=True))
    label = Q.roles["veilig-thuis"].label
    assert reasons == {
        "niveau-ontbreekt-licht": "Geen van de 3 partners biedt hulp op het niveau 'Licht'",
        "partner-ontbreekt-veilig-thuis": f"Verwachte partner '{label}' heeft in r1 niet meegedaan",
    }


# ---------------------------------------------------------------- key figures


def test_indicator_reason_shows_the_fraction_and_the_reference() -> None:
    # 51 of 80 families: 51 / 80 × 100 = 63.75%, shown as 63,8%; the aim is 80%.
    figures = [("stad", "r1", "huisbezoek-binnen-drie-dagen", {"numerator": 51, "denominator": 80})]
    found = run([], figures=figures)
    assert found["rule"].tolist() == ["kengetal-huisbezoek-te-laat"]
    assert found["reason"].tolist() == [
        "Huisbezoek binnen drie werkdagen: 63,8% (51 van 80) in r1, lager dan de "
        "referentiewaarde (Streefwaarde Buurtzorg Jong: 80,0%)"
    ]


def test_indicator_rise_reason_shows_both_rounds_and_the_change() -> None:
    # 98 of 1,000 youths -> 98.0 per 1,000; then 104 of 1,040 -> 100.0 per 1,000: +2.0.
    figures = [
        ("stad", "r1", "jeugdigen-in-zorg-per-1000", {"numerator": 98, "denominator": 1000}),
        ("stad", "r2", "jeugdigen-in-zorg-per-1000", {"numerator": 104, "denominator": 1040}),
    ]
    found = run([], figures=figures)
    assert found["rule"].tolist() == ["kengetal-jeugdigen-in-zorg-stijgt"]
    assert found["round"].tolist() == ["r2"]
    assert found["reason"].tolist() == [
        "Jeugdigen met jeugdhulp per 1.000: van 98,0 per 1.000 jeugdigen in r1 naar 100,0 per "
        "1.000 jeugdigen (104 van 1.040) in r2 (+2,0 per 1.000 jeugdigen)"
    ]


def test_indicator_given_as_a_value_compares_like_a_fraction() -> None:
    # Drop-out given as 7.5% (no counts): above the aim of at most 5%.
    figures = [("stad", "r1", "voortijdig-beeindigd", {"value": 7.5})]
    found = run([], figures=figures)
    assert found["reason"].tolist() == [
        "Trajecten tegen advies gestopt: 7,5% in r1, hoger dan de referentiewaarde "
        "(Streefwaarde Buurtzorg Jong (hooguit 5%): 5,0%)"
    ]


def test_indicator_rise_skips_a_round_without_the_figure() -> None:
    # r1 12.0 months, r2 no figure, r3 14.0 months: the change is measured against r1.
    figures = [
        ("stad", "r1", "gemiddelde-duur-in-zorg", {"numerator": 1200, "denominator": 100}),
        ("stad", "r3", "gemiddelde-duur-in-zorg", {"numerator": 1400, "denominator": 100}),
    ]
    found = run([], figures=figures)
    assert found["reason"].tolist() == [
        "Gemiddelde duur van de jeugdhulp: van 12,0 maanden in r1 naar 14,0 maanden "
        "(1.400 ÷ 100) in r3 (+2,0 maanden)"
    ]


def test_indicator_recommendation_takes_its_priority_from_its_factor() -> None:
    # preventie scored (2 + 2) / 2 = 2.0, importance 5: priority (4 - 2) * 5 = 10.
    people = rated("preventie", [2, 2], importance=[5, 5])
    figures = [("stad", "r1", "uithuisplaatsing-voorkomen", {"numerator": 1, "denominator": 10})]
    found = run(people, figures=figures)
    row = found[found["rule"] == "kengetal-informele-steun-laag"].iloc[0]
    assert row["priority"] == (4 - 2) * 5
    assert row["factor"] == "preventie"
