"""The numbers of a round on the admin pages: invited, answered, response rate, status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.server import store
from assessment.server.admin.markup import when

if TYPE_CHECKING:
    from assessment.server.app import Collector


@dataclass
class RoundFigures:
    """The numbers of one round on the admin pages."""

    state: store.RoundState
    invitations: list[store.Invitation]
    latest: dict[str, store.Submission]  # respondent -> newest version

    @property
    def expected(self) -> list[str]:
        """Respondents still counted: an open invitation, or answered before a revoke."""
        open_ = {i.respondent for i in self.invitations if i.revoked_at is None}
        return sorted(open_ | set(self.latest))

    @property
    def answered(self) -> int:
        """Respondents with at least one submission."""
        return len(self.latest)

    @property
    def rate(self) -> float | None:
        """Answered ÷ invited."""
        expected = len(self.expected)
        return self.answered / expected if expected else None

    @property
    def last(self) -> dt.datetime | None:
        """When the newest submission came in."""
        return max((s.received_at for s in self.latest.values()), default=None)

    def current(self, respondent: str) -> store.Invitation | None:
        """The newest invitation of a respondent."""
        own = [i for i in self.invitations if i.respondent == respondent]
        return own[-1] if own else None


def figures(state: Collector, round_state: store.RoundState) -> RoundFigures:
    """Invitations and newest submissions of a round."""
    conn = state.read
    invitations = store.round_invitations(conn, round_state.municipality, round_state.round)
    latest: dict[str, store.Submission] = {}
    for respondent in sorted({i.respondent for i in invitations}):
        found = store.latest_submission(
            conn, round_state.municipality, round_state.round, respondent
        )
        if found is not None:
            latest[respondent] = found
    return RoundFigures(round_state, invitations, latest)


def round_status(round_state: store.RoundState) -> str:
    """A round's status in words: open (until when) or closed (since when)."""
    now = store.utc_now()
    since = round_state.closed_since(now)
    if since is not None:
        return f'<span class="status-closed">Gesloten</span> sinds {when(since)}'
    if round_state.closes_at is not None:
        return f'<span class="status-open">Open</span> tot {when(round_state.closes_at)}'
    return '<span class="status-open">Open</span> (geen sluitdatum)'


def percent(value: float | None) -> str:
    """A share as a whole percentage, or a dash when there is none."""
    return "—" if value is None else f"{round(value * 100)}%"
