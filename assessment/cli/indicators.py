"""`ketenscan indicators`: key figures per municipality and round (import, template)."""

from __future__ import annotations

from pathlib import Path

import click

from assessment.cli.common import handles_problems
from assessment.errors import display_path


@click.group()
def indicators() -> None:
    """Kengetallen per gemeente en ronde: importeren uit een CSV of een sjabloon maken.

    De waarden staan in gemeenten/<gemeente>/<ronde>/indicatoren.yaml; de definities en
    referentiewaarden in indicatoren.yaml van de vragenlijst.

    \b
    Voorbeeld:
      ketenscan indicators import mijn-regio kengetallen.csv
      ketenscan indicators template mijn-regio voorbeeldstad 2025-najaar
    """


@indicators.command("import")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("csv_file", metavar="CSV", type=click.Path(path_type=Path))
@click.option(
    "--overwrite",
    is_flag=True,
    help="Vervang bestaande indicatoren.yaml-bestanden (anders een fout).",
)
@click.option("--check", is_flag=True, help="Alleen controleren; niets schrijven.")
@handles_problems
def import_command(workspace: Path, csv_file: Path, overwrite: bool, check: bool) -> None:
    """Importeer kengetallen uit een CSV: één regel per gemeente, ronde en kengetal.

    Kolommen: municipality, round, indicator, numerator en denominator (of value), en
    eventueel note, period en source. Komma of puntkomma als scheidingsteken. Elk probleem
    verschijnt als bestand:regel:kolom: melding; bij een probleem wordt niets geschreven.

    \b
    Voorbeeld:
      ketenscan indicators import mijn-regio kengetallen.csv
      ketenscan indicators import mijn-regio kengetallen.csv --check
    """
    from assessment.instrument import questionnaire_for
    from assessment.interop.indicator_import import read_indicator_csv, write_indicator_files
    from assessment.workspace import load_settings

    questionnaire = questionnaire_for(workspace, load_settings(workspace))
    plan = read_indicator_csv(csv_file, workspace, questionnaire)
    summary = (
        f"{plan.figures} kengetallen van {plan.municipalities} gemeente(n) in "
        f"{plan.rounds} ronde(s)"
    )
    if check:
        click.echo(f"In orde: {summary}; niets geschreven (--check).")
        return
    written = write_indicator_files(plan, overwrite=overwrite)
    click.echo(f"{summary} geïmporteerd in {len(written)} bestand(en):")
    for path, replaced in written:
        click.echo(f"  {display_path(path)}{' (vervangen)' if replaced else ''}")
    click.echo(f"Controleer alles met 'ketenscan validate {workspace}'.")


@indicators.command("template")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality")
@click.argument("round_slug", metavar="ROUND")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Schrijf hierheen in plaats van naar de map van de ronde.",
)
@handles_problems
def template_command(
    workspace: Path, municipality: str, round_slug: str, output: Path | None
) -> None:
    """Schrijf een leeg indicatoren.yaml met elk kengetal en zijn uitleg.

    \b
    Voorbeeld:
      ketenscan indicators template mijn-regio voorbeeldstad 2025-najaar
    """
    from assessment.scaffold import write_indicator_template

    path = write_indicator_template(workspace, municipality, round_slug, output)
    click.echo(f"Sjabloon geschreven: {display_path(path)}")
    click.echo("Vul per kengetal teller en noemer in; laat null staan als het cijfer er niet is.")
