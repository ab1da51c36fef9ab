"""The collection server's parts without HTTP: the database, the writer's group commit, the
answer files (atomic, coalesced, reconciled), invitations and their CSV, rate limits."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from assessment.errors import ProblemsError
from assessment.instrument import Questionnaire
from assessment.server import store
from assessment.server.files import FileWriter, answer_path, reconcile, write_atomically
from assessment.server.invitations import (
    Planned,
    closing_moment,
    form_link,
    hash_token,
    issue_invitations,
    read_organisations,
    reissue_invitations,
    revoke_invitations,
    slugify,
    write_invitations,
)
from assessment.server.ratelimit import RateLimiter
from assessment.server.writer import Job, SubmissionWriter, new_receipt
from tests.helpers import MUNICIPALITY, ROUND, build_workspace

SITE = "https://ketenscan.voorbeeld.nl/"


@pytest.fixture
def ws(questionnaire: Questionnaire, tmp_path: Path) -> Path:
    return build_workspace(questionnaire, tmp_path / "ws")


@pytest.fixture
def db(ws: Path) -> Path:
    return ws / ".ketenscan" / "collect.sqlite"


def _invite(ws: Path, db: Path, *planned: Planned) -> list[Any]:
    conn = store.open_database(db)
    try:
        issued, _ = issue_invitations(conn, ws, MUNICIPALITY, ROUND, list(planned), SITE)
    finally:
        conn.close()
    return issued


# ---------------------------------------------------------------- database


def test_the_database_is_durable_by_its_settings(db: Path) -> None:
    conn = store.open_database(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"rounds", "invitations", "submissions", "events"}
    conn.close()
    store.open_database(db).close()  # opening again changes nothing


def test_a_round_is_open_until_closed_or_its_closing_moment(db: Path) -> None:
    now = dt.datetime(2025, 11, 30, 22, 59, tzinfo=dt.UTC)
    closes = closing_moment(dt.date(2025, 11, 30))
    # Midnight after 30 November in Amsterdam (CET, UTC+1) is 23:00 UTC.
    assert closes.astimezone(dt.UTC) == dt.datetime(2025, 11, 30, 23, 0, tzinfo=dt.UTC)
    state = store.RoundState(MUNICIPALITY, ROUND, closes, None)
    assert state.is_open(now)
    assert not state.is_open(now + dt.timedelta(minutes=1))
    assert state.closed_since(now + dt.timedelta(minutes=1)) == closes
    closed = store.RoundState(MUNICIPALITY, ROUND, None, now)
    assert not closed.is_open(now)
    # In summer time (CEST, UTC+2) the same midnight is 22:00 UTC.
    summer = closing_moment(dt.date(2026, 6, 30)).astimezone(dt.UTC)
    assert summer == dt.datetime(2026, 6, 30, 22, 0, tzinfo=dt.UTC)


def test_close_and_reopen(db: Path) -> None:
    conn = store.open_database(db)
    with store.transaction(conn):
        store.ensure_round(conn, MUNICIPALITY, ROUND, closing_moment(dt.date(2020, 1, 1)))
    state = store.get_round(conn, MUNICIPALITY, ROUND)
    assert state is not None
    assert not state.is_open(store.utc_now())
    with store.transaction(conn):
        store.reopen_round(conn, MUNICIPALITY, ROUND)  # a closing date in the past goes
    state = store.get_round(conn, MUNICIPALITY, ROUND)
    assert state is not None
    assert state.closes_at is None
    assert state.is_open(store.utc_now())
    with store.transaction(conn):
        store.close_round(conn, MUNICIPALITY, ROUND)
    state = store.get_round(conn, MUNICIPALITY, ROUND)
    assert state is not None
    assert state.closed_at is not None
    kinds = [r[0] for r in conn.execute("SELECT kind FROM events ORDER BY id")]
    assert kinds == ["closes", "reopened", "closed"]
    conn.close()


# ---------------------------------------------------------------- invitations


def test_a_token_is_random_shown_once_and_stored_only_as_its_hash(ws: Path, db: Path) -> None:
    one, two = _invite(
        ws,
        db,
        Planned("wijkteam", None, "wijkteam"),
        Planned("hap-a", "HAP A", "huisartsenpraktijk"),
    )
    assert one.token != two.token
    assert len(one.token) == 32  # 24 random bytes, base64url
    assert one.link == f"{SITE}{MUNICIPALITY}/vragenlijst.html#t={one.token}"
    raw = db.read_bytes() + (db.with_name(db.name + "-wal").read_bytes()
                             if db.with_name(db.name + "-wal").exists() else b"")  # fmt: skip
    assert one.token.encode() not in raw
    conn = store.open_database(db)
    stored = store.invitation_by_hash(conn, hash_token(one.token))
    assert stored is not None
    assert stored.respondent == "wijkteam"
    assert stored.organisation is None
    conn.close()


def test_an_open_invitation_is_not_made_twice(ws: Path, db: Path) -> None:
    _invite(ws, db, Planned("wijkteam", None, "wijkteam"))
    conn = store.open_database(db)
    issued, warnings = issue_invitations(
        conn, ws, MUNICIPALITY, ROUND, [Planned("wijkteam", None, "wijkteam")], SITE
    )
    assert issued == []
    assert [w.code for w in warnings] == ["invite.already-invited"]
    with pytest.raises(sqlite3.IntegrityError), store.transaction(conn):  # the index holds too
        store.insert_invitation(conn, "f" * 64, MUNICIPALITY, ROUND, "wijkteam", None, "wijkteam")
    conn.close()


def test_inviting_where_an_answer_file_exists_warns(ws: Path, db: Path) -> None:
    conn = store.open_database(db)
    issued, warnings = issue_invitations(
        conn, ws, MUNICIPALITY, ROUND, [Planned("jgz-0-4", None, "jgz-0-4")], SITE
    )
    assert len(issued) == 1
    assert [(w.code, w.severity) for w in warnings] == [("invite.file-exists", "warning")]
    conn.close()


def test_reissue_revokes_the_old_token_and_keeps_what_it_was_for(ws: Path, db: Path) -> None:
    [old] = _invite(ws, db, Planned("hap-a", "HAP A", "huisartsenpraktijk"))
    conn = store.open_database(db)
    [new], _ = reissue_invitations(conn, MUNICIPALITY, ROUND, ["hap-a"], SITE)
    assert (new.organisation, new.role, new.respondent) == ("HAP A", "huisartsenpraktijk", "hap-a")
    before = store.invitation_by_hash(conn, hash_token(old.token))
    after = store.invitation_by_hash(conn, hash_token(new.token))
    assert before is not None
    assert before.revoked_at is not None
    assert after is not None
    assert after.revoked_at is None
    with pytest.raises(ProblemsError) as caught:
        reissue_invitations(conn, MUNICIPALITY, ROUND, ["hap-b"], SITE)
    assert caught.value.problems[0].code == "invite.unknown-respondent"
    assert revoke_invitations(conn, MUNICIPALITY, ROUND, ["hap-a"]) == 1
    assert revoke_invitations(conn, MUNICIPALITY, ROUND, ["hap-a"]) == 0  # again: nothing
    with pytest.raises(ProblemsError) as caught:
        revoke_invitations(conn, MUNICIPALITY, ROUND, ["hap-a", "hap-x"])
    assert "Bedoelt u 'hap-a'?" in caught.value.problems[0].message
    conn.close()


def test_organisations_from_a_spreadsheet_csv(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    # Dutch Excel: semicolons and a BOM; names with accents, quotes and a shared slug.
    path.write_bytes(
        "\ufefforganisation;role\n"
        "Huisartsenpraktijk Één;huisartsenpraktijk\n"
        '"Stichting ""Kind & Co"": #1 🙂";wijkteam\n'
        ";\n"
        "Huisartsenpraktijk Een!;huisartsenpraktijk\n".encode()
    )
    planned = read_organisations(path, questionnaire)
    assert [(p.respondent, p.organisation, p.role, p.line) for p in planned] == [
        ("huisartsenpraktijk-een", "Huisartsenpraktijk Één", "huisartsenpraktijk", 2),
        ("stichting-kind-co-1", 'Stichting "Kind & Co": #1 🙂', "wijkteam", 3),
        ("huisartsenpraktijk-een-2", "Huisartsenpraktijk Een!", "huisartsenpraktijk", 5),
    ]


def test_every_problem_of_the_csv_at_once(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text(
        "respondent,organisation,role\n"
        "a,Organisatie A,wijktaem\n"
        "Geen Slug,Organisatie B,wijkteam\n"
        "c,,wijkteam\n"
        "d,organisatie a,gemeente\n"
        f"e,{'x' * 201},gemeente\n",
        encoding="utf-8",
    )
    with pytest.raises(ProblemsError) as caught:
        read_organisations(path, questionnaire)
    found = [(p.line, p.column, p.code) for p in caught.value.problems]
    assert found == [
        (2, 3, "invite.unknown-role"),
        (3, 1, "field.invalid-id"),
        (4, 2, "field.empty"),
        (5, 2, "invite.duplicate-respondent"),
        (6, 2, "field.too-long"),
    ]
    assert "Bedoelt u 'wijkteam'?" in caught.value.problems[0].message
    (tmp_path / "bad.csv").write_text("naam,rol\nA,wijkteam\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_organisations(tmp_path / "bad.csv", questionnaire)
    assert caught.value.problems[0].code == "invite.csv-columns"


def test_the_csv_for_the_mail_merge_and_a_qr_code_per_link(ws: Path, db: Path) -> None:
    issued = _invite(
        ws, db, Planned("a", "=HYPERLINK(1)", "wijkteam"), Planned("b", None, "gemeente")
    )
    out = ws.parent / "uit" / "uitnodigingen.csv"
    written = write_invitations(issued, out, {"wijkteam": "Wijkteam"}, dt.date(2025, 12, 1))
    assert written[0] == out
    assert len(written) == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # the links are passwords
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0]) == [
        "municipality", "round", "respondent", "organisation", "role", "role_label", "closes",
        "token", "link", "qr",
    ]  # fmt: skip
    assert rows[0]["organisation"] == "'=HYPERLINK(1)"  # not a formula in a spreadsheet
    assert rows[1]["role_label"] == "gemeente"
    assert rows[0]["closes"] == "2025-12-01"
    assert rows[0]["link"] == form_link(SITE, MUNICIPALITY, issued[0].token)
    svg = (out.parent / rows[0]["qr"]).read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "<title>Uitnodiging voor =HYPERLINK(1)</title>" in svg


def test_slugs_are_made_as_the_form_makes_them() -> None:
    assert slugify('Stichting "Kind & Co": #1 🙂') == "stichting-kind-co-1"  # as in the browser
    assert slugify("Jeugdgezondheidszorg Één–Twee") == "jeugdgezondheidszorg-een-twee"
    assert slugify("!!!") == ""
    assert len(slugify("a" * 70)) == 64


# ---------------------------------------------------------------- the writer


def _job(invitation: int, key: str, version_text: str = "x", respondent: str = "wijkteam") -> Job:
    return Job(invitation, MUNICIPALITY, ROUND, respondent, "Org", "wijkteam", key,
               f"sha-{key}-{version_text}", "{}", version_text)  # fmt: skip


def test_concurrent_jobs_are_stored_in_batches_with_versions_in_order(ws: Path, db: Path) -> None:
    [item] = _invite(ws, db, Planned("wijkteam", None, "wijkteam"))
    conn = store.open_database(db)
    invitation = store.invitation_by_hash(conn, hash_token(item.token))
    assert invitation is not None
    stored: list[int] = []
    writer = SubmissionWriter(db, lambda job, submission: stored.append(submission.version))
    futures = []
    barrier = threading.Barrier(8)

    def send(start: int) -> None:
        barrier.wait()
        for n in range(start, 40, 8):
            futures.append(writer.submit(_job(invitation.id, f"key-{n}")))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = [f.result(10) for f in futures]
    writer.close()
    assert [o.kind for o in outcomes] == ["accepted"] * 40
    assert sorted(o.submission.version for o in outcomes if o.submission) == list(range(1, 41))
    assert stored == list(range(1, 41))  # handed on in commit order
    assert writer.batches <= 40
    receipts = {o.submission.receipt for o in outcomes if o.submission}
    assert len(receipts) == 40
    conn.close()


def test_the_writer_replays_refuses_and_fails_one_job_alone(ws: Path, db: Path) -> None:
    [item] = _invite(ws, db, Planned("wijkteam", None, "wijkteam"))
    conn = store.open_database(db)
    invitation = store.invitation_by_hash(conn, hash_token(item.token))
    assert invitation is not None
    writer = SubmissionWriter(db)
    first = writer.submit(_job(invitation.id, "k1")).result(10)
    again = writer.submit(_job(invitation.id, "k1")).result(10)
    other = writer.submit(_job(invitation.id, "k1", "y")).result(10)
    assert (first.kind, again.kind, other.kind) == ("accepted", "replayed", "key-reused")
    assert again.submission == first.submission
    gone = writer.submit(_job(999, "k2"))  # no such invitation
    broken = _job(invitation.id, "k6")
    broken.document = None  # type: ignore[assignment]  # NOT NULL: the insert fails
    failing = writer.submit(broken)
    fine = writer.submit(_job(invitation.id, "k3"))
    assert gone.result(10).kind == "revoked"
    with pytest.raises(sqlite3.IntegrityError):
        failing.result(10)
    assert fine.result(10).kind == "accepted"  # a failing job takes no other one with it
    with store.transaction(conn):
        store.close_round(conn, MUNICIPALITY, ROUND)
    assert writer.submit(_job(invitation.id, "k4")).result(10).kind == "closed"
    with store.transaction(conn):
        store.reopen_round(conn, MUNICIPALITY, ROUND)
        store.revoke_invitation(conn, invitation.id)
    assert writer.submit(_job(invitation.id, "k5")).result(10).kind == "revoked"
    writer.close()
    count = conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    assert count == 2  # k1 and k3
    conn.close()


def test_receipts_are_easy_to_read_out() -> None:
    receipt = new_receipt()
    assert len(receipt) == 14
    assert receipt[4] == receipt[9] == "-"
    assert not set(receipt) & set("ILOU")


# ---------------------------------------------------------------- answer files


def test_an_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b.yaml"
    write_atomically(path, "één\n")
    write_atomically(path, "twee\n")
    assert path.read_text(encoding="utf-8") == "twee\n"
    assert os.listdir(path.parent) == ["b.yaml"]


def test_paths_come_from_ids_only(tmp_path: Path) -> None:
    assert answer_path(tmp_path, "a", "b", "c") == tmp_path / "gemeenten/a/b/antwoorden/c.yaml"
    with pytest.raises(ValueError):
        answer_path(tmp_path, "a", "b", "../../etc/passwd")


def test_the_file_writer_writes_the_newest_version_last(ws: Path) -> None:
    written: list[int] = []
    writer = FileWriter(ws, 4, on_written=lambda m, r, p, v: written.append(v))
    for version in range(1, 21):
        writer.submit(MUNICIPALITY, ROUND, "wijkteam", version, f"versie {version}\n")
    writer.submit(MUNICIPALITY, ROUND, "wijkteam", 3, "oud\n")  # late and old: ignored
    assert writer.wait(10)
    writer.close()
    path = answer_path(ws, MUNICIPALITY, ROUND, "wijkteam")
    assert path.read_text(encoding="utf-8") == "versie 20\n"
    assert written[-1] == 20
    assert written == sorted(written)
    assert len(written) <= 20


def test_reconcile_rewrites_missing_and_old_files_and_keeps_edits(ws: Path) -> None:
    now = store.utc_now()

    def latest(respondent: str, text: str) -> store.LatestFile:
        return store.LatestFile(MUNICIPALITY, ROUND, respondent, 2, now, text)

    missing = answer_path(ws, MUNICIPALITY, ROUND, "weg")
    old = answer_path(ws, MUNICIPALITY, ROUND, "oud")
    old.write_text("versie 1\n", encoding="utf-8")
    earlier = now.timestamp() - 60
    os.utime(old, (earlier, earlier))
    edited = answer_path(ws, MUNICIPALITY, ROUND, "bewerkt")
    edited.write_text("met de hand verbeterd\n", encoding="utf-8")  # mtime: after `now`
    later = now.timestamp() + 60
    os.utime(edited, (later, later))
    same = answer_path(ws, MUNICIPALITY, ROUND, "gelijk")
    same.write_text("versie 2\n", encoding="utf-8")
    # Version 1 written after version 2 came in: a crash left the server's own old copy.
    behind = answer_path(ws, MUNICIPALITY, ROUND, "achter")
    behind.write_text("versie 1\n", encoding="utf-8")
    os.utime(behind, (later, later))
    gone = store.LatestFile(MUNICIPALITY, "1999-voorjaar", "x", 1, now, "x\n")
    result = reconcile(
        ws,
        [
            latest("weg", "versie 2\n"),
            latest("oud", "versie 2\n"),
            latest("bewerkt", "versie 2\n"),
            latest("gelijk", "versie 2\n"),
            latest("achter", "versie 2\n"),
            gone,
        ],
        lambda m, r, p: ["versie 1\n", "versie 2\n"],
    )
    assert result.written == [missing, old, behind]
    assert result.kept == [edited]
    assert [p.parent.parent.name for p in result.skipped] == ["1999-voorjaar"]
    for path in (missing, old, behind):
        assert path.read_text(encoding="utf-8") == "versie 2\n"
    assert edited.read_text(encoding="utf-8") == "met de hand verbeterd\n"


# ---------------------------------------------------------------- rate limits


def test_a_bucket_allows_a_burst_then_refills_per_minute() -> None:
    now = [100.0]
    limiter = RateLimiter(6, clock=lambda: now[0])  # 6 per minute: one every 10 s
    assert [limiter.take("a") for _ in range(6)] == [0] * 6
    assert limiter.take("a") == 10  # empty: the next one in 10 s
    assert limiter.take("b") == 0  # another key has its own bucket
    now[0] += 9.0
    assert limiter.peek("a") == 1  # 0.9 of a request: one more second
    now[0] += 1.0
    assert limiter.take("a") == 0
    now[0] += 600
    assert [limiter.take("a") for _ in range(7)] == [0] * 6 + [10]  # never more than 6 saved


def test_a_full_table_forgets_idle_buckets_first() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0], size=4)
    for key in "abcd":
        limiter.take(key)
    now[0] += 60  # all four are full again
    limiter.take("e")
    assert limiter.peek("a") == 0


# ---------------------------------------------------------------- backup


def test_a_backup_is_a_consistent_copy_while_writes_go_on(ws: Path, db: Path) -> None:
    [item] = _invite(ws, db, Planned("wijkteam", None, "wijkteam"))
    conn = store.open_database(db)
    invitation = store.invitation_by_hash(conn, hash_token(item.token))
    assert invitation is not None
    writer = SubmissionWriter(db)
    futures = [writer.submit(_job(invitation.id, f"k{n}", "t" * 5000)) for n in range(200)]
    copy = ws.parent / "kopie.sqlite"
    pages = store.backup_database(db, copy)
    for future in futures:
        future.result(10)
    writer.close()
    assert pages > 0
    backup = sqlite3.connect(copy)
    assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = backup.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    versions = [r[0] for r in backup.execute("SELECT version FROM submissions ORDER BY version")]
    assert versions == list(range(1, count + 1))  # a prefix of the versions: no gap, no half
    backup.close()
    assert not copy.with_name(copy.name + "-wal").exists()
    conn.close()


def test_the_private_folder_stays_out_of_git(ws: Path, db: Path) -> None:
    store.open_database(db).close()
    folder = db.parent
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
