"""`ketenscan export xlsform` and `ketenscan import`: working with survey tools."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assessment.cli.common import handles_problems, print_problems
from assessment.errors import display_path


@click.group()
def export() -> None:
    """Schrijf de vragenlijst (of een mapping) voor andere programma's.

    \b
    Voorbeeld:
      ketenscan export xlsform mijn-regio --out ketenscan.xlsx
      ketenscan export mapping mijn-regio --out limesurvey.yaml
    """


@export.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--municipality",
    "-g",
    default=None,
    help="Maak het formulier voor deze gemeente (id); samen met --round.",
)
@click.option(
    "--round", "round_slug", "-r", default=None, help="Ronde (id) van het formulier; met -g."
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Het XLSForm-bestand om te schrijven (.xlsx).",
)
@handles_problems
def xlsform(workspace: Path, municipality: str | None, round_slug: str | None, out: Path) -> None:
    """Schrijf de vragenlijst als XLSForm voor KoboToolbox, ODK en Enketo.

    Het bestand heeft de werkbladen survey, choices en settings. Met --municipality en
    --round krijgt het formulier de naam van de gemeente en de ronde, en weet
    'ketenscan import' later waar de antwoorden horen.

    \b
    Voorbeeld:
      ketenscan export xlsform mijn-regio -g voorbeeldstad -r 2026-voorjaar -o vragenlijst.xlsx
    """
    from assessment.interop.xlsform import workspace_xlsform, write_xlsform
    from assessment.limits import is_slug

    if (municipality is None) != (round_slug is None):
        raise click.UsageError("geef --municipality en --round samen, of geen van beide")
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"het XLSForm is een .xlsx-bestand, niet '{out.name}'")
    if round_slug is not None and not is_slug(round_slug):
        raise click.UsageError(
            f"ronde '{round_slug}' is geen geldige id (kleine letters, cijfers, streepjes)"
        )
    form = workspace_xlsform(workspace, municipality=municipality, round_slug=round_slug)
    write_xlsform(form, out)
    statements = sum(1 for item in form.fields if item.kind == "statement")
    click.echo(
        f"XLSForm geschreven naar {display_path(out)} ({statements} stellingen, "
        f"{len(form.choices)} keuzes)."
    )
    click.echo(
        "Zet het in KoboToolbox, ODK Central of Enketo. Lees de antwoorden daarna in met "
        f"'ketenscan import {display_path(workspace)} "
        f"{municipality or 'GEMEENTE'} {round_slug or 'RONDE'} EXPORT.xlsx'."
    )


@export.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Schrijf naar dit bestand in plaats van naar het scherm.",
)
@handles_problems
def mapping(workspace: Path, out: Path | None) -> None:
    """Schrijf een mappingbestand om in te vullen voor 'ketenscan import --mapping'.

    Elke sleutel staat erin, met de tekst van de vraag als kolomkop. Vervang die door de
    kolomkoppen van uw export (LimeSurvey, Microsoft Forms, een eigen spreadsheet).

    \b
    Voorbeeld:
      ketenscan export mapping mijn-regio -o limesurvey.yaml
    """
    from assessment.interop.mapping_template import render_mapping
    from assessment.workspace import load_header

    text = render_mapping(load_header(workspace)[1])
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"Mappingbestand geschreven naar {display_path(out)}.", err=True)


@click.command("import")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality")
@click.argument("round_slug", metavar="ROUND")
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--mapping",
    "-m",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Mappingbestand (YAML): welke kolom welke stelling is. Niet nodig bij een export "
    "van het XLSForm van 'ketenscan export xlsform'.",
)
@click.option("--sheet", default=None, help="Werkblad van een .xlsx (standaard: het eerste).")
@click.option(
    "--header-row",
    type=click.IntRange(1, 50),
    default=None,
    help="Rij met de kolomkoppen (standaard 1, of wat het mappingbestand zegt).",
)
@click.option("--replace", is_flag=True, help="Vervang antwoordbestanden die al bestaan.")
@click.option("--dry-run", is_flag=True, help="Controleer alleen; schrijf niets.")
@click.option("--json", "as_json", is_flag=True, help="Problemen als JSON (voor scripts).")
@handles_problems
def import_command(
    workspace: Path,
    municipality: str,
    round_slug: str,
    source: Path,
    mapping: Path | None,
    sheet: str | None,
    header_row: int | None,
    replace: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Lees antwoorden uit een CSV- of XLSX-export in als antwoordbestanden.

    Elke rij is één partnerorganisatie en wordt antwoorden/<id>.yaml, precies zoals de
    online vragenlijst het bestand schrijft. Een export van het XLSForm (KoboToolbox, ODK)
    heeft geen mapping nodig; voor LimeSurvey, Microsoft Forms of een eigen spreadsheet
    zegt een mappingbestand welke kolom welke stelling is. Elk probleem verschijnt als
    bestand:rij:kolom met de cel en haar inhoud; bij een probleem wordt niets geschreven.

    \b
    Voorbeeld:
      ketenscan import mijn-regio voorbeeldstad 2026-voorjaar kobo-export.xlsx
      ketenscan import mijn-regio voorbeeldstad 2026-voorjaar limesurvey.csv -m limesurvey.yaml
    """
    from assessment.errors import ProblemsError
    from assessment.interop.importing import plan_import, write_import

    try:
        plan = plan_import(
            workspace,
            municipality,
            round_slug,
            source,
            mapping_path=mapping,
            sheet=sheet,
            header_row=header_row,
            replace=replace,
        )
    except ProblemsError as error:
        if not as_json:
            raise
        print_problems(error.problems, as_json=True)
        sys.exit(1)
    if as_json:
        print_problems(plan.warnings, as_json=True)
        if not dry_run:
            write_import(plan)
        return
    print_problems(plan.warnings)
    verb = "zou schrijven" if dry_run else "geschreven"
    if not dry_run:
        write_import(plan)
    for planned in plan.files:
        action = "vervangen" if planned.replaces else verb
        click.echo(
            f"{action}: {display_path(planned.path)} (rij {planned.row}: "
            f"{planned.answered} beantwoord, {planned.dont_know} weet niet)"
        )
    sheet_text = f", werkblad '{plan.sheet}'" if plan.sheet else ""
    count = len(plan.files)
    noun = "antwoordbestand" if count == 1 else "antwoordbestanden"
    if dry_run:
        click.echo(
            f"{count} {noun} klaar uit {plan.source}{sheet_text}; niets geschreven (--dry-run)."
        )
    else:
        click.echo(
            f"{count} {noun} geschreven uit {plan.source}{sheet_text}. Controleer ze met "
            f"'ketenscan validate {display_path(workspace)}'."
        )
