"""The questionnaire: the instrument, the partner roles and the recommendation rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.messages import load_model, suggest
from assessment.models import Instrument, Role, RoleList, Rule, RuleLibrary, Settings
from assessment.paths import SETTINGS_FILE, default_questionnaire_dir


@dataclass(frozen=True)
class Questionnaire:
    """The instrument, the partner roles and the recommendation rules."""

    folder: Path
    instrument: Instrument
    roles: dict[str, Role]
    rules: list[Rule]

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
    """Load and cross-check `instrument.yaml`, `roles.yaml` and `recommendations.yaml`."""
    folder = folder or default_questionnaire_dir()
    problems: list[Problem] = []
    instrument, _ = load_model(Instrument, folder / "instrument.yaml", problems)
    role_list, roles_doc = load_model(RoleList, folder / "roles.yaml", problems)
    library, rules_doc = load_model(RuleLibrary, folder / "recommendations.yaml", problems)
    if problems or instrument is None or role_list is None or library is None:
        raise ProblemsError(problems)
    assert roles_doc is not None
    assert rules_doc is not None
    levels = {level.id for level in instrument.intervention_levels}
    factors = {f.id for f in instrument.factors()}
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
            and condition.kind in ("missing_partner", "uncovered_level"),
            "role": condition.role is not None and condition.kind != "missing_partner",
            "level": condition.level is not None and condition.kind != "uncovered_level",
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
    if problems:
        raise ProblemsError(problems)
    return Questionnaire(folder, instrument, roles, list(library.rules))


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
