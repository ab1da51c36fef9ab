"""`ketenscan build` and `ketenscan serve`: the sites."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assessment.cli.common import handles_problems, print_problems
from assessment.errors import display_path, file_problem, summarise

if TYPE_CHECKING:
    from assessment.website.build import BuildReport


@click.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Map waarin de sites komen (standaard: public). Met twee keer --audience ook twee "
    "keer --out, in dezelfde volgorde.",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    multiple=True,
    help="internal: voor partners (met toelichtingen); public: alleen totalen. "
    "Standaard: de instelling in ketenscan.yaml. Twee keer: beide sites in één build, "
    "die elke gemeente maar één keer inleest, scoort en tekent.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Aantal sites tegelijk (standaard: aantal processorkernen).",
)
@click.option("--municipality", "-g", default=None, help="Bouw alleen deze gemeente (id).")
@click.option("--force", is_flag=True, help="Bouw ook gemeenten die niet zijn veranderd.")
@handles_problems
def build(
    workspace: Path,
    out: tuple[Path, ...],
    audience: tuple[str, ...],
    jobs: int | None,
    municipality: str | None,
    force: bool,
) -> None:
    """Bouw een website per gemeente en een portaalpagina.

    Een gemeente met fouten wordt gemeld; de andere worden wel gebouwd en haar vorige
    site blijft staan (exit-code 1). Ongewijzigde gemeenten worden overgeslagen.

    \b
    Voorbeeld:
      ketenscan build examples --out public --audience public --jobs 2
      ketenscan build examples --audience internal --out intern --audience public --out publiek
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assessment.website.build import BuildResult, build_audiences, build_sites

    outs = out or (Path("public"),)
    if len(set(audience)) != len(audience):
        raise click.BadParameter("noem elke doelgroep één keer", param_hint="--audience")
    if len(audience) > 1 and len(outs) != len(audience):
        raise click.BadParameter(
            "geef bij twee doelgroepen ook twee mappen, in dezelfde volgorde",
            param_hint="--out",
        )
    if len(audience) <= 1 and len(outs) > 1:
        raise click.BadParameter(
            "geef maar één map, of ook twee keer --audience", param_hint="--out"
        )
    if len({o.resolve() for o in outs}) != len(outs):
        raise click.BadParameter("elke doelgroep krijgt een eigen map", param_hint="--out")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("Sites bouwen", total=None)

        def tick(result: BuildResult) -> None:
            bar.update(task, advance=1, description=f"{result.slug}: {result.status}")

        reports: dict[str, BuildReport]
        if len(audience) > 1:
            reports = build_audiences(
                workspace,
                dict(zip(audience, outs, strict=True)),
                jobs=jobs,
                only=municipality,
                force=force,
                progress=tick,
            )
        else:
            reports = {
                "": build_sites(
                    workspace,
                    outs[0],
                    audience=audience[0] if audience else None,
                    jobs=jobs,
                    only=municipality,
                    force=force,
                    progress=tick,
                )
            }
    failed = False
    for name, report in reports.items():
        failed = _print_report(report, f"{name}: " if name else "") or failed
    if failed:
        sys.exit(1)


def _print_report(report: BuildReport, prefix: str) -> bool:
    """Print what one audience's build did; True when a municipality failed."""
    for result in report.results:
        if result.status == "built":
            click.echo(f"{prefix}gebouwd:      {result.slug} ({result.seconds:.1f} s)")
        elif result.status == "skipped":
            click.echo(f"{prefix}overgeslagen: {result.slug} (ongewijzigd)")
    problems = list(report.problems)
    for result in report.failed:
        if not result.problems:
            problems.append(
                file_problem(result.slug, "build.failed", f"bouwen mislukt: {result.message}")
            )
    print_problems(problems)
    built = sum(r.status == "built" for r in report.results)
    skipped = sum(r.status == "skipped" for r in report.results)
    click.echo(
        f"{prefix}{built} gebouwd, {skipped} overgeslagen, {len(report.failed)} mislukt; "
        f"portaal: {display_path(report.out / 'index.html')}"
    )
    if report.failed:
        click.echo(
            prefix
            + summarise(problems)
            + "; de vorige sites van deze gemeenten blijven staan: "
            + ", ".join(r.slug for r in report.failed),
            err=True,
        )
    return bool(report.failed)


@click.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality", required=False)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Map waarin de sites komen.",
)
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Poort op 127.0.0.1.",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default=None,
    help="Publiek voor de voorbeeldweergave.",
)
@handles_problems
def serve(
    workspace: Path, municipality: str | None, out: Path, port: int, audience: str | None
) -> None:
    """Bekijk de sites op 127.0.0.1; bouwt opnieuw als een antwoordbestand verandert.

    \b
    Voorbeeld:
      ketenscan serve examples
      ketenscan serve examples rivierstede --port 8001
    """
    from assessment.website.serve import serve_workspace

    def say(message: str) -> None:
        click.echo(message, err=True)

    serve_workspace(
        workspace, out, port=port, municipality=municipality, audience=audience, say=say
    )
