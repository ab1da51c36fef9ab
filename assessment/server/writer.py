"""The one thread that writes submissions: group commit, so that durability stays cheap.

A commit with `synchronous=FULL` waits for the disk (a few milliseconds here). Requests
that arrive while a commit is under way queue up; the writer takes them all, stores each
in its own savepoint inside one `BEGIN IMMEDIATE` transaction and commits once. Only then
does any of them get its answer: nothing is acknowledged before it is on disk, and a burst
of 20 submissions costs one wait for the disk instead of 20.
"""

from __future__ import annotations

import logging
import queue
import secrets
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from assessment.server import store

log = logging.getLogger("ketenscan.collect")

BATCH_MAX = 64
_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


def new_receipt() -> str:
    """A receipt id such as `7K4Q-9XPA-M2C8` (60 random bits, easy to read out)."""
    chars = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


@dataclass
class Job:
    """One submission that passed every check, waiting to be stored."""

    invitation_id: int
    municipality: str
    round: str
    respondent: str
    organisation: str
    role: str
    idempotency_key: str
    body_sha256: str
    document: str
    answer_file: str
    future: Future[Outcome] = field(default_factory=lambda: Future())


@dataclass(frozen=True)
class Outcome:
    """What became of a job: stored, the same request again, or refused after all."""

    kind: Literal["accepted", "replayed", "key-reused", "revoked", "closed"]
    submission: store.Submission | None = None
    round: store.RoundState | None = None


class SubmissionWriter:
    """Stores jobs in batches on its own connection and thread."""

    def __init__(
        self,
        db_path: Path,
        on_stored: Callable[[Job, store.Submission], None] | None = None,
    ) -> None:
        self._conn = store.connect(db_path)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._on_stored = on_stored
        self._thread = threading.Thread(target=self._loop, name="ketenscan-writer", daemon=True)
        self.batches = 0
        self.stored = 0
        self._thread.start()

    def submit(self, job: Job) -> Future[Outcome]:
        """Queue a job; its future resolves after the commit that holds it."""
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        """Store what is queued, then stop."""
        self._queue.put(None)
        self._thread.join()
        self._conn.close()

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < BATCH_MAX:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._store(batch)

    def _store(self, batch: list[Job]) -> None:
        results: list[Outcome | Exception] = []
        try:
            with store.transaction(self._conn):
                for job in batch:
                    self._conn.execute("SAVEPOINT job")
                    try:
                        results.append(self._store_one(job))
                    except Exception as error:  # this job only; the others go on
                        self._conn.execute("ROLLBACK TO job")
                        results.append(error)
                    self._conn.execute("RELEASE job")
        except Exception as error:  # the commit itself (the disk): nothing was stored
            log.error("opslaan mislukt (%d inzendingen): %s", len(batch), error)
            for job in batch:
                job.future.set_exception(error)
            return
        self.batches += 1
        for job, result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                log.error("inzending niet opgeslagen: %s", result)
                job.future.set_exception(result)
                continue
            if result.kind == "accepted" and result.submission is not None:
                self.stored += 1
                if self._on_stored is not None:
                    try:
                        self._on_stored(job, result.submission)
                    except Exception:  # the commit stands; start-up repairs the file
                        log.exception("na het opslaan ging iets mis")
            job.future.set_result(result)

    def _store_one(self, job: Job) -> Outcome:
        conn = self._conn
        earlier = store.submission_by_key(conn, job.invitation_id, job.idempotency_key)
        if earlier is not None:
            same = earlier.body_sha256 == job.body_sha256
            return Outcome("replayed" if same else "key-reused", earlier)
        invitation = store.invitation_by_id(conn, job.invitation_id)
        if invitation is None or invitation.revoked_at is not None:
            return Outcome("revoked")
        state = store.get_round(conn, job.municipality, job.round)
        if state is None or not state.is_open(store.utc_now()):
            return Outcome("closed", round=state)
        version = store.next_version(conn, job.municipality, job.round, job.respondent)
        received = store.utc_now()
        for _attempt in range(3):
            receipt = new_receipt()
            try:
                row_id = store.insert_submission(
                    conn,
                    {
                        "receipt": receipt,
                        "invitation_id": job.invitation_id,
                        "municipality": job.municipality,
                        "round": job.round,
                        "respondent": job.respondent,
                        "version": version,
                        "idempotency_key": job.idempotency_key,
                        "body_sha256": job.body_sha256,
                        "document": job.document,
                        "answer_file": job.answer_file,
                        "organisation": job.organisation,
                        "role": job.role,
                        "received_at": store.to_text(received),
                    },
                )
            except sqlite3.IntegrityError:
                if store.submission_by_receipt(conn, receipt) is None:
                    raise
                continue  # two equal receipts in 2^60: draw again
            return Outcome(
                "accepted",
                store.Submission(
                    row_id,
                    receipt,
                    job.invitation_id,
                    job.municipality,
                    job.round,
                    job.respondent,
                    version,
                    job.idempotency_key,
                    job.body_sha256,
                    job.organisation,
                    job.role,
                    received,
                ),
            )
        raise RuntimeError("no free receipt id")  # pragma: no cover - 2^-180
