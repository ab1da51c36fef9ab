"""The live workshop through a real server (uvicorn in a subprocess, one per module):
votes counted by hand on the presenter's stream, changed votes, closed voting, bad input,
200 participants over HTTP with SSE clients, a kill -9 in the middle of a session, and the
workshop.yaml that ending a session writes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import main as cli_main
from assessment.limits import LIVE_CODE_ALPHABET, LIVE_CODE_LENGTH
from assessment.messages import load_model
from assessment.models import Workshop
from assessment.server import store
from assessment.server.live import sessions
from assessment.server.store import schema
from tests.collecting import GENEROUS, RunningServer, start_server
from tests.live_helpers import (
    Client,
    Stream,
    basic,
    control,
    join,
    live_workspace,
    start_session,
    vote,
)

MUNICIPALITY = "rivierstede"
ROUND = "2025-najaar"
FACTOR = "juiste-partners"  # the instrument's first factor: where a session starts


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the module's tests; each test starts its own session."""
    workspace = live_workspace(tmp_path_factory.mktemp("live") / "ws")
    running = start_server(workspace)
    yield running
    running.stop()


def run(coroutine: Any) -> Any:
    """Run a test's asyncio part, in a thread with a loop of its own (a browser test in the
    same worker leaves Playwright's loop running in the main thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def presenter_stream(server: RunningServer, code: str) -> Stream:
    """The presenter's SSE stream (behind the admin token)."""
    return Stream(server.url, f"/beheer/live/{code}/events", {"Authorization": basic()})


def test_join_codes_have_six_characters_without_look_alikes() -> None:
    assert not set("0O1IL2Z5S8B6GQ") & set(LIVE_CODE_ALPHABET)
    codes = {sessions.new_code() for _ in range(200)}
    assert all(len(c) == LIVE_CODE_LENGTH and sessions.CODE.match(c) for c in codes)
    assert sessions.normalise_code("k7m-pxa ") == "K7MPXA"


def test_the_presenter_sees_the_hand_counted_distribution_after_every_vote(
    server: RunningServer,
) -> None:
    async def scenario() -> None:
        client = Client(server.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        presenter = presenter_stream(server, code)
        phones = Stream(server.url, f"/api/v1/live/{code}/events")
        await presenter.open()
        await phones.open()
        first = await presenter.revision(0)
        assert first["factor"]["id"] == FACTOR
        assert first["participants"] == 0
        assert first["reference"]["n"] == 12  # the 12 partners who answered the round
        roles = ["wijkteam", "school-po", "huisartsenpraktijk", "gemeente", "jeugd-ggz"]
        tokens = [await join(client, code, role) for role in roles]
        assert (await presenter.until(lambda s: s["participants"] == 5))["participants"] == 5
        assert (await control(client, code, "stemming", open="1")).status == 200

        # (vote, expected counts of levels 1..5 or None while fewer than 3 gave a level,
        #  votes in, of which 'weet niet')
        steps: list[tuple[int, Any, list[int] | None, int, int]] = [
            (0, 4, None, 1, 0),  # one vote: hidden
            (1, 4, None, 2, 0),  # two: hidden
            (2, 2, [0, 1, 0, 2, 0], 3, 0),  # three levels given: shown
            (3, None, [0, 1, 0, 2, 0], 4, 1),  # weet niet counts as a vote, not a level
            (4, 5, [0, 1, 0, 2, 1], 5, 1),
            (0, 3, [0, 1, 1, 1, 1], 5, 1),  # participant 0 changes 4 -> 3: still 5 votes
        ]
        for who, value, counts, votes, dont_know in steps:
            answer = await vote(client, code, tokens[who], FACTOR, value)
            assert answer.status == 200, answer.body
            state = await presenter.revision(answer.json()["revision"])
            assert state["result"]["votes"] == votes
            assert state["result"]["counts"] == counts
            assert state["result"]["dont_know"] == (dont_know if counts else None)
        final = presenter.latest
        assert final is not None
        # Levels 2, 3, 4, 5 once each: mean (2+3+4+5)/4 = 3.5. Tastle-Wierman with d = 4:
        # |i-3.5|/4 = .375, .125, .125, .375 -> log2(.625) = -.678, log2(.875) = -.193;
        # 1 + (2 × -.678 + 2 × -.193) / 4 = 1 - .4355 = .56.
        assert final["result"]["mean"] == 3.5
        assert final["result"]["consensus"] == 0.56
        # The phones see no distribution before the reveal: the votes do not change what
        # they see, so they got the first state and the opened vote only, not one per vote.
        hidden = phones.latest
        assert hidden is not None
        assert hidden["result"] is None
        assert hidden["voting"] is True
        assert len(phones.states) == 2
        assert (await control(client, code, "onthullen", toon="1")).status == 200
        shown = await phones.until(lambda s: s["revealed"])
        assert shown["result"]["counts"] == [0, 1, 1, 1, 1]
        assert shown["reference"]["n"] == 12

        # A reconnect with the newest id gets nothing until the next change; with an
        # older id (or none: a reload) the current state at once.
        newest = presenter.latest
        assert newest is not None
        again = presenter_stream(server, code)
        await again.open(str(newest["revision"] - 3))
        assert (await again.revision(newest["revision"]))["result"] == newest["result"]
        same = presenter_stream(server, code)
        await same.open(str(newest["revision"]))
        assert (await control(client, code, "stemming", open="0")).status == 200
        after = await same.until(lambda s: True)
        assert after["revision"] == newest["revision"] + 1
        assert after["voting"] is False
        for stream in (presenter, phones, again, same):
            await stream.close()

        csv = await client.request(
            "GET", f"/beheer/live/{code}/stemmen.csv", headers={"Authorization": basic()}
        )
        lines = csv.body.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == 1 + 5  # one row per participant: the changed vote once
        assert sum(1 for line in lines if ",3,1," in line) == 1  # value 3, changed once
        await client.close()

    run(scenario())


def test_closed_voting_and_bad_input_are_refused_with_clear_problems(
    server: RunningServer,
) -> None:
    async def scenario() -> None:
        client = Client(server.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        token = await join(client, code, "wijkteam")

        closed = await vote(client, code, token, FACTOR, 3)
        assert closed.status == 409
        assert closed.json()["code"] == "live.voting-closed"
        assert closed.json()["detail"] == (
            "de stemming over 'De juiste partners' is gesloten; uw stem is niet meegeteld"
        )
        await control(client, code, "stemming", open="1")
        for bad in (0, 6, "3", True, 2.5):
            answer = await vote(client, code, token, FACTOR, bad)
            assert (answer.status, answer.json()["code"]) == (422, "live.invalid-vote"), bad
        unknown_factor = await vote(client, code, token, "geen-factor", 3)
        assert (unknown_factor.status, unknown_factor.json()["code"]) == (
            404, "live.unknown-factor",
        )  # fmt: skip
        other_factor = await vote(client, code, token, "regie", 3)  # not the open one
        assert other_factor.json()["code"] == "live.voting-closed"
        nobody = await vote(client, code, "x" * 32, FACTOR, 3)
        assert (nobody.status, nobody.json()["code"]) == (401, "live.unknown-participant")
        role = await client.request(
            "POST", f"/api/v1/live/{code}/participants", {"role": "astronaut"}
        )
        assert (role.status, role.json()["code"]) == (422, "live.unknown-role")
        assert "astronaut" in role.json()["detail"]
        unknown = await client.request("POST", "/api/v1/live/AAAAAA/participants", {"role": "x"})
        assert (unknown.status, unknown.json()["code"]) == (404, "live.unknown-code")
        malformed = await client.request("GET", "/api/v1/live/not-a-code")
        assert malformed.json()["code"] == "live.unknown-code"
        dots = await client.request(
            "PUT", f"/api/v1/live/{code}/dots", {"actions": ["a", "b", "c", "d"]},
            {"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert (dots.status, dots.json()["code"]) == (422, "live.invalid-dots")
        not_json = await client.request(
            "PUT", f"/api/v1/live/{code}/votes/{FACTOR}", b"value=3",
            {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
        )  # fmt: skip
        assert not_json.status == 415

        # An ended session, and one that ran out of time, take nothing.
        assert (await control(client, code, "einde")).status == 200
        ended = await vote(client, code, token, FACTOR, 3)
        assert (ended.status, ended.json()["code"]) == (410, "live.session-ended")
        conn = store.open_database(server.db)
        with store.transaction(conn):
            old = sessions.create_session(conn, MUNICIPALITY, ROUND, FACTOR, {}, hours=0)
        conn.close()
        expired = await client.request(
            "POST", f"/api/v1/live/{old.code}/participants", {"role": "wijkteam"}
        )
        assert (expired.status, expired.json()["code"]) == (410, "live.session-expired")
        await client.close()

    run(scenario())


def test_200_participants_vote_over_http_while_sse_clients_listen(server: RunningServer) -> None:
    async def scenario() -> None:
        client = Client(server.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        presenter = presenter_stream(server, code)
        await presenter.open()
        clients = [Client(server.url) for _ in range(20)]
        roles = ["wijkteam", "school-po", "huisartsenpraktijk", "gemeente"]
        tokens: list[str] = []
        for start in range(0, 200, 20):
            tokens += await asyncio.gather(
                *(join(c, code, roles[(start + i) % 4]) for i, c in enumerate(clients))
            )
        phones = [Stream(server.url, f"/api/v1/live/{code}/events") for _ in range(200)]
        await asyncio.gather(*(p.open() for p in phones))
        await control(client, code, "stemming", open="1")
        await asyncio.gather(*(p.until(lambda s: s["voting"]) for p in phones))

        # Participant i votes i % 5 + 1; the last 10 say 'weet niet'. Of the first 190,
        # each level is chosen 190 / 5 = 38 times.
        def value(i: int) -> int | None:
            return None if i >= 190 else i % 5 + 1

        async def worker(number: int, c: Client) -> list[int]:
            codes = []
            for i in range(number, 200, 20):
                answer = await vote(c, code, tokens[i], FACTOR, value(i))
                codes.append(answer.status)
            return codes

        statuses = await asyncio.gather(*(worker(n, c) for n, c in enumerate(clients)))
        assert {s for group in statuses for s in group} == {200}
        final = await presenter.until(lambda s: s["result"]["votes"] == 200)
        assert final["result"]["counts"] == [38, 38, 38, 38, 38]
        assert final["result"]["dont_know"] == 10
        # A uniform spread: mean 3, |i-3|/4 = .5, .25, 0, .25, .5 -> log2 = -1, -.415, 0, -.415,
        # -1; 1 + (-2.83 / 5) = .434.
        assert final["result"]["consensus"] == 0.43
        assert final["participants"] == 200
        await control(client, code, "onthullen", toon="1")
        seen = await asyncio.gather(*(p.until(lambda s: s["revealed"]) for p in phones))
        assert all(s["result"]["counts"] == [38] * 5 for s in seen)
        for stream in [presenter, *phones]:
            await stream.close()
        for c in [client, *clients]:
            await c.close()

    run(scenario())


def test_a_dropped_participant_reconnects_to_the_current_state(server: RunningServer) -> None:
    async def scenario() -> None:
        client = Client(server.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        token = await join(client, code, "wijkteam")
        phone = Stream(server.url, f"/api/v1/live/{code}/events")
        await phone.open()
        seen = await phone.until(lambda s: s["factor"]["id"] == FACTOR)
        await phone.close()  # the phone loses its network ...
        await control(client, code, "factor", stap="1")
        await control(client, code, "stemming", open="1")
        back = Stream(server.url, f"/api/v1/live/{code}/events")
        await back.open(str(seen["revision"]))  # ... and comes back with Last-Event-ID
        state = await back.until(lambda s: s["voting"])
        assert state["factor"]["id"] == "samenwerkingsafspraken"
        own = await client.request(
            "GET", f"/api/v1/live/{code}/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert own.json()["role"] == "wijkteam"
        assert (await vote(client, code, token, "samenwerkingsafspraken", 2)).status == 200
        await back.close()
        await client.close()

    run(scenario())


def test_ending_merges_the_session_into_workshop_yaml(server: RunningServer) -> None:
    target = server.workspace / "gemeenten" / MUNICIPALITY / ROUND / "workshop.yaml"
    target.write_text(
        "instrument: ketenscan-jeugd@1\nmunicipality: rivierstede\nround: 2025-najaar\n"
        "date: 2025-11-20\nparticipants: [gemeente]\n"
        'consensus:\n  regie: {score: 2, rationale: "Eerder vastgesteld"}\n'
        'notes:\n  regie: "Deze notitie blijft staan"\n'
        'actions:\n  - id: bestaande-actie\n    title: "Een actie die er al stond"\n'
        "    factors: [regie]\n    owner: gemeente\n    due: 2026-01-01\n    status: loopt\n",
        encoding="utf-8",
    )

    async def scenario() -> str:
        client = Client(server.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        await join(client, code, "wijkteam")
        await join(client, code, "school-po")
        answer = await control(
            client, code, "niveau", score="3", rationale="Huisarts nog niet vast aan tafel"
        )
        assert answer.status == 200
        answer = await control(
            client, code, "actie", title="Huisarts aan tafel", factors=[FACTOR, "regie"],
            owner="huisartsenpraktijk", due="2026-03-01",
        )  # fmt: skip
        assert answer.status == 200
        ended = await control(client, code, "einde")
        assert ended.status == 200, ended.body
        page = await client.request(
            "GET", f"/beheer/live/{code}", headers={"Authorization": basic()}
        )
        assert b"is afgelopen" in page.body
        await client.close()
        return code

    run(scenario())
    problems: list[Any] = []
    written, _ = load_model(Workshop, target, problems)
    assert problems == []
    assert written is not None
    assert written.date == dt.date(2025, 11, 20)  # kept
    assert written.participants == ["gemeente", "wijkteam", "school-po"]
    # The template lists the round's discussion points with empty notes; ours stays.
    assert {k: v for k, v in written.notes.items() if v} == {"regie": "Deze notitie blijft staan"}
    assert written.consensus["regie"].score == 2  # not decided in the session: kept
    assert written.consensus[FACTOR].score == 3
    assert written.consensus[FACTOR].rationale == "Huisarts nog niet vast aan tafel"
    assert [a.id for a in written.actions] == ["bestaande-actie", "huisarts-aan-tafel"]
    new = written.actions[1]
    assert (new.factors, new.owner, new.due, new.status) == (
        [FACTOR, "regie"], "huisartsenpraktijk", dt.date(2026, 3, 1), "gepland",
    )  # fmt: skip
    result = CliRunner().invoke(cli_main, ["validate", str(server.workspace)])
    assert result.exit_code == 0, result.output


def test_workshop_start_on_the_command_line_works_with_the_running_server(
    server: RunningServer,
) -> None:
    result = CliRunner().invoke(
        cli_main,
        ["workshop", "start", str(server.workspace), MUNICIPALITY, ROUND,
         "--db", str(server.db), "--base-url", server.url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    code = result.output.split("code voor de deelnemers: ")[1].split("\n")[0].replace(" ", "")
    assert f"{server.url}/beheer/live/{code}" in result.output
    answer = server.request("GET", f"/api/v1/live/{code}")
    assert answer.status == 200
    assert answer.json()["municipality_name"] == "Rivierstede"
    unknown = CliRunner().invoke(
        cli_main, ["workshop", "start", str(server.workspace), MUNICIPALITY, "2030-voorjaar"]
    )
    assert unknown.exit_code == 1
    assert "ronde '2030-voorjaar' bestaat niet bij rivierstede" in unknown.output


def test_kill_9_mid_session_loses_no_acknowledged_vote(tmp_path: Path) -> None:
    workspace = live_workspace(tmp_path / "ws")
    first = start_server(workspace)
    acknowledged: dict[int, int] = {}

    async def before() -> tuple[str, list[str]]:
        client = Client(first.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        tokens = [await join(client, code, "wijkteam") for _ in range(30)]
        await control(client, code, "stemming", open="1")

        async def voter(i: int) -> None:
            own = Client(first.url)
            try:
                answer = await vote(own, code, tokens[i], FACTOR, i % 5 + 1)
                if answer.status == 200:
                    acknowledged[i] = i % 5 + 1
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                pass  # cut off by the kill: not acknowledged, may or may not be stored
            finally:
                await own.close()

        tasks = [asyncio.create_task(voter(i)) for i in range(30)]
        while len(acknowledged) < 10:
            await asyncio.sleep(0.001)
        first.kill()  # SIGKILL while votes are on their way
        await asyncio.gather(*tasks)
        await client.close()
        return code, tokens

    code, tokens = run(before())
    assert len(acknowledged) >= 10
    second = start_server(workspace)
    try:

        async def after() -> None:
            client = Client(second.url)
            presenter = presenter_stream(second, code)
            await presenter.open()
            try:
                await check_after_restart(client, presenter)
            finally:  # a failed check must not leave sockets open for the next test
                await presenter.close()
                await client.close()

        async def check_after_restart(client: Client, presenter: Stream) -> None:
            state = await presenter.revision(0)
            assert state["voting"] is True  # the session resumes where it was
            assert state["participants"] == 30
            csv = await client.request(
                "GET", f"/beheer/live/{code}/stemmen.csv", headers={"Authorization": basic()}
            )
            rows = [line.split(",") for line in csv.body.decode("utf-8-sig").splitlines()[1:]]
            stored = sorted(int(row[6]) for row in rows)
            assert len(rows) >= len(acknowledged)
            counts = [stored.count(v) for v in range(1, 6)]
            expected = [list(acknowledged.values()).count(v) for v in range(1, 6)]
            assert all(c >= e for c, e in zip(counts, expected, strict=True)), (counts, expected)
            # The tokens still work: a vote after the restart counts. Usually some votes
            # were cut off by the kill; when all 30 were acknowledged in time, the first
            # participant changes their vote instead (a change is a vote too).
            missing = next((i for i in range(30) if i not in acknowledged), 0)
            answer = await vote(client, code, tokens[missing], FACTOR, 5 if missing == 0 else 1)
            assert answer.status == 200
            await presenter.revision(answer.json()["revision"])

        run(after())
    finally:
        second.stop()


def test_10000_joins_from_one_address_are_rate_limited(tmp_path: Path) -> None:
    workspace = live_workspace(tmp_path / "ws", GENEROUS)  # default: 120 joins a minute
    running = start_server(workspace)
    try:

        async def scenario() -> dict[int, int]:
            client = Client(running.url)
            code = await start_session(client, MUNICIPALITY, ROUND)
            statuses: dict[int, int] = {}
            retry: set[str] = set()

            async def worker(count: int) -> None:
                own = Client(running.url)
                for _ in range(count):
                    answer = await own.request(
                        "POST", f"/api/v1/live/{code}/participants", {"role": "wijkteam"}
                    )
                    statuses[answer.status] = statuses.get(answer.status, 0) + 1
                    if answer.status == 429:
                        retry.add(answer.headers["retry-after"])
                        assert answer.json()["code"] == "collect.rate-limited"
                await own.close()

            await asyncio.gather(*(worker(500) for _ in range(20)))
            assert retry
            assert all(int(r) >= 1 for r in retry)
            await client.close()
            return statuses

        statuses = run(scenario())
    finally:
        running.stop()
    assert sum(statuses.values()) == 10_000
    assert set(statuses) == {201, 429}
    # The bucket holds 120 and refills 2 a second: a few more come in while the test runs.
    assert 120 <= statuses[201] < 200


def test_dots_on_candidate_actions_are_counted_once_per_participant(
    server: RunningServer,
) -> None:
    async def scenario() -> None:
        client = Client(server.url)
        code = await start_session(client, MUNICIPALITY, ROUND)
        presenter = presenter_stream(server, code)
        await presenter.open()
        tokens = [await join(client, code, "wijkteam") for _ in range(3)]
        for title in ("Huisarts aan tafel", "Eén casusregisseur", "Gedeeld dossier"):
            answer = await control(
                client, code, "actie", title=title, owner="gemeente", due="2026-06-01"
            )
            assert answer.status == 200

        async def put(token: str, actions: list[str]) -> Any:
            return await client.request(
                "PUT", f"/api/v1/live/{code}/dots", {"actions": actions},
                {"Authorization": f"Bearer {token}"},
            )  # fmt: skip

        closed = await put(tokens[0], ["huisarts-aan-tafel"])
        assert (closed.status, closed.json()["code"]) == (409, "live.dots-closed")
        await control(client, code, "stippen", open="1")
        # Participant 0 first picks two, then changes to three; 1 picks one; 2 picks two.
        assert (await put(tokens[0], ["huisarts-aan-tafel", "gedeeld-dossier"])).status == 200
        assert (
            await put(tokens[0], ["huisarts-aan-tafel", "een-casusregisseur", "gedeeld-dossier"])
        ).status == 200
        assert (await put(tokens[1], ["gedeeld-dossier"])).status == 200
        last = await put(tokens[2], ["gedeeld-dossier", "huisarts-aan-tafel"])
        assert last.status == 200
        unknown = await put(tokens[2], ["bestaat-niet"])
        assert (unknown.status, unknown.json()["code"]) == (422, "live.unknown-action")
        state = await presenter.revision(last.json()["revision"])
        dots = {a["id"]: a["dots"] for a in state["actions"]}
        # huisarts: 0 and 2; casusregisseur: 0; dossier: 0, 1 and 2.
        assert dots == {"huisarts-aan-tafel": 2, "een-casusregisseur": 1, "gedeeld-dossier": 3}
        removed = await control(client, code, "actie-weg", actie="een-casusregisseur")
        assert removed.status == 200
        state = await presenter.revision(removed.json()["revision"])
        assert [a["id"] for a in state["actions"]] == ["huisarts-aan-tafel", "gedeeld-dossier"]
        await presenter.close()
        await client.close()

    run(scenario())


def test_a_database_of_schema_1_gets_the_live_tables(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "collect.sqlite"
    old = sqlite3.connect(path)
    for statement in schema._statements(schema._SCHEMA):  # what the first release made
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    conn = store.open_database(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"live_sessions", "live_votes", "submissions"} <= tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
