"""`ketenscan collect` (the collection server, and its backup) and `ketenscan invite`."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from assessment.cli.common import handles_problems, print_problems
from assessment.errors import ProblemsError, display_path, file_problem

DB_FILE = Path(".ketenscan") / "collect.sqlite"
ADMIN_TOKEN_FILE = Path(".ketenscan") / "beheer-token"
DEFAULT_PORT = 8100


def _db(workspace: Path, db: Path | None) -> Path:
    return db if db is not None else workspace / DB_FILE


def _site_url(base_url: str | None, settings: Any, fallback: str) -> str:
    url = base_url or settings.collect.site_url or fallback
    return url if url.endswith("/") else url + "/"


class _ServeByDefault(click.Group):
    """`ketenscan collect WS` means `ketenscan collect serve WS`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Put `serve` in front unless a subcommand or help is asked for."""
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_ServeByDefault)
def collect() -> None:
    """Verzamel antwoorden uit de online vragenlijst: een server met uitnodigingen.

    Zonder subcommando start 'collect' de server (zie 'ketenscan collect serve --help').
    De server bewaart elke inzending eerst in een database en schrijft dan het
    antwoordbestand in de werkruimte; validate, score en build werken zoals altijd.

    \b
    Voorbeeld:
      ketenscan invite mijn-regio voorbeeldstad 2026-voorjaar --out uitnodigingen.csv
      ketenscan collect mijn-regio --port 8100
      ketenscan collect backup kopie.sqlite -w mijn-regio
    """


@collect.command("serve")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Poort (0: een vrije poort).",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="Database (standaard: WERKRUIMTE/.ketenscan/collect.sqlite).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Map met de gebouwde sites die de server ook toont.",
)
@click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="Bouw de sites bij de start en opnieuw na nieuwe antwoorden.",
)
@click.option(
    "--base-url",
    default=None,
    help="Openbaar adres van de sites, voor nieuwe links op de beheerpagina "
    "(standaard: collect.site_url uit ketenscan.yaml).",
)
@click.option(
    "--admin-token-file",
    type=click.Path(path_type=Path),
    default=None,
    help="Bestand met de beheertoken (standaard: WERKRUIMTE/.ketenscan/beheer-token; "
    "of zet KETENSCAN_ADMIN_TOKEN).",
)
@click.option(
    "--trusted-proxy",
    multiple=True,
    help="Adres van een reverse proxy waarvan X-Forwarded-For en -Proto worden geloofd "
    "(mag vaker).",
)
@click.option("--verbose", "-v", is_flag=True, help="Log ook elke opgevraagde pagina.")
@handles_problems
def serve(
    workspace: Path,
    host: str,
    port: int,
    db: Path | None,
    out: Path,
    build: bool,
    base_url: str | None,
    admin_token_file: Path | None,
    trusted_proxy: tuple[str, ...],
    verbose: bool,
) -> None:
    """Start de verzamelserver: API, beheerpagina en de sites op één adres.

    \b
    Voorbeeld:
      ketenscan collect mijn-regio
      ketenscan collect serve mijn-regio --host 127.0.0.1 --port 8100 --no-build
    """
    from assessment.server.app import ServerConfig
    from assessment.server.run import bind, configure_logging, read_admin_token
    from assessment.server.run import serve as run_server
    from assessment.workspace import load_header

    settings, questionnaire = load_header(workspace)
    try:
        sock = bind(host, port)
    except OSError as error:
        raise click.UsageError(f"kan niet luisteren op {host}:{port}: {error.strerror}") from None
    bound = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{bound}/"
    token_file = admin_token_file or workspace / ADMIN_TOKEN_FILE
    token, source = read_admin_token(dict(os.environ), token_file)
    configure_logging(verbose)
    if build:
        from assessment.website.build import build_sites

        click.echo("Sites bouwen…", err=True)
        report = build_sites(workspace, out)
        print_problems([p for r in report.failed for p in r.problems])
    config = ServerConfig(
        workspace=workspace,
        db_path=_db(workspace, db),
        settings=settings,
        questionnaire=questionnaire,
        admin_token=token,
        site_url=_site_url(base_url, settings, address),
        out=out,
        rebuild=build,
    )

    def ready() -> None:
        click.echo(f"Ketenscan verzamelt antwoorden op {address}", err=True)
        click.echo(f"  API:     {address}api/v1/ (beschrijving: api/v1/openapi.json)", err=True)
        click.echo(
            f"  beheer:  {address}beheer (gebruikersnaam: beheer; wachtwoord: de token uit "
            f"{source})",
            err=True,
        )
        click.echo("Stoppen: Ctrl+C", err=True)

    run_server(config, sock, trusted_proxies=list(trusted_proxy), on_ready=ready)
    click.echo(
        "Gestopt; alle ontvangen antwoorden staan in de database en de werkruimte.", err=True
    )


@collect.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--workspace",
    "-w",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Werkruimte van de server.",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="Database (standaard: WERKRUIMTE/.ketenscan/collect.sqlite).",
)
@handles_problems
def backup(file: Path, workspace: Path, db: Path | None) -> None:
    """Maak een consistente kopie van de database, ook terwijl de server draait.

    \b
    Voorbeeld:
      ketenscan collect backup /backup/ketenscan-$(date +%F).sqlite -w mijn-regio
    """
    from assessment.server.store import backup_database

    source = _db(workspace, db)
    if not source.is_file():
        raise ProblemsError(
            [file_problem(display_path(source), "file.unreadable", "de database bestaat niet")]
        )
    pages = backup_database(source, file)
    size = file.stat().st_size
    click.echo(f"Kopie gemaakt: {display_path(file)} ({pages} pagina's, {size:,} bytes).")


@click.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality")
@click.argument("round_slug", metavar="ROUND")
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV voor de mailing (met de links); de QR-codes komen in NAAM-qr/ ernaast.",
)
@click.option(
    "--organisations",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV met de kolommen organisation,role (en eventueel respondent): één uitnodiging "
    "per regel. Zonder deze optie: één per verwachte rol uit gemeente.yaml.",
)
@click.option("--role", "roles", multiple=True, help="Alleen voor deze rol (mag vaker).")
@click.option(
    "--closes",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Laatste dag om te antwoorden (JJJJ-MM-DD); daarna sluit de ronde en vervallen de links.",
)
@click.option(
    "--reissue",
    multiple=True,
    help="Nieuwe link voor deze respondent; de oude vervalt (mag vaker).",
)
@click.option(
    "--revoke", multiple=True, help="Trek de uitnodiging van deze respondent in (mag vaker)."
)
@click.option(
    "--base-url",
    default=None,
    help="Openbaar adres van de sites (standaard: collect.site_url uit ketenscan.yaml, "
    f"anders http://127.0.0.1:{DEFAULT_PORT}/).",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="Database (standaard: WERKRUIMTE/.ketenscan/collect.sqlite).",
)
@handles_problems
def invite(
    workspace: Path,
    municipality: str,
    round_slug: str,
    out: Path | None,
    organisations: Path | None,
    roles: tuple[str, ...],
    closes: dt.datetime | None,
    reissue: tuple[str, ...],
    revoke: tuple[str, ...],
    base_url: str | None,
    db: Path | None,
) -> None:
    """Maak uitnodigingen (links met een persoonlijke code) voor een ronde.

    Elke link werkt als wachtwoord voor één partnerorganisatie en staat alleen in het
    CSV-bestand dat u nu krijgt; de server bewaart hem niet. Bewaar dat bestand dus goed.

    \b
    Voorbeeld:
      ketenscan invite mijn-regio voorbeeldstad 2026-voorjaar --out uitnodigingen.csv
      ketenscan invite mijn-regio voorbeeldstad 2026-voorjaar --organisations partners.csv \\
          --closes 2026-04-30 --out uitnodigingen.csv
      ketenscan invite mijn-regio voorbeeldstad 2026-voorjaar --revoke huisartsenpraktijk
    """
    from assessment.instrument import questionnaire_for
    from assessment.messages import load_model
    from assessment.models import Municipality
    from assessment.paths import MUNICIPALITIES_DIR, MUNICIPALITY_FILE
    from assessment.server import invitations, store
    from assessment.workspace import load_settings, unknown_municipality

    settings = load_settings(workspace)
    questionnaire = questionnaire_for(workspace, settings)
    gemeenten = workspace / MUNICIPALITIES_DIR
    folder = gemeenten / municipality
    if not (folder / MUNICIPALITY_FILE).is_file():
        raise ProblemsError([unknown_municipality(gemeenten, municipality)])
    problems: list[Any] = []
    info, _ = load_model(Municipality, folder / MUNICIPALITY_FILE, problems)
    if problems or info is None:
        raise ProblemsError(problems)
    if not (folder / round_slug).is_dir():
        rounds = sorted(p.name for p in folder.iterdir() if p.is_dir())
        raise ProblemsError(
            [
                file_problem(
                    display_path(folder / round_slug),
                    "invite.unknown-round",
                    f"ronde '{round_slug}' bestaat niet in {municipality} (wel: "
                    f"{', '.join(rounds) or 'geen'}); maak hem met 'ketenscan new-round'",
                )
            ]
        )
    unknown = [role for role in roles if role not in questionnaire.roles]
    if unknown:
        raise click.UsageError(
            f"onbekende rol {', '.join(unknown)}; kies uit: {', '.join(questionnaire.roles)}"
        )
    making = not (revoke or reissue) or organisations is not None or bool(roles)
    if (making or reissue) and out is None:
        raise click.UsageError("geef met --out aan waar het CSV-bestand met de links komt")
    site_url = _site_url(base_url, settings, f"http://127.0.0.1:{DEFAULT_PORT}/")
    conn = store.open_database(_db(workspace, db))
    labels = {role.id: role.label for role in questionnaire.roles.values()}
    closing = invitations.closing_moment(closes.date()) if closes else None
    try:
        issued: list[invitations.Issued] = []
        warnings: list[Any] = []
        if revoke:
            count = invitations.revoke_invitations(conn, municipality, round_slug, list(revoke))
            click.echo(f"{count} uitnodiging(en) ingetrokken.")
        if reissue:
            new, _ = invitations.reissue_invitations(
                conn, municipality, round_slug, list(reissue), site_url
            )
            issued += new
        if making:
            if organisations is not None:
                planned = invitations.read_organisations(organisations, questionnaire)
                if roles:
                    planned = [p for p in planned if p.role in roles]
            else:
                wanted = list(roles) or list(info.expected_roles)
                if not wanted:
                    raise click.UsageError(
                        "gemeente.yaml noemt geen verwachte rollen; geef --role of --organisations"
                    )
                planned = invitations.plan_for_roles(wanted)
            new, warnings = invitations.issue_invitations(
                conn, workspace, municipality, round_slug, planned, site_url, closes_at=closing
            )
            issued += new
        elif closing is not None:
            with store.transaction(conn):
                store.ensure_round(conn, municipality, round_slug, closing)
    finally:
        conn.close()
    print_problems(warnings)
    if out is not None and (issued or making or reissue):
        written = invitations.write_invitations(
            issued, out, labels, closes.date() if closes else None
        )
        click.echo(
            f"{len(issued)} uitnodiging(en) voor {municipality}, ronde {round_slug}: "
            f"{display_path(out)}"
            + (
                f" en {len(written) - 1} QR-codes in {display_path(written[1].parent)}/"
                if len(written) > 1
                else ""
            )
        )
        if issued:
            click.echo(
                "Bewaar dit bestand goed: de links werken als wachtwoord en staan nergens anders.",
                err=True,
            )
    if site_url.startswith("http://127.0.0.1") and issued and base_url is None:
        click.echo(
            f"Let op: de links beginnen met {site_url}; zet collect.site_url in ketenscan.yaml "
            "voor een server die partners kunnen bereiken.",
            err=True,
        )
    if any(p.severity == "error" for p in warnings):
        sys.exit(1)
