"""Submissions: every stored version of every respondent's answers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from assessment.server.store.database import from_text
from assessment.server.store.invitations import Invitation, invitation_from_row
from assessment.server.store.rounds import RoundState


@dataclass(frozen=True)
class Submission:
    """One stored version of one respondent's answers (without the texts)."""

    id: int
    receipt: str
    invitation_id: int
    municipality: str
    round: str
    respondent: str
    version: int
    idempotency_key: str
    body_sha256: str
    organisation: str
    role: str
    received_at: dt.datetime


_SUBMISSION_COLUMNS = (
    "id, receipt, invitation_id, municipality, round, respondent, version, idempotency_key, "
    "body_sha256, organisation, role, received_at"
)


def _submission(row: sqlite3.Row) -> Submission:
    return Submission(
        row["id"],
        row["receipt"],
        row["invitation_id"],
        row["municipality"],
        row["round"],
        row["respondent"],
        row["version"],
        row["idempotency_key"],
        row["body_sha256"],
        row["organisation"],
        row["role"],
        from_text(row["received_at"]),
    )


def submission_by_key(conn: sqlite3.Connection, invitation_id: int, key: str) -> Submission | None:
    """The submission an invitation made with this Idempotency-Key, if any."""
    row = conn.execute(
        f"SELECT {_SUBMISSION_COLUMNS} FROM submissions "  # noqa: S608 - fixed column names
        "WHERE invitation_id = ? AND idempotency_key = ?",
        (invitation_id, key),
    ).fetchone()
    return _submission(row) if row else None


def submission_by_receipt(conn: sqlite3.Connection, receipt: str) -> Submission | None:
    """The submission with this receipt id."""
    row = conn.execute(
        f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE receipt = ?",  # noqa: S608
        (receipt,),
    ).fetchone()
    return _submission(row) if row else None


def latest_submission(
    conn: sqlite3.Connection, municipality: str, round_slug: str, respondent: str
) -> Submission | None:
    """The newest version a respondent sent in a round."""
    row = conn.execute(
        f"SELECT {_SUBMISSION_COLUMNS} FROM submissions "  # noqa: S608 - fixed column names
        "WHERE municipality = ? AND round = ? AND respondent = ? ORDER BY version DESC LIMIT 1",
        (municipality, round_slug, respondent),
    ).fetchone()
    return _submission(row) if row else None


def next_version(
    conn: sqlite3.Connection, municipality: str, round_slug: str, respondent: str
) -> int:
    """The version number a new submission of this respondent gets."""
    row = conn.execute(
        "SELECT COALESCE(MAX(version), 0) FROM submissions "
        "WHERE municipality = ? AND round = ? AND respondent = ?",
        (municipality, round_slug, respondent),
    ).fetchone()
    return int(row[0]) + 1


def insert_submission(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    """Store one version (inside the caller's transaction); returns its row id."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO submissions ({columns}) VALUES ({marks})",  # noqa: S608 - fixed names
        tuple(values.values()),
    )
    return int(cursor.lastrowid or 0)


@dataclass(frozen=True)
class LatestFile:
    """The newest stored answer file of one respondent: what the workspace should hold."""

    municipality: str
    round: str
    respondent: str
    version: int
    received_at: dt.datetime
    answer_file: str


def latest_files(conn: sqlite3.Connection) -> list[LatestFile]:
    """The newest version of every respondent of every round."""
    rows = conn.execute(
        "SELECT s.municipality, s.round, s.respondent, s.version, s.received_at, s.answer_file "
        "FROM submissions s JOIN (SELECT municipality, round, respondent, MAX(version) AS v "
        "FROM submissions GROUP BY municipality, round, respondent) m "
        "ON s.municipality = m.municipality AND s.round = m.round "
        "AND s.respondent = m.respondent AND s.version = m.v "
        "ORDER BY s.municipality, s.round, s.respondent"
    ).fetchall()
    return [
        LatestFile(
            row["municipality"],
            row["round"],
            row["respondent"],
            row["version"],
            from_text(row["received_at"]),
            row["answer_file"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class RequestState:
    """What a submission needs to know before it is checked, read in one query."""

    invitation: Invitation | None
    round: RoundState | None
    earlier: Submission | None  # stored before with the same Idempotency-Key


def request_state(conn: sqlite3.Connection, token_hash: str, key: str | None) -> RequestState:
    """The invitation of a token, its round and a submission with `key`, in one read.

    One query instead of three: on a busy server every statement in the event loop waits
    for the interpreter lock again afterwards.
    """
    row = conn.execute(
        "SELECT i.id, i.municipality, i.round, i.respondent, i.organisation, i.role, "
        "i.created_at, i.revoked_at, r.closes_at, r.closed_at, r.round AS round_found, "
        "s.id AS s_id, s.receipt, s.version, s.idempotency_key, s.body_sha256, "
        "s.organisation AS s_organisation, s.role AS s_role, s.received_at "
        "FROM invitations i "
        "LEFT JOIN rounds r ON r.municipality = i.municipality AND r.round = i.round "
        "LEFT JOIN submissions s ON s.invitation_id = i.id AND s.idempotency_key = ? "
        "WHERE i.token_hash = ?",
        (key or "", token_hash),
    ).fetchone()
    if row is None:
        return RequestState(None, None, None)
    invitation = invitation_from_row(row)
    state = (
        RoundState(
            row["municipality"],
            row["round"],
            from_text(row["closes_at"]) if row["closes_at"] else None,
            from_text(row["closed_at"]) if row["closed_at"] else None,
        )
        if row["round_found"] is not None
        else None
    )
    earlier = (
        Submission(
            row["s_id"],
            row["receipt"],
            invitation.id,
            invitation.municipality,
            invitation.round,
            invitation.respondent,
            row["version"],
            row["idempotency_key"],
            row["body_sha256"],
            row["s_organisation"],
            row["s_role"],
            from_text(row["received_at"]),
        )
        if row["s_id"] is not None
        else None
    )
    return RequestState(invitation, state, earlier)


def version_texts(
    conn: sqlite3.Connection, municipality: str, round_slug: str, respondent: str
) -> list[str]:
    """The answer files of every stored version of one respondent, oldest first."""
    rows = conn.execute(
        "SELECT answer_file FROM submissions WHERE municipality = ? AND round = ? "
        "AND respondent = ? ORDER BY version",
        (municipality, round_slug, respondent),
    ).fetchall()
    return [row[0] for row in rows]
