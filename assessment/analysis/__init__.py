"""Pure analysis: from validated answers to scores and recommendations. No files, no pages.

`analyse` is the one way from a loaded workspace to every figure: the command line, the
site build and the benchmarks all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from assessment.analysis.frames import respondent_tables
from assessment.analysis.recommend import recommend
from assessment.analysis.scoring import Scores, score_workspace
from assessment.analysis.workshop import WorkshopTables, workshop_frames, workshop_tables

if TYPE_CHECKING:
    from assessment.workspace import Workspace


@dataclass(frozen=True)
class Analysis:
    """Every figure of a workspace: the scores, the ranked recommendations and the workshop."""

    workspace: Workspace
    scores: Scores
    recommendations: pd.DataFrame
    respondents: pd.DataFrame  # who took part: role, organisation, date, levels offered
    comments: pd.DataFrame  # every free text, by question (factor id or open question)
    workshop: WorkshopTables  # agreed levels, actions, discussion points (never in `scores`)


def analyse(workspace: Workspace) -> Analysis:
    """Score every municipality and round of a loaded workspace and apply the rules."""
    scores = score_workspace(workspace)
    recommendations = recommend(scores, workspace.questionnaire, workspace.settings.thresholds)
    respondents, comments = respondent_tables(workspace)
    workshop = workshop_tables(workshop_frames(workspace), scores, workspace.questionnaire)
    return Analysis(workspace, scores, recommendations, respondents, comments, workshop)
