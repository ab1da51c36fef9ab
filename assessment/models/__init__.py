"""Pydantic models of every file Ketenscan reads, one module per kind of file.

Models import nothing of ours but `assessment.limits`; YAML keys equal field names.
"""

from assessment.models.answers import OpenAnswers, Respondent, Response
from assessment.models.base import ScaleValue, ShortText, Slug, Strict, Text
from assessment.models.indicators import (
    IndicatorDefinition,
    IndicatorLibrary,
    IndicatorValue,
    IndicatorValues,
    Reference,
)
from assessment.models.instrument import (
    Factor,
    Instrument,
    InterventionLevel,
    OpenQuestions,
    Questions,
    Role,
    RoleList,
    ScaleStep,
    Section,
    Statement,
)
from assessment.models.mapping import ImportMapping, OpenColumns, RespondentColumns
from assessment.models.rules import Condition, ConditionKind, Rule, RuleLibrary
from assessment.models.workshop import (
    ACTION_STATUSES,
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Agreement,
    Workshop,
)
from assessment.models.workspace import Municipality, Settings, Thresholds

__all__ = [
    "ACTION_STATUSES",
    "OPEN_STATUSES",
    "Action",
    "ActionStatus",
    "Agreement",
    "Condition",
    "ConditionKind",
    "Factor",
    "ImportMapping",
    "IndicatorDefinition",
    "IndicatorLibrary",
    "IndicatorValue",
    "IndicatorValues",
    "Instrument",
    "InterventionLevel",
    "Municipality",
    "OpenAnswers",
    "OpenColumns",
    "OpenQuestions",
    "Questions",
    "Reference",
    "Respondent",
    "RespondentColumns",
    "Response",
    "Role",
    "RoleList",
    "Rule",
    "RuleLibrary",
    "ScaleStep",
    "ScaleValue",
    "Section",
    "Settings",
    "ShortText",
    "Slug",
    "Statement",
    "Strict",
    "Text",
    "Thresholds",
    "Workshop",
]
