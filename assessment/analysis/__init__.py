"""Pure analysis: from validated answers to scores and recommendations. No files, no pages.

`analyse` is the one way from a loaded workspace to every figure: the command line, the
site build and the benchmarks all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from assessment.analysis.benchmark import (
    PeerGroup,
    Summary,
    comparison_table,
    peer_groups,
    summaries_from,
)
from assessment.analysis.frames import respondent_tables
from assessment.analysis.indicators import indicator_table, reference_table
from assessment.analysis.recommend import recommend
from assessment.analysis.scoring import Scores, score_workspace
from assessment.analysis.workshop import WorkshopTables, workshop_frames, workshop_tables
from assessment.limits import min_group_size

if TYPE_CHECKING:
    from assessment.workspace import Workspace


@dataclass(frozen=True)
class Analysis:
    """Every figure of a workspace: the scores, the key figures, the comparison of
    municipalities, the ranked recommendations and the workshop."""

    workspace: Workspace
    scores: Scores
    recommendations: pd.DataFrame
    respondents: pd.DataFrame  # who took part: role, organisation, date, levels offered
    comments: pd.DataFrame  # every free text, by question (factor id or open question)
    workshop: WorkshopTables  # agreed levels, actions, discussion points (never in `scores`)
    indicators: pd.DataFrame  # key figures per municipality, round and indicator, with change
    indicator_references: pd.DataFrame  # each key figure against each of its references
    summaries: list[Summary]  # each municipality's latest scores, for the comparison
    comparison: pd.DataFrame  # per size class and factor: median and quartiles (opted in)

    def peer_groups(self, audience: str) -> dict[str, PeerGroup]:
        """The size classes as an audience may see them (its smallest group)."""
        thresholds = self.workspace.settings.thresholds
        return peer_groups(
            self.summaries,
            success_factor_ids(self.workspace),
            min_group_size(thresholds.min_group_size, audience),
        )


def success_factor_ids(workspace: Workspace) -> list[str]:
    """The success factors (the instrument's first section): what municipalities are
    compared on."""
    return [f.id for f in workspace.questionnaire.instrument.sections[0].factors]


def analyse(workspace: Workspace) -> Analysis:
    """Score every municipality and round of a loaded workspace and apply the rules."""
    scores = score_workspace(workspace)
    indicators = indicator_table(workspace)
    recommendations = recommend(
        scores, workspace.questionnaire, workspace.settings.thresholds, indicators
    )
    respondents, comments = respondent_tables(workspace)
    workshop = workshop_tables(workshop_frames(workspace), scores, workspace.questionnaire)
    summaries = summaries_from(workspace, scores)
    thresholds = workspace.settings.thresholds
    factors = success_factor_ids(workspace)
    groups = peer_groups(
        summaries, factors, min_group_size(thresholds.min_group_size, workspace.settings.audience)
    )
    return Analysis(
        workspace,
        scores,
        recommendations,
        respondents,
        comments,
        workshop,
        indicators,
        reference_table(indicators, workspace.questionnaire),
        summaries,
        comparison_table(groups, factors),
    )
