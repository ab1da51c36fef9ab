"""The state of a live session as the presenter and the participants see it.

One snapshot per change, built from the database and sent whole (not as a difference):
a stream that reconnects, or a page that reloads, gets the current state at once. The
distribution of a factor's votes is in it only when at least `LIVE_MIN_VOTES` partners
gave a level (SPEC §4: small groups are never shown); the participants see it only after
the facilitator revealed it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np

from assessment.analysis.scoring import consensus_from_counts
from assessment.instrument import Questionnaire
from assessment.limits import LIVE_DOTS, MIN_GROUP_INTERNAL_FLOOR, SCALE
from assessment.server.live import sessions
from assessment.server.store import utc_now

LIVE_MIN_VOTES = MIN_GROUP_INTERNAL_FLOOR


@dataclass(frozen=True)
class Snapshot:
    """The encoded SSE events of one revision: one for the presenter, one for participants."""

    revision: int
    presenter: bytes
    participant: bytes
    presenter_state: dict[str, Any]
    participant_state: dict[str, Any]
    participant_key: str  # the participants' view without its revision: did it change?


def result(counts: dict[int | None, int]) -> dict[str, Any]:
    """Votes on a factor: how many, and (from LIVE_MIN_VOTES levels on) their distribution,
    mean and Tastle–Wierman consensus."""
    levels = [counts.get(value, 0) for value in SCALE]
    scored = sum(levels)
    dont_know = counts.get(None, 0)
    shown = scored >= LIVE_MIN_VOTES
    mean = consensus = None
    if shown:
        mean = round(sum(v * c for v, c in zip(SCALE, levels, strict=True)) / scored, 2)
        consensus = round(float(consensus_from_counts(np.array([levels]))[0]), 2)
    return {
        "votes": scored + dont_know,
        "scored": scored,
        "shown": shown,
        "counts": levels if shown else None,
        "dont_know": dont_know if shown else None,
        "mean": mean,
        "consensus": consensus,
    }


def build(
    conn: sqlite3.Connection,
    session: sessions.Session,
    questionnaire: Questionnaire,
    municipality_name: str,
) -> Snapshot:
    """The snapshot of a session's current revision."""
    factors = questionnaire.instrument.factors()
    titles = {f.id: f.title for f in factors}
    roles = questionnaire.roles
    order = [f.id for f in factors]
    decided = sessions.decisions(conn, session.id)
    action_rows = sessions.actions(conn, session.id)
    joined = sessions.participant_roles(conn, session.id)
    base: dict[str, Any] = {
        "code": session.code,
        "municipality": session.municipality,
        "municipality_name": municipality_name,
        "round": session.round,
        "status": session.status(utc_now()),
        "revision": session.revision,
        "participants": len(joined),
        "voting": session.voting,
        "dots_open": session.dots,
        "dots_each": LIVE_DOTS,
        "min_votes": LIVE_MIN_VOTES,
        "written": session.written,
    }
    factor = next((f for f in factors if f.id == session.factor), None)
    current: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    decision = decided.get(factor.id) if factor else None
    if factor is not None:
        current = {
            "id": factor.id,
            "title": factor.title,
            "explanation": factor.explanation,
            "descriptors": list(factor.level_descriptors),
            "number": order.index(factor.id) + 1,
            "total": len(order),
        }
        outcome = result(sessions.vote_counts(conn, session.id, factor.id))
    reference = session.reference.get(factor.id) if factor else None
    agreed = (
        {"score": decision.score, "rationale": decision.rationale}
        if decision is not None and decision.score is not None
        else None
    )
    revealed = bool(decision and decision.revealed)
    agreements = [
        {"factor": f, "title": titles[f], "score": decided[f].score}
        for f in order
        if f in decided and decided[f].score is not None
    ]
    actions = [
        {
            "id": a.slug,
            "title": a.title,
            "factors": [titles.get(f, f) for f in a.factors],
            "owner": roles[a.owner].label if a.owner in roles else a.owner,
            "due": a.due.isoformat(),
            "dots": a.dots,
        }
        for a in action_rows
    ]
    presenter = {
        **base,
        "factor": current,
        "result": outcome,
        "revealed": revealed,
        "reference": reference,
        "agreed": agreed,
        "agreements": agreements,
        "actions": actions,
        "present_roles": sorted({roles[r].label if r in roles else r for r in joined}),
    }
    participant = {
        **{k: v for k, v in base.items() if k != "participants"},
        "factor": current,
        "result": outcome if revealed else None,
        "revealed": revealed,
        "reference": reference if revealed else None,
        "agreed": agreed,
        "actions": [{k: a[k] for k in ("id", "title")} for a in actions],
    }
    return Snapshot(
        session.revision,
        event(session.revision, presenter),
        event(session.revision, participant),
        presenter,
        participant,
        json.dumps({k: v for k, v in participant.items() if k != "revision"}, sort_keys=True),
    )


def event(revision: int, state: dict[str, Any]) -> bytes:
    """One SSE event: the revision as its id, the state as JSON on one line."""
    data = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    return f"id: {revision}\nevent: state\ndata: {data}\n\n".encode()
