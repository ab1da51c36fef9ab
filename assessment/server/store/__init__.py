"""The collection server's database: SQLite in WAL mode, durable before anything is
acknowledged.

Every connection runs with `synchronous=FULL` (a commit is on disk when it returns) and
takes its write lock up front (`BEGIN IMMEDIATE`), so that a transaction never fails
half-way for a lock. Transactions are short: a batch of submissions, an invitation run,
one admin action. What is stored (README, "Wat de server bewaart"): rounds with their
closing dates, invitations (the token only as a SHA-256 hash), every version of every
submission (the JSON as received and the answer file written from it) and a log of
admin events. No names of persons: organisations and role ids only.

One module per table or concern: `database` (connections, transactions, events, backups),
`schema` (the tables), `rounds`, `invitations` and `submissions`. Callers use this
package: `from assessment.server import store`, then `store.get_round(...)`.
"""

from assessment.server.store.database import (
    PRIVATE_FOLDER,
    backup_database,
    connect,
    from_text,
    log_event,
    private_folder,
    to_text,
    transaction,
    utc_now,
)
from assessment.server.store.invitations import (
    Invitation,
    insert_invitation,
    invitation_by_hash,
    invitation_by_id,
    open_invitation,
    revoke_invitation,
    round_invitations,
)
from assessment.server.store.rounds import (
    RoundState,
    close_round,
    ensure_round,
    get_round,
    list_rounds,
    reopen_round,
    set_closing,
)
from assessment.server.store.schema import SCHEMA_VERSION, open_database
from assessment.server.store.submissions import (
    LatestFile,
    RequestState,
    Submission,
    insert_submission,
    latest_files,
    latest_submission,
    next_version,
    request_state,
    submission_by_key,
    submission_by_receipt,
    version_texts,
)

__all__ = [
    "PRIVATE_FOLDER",
    "SCHEMA_VERSION",
    "Invitation",
    "LatestFile",
    "RequestState",
    "RoundState",
    "Submission",
    "backup_database",
    "close_round",
    "connect",
    "ensure_round",
    "from_text",
    "get_round",
    "insert_invitation",
    "insert_submission",
    "invitation_by_hash",
    "invitation_by_id",
    "latest_files",
    "latest_submission",
    "list_rounds",
    "log_event",
    "next_version",
    "open_database",
    "open_invitation",
    "private_folder",
    "reopen_round",
    "request_state",
    "revoke_invitation",
    "round_invitations",
    "set_closing",
    "submission_by_key",
    "submission_by_receipt",
    "to_text",
    "transaction",
    "utc_now",
    "version_texts",
]
