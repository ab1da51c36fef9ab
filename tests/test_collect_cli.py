"""`ketenscan invite` and `ketenscan collect` through click's CliRunner."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import socket
from pathlib import Path

from click.testing import CliRunner, Result

from assessment.cli import main
from assessment.server import store
from assessment.server.invitations import hash_token
from tests.helpers import MUNICIPALITY, REPO_DIR, ROUND

DB = Path(".ketenscan") / "collect.sqlite"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_one_invitation_per_expected_role(workspace: Path) -> None:
    out = Path("uit") / "uitnodigingen.csv"
    result = run("invite", str(workspace), MUNICIPALITY, ROUND, "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    # gemeente.yaml of the test workspace expects jgz-0-4 and jeugd-en-gezinsteam.
    assert [(r["respondent"], r["role"], r["organisation"]) for r in rows] == [
        ("jgz-0-4", "jgz-0-4", ""),
        ("jeugd-en-gezinsteam", "jeugd-en-gezinsteam", ""),
    ]
    assert rows[0]["link"] == (
        f"http://127.0.0.1:8100/{MUNICIPALITY}/vragenlijst.html#t={rows[0]['token']}"
    )
    assert (out.parent / rows[1]["qr"]).read_text(encoding="utf-8").startswith("<svg")
    assert "2 uitnodiging(en) voor voorbeeldstad, ronde 2025-najaar" in result.output
    # jgz-0-4.yaml exists already: a warning, not an error.
    assert "waarschuwing: er staat al een antwoordbestand" in result.output
    assert "Let op: de links beginnen met http://127.0.0.1:8100/" in result.output
    conn = store.connect(workspace / DB)
    found = store.invitation_by_hash(conn, hash_token(rows[0]["token"]))
    conn.close()
    assert found is not None
    again = run("invite", str(workspace), MUNICIPALITY, ROUND, "--out", str(out))
    assert again.exit_code == 0
    assert _rows(out) == []  # nothing new: both have an open invitation
    assert again.output.count("heeft al een uitnodiging") == 2


def test_invitations_from_a_csv_with_a_closing_date_and_a_site_address(workspace: Path) -> None:
    partners = Path("partners.csv")
    partners.write_text(
        "organisation;role\nHAP De Linde;huisartsenpraktijk\nOBS De Es;school-po\n",
        encoding="utf-8",
    )
    out = Path("uitnodigingen.csv")
    result = run(
        "invite", str(workspace), MUNICIPALITY, ROUND, "--organisations", str(partners),
        "--role", "school-po", "--closes", "2026-04-30", "--out", str(out),
        "--base-url", "https://ketenscan.voorbeeld.nl",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [row] = _rows(out)
    assert (row["respondent"], row["organisation"], row["closes"]) == (
        "obs-de-es", "OBS De Es", "2026-04-30",
    )  # fmt: skip
    assert row["link"].startswith(
        "https://ketenscan.voorbeeld.nl/voorbeeldstad/vragenlijst.html#t="
    )
    conn = store.connect(workspace / DB)
    state = store.get_round(conn, MUNICIPALITY, ROUND)
    conn.close()
    assert state is not None
    # The last day is 30 April; the round closes at midnight after it, 22:00 UTC in summer.
    assert state.closes_at == dt.datetime(2026, 4, 30, 22, 0, tzinfo=dt.UTC)


def test_revoke_and_reissue(workspace: Path) -> None:
    out = Path("uitnodigingen.csv")
    assert run("invite", str(workspace), MUNICIPALITY, ROUND, "--out", str(out)).exit_code == 0
    first = {r["respondent"]: r["token"] for r in _rows(out)}
    result = run("invite", str(workspace), MUNICIPALITY, ROUND, "--revoke", "jgz-0-4")
    assert result.exit_code == 0, result.output
    assert "1 uitnodiging(en) ingetrokken" in result.output
    new = Path("nieuw.csv")
    result = run(
        "invite", str(workspace), MUNICIPALITY, ROUND, "--reissue", "jgz-0-4", "--out", str(new)
    )
    assert result.exit_code == 0, result.output
    [row] = _rows(new)
    assert row["respondent"] == "jgz-0-4"
    assert row["token"] != first["jgz-0-4"]
    unknown = run("invite", str(workspace), MUNICIPALITY, ROUND, "--revoke", "jgz-04")
    assert unknown.exit_code == 1
    assert "invite.unknown-respondent" not in unknown.output  # the message, not the code
    assert "Bedoelt u 'jgz-0-4'?" in unknown.output


def test_invite_problems_exit_1_with_their_place(workspace: Path) -> None:
    result = run("invite", str(workspace), MUNICIPALITY, "2030-voorjaar", "--out", "x.csv")
    assert result.exit_code == 1
    assert "ws/gemeenten/voorbeeldstad/2030-voorjaar:1:1: ronde '2030-voorjaar' bestaat niet" in (
        result.output
    )
    result = run("invite", str(workspace), "nergensstad", ROUND, "--out", "x.csv")
    assert result.exit_code == 1
    assert "gemeente 'nergensstad' niet gevonden" in result.output
    Path("fout.csv").write_text("organisation,role\nA,wijktaem\n", encoding="utf-8")
    result = run(
        "invite", str(workspace), MUNICIPALITY, ROUND, "--organisations", "fout.csv",
        "--out", "x.csv",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "fout.csv:2:2: onbekende rol 'wijktaem'. Bedoelt u 'wijkteam'?" in result.output
    assert not Path("x.csv").exists()
    assert run("invite", str(workspace), MUNICIPALITY, ROUND).exit_code == 2  # no --out
    assert (
        run("invite", str(workspace), MUNICIPALITY, ROUND, "--role", "x", "-o", "y").exit_code == 2
    )


def test_backup_copies_the_database(workspace: Path) -> None:
    assert run("invite", str(workspace), MUNICIPALITY, ROUND, "--out", "u.csv").exit_code == 0
    result = run("collect", "backup", "kopie/ks.sqlite", "-w", str(workspace))
    assert result.exit_code == 0, result.output
    assert "Kopie gemaakt: kopie/ks.sqlite" in result.output
    conn = store.connect(Path("kopie/ks.sqlite"))
    assert conn.execute("SELECT COUNT(*) FROM invitations").fetchone()[0] == 2
    conn.close()
    missing = run("collect", "backup", "k.sqlite", "-w", "nergens")
    assert missing.exit_code == 1
    assert "de database bestaat niet" in missing.output


def test_collect_refuses_a_missing_workspace_and_a_taken_port(workspace: Path) -> None:
    result = run("collect", "nergens", "--no-build")
    assert result.exit_code == 1
    assert "nergens:1:1: deze map bestaat niet" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("collect", str(workspace), "--port", str(port), "--no-build")
        # The refused socket is closed at once: a ResourceWarning (an error in this suite)
        # would otherwise surface in whichever test runs when the garbage collector does.
        gc.collect()
    assert result.exit_code == 2
    assert f"kan niet luisteren op 127.0.0.1:{port}" in result.output


def test_collect_help_names_its_subcommands() -> None:
    result = run("collect", "--help")
    assert result.exit_code == 0
    assert "backup" in result.output
    assert "serve" in result.output
    serve = run("collect", "serve", "--help")
    assert "--trusted-proxy" in serve.output
    assert "Voorbeeld" in serve.output


def test_the_readme_mentions_every_command() -> None:
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"ketenscan {name}" in readme, name
    assert "ketenscan collect backup" in readme
