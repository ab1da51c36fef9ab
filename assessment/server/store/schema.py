"""The tables of the collect database, created or brought up to date on opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assessment.server.store.database import connect, transaction

SCHEMA_VERSION = 2


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


# Schema 2: the live workshop (assessment/server/live). Sessions, who joined (a random id
# and a role, never a name or an address), votes, decisions and actions; `revision` counts
# every change of a session and is the SSE event id.
_LIVE_SCHEMA = """
CREATE TABLE live_sessions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,         -- join code: 6 characters without look-alikes
    municipality TEXT NOT NULL,
    round TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    factor TEXT,                       -- the factor on the screen
    voting INTEGER NOT NULL DEFAULT 0, -- 1 while votes on `factor` are taken
    dots INTEGER NOT NULL DEFAULT 0,   -- 1 while dot-voting on the actions is open
    revision INTEGER NOT NULL DEFAULT 0,
    reference TEXT NOT NULL DEFAULT '{}',  -- JSON: questionnaire mean and n per factor
    written TEXT                       -- the workshop.yaml written when it ended
);
CREATE TABLE live_participants (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES live_sessions (id),
    public_id TEXT NOT NULL,           -- session-scoped, random: p-xxxxxxxx
    secret_hash TEXT NOT NULL UNIQUE,  -- hex SHA-256 of the participant's token
    role TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    UNIQUE (session_id, public_id)
);
CREATE TABLE live_votes (
    session_id INTEGER NOT NULL REFERENCES live_sessions (id),
    participant_id INTEGER NOT NULL REFERENCES live_participants (id),
    factor TEXT NOT NULL,
    value INTEGER,                     -- 1..5, NULL = weet niet
    changes INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL,
    PRIMARY KEY (session_id, participant_id, factor)
);
CREATE TABLE live_factors (
    session_id INTEGER NOT NULL REFERENCES live_sessions (id),
    factor TEXT NOT NULL,
    revealed INTEGER NOT NULL DEFAULT 0,
    score INTEGER,                     -- the agreed level
    rationale TEXT,
    decided_at TEXT,
    PRIMARY KEY (session_id, factor)
);
CREATE TABLE live_actions (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES live_sessions (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    factors TEXT NOT NULL,             -- factor ids, separated by spaces
    owner TEXT NOT NULL,
    due TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (session_id, slug)
);
CREATE TABLE live_dots (
    session_id INTEGER NOT NULL REFERENCES live_sessions (id),
    participant_id INTEGER NOT NULL REFERENCES live_participants (id),
    action_id INTEGER NOT NULL REFERENCES live_actions (id),
    PRIMARY KEY (participant_id, action_id)
);
CREATE INDEX live_votes_factor ON live_votes (session_id, factor);
"""


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
        if version < 2:  # a database of schema 1 gets the live workshop's tables
            for statement in _statements(_LIVE_SCHEMA):
                conn.execute(statement)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            raise RuntimeError(
                f"de database {path} is gemaakt door een nieuwere Ketenscan (schema {version}); "
                "werk Ketenscan bij"
            )
    return conn
