"""Rounds: whether they take submissions, closing and reopening."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from assessment.server.store.database import from_text, log_event, to_text, utc_now


@dataclass(frozen=True)
class RoundState:
    """Whether a round takes submissions, and until when."""

    municipality: str
    round: str
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None

    def is_open(self, now: dt.datetime) -> bool:
        """True while submissions are taken."""
        if self.closed_at is not None:
            return False
        return self.closes_at is None or now < self.closes_at

    def closed_since(self, now: dt.datetime) -> dt.datetime | None:
        """When the round closed, or None while it is open."""
        if self.closed_at is not None:
            return self.closed_at
        if self.closes_at is not None and now >= self.closes_at:
            return self.closes_at
        return None


def _round(row: sqlite3.Row) -> RoundState:
    return RoundState(
        row["municipality"],
        row["round"],
        from_text(row["closes_at"]) if row["closes_at"] else None,
        from_text(row["closed_at"]) if row["closed_at"] else None,
    )


def get_round(conn: sqlite3.Connection, municipality: str, round_slug: str) -> RoundState | None:
    """The state of one round, or None when it has no invitations yet."""
    row = conn.execute(
        "SELECT * FROM rounds WHERE municipality = ? AND round = ?", (municipality, round_slug)
    ).fetchone()
    return _round(row) if row else None


def list_rounds(conn: sqlite3.Connection) -> list[RoundState]:
    """Every round with invitations, by municipality and round."""
    rows = conn.execute("SELECT * FROM rounds ORDER BY municipality, round").fetchall()
    return [_round(row) for row in rows]


def ensure_round(
    conn: sqlite3.Connection,
    municipality: str,
    round_slug: str,
    closes_at: dt.datetime | None = None,
) -> None:
    """Create the round when it is new; set its closing date when one is given."""
    conn.execute(
        "INSERT INTO rounds (municipality, round, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT (municipality, round) DO NOTHING",
        (municipality, round_slug, to_text(utc_now())),
    )
    if closes_at is not None:
        set_closing(conn, municipality, round_slug, closes_at)


def set_closing(
    conn: sqlite3.Connection, municipality: str, round_slug: str, closes_at: dt.datetime | None
) -> None:
    """Set (or clear) the moment a round closes by itself."""
    conn.execute(
        "UPDATE rounds SET closes_at = ? WHERE municipality = ? AND round = ?",
        (to_text(closes_at) if closes_at else None, municipality, round_slug),
    )
    log_event(
        conn, "closes", municipality, round_slug, detail=to_text(closes_at) if closes_at else None
    )


def close_round(conn: sqlite3.Connection, municipality: str, round_slug: str) -> None:
    """Close a round now: no submissions after this."""
    conn.execute(
        "UPDATE rounds SET closed_at = ? WHERE municipality = ? AND round = ? "
        "AND closed_at IS NULL",
        (to_text(utc_now()), municipality, round_slug),
    )
    log_event(conn, "closed", municipality, round_slug)


def reopen_round(conn: sqlite3.Connection, municipality: str, round_slug: str) -> None:
    """Open a closed round again; a closing date that has passed is cleared."""
    now = to_text(utc_now())
    conn.execute(
        "UPDATE rounds SET closed_at = NULL, "
        "closes_at = CASE WHEN closes_at IS NOT NULL AND closes_at <= ? THEN NULL "
        "ELSE closes_at END WHERE municipality = ? AND round = ?",
        (now, municipality, round_slug),
    )
    log_event(conn, "reopened", municipality, round_slug)
