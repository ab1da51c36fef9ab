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
from assessment.models.rules import Condition, ConditionKind, Rule, RuleLibrary
from assessment.models.workspace import Municipality, Settings, Thresholds

__all__ = [
    "Condition",
    "ConditionKind",
    "Factor",
    "IndicatorDefinition",
    "IndicatorLibrary",
    "IndicatorValue",
    "IndicatorValues",
    "Instrument",
    "InterventionLevel",
    "Municipality",
    "OpenAnswers",
    "OpenQuestions",
    "Questions",
    "Reference",
    "Respondent",
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
]
