"""Answer files in the workspace: written atomically after the commit, repaired on start-up.

The database is the record; the answer file is its copy in the workspace, which
`validate`, `score` and `build` read as before. A file is written to a hidden temporary
file beside its place, flushed to disk, renamed over the old one (readers see the old or
the new file, never half of one) and the folder is flushed too. The server acknowledges a
submission after its commit, before the file is written: a crash in between is repaired
by `reconcile` on the next start, which rewrites every file that is missing or older than
its newest stored version.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from assessment.limits import is_slug
from assessment.paths import ANSWERS_DIR, MUNICIPALITIES_DIR
from assessment.server.store import LatestFile

log = logging.getLogger("ketenscan.collect")


def answer_path(workspace: Path, municipality: str, round_slug: str, respondent: str) -> Path:
    """`gemeenten/<m>/<r>/antwoorden/<respondent>.yaml`, from validated ids only."""
    for value in (municipality, round_slug, respondent):
        if not is_slug(value):
            raise ValueError(f"not an id: {value!r}")
    return (
        workspace / MUNICIPALITIES_DIR / municipality / round_slug / ANSWERS_DIR
        / f"{respondent}.yaml"
    )  # fmt: skip


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that it is there in full or not at all, and durably."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A dot name: the workspace loader skips it if a crash leaves it behind.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    data = text.encode("utf-8")
    handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        os.fsync(handle)
    finally:
        os.close(handle)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


@dataclass
class _Pending:
    version: int
    text: str


@dataclass
class FileWriter:
    """Writes answer files in the background, newest version last, several at a time.

    Versions of one respondent are written in order and only the newest one still waiting
    is written: a burst of re-submissions costs one write. Files of different respondents
    are written in parallel, because most of the time goes into waiting for the disk.
    """

    workspace: Path
    threads: int = 4
    on_written: Callable[[str, str, str, int], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pending: dict[tuple[str, str, str], _Pending] = field(default_factory=dict)
    _busy: set[tuple[str, str, str]] = field(default_factory=set)
    _written: dict[tuple[str, str, str], int] = field(default_factory=dict)
    _idle: threading.Condition = field(init=False)
    _pool: ThreadPoolExecutor = field(init=False)
    failures: int = 0

    def __post_init__(self) -> None:
        self._idle = threading.Condition(self._lock)
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="ketenscan-files")

    def submit(self, municipality: str, round_slug: str, respondent: str, version: int,
               text: str) -> None:  # fmt: skip
        """Ask for version `version` of a respondent's file to be written."""
        key = (municipality, round_slug, respondent)
        with self._lock:
            if self._written.get(key, 0) >= version:
                return
            waiting = self._pending.get(key)
            if waiting is None or waiting.version < version:
                self._pending[key] = _Pending(version, text)
            if key in self._busy:
                return  # the thread writing this file picks the new version up after it
            self._busy.add(key)
        self._pool.submit(self._run, key)

    def _run(self, key: tuple[str, str, str]) -> None:
        while True:
            with self._lock:
                item = self._pending.pop(key, None)
                if item is None:
                    self._busy.discard(key)
                    self._idle.notify_all()
                    return
            try:
                write_atomically(answer_path(self.workspace, *key), item.text)
            except OSError as error:
                # The commit stands; the next start-up writes the file (reconcile).
                log.error("antwoordbestand %s niet geschreven: %s", "/".join(key), error.strerror)
                with self._lock:
                    self.failures += 1
                continue
            with self._lock:
                self._written[key] = max(self._written.get(key, 0), item.version)
            if self.on_written is not None:
                self.on_written(*key, item.version)

    def pending(self) -> int:
        """Files waiting to be written or being written."""
        with self._lock:
            return len(self._busy)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every file asked for is written; False on a timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._busy, timeout)

    def close(self) -> None:
        """Write what is waiting, then stop the threads."""
        self.wait()
        self._pool.shutdown(wait=True)


@dataclass
class Reconciled:
    """What start-up found in the workspace compared with the database."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # changed by hand after the last version
    skipped: list[Path] = field(default_factory=list)  # round folder gone


def reconcile(
    workspace: Path,
    latest: list[LatestFile],
    versions: Callable[[str, str, str], list[str]],
) -> Reconciled:
    """Rewrite every answer file that is missing or behind its newest stored version.

    A file that holds an older stored version is the server's own copy, left behind by a
    crash: it is rewritten. A file that holds no stored version at all and was changed after
    the newest version came in is someone's edit by hand: it is kept, and reported.
    `versions(municipality, round, respondent)` gives the texts of every stored version.
    """
    result = Reconciled()
    for item in latest:
        path = answer_path(workspace, item.municipality, item.round, item.respondent)
        if not path.parent.parent.is_dir():
            result.skipped.append(path)
            continue
        try:
            current = path.read_bytes()
            modified = path.stat().st_mtime
        except FileNotFoundError:
            current, modified = None, 0.0
        wanted = item.answer_file.encode("utf-8")
        if current == wanted:
            continue
        if current is not None and modified > item.received_at.timestamp():
            ours = {text.encode("utf-8") for text in versions(item.municipality, item.round,
                                                              item.respondent)}  # fmt: skip
            if current not in ours:
                result.kept.append(path)
                continue
        write_atomically(path, item.answer_file)
        result.written.append(path)
    return result
