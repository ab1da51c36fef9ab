"""`ketenscan validate`: every problem of every file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assessment.cli.common import WORKSPACE, handles_problems, print_problems
from assessment.errors import summarise


@click.command()
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
    print_problems(report.problems, as_json=as_json)
    if not as_json:
        click.echo(
            summarise(report.problems) + f" ({report.files_checked} bestanden gecontroleerd)",
            err=bool(report.errors),
        )
    if report.errors:
        sys.exit(1)
