"""Connections to the collect database: its folder, pragmas, transactions, events and backups."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_FOLDER = ".ketenscan"


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
