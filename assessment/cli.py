"""The `ketenscan` command line: thin click commands over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from assessment import __version__
from assessment.errors import Problem, ProblemsError, display_path, summarise

F = TypeVar("F", bound=Callable[..., Any])


def _print_problems(problems: list[Problem], *, as_json: bool = False) -> None:
    if as_json:
        click.echo(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2))
        return
    for problem in problems:
        click.echo(problem.format(), err=problem.severity == "error")


def handles_problems(func: F) -> F:
    """Turn ProblemsError into the report and exit 1; other errors into one line (exit 1)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except ProblemsError as error:
            _print_problems(error.problems)
            click.echo(summarise(error.problems), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:
            if debug:
                raise
            click.echo(
                f"ketenscan: onverwachte fout: {type(error).__name__}: {error} "
                "(draai opnieuw met --debug voor details)",
                err=True,
            )
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


WORKSPACE = click.Path(exists=False, file_okay=True, dir_okay=True, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ketenscan")
@click.option("--debug", is_flag=True, help="Toon bij een onverwachte fout de volledige traceback.")
def main(debug: bool) -> None:
    """Ketenscan: meet, bespreek en verbeter de ketensamenwerking in de jeugdzorg.

    \b
    Voorbeeld:
      ketenscan init mijn-regio
      ketenscan validate mijn-regio
    """


@main.command()
@click.argument("workspace", type=WORKSPACE)
@click.option("--json", "as_json", is_flag=True, help="Problemen als JSON (voor scripts).")
@handles_problems
def validate(workspace: Path, as_json: bool) -> None:
    """Controleer alle bestanden van een werkruimte (of één antwoordbestand).

    Elk probleem verschijnt als pad:regel:kolom: melding. Exit-code 1 bij problemen.

    \b
    Voorbeeld:
      ketenscan validate examples/
      ketenscan validate gemeenten/voorbeeldstad/2025-najaar/antwoorden/jgz.yaml
    """
    from assessment.validate import validate_path

    report = validate_path(workspace)
    _print_problems(report.problems, as_json=as_json)
    if not as_json:
        click.echo(
            summarise(report.problems) + f" ({report.files_checked} bestanden gecontroleerd)",
            err=bool(report.errors),
        )
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--title", default="Ketenscan jeugd", show_default=True, help="Titel van de werkruimte."
)
@handles_problems
def init(directory: Path, title: str) -> None:
    """Maak een nieuwe werkruimte met instellingen en één voorbeeldgemeente.

    \b
    Voorbeeld:
      ketenscan init mijn-regio
    """
    from assessment.scaffold import init_workspace

    written = init_workspace(directory, title)
    click.echo(f"Werkruimte gemaakt in {display_path(directory)} ({len(written)} bestanden).")
    click.echo(f"Volgende stap: vul de sjablonen in en draai 'ketenscan validate {directory}'.")


@main.command("new-round")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality")
@click.argument("round_slug", metavar="ROUND")
@handles_problems
def new_round_command(workspace: Path, municipality: str, round_slug: str) -> None:
    """Maak een nieuwe ronde met een sjabloon voor elke verwachte partner.

    \b
    Voorbeeld:
      ketenscan new-round mijn-regio voorbeeldstad 2026-voorjaar
    """
    from assessment.scaffold import new_round

    written = new_round(workspace, municipality, round_slug)
    click.echo(f"Ronde {round_slug} gemaakt met {len(written) - 1} sjablonen.")
    for path in written[1:]:
        click.echo(f"  {display_path(path)}")


@main.command()
@click.option(
    "--workspace",
    "-w",
    type=click.Path(path_type=Path),
    default=None,
    help="Werkruimte (voor de eigen vragenlijst en het pad naar het schema).",
)
@click.option(
    "--municipality", "-g", default="voorbeeldstad", show_default=True, help="Gemeente (id)."
)
@click.option(
    "--round", "round_slug", "-r", default="2025-najaar", show_default=True, help="Ronde (id)."
)
@click.option(
    "--respondent",
    default="mijn-organisatie",
    show_default=True,
    help="Id van de partnerorganisatie (ook de bestandsnaam).",
)
@click.option("--role", default=None, help="Rol van de partner, bijvoorbeeld huisartsenpraktijk.")
@click.option("--organisation", default="", help="Naam van de organisatie.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Schrijf naar dit bestand in plaats van naar het scherm.",
)
@handles_problems
def template(
    workspace: Path | None,
    municipality: str,
    round_slug: str,
    respondent: str,
    role: str | None,
    organisation: str,
    output: Path | None,
) -> None:
    """Schrijf een leeg antwoordbestand met uitleg bij elke stelling.

    \b
    Voorbeeld:
      ketenscan template -w mijn-regio -g voorbeeldstad -r 2025-najaar \\
          --respondent buurtzorg-jong --role jeugd-en-gezinsteam -o buurtzorg-jong.yaml
    """
    from assessment.scaffold import relative_schema
    from assessment.template import render_template
    from assessment.workspace import (
        ANSWERS_DIR,
        MUNICIPALITIES_DIR,
        is_slug,
        load_questionnaire,
        load_settings,
        questionnaire_for,
    )

    bad = [
        (name, value)
        for name, value in (
            ("gemeente", municipality),
            ("ronde", round_slug),
            ("respondent", respondent),
        )
        if not is_slug(value)
    ]
    if bad:
        raise click.UsageError(
            "; ".join(
                f"{name} '{value}' is geen geldige id (kleine letters, cijfers, streepjes)"
                for name, value in bad
            )
        )
    if workspace is not None:
        questionnaire = questionnaire_for(workspace, load_settings(workspace))
        folder = (
            output.parent
            if output is not None
            else workspace / MUNICIPALITIES_DIR / municipality / round_slug / ANSWERS_DIR
        )
        schema: str | None = relative_schema(folder, workspace)
    else:
        questionnaire = load_questionnaire()
        schema = None
    if role is not None and role not in questionnaire.roles:
        raise click.UsageError(
            f"onbekende rol '{role}'; kies uit: {', '.join(questionnaire.roles)}"
        )
    text = render_template(
        questionnaire,
        municipality=municipality,
        round_slug=round_slug,
        respondent=respondent,
        role=role,
        organisation=organisation,
        schema=schema,
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Sjabloon geschreven naar {display_path(output)}.", err=True)


@main.command()
@click.option(
    "--workspace",
    "-w",
    type=click.Path(path_type=Path),
    default=None,
    help="Werkruimte (als die een eigen vragenlijst gebruikt).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Map om de schema's in te schrijven; zonder deze optie naar het scherm.",
)
@click.option(
    "--kind",
    type=click.Choice(["antwoord", "gemeente", "ketenscan"]),
    default="antwoord",
    show_default=True,
    help="Welk schema naar het scherm gaat.",
)
@handles_problems
def schema(workspace: Path | None, out: Path | None, kind: str) -> None:
    """Schrijf de JSON Schema's van antwoordbestand, gemeente.yaml en ketenscan.yaml.

    \b
    Voorbeeld:
      ketenscan schema --out mijn-regio/schemas
    """
    from assessment.schema import SCHEMA_FILES, all_schemas, write_schemas
    from assessment.workspace import load_questionnaire, load_settings, questionnaire_for

    questionnaire = (
        questionnaire_for(workspace, load_settings(workspace))
        if workspace is not None
        else load_questionnaire()
    )
    if out is None:
        click.echo(
            json.dumps(all_schemas(questionnaire)[SCHEMA_FILES[kind]], ensure_ascii=False, indent=2)
        )
        return
    for path in write_schemas(questionnaire, out):
        click.echo(f"geschreven: {display_path(path)}")


@main.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("scores"),
    show_default=True,
    help="Map voor de tabellen.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["csv", "json", "xlsx"]),
    multiple=True,
    default=["csv"],
    show_default=True,
    help="Formaat; herhaal de optie voor meer formaten.",
)
@handles_problems
def score(workspace: Path, out: Path, formats: tuple[str, ...]) -> None:
    """Bereken alle scores en aanbevelingen en schrijf ze als tabellen.

    Schrijft answers, factor_scores, statement_scores, recommendations, respondents en
    comments, plus methode.md met alle formules. Een gemeente met fouten wordt gemeld en
    overgeslagen; de andere worden wel berekend (exit-code 1).

    \b
    Voorbeeld:
      ketenscan score examples --out scores --format csv --format xlsx
    """
    from assessment.export import export_tables, write_tables
    from assessment.method import render_method
    from assessment.recommend import recommend
    from assessment.scoring import score_workspace
    from assessment.workspace import load_workspace

    ws = load_workspace(workspace)
    _print_problems(ws.problems)
    scores = score_workspace(ws)
    recommendations = recommend(scores, ws.questionnaire, ws.settings.thresholds)
    written = write_tables(export_tables(scores, recommendations, ws), out, list(formats))
    method = out / "methode.md"
    method.write_text(render_method(ws.questionnaire, ws.settings.thresholds), encoding="utf-8")
    written.append(method)
    click.echo(
        f"{len(written)} bestanden geschreven naar {display_path(out)} "
        f"({len(ws.municipalities)} gemeenten, {len(recommendations)} aanbevelingen)."
    )
    if ws.errors:
        click.echo(
            summarise(ws.problems)
            + "; deze gemeenten zijn overgeslagen: "
            + ", ".join(sorted(ws.failed)),
            err=True,
        )
        sys.exit(1)


@main.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Map waarin de sites komen.",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default=None,
    help="internal: voor partners (met toelichtingen); public: alleen totalen. "
    "Standaard: de instelling in ketenscan.yaml.",
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
    out: Path,
    audience: str | None,
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
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assessment.site import BuildResult, build_sites

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

        report = build_sites(
            workspace,
            out,
            audience=audience,
            jobs=jobs,
            only=municipality,
            force=force,
            progress=tick,
        )
    for result in report.results:
        if result.status == "built":
            click.echo(f"gebouwd:      {result.slug} ({result.seconds:.1f} s)")
        elif result.status == "skipped":
            click.echo(f"overgeslagen: {result.slug} (ongewijzigd)")
    problems = list(report.problems)
    for result in report.failed:
        if not result.problems:
            problems.append(Problem(result.slug, 1, 1, f"bouwen mislukt: {result.message}"))
    _print_problems(problems)
    built = sum(r.status == "built" for r in report.results)
    skipped = sum(r.status == "skipped" for r in report.results)
    click.echo(
        f"{built} gebouwd, {skipped} overgeslagen, {len(report.failed)} mislukt; "
        f"portaal: {display_path(report.out / 'index.html')}"
    )
    if report.failed:
        click.echo(
            summarise(problems)
            + "; de vorige sites van deze gemeenten blijven staan: "
            + ", ".join(r.slug for r in report.failed),
            err=True,
        )
        sys.exit(1)


@main.command()
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
    from assessment.serve import serve_workspace

    def say(message: str) -> None:
        click.echo(message, err=True)

    serve_workspace(
        workspace, out, port=port, municipality=municipality, audience=audience, say=say
    )
