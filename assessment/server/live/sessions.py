"""Live sessions in the collect database, and every change to one as a writer task.

A change (a join, a vote, a facilitator's decision) is a function of the writer's
connection (`SubmissionWriter.run`): it checks the session inside the batch's transaction,
changes its rows, counts the session's `revision` up and returns what happened. The
caller answers only after the commit, so an acknowledged vote is on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from assessment.limits import (
    LIVE_CODE_ALPHABET,
    LIVE_CODE_LENGTH,
    LIVE_DOTS,
    LIVE_PARTICIPANTS_MAX,
    LIVE_SESSION_HOURS,
)
from assessment.server.store import from_text, to_text, utc_now

CODE = re.compile(f"^[{LIVE_CODE_ALPHABET}]{{{LIVE_CODE_LENGTH}}}$")
Status = Literal["active", "ended", "expired"]


def new_code() -> str:
    """A join code such as `K7MPXA`: easy to read from a projector and to type."""
    return "".join(secrets.choice(LIVE_CODE_ALPHABET) for _ in range(LIVE_CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A typed code in its stored form: capitals, without spaces or dashes."""
    return re.sub(r"[\s-]", "", text).upper()


def hash_secret(token: str) -> str:
    """The stored form of a participant's token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    """One live session of a municipality's round."""

    id: int
    code: str
    municipality: str
    round: str
    created_at: dt.datetime
    expires_at: dt.datetime
    ended_at: dt.datetime | None
    factor: str | None
    voting: bool
    dots: bool
    revision: int
    reference: dict[str, Any]
    written: str | None

    def status(self, now: dt.datetime) -> Status:
        """Whether the session takes votes, was ended, or ran out of time."""
        if self.ended_at is not None:
            return "ended"
        return "active" if now < self.expires_at else "expired"


def _session(row: sqlite3.Row) -> Session:
    return Session(
        row["id"],
        row["code"],
        row["municipality"],
        row["round"],
        from_text(row["created_at"]),
        from_text(row["expires_at"]),
        from_text(row["ended_at"]) if row["ended_at"] else None,
        row["factor"],
        bool(row["voting"]),
        bool(row["dots"]),
        row["revision"],
        json.loads(row["reference"]),
        row["written"],
    )


def session_by_code(conn: sqlite3.Connection, code: str) -> Session | None:
    """The session with this join code."""
    if not CODE.match(code):
        return None
    row = conn.execute("SELECT * FROM live_sessions WHERE code = ?", (code,)).fetchone()
    return _session(row) if row else None


def session_by_id(conn: sqlite3.Connection, session_id: int) -> Session | None:
    """The session with this id."""
    row = conn.execute("SELECT * FROM live_sessions WHERE id = ?", (session_id,)).fetchone()
    return _session(row) if row else None


def list_sessions(conn: sqlite3.Connection) -> list[Session]:
    """Every session, newest first."""
    rows = conn.execute("SELECT * FROM live_sessions ORDER BY id DESC").fetchall()
    return [_session(row) for row in rows]


def create_session(
    conn: sqlite3.Connection,
    municipality: str,
    round_slug: str,
    first_factor: str,
    reference: dict[str, Any],
    hours: int = LIVE_SESSION_HOURS,
) -> Session:
    """Start a session (inside the caller's transaction) with a fresh join code."""
    now = utc_now()
    for _attempt in range(20):
        code = new_code()
        try:
            cursor = conn.execute(
                "INSERT INTO live_sessions (code, municipality, round, created_at, expires_at, "
                "factor, reference) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    municipality,
                    round_slug,
                    to_text(now),
                    to_text(now + dt.timedelta(hours=hours)),
                    first_factor,
                    json.dumps(reference, sort_keys=True),
                ),
            )
        except sqlite3.IntegrityError:
            continue  # the code is taken (1 in 10^8 per session): draw again
        found = session_by_id(conn, int(cursor.lastrowid or 0))
        assert found is not None
        return found
    raise RuntimeError("no free join code")  # pragma: no cover


@dataclass(frozen=True)
class Participant:
    """Someone who joined a session: a random id and a role, nothing else."""

    id: int
    session_id: int
    public_id: str
    role: str


def participant_by_token(
    conn: sqlite3.Connection, session_id: int, token: str
) -> Participant | None:
    """The participant of this session whose token this is."""
    row = conn.execute(
        "SELECT id, session_id, public_id, role FROM live_participants "
        "WHERE secret_hash = ? AND session_id = ?",
        (hash_secret(token), session_id),
    ).fetchone()
    return Participant(row[0], row[1], row[2], row[3]) if row else None


def own_choices(conn: sqlite3.Connection, participant_id: int) -> tuple[dict[str, Any], list[str]]:
    """A participant's votes (factor -> 1..5 or None) and the actions with their dots."""
    votes = {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT factor, value FROM live_votes WHERE participant_id = ?", (participant_id,)
        )
    }
    dots = [
        row[0]
        for row in conn.execute(
            "SELECT a.slug FROM live_dots d JOIN live_actions a ON a.id = d.action_id "
            "WHERE d.participant_id = ? AND a.removed = 0 ORDER BY a.id",
            (participant_id,),
        )
    ]
    return votes, dots


# ---------------------------------------------------------------- changes (writer tasks)


@dataclass(frozen=True)
class Change:
    """What a task did: `ok`, or why not; the session's new revision when it changed."""

    kind: str
    revision: int = 0
    value: Any = None


Task = Callable[[sqlite3.Connection], Change]


def _current(conn: sqlite3.Connection, session_id: int) -> tuple[Session | None, Change | None]:
    session = session_by_id(conn, session_id)
    if session is None:
        return None, Change("unknown")
    status = session.status(utc_now())
    if status != "active":
        return session, Change(status)
    return session, None


def _bump(conn: sqlite3.Connection, session_id: int) -> int:
    row = conn.execute(
        "UPDATE live_sessions SET revision = revision + 1 WHERE id = ? RETURNING revision",
        (session_id,),
    ).fetchone()
    return int(row[0])


def join(session_id: int, role: str) -> Task:
    """A new participant with `role`; the value is (public id, token)."""

    def run(conn: sqlite3.Connection) -> Change:
        _, refused = _current(conn, session_id)
        if refused:
            return refused
        count = conn.execute(
            "SELECT COUNT(*) FROM live_participants WHERE session_id = ?", (session_id,)
        ).fetchone()[0]
        if count >= LIVE_PARTICIPANTS_MAX:
            return Change("full")
        token = secrets.token_urlsafe(24)
        public_id = "p-" + secrets.token_hex(4)
        conn.execute(
            "INSERT INTO live_participants (session_id, public_id, secret_hash, role, joined_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (session_id, public_id, hash_secret(token), role, to_text(utc_now())),
        )
        return Change("ok", _bump(conn, session_id), (public_id, token))

    return run


def vote(session_id: int, participant_id: int, factor: str, value: int | None) -> Task:
    """A participant's vote on the open factor; a second vote replaces the first."""

    def run(conn: sqlite3.Connection) -> Change:
        session, refused = _current(conn, session_id)
        if refused:
            return refused
        assert session is not None
        if session.factor != factor or not session.voting:
            return Change("closed")
        conn.execute(
            "INSERT INTO live_votes (session_id, participant_id, factor, value, at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, participant_id, factor) DO UPDATE "
            "SET value = excluded.value, at = excluded.at, changes = changes + 1",
            (session_id, participant_id, factor, value, to_text(utc_now())),
        )
        return Change("ok", _bump(conn, session_id))

    return run


def dots(session_id: int, participant_id: int, slugs: list[str]) -> Task:
    """A participant's dots: one on each chosen action (at most LIVE_DOTS), replacing earlier."""

    def run(conn: sqlite3.Connection) -> Change:
        session, refused = _current(conn, session_id)
        if refused:
            return refused
        assert session is not None
        if not session.dots:
            return Change("closed")
        wanted = list(dict.fromkeys(slugs))
        if len(wanted) > LIVE_DOTS:
            return Change("too-many")
        ids = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT slug, id FROM live_actions WHERE session_id = ? AND removed = 0",
                (session_id,),
            )
        }
        unknown = [slug for slug in wanted if slug not in ids]
        if unknown:
            return Change("unknown-action", value=unknown)
        conn.execute("DELETE FROM live_dots WHERE participant_id = ?", (participant_id,))
        conn.executemany(
            "INSERT INTO live_dots (session_id, participant_id, action_id) VALUES (?, ?, ?)",
            [(session_id, participant_id, ids[slug]) for slug in wanted],
        )
        return Change("ok", _bump(conn, session_id))

    return run


def control(session_id: int, change: Callable[[sqlite3.Connection, Session], str | None]) -> Task:
    """A facilitator's change of an active session: `change` returns None or a refusal."""

    def run(conn: sqlite3.Connection) -> Change:
        session, refused = _current(conn, session_id)
        if refused:
            return refused
        assert session is not None
        problem = change(conn, session)
        if problem is not None:
            return Change(problem)
        return Change("ok", _bump(conn, session_id))

    return run


def _factor_row(conn: sqlite3.Connection, session_id: int, factor: str) -> None:
    conn.execute(
        "INSERT INTO live_factors (session_id, factor) VALUES (?, ?) "
        "ON CONFLICT (session_id, factor) DO NOTHING",
        (session_id, factor),
    )


def show_factor(factor: str) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Put another factor on the screen; voting on the previous one closes."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        conn.execute(
            "UPDATE live_sessions SET factor = ?, voting = 0 WHERE id = ?", (factor, session.id)
        )
        return None

    return change


def set_voting(open_: bool) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Open or close voting on the factor on the screen."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        conn.execute(
            "UPDATE live_sessions SET voting = ?, dots = CASE WHEN ? THEN 0 ELSE dots END "
            "WHERE id = ?",
            (int(open_), int(open_), session.id),
        )
        return None

    return change


def reveal(factor: str, shown: bool = True) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Show (or hide again) the result of a factor to everyone."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        _factor_row(conn, session.id, factor)
        conn.execute(
            "UPDATE live_factors SET revealed = ? WHERE session_id = ? AND factor = ?",
            (int(shown), session.id, factor),
        )
        return None

    return change


def agree(
    factor: str, score: int | None, rationale: str | None
) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Record (or clear) the level the group agreed on for a factor, with its rationale."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        _factor_row(conn, session.id, factor)
        conn.execute(
            "UPDATE live_factors SET score = ?, rationale = ?, decided_at = ? "
            "WHERE session_id = ? AND factor = ?",
            (score, rationale, to_text(utc_now()), session.id, factor),
        )
        return None

    return change


def add_action(
    slug: str, title: str, factors: list[str], owner: str, due: dt.date
) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Add a candidate action; its slug gets a number when it is taken."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        taken = {
            row[0]
            for row in conn.execute(
                "SELECT slug FROM live_actions WHERE session_id = ?", (session.id,)
            )
        }
        free, number = slug, 2
        while free in taken:
            free = f"{slug[:60]}-{number}"
            number += 1
        conn.execute(
            "INSERT INTO live_actions (session_id, slug, title, factors, owner, due, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session.id, free, title, " ".join(factors), owner, due.isoformat(),
             to_text(utc_now())),
        )  # fmt: skip
        return None

    return change


def remove_action(slug: str) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Take a candidate action off the list (its dots no longer count)."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        cursor = conn.execute(
            "UPDATE live_actions SET removed = 1 WHERE session_id = ? AND slug = ?",
            (session.id, slug),
        )
        return None if cursor.rowcount else "unknown-action"

    return change


def set_dots(open_: bool) -> Callable[[sqlite3.Connection, Session], str | None]:
    """Open or close dot-voting on the candidate actions (voting on a factor closes)."""

    def change(conn: sqlite3.Connection, session: Session) -> str | None:
        conn.execute(
            "UPDATE live_sessions SET dots = ?, voting = CASE WHEN ? THEN 0 ELSE voting END "
            "WHERE id = ?",
            (int(open_), int(open_), session.id),
        )
        return None

    return change


def end(session_id: int, written: str) -> Task:
    """End the session: no more votes; `written` is the workshop.yaml it wrote."""

    def run(conn: sqlite3.Connection) -> Change:
        _, refused = _current(conn, session_id)
        if refused and refused.kind != "expired":
            return refused
        conn.execute(
            "UPDATE live_sessions SET ended_at = ?, voting = 0, dots = 0, written = ? WHERE id = ?",
            (to_text(utc_now()), written, session_id),
        )
        return Change("ok", _bump(conn, session_id))

    return run


# ---------------------------------------------------------------- what a session holds


@dataclass(frozen=True)
class Decision:
    """A factor's result as the facilitator recorded it."""

    factor: str
    revealed: bool
    score: int | None
    rationale: str | None


@dataclass(frozen=True)
class ActionRow:
    """A candidate action of a session, with its dots."""

    slug: str
    title: str
    factors: list[str]
    owner: str
    due: dt.date
    dots: int


def decisions(conn: sqlite3.Connection, session_id: int) -> dict[str, Decision]:
    """Factor -> what was revealed and agreed."""
    return {
        row["factor"]: Decision(
            row["factor"], bool(row["revealed"]), row["score"], row["rationale"]
        )
        for row in conn.execute(
            "SELECT factor, revealed, score, rationale FROM live_factors WHERE session_id = ?",
            (session_id,),
        )
    }


def actions(conn: sqlite3.Connection, session_id: int) -> list[ActionRow]:
    """The session's actions that were not taken off, oldest first, with their dots."""
    rows = conn.execute(
        "SELECT a.slug, a.title, a.factors, a.owner, a.due, COUNT(d.action_id) AS dots "
        "FROM live_actions a LEFT JOIN live_dots d ON d.action_id = a.id "
        "WHERE a.session_id = ? AND a.removed = 0 GROUP BY a.id ORDER BY a.id",
        (session_id,),
    ).fetchall()
    return [
        ActionRow(r[0], r[1], r[2].split(), r[3], dt.date.fromisoformat(r[4]), r[5]) for r in rows
    ]


def vote_counts(conn: sqlite3.Connection, session_id: int, factor: str) -> dict[int | None, int]:
    """Value (None = weet niet) -> number of votes on a factor."""
    return {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT value, COUNT(*) FROM live_votes WHERE session_id = ? AND factor = ? "
            "GROUP BY value",
            (session_id, factor),
        )
    }


def participant_roles(conn: sqlite3.Connection, session_id: int) -> list[str]:
    """The role of every participant, in the order they joined."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT role FROM live_participants WHERE session_id = ? ORDER BY id", (session_id,)
        )
    ]


def vote_rows(conn: sqlite3.Connection, session_id: int) -> list[sqlite3.Row]:
    """Every vote of a session with the participant's id and role, for the CSV export."""
    return conn.execute(
        "SELECT p.public_id, p.role, v.factor, v.value, v.changes, v.at FROM live_votes v "
        "JOIN live_participants p ON p.id = v.participant_id WHERE v.session_id = ? "
        "ORDER BY v.factor, p.id",
        (session_id,),
    ).fetchall()
