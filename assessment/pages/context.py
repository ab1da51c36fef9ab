"""What a municipality's pages are made from: the slice of every table its site shows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import pandas as pd

from assessment.analysis.scoring import Scores, role_scores
from assessment.formatting import percentage
from assessment.instrument import Questionnaire
from assessment.interop.tables import respondent_tables
from assessment.models import Municipality, Settings
from assessment.pages.markup import attr, num, user_text
from assessment.paths import default_site_dir
from assessment.workspace import Workspace

PUBLIC_MIN_GROUP = 5


# ---------------------------------------------------------------- site data


@dataclass
class SiteData:
    """Everything one municipality's site shows: picklable for a worker process."""

    slug: str
    info: Municipality
    settings: Settings
    audience: str
    questionnaire: Questionnaire
    rounds: list[str]
    factor_scores: pd.DataFrame
    statement_scores: pd.DataFrame
    overall: pd.DataFrame
    role_scores: pd.DataFrame
    coverage: pd.DataFrame
    coverage_roles: pd.DataFrame
    missing_partners: pd.DataFrame
    participation: pd.DataFrame
    recommendations: pd.DataFrame
    respondents: pd.DataFrame  # round, respondent, role, organisation (internal only)
    comments: pd.DataFrame  # round, respondent, role, question, text (internal only)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def latest(self) -> str | None:
        """The newest round with answers."""
        rounds = self.overall["round"].tolist()
        return max(rounds) if rounds else None

    @property
    def previous(self) -> str | None:
        """The round before the newest one with answers."""
        latest = self.latest
        earlier = [r for r in self.overall["round"].tolist() if latest and r < latest]
        return max(earlier) if earlier else None


@cache
def environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(default_site_dir() / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["ut"] = user_text
    environment.filters["num"] = num
    environment.filters["pct"] = lambda v: percentage(None if v is None else float(v))
    environment.filters["attr"] = attr
    return environment


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # As to_dict("records"), which boxes every cell of a string column one by one.
    columns = [str(key) for key in frame.columns]
    records: list[dict[str, Any]] = [
        dict(zip(columns, values, strict=True)) for values in frame.to_numpy(dtype=object).tolist()
    ]
    for row in records:
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
    return records


def one_round(frame: pd.DataFrame, round_slug: str | None) -> pd.DataFrame:
    if round_slug is None or frame.empty:
        return frame.iloc[0:0]
    return frame[frame["round"] == round_slug]


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def site_data(
    workspace: Workspace, scores: Scores, recs: pd.DataFrame, slug: str, audience: str
) -> SiteData:
    """The slice of every table that one municipality's site shows."""
    municipality = workspace.municipalities[slug]
    thresholds = workspace.settings.thresholds
    min_group = (
        max(thresholds.min_group_size, PUBLIC_MIN_GROUP)
        if audience == "public"
        else thresholds.min_group_size
    )

    def only(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["municipality"] == slug].reset_index(drop=True)

    respondents, comments = respondent_tables(workspace, only=slug)
    if audience == "public":
        respondents = respondents.iloc[0:0]
        comments = comments.iloc[0:0]
    return SiteData(
        slug=slug,
        info=municipality.info,
        settings=workspace.settings,
        audience=audience,
        questionnaire=workspace.questionnaire,
        rounds=[r.slug for r in municipality.rounds],
        factor_scores=only(scores.factor_scores),
        statement_scores=only(scores.statement_scores),
        overall=only(scores.overall),
        role_scores=role_scores(only(scores.respondent_factors), min_group),
        coverage=only(scores.coverage),
        coverage_roles=only(scores.coverage_roles),
        missing_partners=only(scores.missing_partners),
        participation=only(scores.participation),
        recommendations=only(recs),
        respondents=respondents,
        comments=comments,
    )
