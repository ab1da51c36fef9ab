"""Commands that write files for people to fill in: init, new-round, template, schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assessment.cli.common import handles_problems
from assessment.errors import display_path


@click.command()
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


@click.command("new-round")
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


@click.command()
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
    from assessment.instrument import load_questionnaire, questionnaire_for
    from assessment.limits import is_slug
    from assessment.paths import ANSWERS_DIR, MUNICIPALITIES_DIR
    from assessment.scaffold import relative_schema
    from assessment.template import render_template
    from assessment.workspace import load_settings

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


@click.command()
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
    type=click.Choice(["antwoord", "gemeente", "ketenscan", "workshop"]),
    default="antwoord",
    show_default=True,
    help="Welk schema naar het scherm gaat.",
)
@handles_problems
def schema(workspace: Path | None, out: Path | None, kind: str) -> None:
    """Schrijf de JSON Schema's van antwoordbestand, gemeente.yaml, ketenscan.yaml en
    workshop.yaml.

    \b
    Voorbeeld:
      ketenscan schema --out mijn-regio/schemas
    """
    from assessment.instrument import load_questionnaire, questionnaire_for
    from assessment.schema import SCHEMA_FILES, all_schemas, write_schemas
    from assessment.workspace import load_settings

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
