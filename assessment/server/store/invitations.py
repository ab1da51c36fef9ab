"""Invitations: who may send answers for which respondent (tokens only as hashes)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from assessment.server.store.database import from_text, log_event, to_text, utc_now


@dataclass(frozen=True)
class Invitation:
    """One invitation: who may send answers for which respondent of which round."""

    id: int
    municipality: str
    round: str
    respondent: str
    organisation: str | None
    role: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def invitation_from_row(row: sqlite3.Row) -> Invitation:
    """An invitation from its row in the database."""
    return Invitation(
        row["id"],
        row["municipality"],
        row["round"],
        row["respondent"],
        row["organisation"],
        row["role"],
        from_text(row["created_at"]),
        from_text(row["revoked_at"]) if row["revoked_at"] else None,
    )


def invitation_by_hash(conn: sqlite3.Connection, token_hash: str) -> Invitation | None:
    """The invitation whose token has this hash."""
    row = conn.execute("SELECT * FROM invitations WHERE token_hash = ?", (token_hash,)).fetchone()
    return invitation_from_row(row) if row else None


def invitation_by_id(conn: sqlite3.Connection, invitation_id: int) -> Invitation | None:
    """The invitation with this id."""
    row = conn.execute("SELECT * FROM invitations WHERE id = ?", (invitation_id,)).fetchone()
    return invitation_from_row(row) if row else None


def open_invitation(
    conn: sqlite3.Connection, municipality: str, round_slug: str, respondent: str
) -> Invitation | None:
    """The invitation of a respondent that is not revoked, if any."""
    row = conn.execute(
        "SELECT * FROM invitations WHERE municipality = ? AND round = ? AND respondent = ? "
        "AND revoked_at IS NULL",
        (municipality, round_slug, respondent),
    ).fetchone()
    return invitation_from_row(row) if row else None


def round_invitations(
    conn: sqlite3.Connection, municipality: str, round_slug: str
) -> list[Invitation]:
    """Every invitation of a round, revoked ones too, by respondent and age."""
    rows = conn.execute(
        "SELECT * FROM invitations WHERE municipality = ? AND round = ? ORDER BY respondent, id",
        (municipality, round_slug),
    ).fetchall()
    return [invitation_from_row(row) for row in rows]


def insert_invitation(
    conn: sqlite3.Connection,
    token_hash: str,
    municipality: str,
    round_slug: str,
    respondent: str,
    organisation: str | None,
    role: str,
) -> int:
    """Store one invitation (inside the caller's transaction); returns its id."""
    cursor = conn.execute(
        "INSERT INTO invitations "
        "(token_hash, municipality, round, respondent, organisation, role, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash, municipality, round_slug, respondent, organisation, role, to_text(utc_now())),
    )
    log_event(conn, "invited", municipality, round_slug, respondent)
    return int(cursor.lastrowid or 0)


def revoke_invitation(conn: sqlite3.Connection, invitation_id: int, kind: str = "revoked") -> None:
    """Revoke an invitation: its token no longer works (its submissions stay)."""
    row = conn.execute(
        "UPDATE invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL "
        "RETURNING municipality, round, respondent",
        (to_text(utc_now()), invitation_id),
    ).fetchone()
    if row is not None:
        log_event(conn, kind, row["municipality"], row["round"], row["respondent"])
