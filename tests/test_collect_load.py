"""The collection server under concurrent load, racing retries and `kill -9`: nothing that
was acknowledged is ever lost, and nothing is stored twice."""

from __future__ import annotations

import http.client
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from assessment.instrument import Questionnaire
from assessment.server import store
from assessment.server.invitations import Issued, Planned
from assessment.validate import validate_path
from tests.collecting import RunningServer, collect_workspace, document, invite, start_server
from tests.helpers import MUNICIPALITY, ROUND

ANSWERS = Path("gemeenten") / MUNICIPALITY / ROUND / "antwoorden"


def _partners(count: int) -> list[Planned]:
    roles = ["wijkteam", "huisartsenpraktijk", "school-po", "gemeente", "jgz-4-19"]
    return [
        Planned(f"partner-{n:02d}", f"Partner {n:02d}", roles[n % len(roles)]) for n in range(count)
    ]


def _doc(questionnaire: Questionnaire, item: Issued, text: str) -> dict[str, Any]:
    return document(
        questionnaire,
        respondent=item.respondent,
        role=item.role,
        organisation=item.organisation or "",
        open={"goes_well": text},
    )


def _stored(server: RunningServer) -> list[Any]:
    conn = store.connect(server.db)
    try:
        return conn.execute(
            "SELECT respondent, version, receipt, answer_file FROM submissions "
            "ORDER BY respondent, version"
        ).fetchall()
    finally:
        conn.close()


def _wait_for_files(server: RunningServer, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while server.request("GET", "/api/v1/health").json()["files_pending"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _files_match_latest(server: RunningServer) -> dict[str, int]:
    latest: dict[str, Any] = {}
    for row in _stored(server):
        latest[row["respondent"]] = row
    for respondent, row in latest.items():
        path = server.workspace / ANSWERS / f"{respondent}.yaml"
        assert path.read_text(encoding="utf-8") == row["answer_file"], respondent
    return {respondent: row["version"] for respondent, row in latest.items()}


def test_500_submissions_from_50_tokens_at_once(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = collect_workspace(questionnaire, tmp_path / "ws")
    issued = invite(root, _partners(50))
    server = start_server(root)
    try:
        jobs = [(item, n) for n in range(10) for item in issued]  # ten rounds of 50 tokens

        def send(job: tuple[Issued, int]) -> int:
            item, n = job
            return server.submit(item.token, _doc(questionnaire, item, f"inzending {n}")).status

        with ThreadPoolExecutor(25) as pool:
            statuses = list(pool.map(send, jobs))
        assert statuses == [201] * 500
        _wait_for_files(server)
        rows = _stored(server)
        # 50 respondents × 10 versions, each respondent's versions exactly 1..10.
        versions: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            versions[row["respondent"]].append(row["version"])
        assert len(rows) == 500
        assert versions == {item.respondent: list(range(1, 11)) for item in issued}
        assert len({row["receipt"] for row in rows}) == 500
        assert set(_files_match_latest(server).values()) == {10}
        files = sorted((root / ANSWERS).glob("partner-*.yaml"))
        assert len(files) == 50
        report = validate_path(root)
        assert report.errors == []
        assert report.files_checked == 1 + 1 + 50  # gemeente.yaml, jgz-0-4.yaml, 50 partners
    finally:
        server.stop()


def test_20_clients_racing_one_idempotency_key_store_one_version(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = collect_workspace(questionnaire, tmp_path / "ws")
    [item] = invite(root, _partners(1))
    server = start_server(root)
    try:
        key = str(uuid.uuid4())
        body = _doc(questionnaire, item, "één keer")
        barrier = threading.Barrier(20)

        def race(_: int) -> tuple[int, Any]:
            barrier.wait()
            reply = server.submit(item.token, body, key=key)
            return reply.status, reply.json()

        with ThreadPoolExecutor(20) as pool:
            results = list(pool.map(race, range(20)))
        accepted = [body for status, body in results if status == 201]
        busy = [body for status, body in results if status == 409]
        assert len(accepted) + len(busy) == 20
        assert accepted, "at least the first request gets its receipt"
        assert len({receipt["receipt"] for receipt in accepted}) == 1
        assert all(b["code"] == "collect.request-in-progress" for b in busy)
        # A retry after the race gets the same receipt.
        again = server.submit(item.token, body, key=key)
        assert (again.status, again.json()) == (201, accepted[0])
        assert [row["version"] for row in _stored(server)] == [1]
    finally:
        server.stop()


def test_kill_9_in_a_load_run_loses_nothing_that_was_acknowledged(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = collect_workspace(questionnaire, tmp_path / "ws")
    issued = invite(root, _partners(20))
    server = start_server(root)
    acknowledged: list[dict[str, Any]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(item: Issued) -> None:
        n = 0
        while not stop.is_set() and n < 200:  # bounded: the server dies long before
            n += 1
            try:
                reply = server.submit(
                    item.token, _doc(questionnaire, item, f"{item.respondent} {n}")
                )
            except (OSError, http.client.HTTPException):
                # The server is gone: refused, reset, or killed halfway through a reply
                # (IncompleteRead). Such a request was never acknowledged.
                return
            if reply.status == 201:
                with lock:
                    acknowledged.append(reply.json())

    threads = [threading.Thread(target=load, args=(item,)) for item in issued]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # SIGKILL, mid-run: commits, file writes and requests under way
    stop.set()
    for thread in threads:
        thread.join(30)
    assert len(acknowledged) >= 150
    # Make the repair visible: some files are behind or missing after the crash.
    (root / ANSWERS / f"{issued[0].respondent}.yaml").unlink(missing_ok=True)
    restarted = start_server(root)
    try:
        rows = _stored(restarted)
        receipts = {row["receipt"] for row in rows}
        missing = [a["receipt"] for a in acknowledged if a["receipt"] not in receipts]
        assert missing == []
        # Per respondent the versions have no gap, and the file holds the newest one,
        # which is at least the newest acknowledged one.
        by_respondent: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            by_respondent[row["respondent"]].append(row["version"])
        for versions in by_respondent.values():
            assert versions == list(range(1, len(versions) + 1))
        latest = _files_match_latest(restarted)
        for receipt in acknowledged:
            assert latest[receipt["respondent"]] >= receipt["version"]
        assert "hersteld uit de database" in restarted.logs()
        assert validate_path(root).errors == []
    finally:
        restarted.stop()
