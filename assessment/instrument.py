"""The questionnaire: the instrument, the partner roles and the recommendation rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.messages import load_model, suggest
from assessment.models import (
    IndicatorDefinition,
    IndicatorLibrary,
    Instrument,
    Role,
    RoleList,
    Rule,
    RuleLibrary,
    Settings,
)
from assessment.paths import INDICATORS_FILE, SETTINGS_FILE, default_questionnaire_dir
from assessment.yamlio import LoadedYaml


@dataclass(frozen=True)
class Questionnaire:
    """The instrument, the partner roles, the recommendation rules and the key figures."""

    folder: Path
    instrument: Instrument
    roles: dict[str, Role]
    rules: list[Rule]
    # Key figure definitions by id, in file order; empty when the folder has no
    # indicatoren.yaml (a workspace's own questionnaire may leave them out).
    indicators: dict[str, IndicatorDefinition] = field(default_factory=dict)

    @cached_property
    def statement_ids(self) -> frozenset[str]:
        """Every statement id of the instrument."""
        return frozenset(s.id for s in self.instrument.statements())

    @cached_property
    def factor_ids(self) -> frozenset[str]:
        """Every factor and condition id."""
        return frozenset(f.id for f in self.instrument.factors())

    @cached_property
    def level_ids(self) -> frozenset[str]:
        """Every intervention level id."""
        return frozenset(level.id for level in self.instrument.intervention_levels)

    @cached_property
    def statement_order(self) -> list[str]:
        """Statement ids in questionnaire order."""
        return [s.id for s in self.instrument.statements()]


def load_questionnaire(folder: Path | None = None) -> Questionnaire:
    """Load and cross-check `instrument.yaml`, `roles.yaml`, `recommendations.yaml` and,
    when the folder has one, `indicatoren.yaml`."""
    folder = folder or default_questionnaire_dir()
    problems: list[Problem] = []
    instrument, _ = load_model(Instrument, folder / "instrument.yaml", problems)
    role_list, roles_doc = load_model(RoleList, folder / "roles.yaml", problems)
    library, rules_doc = load_model(RuleLibrary, folder / "recommendations.yaml", problems)
    indicator_library: IndicatorLibrary | None = None
    indicators_doc: LoadedYaml | None = None
    if (folder / INDICATORS_FILE).exists():
        indicator_library, indicators_doc = load_model(
            IndicatorLibrary, folder / INDICATORS_FILE, problems
        )
    if problems or instrument is None or role_list is None or library is None:
        raise ProblemsError(problems)
    assert roles_doc is not None
    assert rules_doc is not None
    levels = {level.id for level in instrument.intervention_levels}
    factors = {f.id for f in instrument.factors()}
    indicators: dict[str, IndicatorDefinition] = {}
    if indicator_library is not None and indicators_doc is not None:
        indicators = _check_indicators(indicator_library, indicators_doc, factors, problems)
    roles: dict[str, Role] = {}
    for index, role in enumerate(role_list.roles):
        if role.id in roles:
            problems.append(
                roles_doc.problem(
                    ["roles", index, "id"],
                    "instrument.duplicate-role",
                    f"de rol '{role.id}' komt twee keer voor",
                )
            )
        roles[role.id] = role
        for j, level in enumerate(role.typical_levels):
            if level not in levels:
                problems.append(
                    roles_doc.problem(
                        ["roles", index, "typical_levels", j],
                        "instrument.unknown-level",
                        f"onbekend interventieniveau '{level}'.{suggest(level, levels)}",
                    )
                )
    seen: set[str] = set()
    for index, rule in enumerate(library.rules):
        if rule.id in seen:
            problems.append(
                rules_doc.problem(
                    ["rules", index, "id"],
                    "rules.duplicate-rule",
                    f"de regel '{rule.id}' komt twee keer voor",
                )
            )
        seen.add(rule.id)
        condition = rule.condition
        where: list[str | int] = ["rules", index, "condition"]
        if condition.factor is not None and condition.factor not in factors:
            problems.append(
                rules_doc.problem(
                    [*where, "factor"],
                    "rules.unknown-factor",
                    f"onbekende factor '{condition.factor}'.{suggest(condition.factor, factors)}",
                )
            )
        if condition.role is not None and condition.role not in roles:
            problems.append(
                rules_doc.problem(
                    [*where, "role"],
                    "rules.unknown-role",
                    f"onbekende rol '{condition.role}'.{suggest(condition.role, roles)}",
                )
            )
        if condition.level is not None and condition.level not in levels:
            problems.append(
                rules_doc.problem(
                    [*where, "level"],
                    "rules.unknown-level",
                    f"onbekend niveau '{condition.level}'.{suggest(condition.level, levels)}",
                )
            )
        misplaced = {
            "factor": condition.factor is not None
            and condition.kind in ("missing_partner", "uncovered_level", "indicator"),
            "role": condition.role is not None and condition.kind != "missing_partner",
            "level": condition.level is not None and condition.kind != "uncovered_level",
            "indicator": condition.indicator is not None and condition.kind != "indicator",
            "compare": condition.compare is not None and condition.kind != "indicator",
            "reference": condition.reference is not None
            and (condition.kind != "indicator" or condition.compare in ("rise", "fall")),
        }
        for key, wrong in misplaced.items():
            if wrong:
                problems.append(
                    rules_doc.problem(
                        [*where, key],
                        "rules.misplaced-key",
                        f"'{key}' hoort niet bij een regel van soort '{condition.kind}'",
                        key=True,
                    )
                )
        if condition.kind == "indicator":
            problems += _check_indicator_condition(rule, rules_doc, [*where], indicators)
    if problems:
        raise ProblemsError(problems)
    return Questionnaire(folder, instrument, roles, list(library.rules), indicators)


def _check_indicators(
    library: IndicatorLibrary, doc: LoadedYaml, factors: set[str], problems: list[Problem]
) -> dict[str, IndicatorDefinition]:
    """Key figure definitions by id; duplicate ids, unknown factors and impossible
    reference values are added to `problems`."""
    found: dict[str, IndicatorDefinition] = {}
    for index, definition in enumerate(library.indicators):
        where: list[str | int] = ["indicators", index]
        if definition.id in found:
            problems.append(
                doc.problem(
                    [*where, "id"],
                    "indicators.duplicate-indicator",
                    f"het kengetal '{definition.id}' komt twee keer voor",
                )
            )
        found[definition.id] = definition
        if definition.factor not in factors:
            problems.append(
                doc.problem(
                    [*where, "factor"],
                    "indicators.unknown-factor",
                    f"onbekende factor '{definition.factor}'.{suggest(definition.factor, factors)}",
                )
            )
        seen: set[str] = set()
        upper = definition.upper
        for j, reference in enumerate(definition.references):
            if reference.id in seen:
                problems.append(
                    doc.problem(
                        [*where, "references", j, "id"],
                        "indicators.duplicate-reference",
                        f"de referentiewaarde '{reference.id}' komt twee keer voor bij "
                        f"'{definition.id}'",
                    )
                )
            seen.add(reference.id)
            if upper is not None and reference.value > upper:
                problems.append(
                    doc.problem(
                        [*where, "references", j, "value"],
                        "indicators.reference-out-of-range",
                        f"een referentiewaarde van {definition.name} kan niet hoger zijn dan "
                        f"{upper:g} (gevonden: {reference.value:g})",
                    )
                )
    return found


def _check_indicator_condition(
    rule: Rule, doc: LoadedYaml, where: list[str | int], indicators: dict[str, IndicatorDefinition]
) -> list[Problem]:
    """An indicator rule names a known key figure, says how to compare, and has something
    to compare with."""
    condition = rule.condition
    problems: list[Problem] = []
    for key in ("indicator", "compare"):
        if getattr(condition, key) is None:
            problems.append(
                doc.problem(
                    where,
                    "rules.missing-key",
                    f"een regel van soort 'indicator' heeft '{key}' nodig",
                    key=True,
                )
            )
    if condition.indicator is None:
        return problems
    definition = indicators.get(condition.indicator)
    if definition is None:
        problems.append(
            doc.problem(
                [*where, "indicator"],
                "rules.unknown-indicator",
                f"onbekend kengetal '{condition.indicator}'."
                f"{suggest(condition.indicator, indicators)}"
                + ("" if indicators else " Deze vragenlijst heeft geen indicatoren.yaml"),
            )
        )
        return problems
    references = {r.id for r in definition.references}
    if condition.reference is not None and condition.reference not in references:
        problems.append(
            doc.problem(
                [*where, "reference"],
                "rules.unknown-reference",
                f"'{condition.indicator}' heeft geen referentiewaarde '{condition.reference}'."
                f"{suggest(condition.reference, references)}"
                + (f" Kies uit: {', '.join(sorted(references))}" if references else ""),
            )
        )
    if (
        condition.compare in ("below", "above")
        and condition.reference is None
        and condition.threshold is None
        and not definition.references
    ):
        problems.append(
            doc.problem(
                where,
                "rules.missing-key",
                f"'{condition.indicator}' heeft geen referentiewaarde; geef de regel een "
                "'threshold' om mee te vergelijken",
                key=True,
            )
        )
    return problems


def questionnaire_for(root: Path, settings: Settings) -> Questionnaire:
    """The questionnaire a workspace uses: its own when `ketenscan.yaml` names one."""
    if settings.instrument is None:
        return load_questionnaire(None)
    folder = (root / settings.instrument).resolve()
    if not (folder / "instrument.yaml").is_file():
        raise ProblemsError(
            [
                file_problem(
                    display_path(root / SETTINGS_FILE),
                    "workspace.unknown-instrument",
                    f"de vragenlijstmap '{settings.instrument}' bestaat niet of bevat geen "
                    "instrument.yaml",
                )
            ]
        )
    return load_questionnaire(folder)
