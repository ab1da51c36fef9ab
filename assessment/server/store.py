"""The collection server's database: SQLite in WAL mode, durable before anything is
acknowledged.

Every connection runs with `synchronous=FULL` (a commit is on disk when it returns) and
takes its write lock up front (`BEGIN IMMEDIATE`), so that a transaction never fails
half-way for a lock. Transactions are short: a batch of submissions, an invitation run,
one admin action. What is stored (README, "Wat de server bewaart"): rounds with their
closing dates, invitations (the token only as a SHA-256 hash), every version of every
submission (the JSON as received and the answer file written from it) and a log of
admin events. No names of persons: organisations and role ids only.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
PRIVATE_FOLDER = ".ketenscan"

_SCHEMA = """
CREATE TABLE rounds (
    municipality TEXT NOT NULL,
    round TEXT NOT NULL,
    closes_at TEXT,            -- UTC instant; after it no submission is taken
    closed_at TEXT,            -- set when the facilitator closed the round by hand
    created_at TEXT NOT NULL,
    PRIMARY KEY (municipality, round)
);
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the token; the token is never stored
    municipality TEXT NOT NULL,
    round TEXT NOT NULL,
    respondent TEXT NOT NULL,
    organisation TEXT,                 -- NULL: the partner fills in its name
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    FOREIGN KEY (municipality, round) REFERENCES rounds (municipality, round)
);
CREATE UNIQUE INDEX invitations_open
    ON invitations (municipality, round, respondent) WHERE revoked_at IS NULL;
CREATE INDEX invitations_round ON invitations (municipality, round);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    receipt TEXT NOT NULL UNIQUE,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id),
    municipality TEXT NOT NULL,
    round TEXT NOT NULL,
    respondent TEXT NOT NULL,
    version INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    document TEXT NOT NULL,            -- the JSON body as received
    answer_file TEXT NOT NULL,         -- the YAML written to the workspace
    organisation TEXT NOT NULL,
    role TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (municipality, round, respondent, version),
    UNIQUE (invitation_id, idempotency_key)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,                -- invited, revoked, reissued, closed, reopened, closes
    municipality TEXT,
    round TEXT,
    respondent TEXT,
    detail TEXT
);
"""


def utc_now() -> dt.datetime:
    """The current time in UTC (one place, so that tests can reason about it)."""
    return dt.datetime.now(dt.UTC)


def to_text(moment: dt.datetime) -> str:
    """A UTC instant as stored: ISO 8601 with microseconds and 'Z'; sorts as text."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_text(text: str) -> dt.datetime:
    """The stored text of an instant back as an aware datetime."""
    return dt.datetime.fromisoformat(text)


def private_folder(folder: Path) -> Path:
    """Make `folder`; the workspace's own `.ketenscan/` gets mode 700 and a `.gitignore`.

    The database and the admin token live in the workspace's `.ketenscan/`; a workspace is
    often a git repository, and neither belongs in it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if folder.name == PRIVATE_FOLDER and not ignore.exists():  # a folder of its own only
        folder.chmod(0o700)
        ignore.write_text("# Database en beheertoken van ketenscan collect: niet in git.\n*\n")
    return folder


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every user of the database needs."""
    private_folder(path.parent)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` ... `COMMIT` (or `ROLLBACK` on any error)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """The statements of a script (executescript would commit the open transaction)."""
    found: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            found.append(current)
            current = ""
    return found


def open_database(path: Path) -> sqlite3.Connection:
    """Open (and on first use create) the database at `path`."""
    conn = connect(path)
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            for statement in _statements(_SCHEMA):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            raise RuntimeError(
                f"de database {path} is gemaakt door een nieuwere Ketenscan (schema {version}); "
                "werk Ketenscan bij"
            )
    return conn


def log_event(
    conn: sqlite3.Connection,
    kind: str,
    municipality: str | None = None,
    round_slug: str | None = None,
    respondent: str | None = None,
    detail: str | None = None,
) -> None:
    """Record an admin event (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO events (at, kind, municipality, round, respondent, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (to_text(utc_now()), kind, municipality, round_slug, respondent, detail),
    )


# ---------------------------------------------------------------- rounds


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


# ---------------------------------------------------------------- invitations


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


def _invitation(row: sqlite3.Row) -> Invitation:
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
    return _invitation(row) if row else None


def invitation_by_id(conn: sqlite3.Connection, invitation_id: int) -> Invitation | None:
    """The invitation with this id."""
    row = conn.execute("SELECT * FROM invitations WHERE id = ?", (invitation_id,)).fetchone()
    return _invitation(row) if row else None


def open_invitation(
    conn: sqlite3.Connection, municipality: str, round_slug: str, respondent: str
) -> Invitation | None:
    """The invitation of a respondent that is not revoked, if any."""
    row = conn.execute(
        "SELECT * FROM invitations WHERE municipality = ? AND round = ? AND respondent = ? "
        "AND revoked_at IS NULL",
        (municipality, round_slug, respondent),
    ).fetchone()
    return _invitation(row) if row else None


def round_invitations(
    conn: sqlite3.Connection, municipality: str, round_slug: str
) -> list[Invitation]:
    """Every invitation of a round, revoked ones too, by respondent and age."""
    rows = conn.execute(
        "SELECT * FROM invitations WHERE municipality = ? AND round = ? ORDER BY respondent, id",
        (municipality, round_slug),
    ).fetchall()
    return [_invitation(row) for row in rows]


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


# ---------------------------------------------------------------- submissions


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
    invitation = _invitation(row)
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


def backup_database(source: Path, target: Path) -> int:
    """A consistent copy of a live database with SQLite's online backup; returns its pages."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    if not source.is_file():
        raise FileNotFoundError(source)
    src = connect(source)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst, pages=1024)
        pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"de kopie is niet in orde: {check}")
        # A backup is a single file: no WAL beside it.
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    tmp.replace(target)
    return pages
